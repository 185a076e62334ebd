"""A failed job can be tried again from its page: its owner (or a superuser) sees "Try
again", which runs the same task with the same arguments on the same row, once however
often it is pressed; a job that is done or still waiting is left alone."""

from __future__ import annotations

import re
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs import services as jobs
from jobs.models import Job
from quizzes.models import Response
from quizzes.teaching import services as teaching
from quizzes.teaching.tasks import question_regrade_task
from tests.factories import UserFactory
from tests.jobs.conftest import change_key

pytestmark = pytest.mark.django_db



def _offers_retry(client, job) -> bool:
    """The page shows the "Try again" form (job.js may unhide a hidden one once the work
    fails, and the server still decides)."""
    page = client.get(job.get_absolute_url()).content.decode()
    form = re.search(r'<form id="job-retry"[^>]*>', page)
    return bool(form) and " hidden" not in form.group(0) and ">Try again</button>" in page


@pytest.fixture
def failed(client, instructor, answered, monkeypatch):
    """A regrade started from its page that failed in the worker; the key is still new."""
    question, right, other = answered
    change_key(right, other)
    client.force_login(instructor)
    def crash(**kwargs):
        raise RuntimeError("worker died")

    with monkeypatch.context() as patch:
        patch.setattr(teaching, "question_regrade", crash)
        client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    return job


def _retry(client, job):
    return client.post(reverse("jobs:job-retry", args=[job.pk]))


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_job_remembers_its_task_and_arguments(failed, instructor, answered):
    question, *_ = answered
    assert failed.task_path == "quizzes.teaching.tasks.question_regrade_task"
    assert failed.task_kwargs == {"question_id": question.pk, "user_id": instructor.pk}


def test_a_failed_job_offers_try_again_to_its_owner_only(client, failed, student):
    assert _offers_retry(client, failed)
    assert "csrfmiddlewaretoken" in client.get(failed.get_absolute_url()).content.decode()
    assert client.get(reverse("jobs:job-status", args=[failed.pk])).json()["retryable"]
    client.force_login(student)
    assert client.get(failed.get_absolute_url()).status_code == 404
    assert _retry(client, failed).status_code == 404
    failed.refresh_from_db()
    assert failed.status == Job.Status.FAILED


def test_a_superuser_may_try_anyones_failed_job_again(client, failed, admin_user):
    client.force_login(admin_user)
    assert _offers_retry(client, failed)
    assert _retry(client, failed)["Location"] == failed.get_absolute_url()
    failed.refresh_from_db()
    assert failed.status == Job.Status.DONE


def test_try_again_runs_the_task_again_on_the_same_row_and_it_ends_done(client, failed,
                                                                         answered):
    question, *_ = answered
    first_task = failed.task_id
    response = _retry(client, failed)
    assert response.status_code == 302 and response["Location"] == failed.get_absolute_url()
    assert _said(response) == ["Started again."]
    job = Job.objects.get()  # the same row, no second job
    assert job.pk == failed.pk and job.task_id != first_task
    assert (job.status, job.done, job.total, job.result) == (
        "done", 3, 3, "Regraded: 3 scores changed.")
    assert set(Response.objects.values_list("score", flat=True)) == {question.points}
    assert not _offers_retry(client, job)


def test_try_again_on_a_done_job_changes_nothing(client, failed):
    # Followed, so the page shows (and uses up) its "Started again.".
    client.post(reverse("jobs:job-retry", args=[failed.pk]), follow=True)
    done = Job.objects.get()
    response = _retry(client, done)
    assert response["Location"] == done.get_absolute_url()
    assert _said(response) == [
        "This job has already finished, so there is nothing to try again."]
    assert Job.objects.get().task_id == done.task_id  # nothing enqueued


def test_try_again_on_a_waiting_job_does_not_start_it_twice(client, instructor):
    job = Job.objects.create(kind="regrade", title="Waiting", owner=instructor,
                             task_path=question_regrade_task.module_path,
                             task_kwargs={"question_id": 1, "user_id": None})
    client.force_login(instructor)
    assert not _offers_retry(client, job)
    response = _retry(client, job)
    assert response["Location"] == job.get_absolute_url()
    assert "was not started a second time" in _said(response)[0]
    job.refresh_from_db()
    assert (job.status, job.task_id) == ("queued", "")


def test_a_failed_job_from_before_tasks_were_remembered_offers_no_button(client, instructor):
    job = Job.objects.create(kind="regrade", title="Old", owner=instructor,
                             status=Job.Status.FAILED, result="stopped")
    client.force_login(instructor)
    assert not _offers_retry(client, job)
    assert "cannot be tried again from here" in _said(_retry(client, job))[0]
    job.refresh_from_db()
    assert (job.status, job.result) == ("failed", "stopped")


def test_a_task_path_that_names_no_task_leaves_the_job_failed(client, instructor):
    job = Job.objects.create(kind="regrade", title="Moved", owner=instructor,
                             status=Job.Status.FAILED, result="stopped",
                             task_path="quizzes.teaching.tasks.no_such_task")
    client.force_login(instructor)
    response = _retry(client, job)
    assert "can no longer be started from here" in _said(response)[0]
    job.refresh_from_db()
    assert (job.status, job.result) == ("failed", "stopped")


def test_retry_is_post_only(client, failed):
    assert client.get(reverse("jobs:job-retry", args=[failed.pk])).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_a_double_click_enqueues_once(settings, answered):
    # The database backend, so the task waits in its queue and both requests see it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    question, *_ = answered
    job = Job.objects.create(kind="regrade", title="Twice", owner=UserFactory(),
                             status=Job.Status.FAILED,
                             task_path=question_regrade_task.module_path,
                             task_kwargs={"question_id": question.pk, "user_id": None})
    barrier, results, errors = threading.Barrier(2), [], []

    def press():
        try:
            barrier.wait()
            results.append(jobs.job_retry(job=Job.objects.get(pk=job.pk)))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [False, True]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [
        job.task_id]
