"""A background job's page: axe while it waits, once done and once failed; it updates by
itself, and a failed job is tried again by keyboard."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jobs.models import Job
from quizzes.models import Question
from quizzes.teaching.tasks import question_regrade_task
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


def test_a_failed_job_is_tried_again_by_keyboard_and_its_page_passes_axe(page):
    # A regrade that failed in the worker, as job_start records it; the immediate backend
    # runs it again in the request that "Try again" sends.
    call_command("load_demo")
    instructor = get_user_model().objects.get(username="instructor")
    question = Question.objects.filter(type="single").first()
    job = Job.objects.create(
        kind="regrade", title="Regrade question 1 of “Demo”", owner=instructor,
        back_url="/quizzes/course/demo/gradebook/", status=Job.Status.FAILED,
        result="The work stopped with an error; nothing half-done was kept. Try it again, "
               "or ask a site admin to look at the worker's log.",
        task_path=question_regrade_task.module_path,
        task_kwargs={"question_id": question.pk, "user_id": instructor.pk})
    log_in(page, "instructor", "lectio-instructor")
    page.goto(job.get_absolute_url())
    assert page.locator("#job-label").inner_text() == "failed"
    button = page.get_by_role("button", name="Try again")
    assert button.is_visible()
    assert_accessible(page)
    page.keyboard.press("Tab")
    for _ in range(30):  # keyboard only: Tab reaches the button
        if page.evaluate("document.activeElement.textContent.trim()") == "Try again":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Try again"
    page.keyboard.press("Enter")
    page.get_by_text("Started again.").wait_for(timeout=10_000)
    assert page.locator("#job-label").inner_text() == "done"
    assert page.locator("#job-result").inner_text().startswith("Regraded:")
    assert page.get_by_role("button", name="Try again").count() == 0
    assert_accessible(page)  # with its message
    job.refresh_from_db()
    assert job.status == Job.Status.DONE


def test_a_job_that_fails_while_watched_offers_try_again_without_a_reload(page):
    call_command("load_demo")
    instructor = get_user_model().objects.get(username="instructor")
    job = Job.objects.create(kind="regrade", title="Regrade question 1 of “Demo”",
                             owner=instructor, status=Job.Status.RUNNING, done=1, total=4,
                             task_path=question_regrade_task.module_path,
                             task_kwargs={"question_id": 1, "user_id": instructor.pk})
    log_in(page, "instructor", "lectio-instructor")
    page.goto(job.get_absolute_url())
    button = page.get_by_role("button", name="Try again")
    assert button.count() == 0  # hidden while it runs: no accessible button yet
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, result="It stopped.")
    button.wait_for(timeout=10_000)
    assert page.locator("#job-label").inner_text() == "failed"
    assert_accessible(page)
