"""Long work runs as a background job: the page shows its progress and result, only to the
person who started it, and running it again changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import job_run
from quizzes.models import Response
from quizzes.teaching import services as teaching
from tests.jobs.conftest import answered_by, change_key

pytestmark = pytest.mark.django_db


def test_a_regrade_runs_as_a_job_whose_page_shows_the_result(client, instructor, answered):
    question, right, other = answered
    change_key(right, other)
    client.force_login(instructor)
    response = client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.owner, job.done, job.total) == (
        "regrade", "done", instructor, 3, 3)
    assert job.result == "Regraded: 3 scores changed."
    assert set(Response.objects.values_list("score", flat=True)) == {question.points}
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Regraded: 3 scores changed." in page and "done" in page
    status = client.get(reverse("jobs:job-status", args=[job.pk])).json()
    assert status == {"status": "done", "label": "done", "done": 3, "total": 3,
                      "percent": 100, "finished": True, "result": job.result}


def test_a_regrade_run_again_changes_nothing(client, instructor, answered):
    question, right, other = answered
    change_key(right, other)
    client.force_login(instructor)
    client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    assert [job.result for job in Job.objects.order_by("pk")] == [
        "Regraded: 3 scores changed.", "Regraded: 0 scores changed."]


def test_a_regrade_reports_progress_batch_by_batch(instructor, answered, monkeypatch):
    question, right, other = answered
    change_key(right, other)
    monkeypatch.setattr(teaching, "REGRADE_BATCH", 2)
    seen = []
    changed = teaching.question_regrade(question=question, user=instructor,
                                        now=timezone.now(),
                                        progress=lambda d, t: seen.append((d, t)))
    assert changed == 3
    assert seen == [(2, 3), (3, 3)]


def test_only_the_starter_sees_a_job(client, instructor, student, answered):
    question, *_ = answered
    client.force_login(instructor)
    client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    job = Job.objects.get()
    client.force_login(student)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(reverse("jobs:job-status", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 302


def test_a_job_that_fails_says_so_and_the_error_reaches_the_worker():
    job = Job.objects.create(kind="test", title="Doomed")

    def work(progress):
        progress(1, 4)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("failed", 1, 4)
    assert "stopped with an error" in job.result and "disk" not in job.result


def test_a_queued_job_page_says_it_waits_and_polls(client, instructor):
    job = Job.objects.create(kind="test", title="Waiting", owner=instructor)
    client.force_login(instructor)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "waiting for a worker" in page
    assert 'data-finished="false"' in page and "js/job.js" in page


@pytest.mark.parametrize("students", [3, 40])
def test_a_regrade_batch_runs_the_same_statements_for_any_class_size(
        instructor, lesson, course, students, django_assert_max_num_queries):
    question, right, other = answered_by(lesson, course, students)
    change_key(right, other)
    with django_assert_max_num_queries(14):
        changed = teaching.question_regrade(question=question, user=instructor,
                                            now=timezone.now())
    assert changed == students
