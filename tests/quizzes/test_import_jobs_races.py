"""Two confirms of one large upload at the same moment, and a job whose worker died: one
import either way."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from jobs import services as jobs
from jobs.models import Job
from jobs.services import JobError
from quizzes.interop import import_jobs
from tests.quizzes.test_import_jobs import (
    _confirm,
    _confirmed,
    _run_by_hand,
    _stored,
    _upload_and_preview,
    gift,
    media,  # noqa: F401 (autouse fixture)
)
from tests.quizzes.test_import_jobs import queued as queued  # noqa: F401 (fixture)
from tests.quizzes.test_import_jobs import quiz as quiz  # noqa: F401 (fixture)


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_the_same_moment_start_one_job(client, instructor, quiz, queued,
                                                       monkeypatch):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200))
    other_tab = Client()
    other_tab.cookies = client.cookies  # the same session, as a second tab has
    started = threading.Event()
    real_start = import_jobs.job_start

    def slow_start(**kwargs):
        job = real_start(**kwargs)
        started.set()
        time.sleep(1)  # keep the first confirm's transaction open while the second arrives
        return job

    monkeypatch.setattr(import_jobs, "job_start", slow_start)
    answers = {}

    def confirm(name, browser):
        try:
            answers[name] = _confirm(browser, quiz)["Location"]
        finally:
            connections.close_all()

    first = threading.Thread(target=confirm, args=("first", client))
    second = threading.Thread(target=confirm, args=("second", other_tab))
    first.start()
    assert started.wait(10)
    second.start()
    first.join(30)
    second.join(30)
    job = Job.objects.get()
    assert answers == {"first": job.get_absolute_url(), "second": job.get_absolute_url()}
    _run_by_hand(job)
    assert _stored(quiz) == (201, 600)


@pytest.mark.django_db
def test_a_job_left_running_by_a_dead_worker_may_be_started_again_and_imports_once(
        client, instructor, quiz, queued):
    dead = _confirmed(client, instructor, quiz)
    Job.objects.filter(pk=dead.pk).update(
        status=Job.Status.RUNNING,
        updated_at=timezone.now() - import_jobs.ABANDONED_AFTER - timedelta(minutes=1))
    again = _confirm(client, quiz)
    retry = Job.objects.exclude(pk=dead.pk).get()
    assert again["Location"] == retry.get_absolute_url()
    assert _run_by_hand(retry) == "Imported 200 questions into “Bank”."
    # Had the first worker come back after all, it finds the upload stored already.
    with pytest.raises(JobError, match="no longer waiting"):
        _run_by_hand(dead)
    assert _stored(quiz) == (201, 600)


@pytest.mark.django_db
def test_a_job_still_within_its_time_is_not_started_twice(client, instructor, quiz, queued):
    running = _confirmed(client, instructor, quiz)
    Job.objects.filter(pk=running.pk).update(
        status=Job.Status.RUNNING,
        updated_at=timezone.now() - import_jobs.ABANDONED_AFTER + timedelta(minutes=1))
    assert _confirm(client, quiz)["Location"] == running.get_absolute_url()
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_a_job_tried_again_long_after_it_started_counts_from_the_retry(
        client, instructor, quiz, queued):
    # Started two hours ago, failed, tried again from its page just now: a confirm of the
    # same upload meanwhile must wait for that retry, not start a second import beside it.
    old = _confirmed(client, instructor, quiz)
    Job.objects.filter(pk=old.pk).update(
        status=Job.Status.FAILED, created_at=timezone.now() - timedelta(hours=2),
        updated_at=timezone.now() - timedelta(hours=2))
    assert jobs.job_retry(job=Job.objects.get(pk=old.pk))
    assert _confirm(client, quiz)["Location"] == old.get_absolute_url()
    assert Job.objects.count() == 1
    assert _run_by_hand(old) == "Imported 200 questions into “Bank”."
    assert _stored(quiz) == (201, 600)


@pytest.mark.django_db
def test_a_job_reporting_progress_is_not_taken_for_dead(client, instructor, quiz, queued):
    # Started two hours ago, but its progress was heard of just now: a confirm meanwhile
    # sends the instructor to it rather than starting another.
    running = _confirmed(client, instructor, quiz)
    Job.objects.filter(pk=running.pk).update(
        created_at=timezone.now() - timedelta(hours=2),
        updated_at=timezone.now() - timedelta(hours=2))
    answers = []

    def work(progress):
        progress(10, 200)
        answers.append(_confirm(client, quiz)["Location"])
        return "stopped here"

    jobs.job_run(running.pk, work)
    assert answers == [running.get_absolute_url()]
    assert Job.objects.count() == 1
