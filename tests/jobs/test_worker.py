"""The real database worker (`manage.py db_worker`) runs a job that a request enqueued."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from quizzes.models import Response
from tests.jobs.conftest import change_key


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_regrade_the_page_enqueued(client, instructor, answered,
                                                               settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    question, right, other = answered
    change_key(right, other)
    client.force_login(instructor)
    client.post(reverse("quizzes:question-regrade", args=[question.pk]))
    job = Job.objects.get()
    assert job.status == "queued"  # nothing ran in the request
    assert client.get(job.get_absolute_url()).content.decode().count("waiting for a worker")
    assert set(Response.objects.values_list("score", flat=True)) == {0}
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", "Regraded: 3 scores changed.")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    assert set(Response.objects.values_list("score", flat=True)) == {question.points}
