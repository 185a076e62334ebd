"""Long work runs as a background job: the page shows its progress and result, only to the
person who started it, and running it again changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import Job
from jobs.services import JobError, job_record_done, job_run
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
                      "percent": 100, "finished": True, "result": job.result,
                      "retryable": False}


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


def test_a_job_stopped_with_a_job_error_shows_its_message():
    job = Job.objects.create(kind="test", title="Refused")

    def work(progress):
        raise JobError("The quiz was deleted, so nothing was imported.")

    with pytest.raises(JobError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert (job.status, job.result) == ("failed", "The quiz was deleted, so nothing was imported.")


def test_a_progress_note_is_the_result_line_while_the_job_runs(client, instructor):
    job = Job.objects.create(kind="test", title="Import", owner=instructor)
    client.force_login(instructor)
    seen = []

    def work(progress):
        progress(0, 300, note="Read 300 questions from the file; storing them now.")
        seen.append(client.get(reverse("jobs:job-status", args=[job.pk])).json())
        return "Imported 300 questions."

    assert job_run(job.pk, work) == "Imported 300 questions."
    assert seen == [{"status": "running", "label": "running", "done": 0, "total": 300,
                     "percent": 0, "finished": False,
                     "result": "Read 300 questions from the file; storing them now.",
                     "retryable": False}]


def test_a_job_recorded_done_by_its_work_is_not_run_again():
    job = Job.objects.create(kind="test", title="Once")
    calls = []

    def work(progress):
        calls.append(1)
        job_record_done(job.pk, result="Stored 5 things.", done=5, total=5, back_url="/x/")
        return "Stored 5 things."

    assert job_run(job.pk, work) == job_run(job.pk, work) == "Stored 5 things."
    assert calls == [1]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.back_url) == ("done", 5, 5, "/x/")


def test_a_failed_job_run_again_starts_with_a_clean_result_line():
    job = Job.objects.create(kind="test", title="Again", status=Job.Status.FAILED,
                             result="The work stopped with an error.")
    lines = []

    def work(progress):
        lines.append(Job.objects.get(pk=job.pk).result)
        return "Done this time."

    assert job_run(job.pk, work) == "Done this time."
    assert lines == [""]


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
