"""A lesson package form or a question-bank confirm sent twice (a double click, a reload, a
second tab), one after the other or at the same moment, imports once; the second is sent
where the first went, with a message."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connections
from django.test import Client
from django.utils import timezone

from courses.models import Lesson, PendingUpload
from jobs.models import Job, SubmissionToken
from quizzes.interop import import_jobs
from tests.quizzes.test_import_jobs import (
    _confirm,
    _upload_and_preview,
    gift,
    media,  # noqa: F401 (autouse fixture)
)
from tests.quizzes.test_import_jobs import quiz as quiz  # noqa: F401 (fixture)
from tests.quizzes.test_lesson_import_jobs import _imported, _post, form_token
from tests.quizzes.test_lesson_import_jobs import package as package  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

SENT_TWICE = "This form had been sent already, so nothing more was imported"
CONFIRMED_TWICE = "This file's questions had been imported already"


@pytest.fixture
def small(package):
    """The package with 3 questions: imported in the request."""
    package["quizzes"][0]["questions"] = package["quizzes"][0]["questions"][:3]
    return package


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_lesson_form_sent_twice_imports_once_and_the_second_goes_to_that_lesson(
        client, instructor, course, small):
    client.force_login(instructor)
    token = form_token(client, course)
    first = _post(client, course, small, token=token)
    [lesson] = _imported(course)
    assert first["Location"] == lesson.get_absolute_url()
    second = _post(client, course, small, token=token)
    assert second["Location"] == lesson.get_absolute_url()
    assert any(SENT_TWICE in m for m in _said(second))
    assert _imported(course) == [lesson]


def test_a_large_lesson_form_sent_twice_starts_one_job_and_the_second_goes_to_it(
        client, instructor, course, package, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(instructor)
    token = form_token(client, course)
    first = _post(client, course, package, token=token)
    job = Job.objects.get()
    assert first["Location"] == job.get_absolute_url()
    assert _post(client, course, package, token=token)["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1 and PendingUpload.objects.count() == 1


def test_each_form_shown_imports_once(client, instructor, course, small):
    client.force_login(instructor)
    _post(client, course, small)
    _post(client, course, small)  # a second form, shown again: a second import, on purpose
    assert len(_imported(course)) == 2


@pytest.mark.parametrize("token", ["", "not-a-token", "0" * 32])
def test_a_lesson_form_without_a_token_it_was_given_imports_nothing(
        client, instructor, course, small, token):
    client.force_login(instructor)
    response = _post(client, course, small, token=token)
    assert response.status_code == 200
    assert "This form was open too long" in response.content.decode()
    assert _imported(course) == []
    # The form shown again carries a token that works.
    again = form_token(client, course)
    assert _post(client, course, small, token=again).status_code == 302


def test_a_token_expired_or_issued_to_someone_else_imports_nothing(
        client, instructor, course, small, assistant):
    client.force_login(instructor)
    expired = form_token(client, course)
    SubmissionToken.objects.filter(pk=expired).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    assert _post(client, course, small, token=expired).status_code == 200
    theirs = SubmissionToken.objects.create(token="a" * 32, owner=assistant,
                                            purpose=import_jobs.LESSON_IMPORT,
                                            expires_at=timezone.now() + timedelta(hours=1))
    assert _post(client, course, small, token=theirs.pk).status_code == 200
    assert _imported(course) == []


def test_a_refused_package_leaves_its_form_unused_so_a_fixed_file_imports(
        client, instructor, course, small):
    client.force_login(instructor)
    token = form_token(client, course)
    broken = {**small, "quizzes": [{**small["quizzes"][0], "questions": [
        {**small["quizzes"][0]["questions"][0], "type": "nonsense"}]}]}
    assert _post(client, course, broken, token=token).status_code == 200
    assert _imported(course) == []
    response = _post(client, course, small, token=token)
    [lesson] = _imported(course)
    assert response["Location"] == lesson.get_absolute_url()


def test_a_question_confirm_sent_twice_imports_once_and_the_second_goes_to_the_quiz(
        client, instructor, quiz):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(20))
    assert _confirm(client, quiz)["Location"] == quiz.get_absolute_url()
    second = _confirm(client, quiz)
    assert second["Location"] == quiz.get_absolute_url()
    assert any(CONFIRMED_TWICE in m for m in _said(second))
    assert quiz.questions.count() == 21


def _at_once(monkeypatch, target, name: str, first, second) -> dict:
    """Run `first()` and `second()` in two threads, the second starting while the first is
    inside `target.name` (slowed by a second, its transaction open); their answers."""
    started = threading.Event()
    real = getattr(target, name)

    def slow(**kwargs):
        result = real(**kwargs)
        started.set()
        time.sleep(1)
        return result

    monkeypatch.setattr(target, name, slow)
    answers = {}

    def run(key, call):
        try:
            answers[key] = call()["Location"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=("first", first)),
               threading.Thread(target=run, args=("second", second))]
    threads[0].start()
    assert started.wait(10)
    threads[1].start()
    for thread in threads:
        thread.join(30)
    return answers


@pytest.mark.django_db(transaction=True)
def test_a_lesson_form_sent_twice_at_the_same_moment_imports_once(
        client, instructor, course, small, monkeypatch):
    client.force_login(instructor)
    token = form_token(client, course)
    other_tab = Client()
    other_tab.cookies = client.cookies
    answers = _at_once(monkeypatch, import_jobs.package_services, "lesson_import",
                       lambda: _post(client, course, small, token=token),
                       lambda: _post(other_tab, course, small, token=token))
    [lesson] = Lesson.objects.filter(course=course, slug__startswith="the-fox-")
    assert answers == {"first": lesson.get_absolute_url(),
                       "second": lesson.get_absolute_url()}


@pytest.mark.django_db(transaction=True)
def test_a_question_confirm_sent_twice_at_the_same_moment_imports_once(
        client, instructor, quiz, monkeypatch):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(20))
    other_tab = Client()
    other_tab.cookies = client.cookies
    answers = _at_once(monkeypatch, import_jobs.services, "questions_import",
                       lambda: _confirm(client, quiz), lambda: _confirm(other_tab, quiz))
    assert answers == {"first": quiz.get_absolute_url(), "second": quiz.get_absolute_url()}
    assert quiz.questions.count() == 21
