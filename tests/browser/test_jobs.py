"""A background job's page: axe while it waits and once done, and it updates by itself."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jobs.models import Job
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_job_page_passes_axe_and_shows_the_result_when_the_worker_finishes(page):
    call_command("load_demo")
    instructor = get_user_model().objects.get(username="instructor")
    job = Job.objects.create(kind="regrade", title="Regrade question 1 of “Demo”",
                             owner=instructor, back_url="/quizzes/course/demo/gradebook/",
                             done=1, total=4, status=Job.Status.RUNNING)
    log_in(page, "instructor", "lectio-instructor")
    page.goto(job.get_absolute_url())
    assert page.locator("#job-label").inner_text() == "running"
    assert page.locator("#job-count").inner_text() == "1 of 4"
    assert_accessible(page)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=4,
                                         result="Regraded: 4 scores changed.")
    page.locator("#job-result").get_by_text("Regraded: 4 scores changed.").wait_for(
        timeout=10_000)
    assert page.locator("#job-label").inner_text() == "done"
    assert page.locator("#job-refresh").is_hidden()
    assert_accessible(page)
    page.keyboard.press("Tab")
    for _ in range(30):  # keyboard only: Tab reaches the way back
        if page.evaluate("document.activeElement.textContent.trim()") == "Back":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gradebook/")


def test_a_running_import_shows_what_it_read_before_its_result(page):
    call_command("load_demo")
    instructor = get_user_model().objects.get(username="instructor")
    job = Job.objects.create(kind="question-import", title="Import “bank.gift” into “Demo”",
                             owner=instructor, status=Job.Status.RUNNING)
    log_in(page, "instructor", "lectio-instructor")
    page.goto(job.get_absolute_url())
    assert page.locator("#job-result").inner_text() == ""
    Job.objects.filter(pk=job.pk).update(
        total=300, result="Read 300 questions from the file; storing them now.")
    page.locator("#job-result").get_by_text("Read 300 questions").wait_for(timeout=10_000)
    assert page.locator("#job-label").inner_text() == "running"
    assert page.locator("#job-count").inner_text() == "0 of 300"
    assert page.locator("#job-refresh").is_visible()
    assert_accessible(page)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, done=300,
                                         result="Imported 300 questions into “Demo”.")
    page.locator("#job-result").get_by_text("Imported 300 questions").wait_for(timeout=10_000)
    assert page.locator("#job-refresh").is_hidden()
    assert_accessible(page)
