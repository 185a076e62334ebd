"""A large lesson package is staged in the database and imported by the task worker, whole or
not at all, once; small packages are still imported in the request."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from courses.models import Lesson, PendingUpload, Reading
from jobs.models import Job
from jobs.services import JobError
from quizzes.interop.package_services import lesson_export
from quizzes.models import Question, Quiz
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(lesson) -> dict:
    """The conftest lesson exported with one quiz of 250 single-choice questions."""
    quiz = QuizFactory(lesson=lesson, title="Fox quiz")
    question = QuestionFactory(quiz=quiz, position=1, type="single", config={},
                               prompt="Which animal runs?")
    ChoiceFactory(question=question, text="Fox", fraction=1)
    ChoiceFactory(question=question, text="Stone", fraction=0)
    doc = lesson_export(lesson=lesson)
    first = doc["quizzes"][0]["questions"][0]
    doc["quizzes"][0]["questions"] = [{**copy.deepcopy(first), "title": f"Q{n}"}
                                      for n in range(1, 251)]
    return doc


def form_token(client, course) -> str:
    """The one-time token of the lesson import form, as a browser showing it has it."""
    page = client.get(reverse("quizzes:lesson-import", args=[course.slug])).content.decode()
    return re.search(r'name="submission" value="([0-9a-f]{32})"', page).group(1)


def _post(client, course, doc: dict, token: str | None = None):
    """Send the lesson import form with `doc` (and the token of a form just shown, unless
    `token` says which form)."""
    return client.post(reverse("quizzes:lesson-import", args=[course.slug]), {
        "file": SimpleUploadedFile("fox.lectio.json", json.dumps(doc).encode("utf-8")),
        "submission": form_token(client, course) if token is None else token})


def _run_by_hand(job: Job) -> str:
    row = DBTaskResult.objects.get(pk=job.task_id)
    return row.task.call(**row.args_kwargs["kwargs"])


def _imported(course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course, slug__startswith="the-fox-"))


def test_a_large_package_is_imported_by_a_job_whose_result_links_to_the_lesson(
        client, instructor, course, package):
    client.force_login(instructor)
    response = _post(client, course, package)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    [lesson] = _imported(course)
    assert (job.kind, job.status, job.done, job.total) == ("lesson-import", "done", 250, 250)
    assert job.result == ("Imported the lesson “The Fox” with 250 questions (unpublished "
                          "until you publish it).")
    assert job.back_url == lesson.get_absolute_url() and not lesson.is_published
    assert Question.objects.filter(quiz__lesson=lesson).count() == 250
    assert not PendingUpload.objects.exists()


def test_a_small_package_is_still_imported_in_the_request(client, instructor, course,
                                                          package):
    package["quizzes"][0]["questions"] = package["quizzes"][0]["questions"][:199]
    client.force_login(instructor)
    response = _post(client, course, package)
    [lesson] = _imported(course)
    assert response["Location"] == lesson.get_absolute_url()
    assert not Job.objects.exists()


def test_a_package_past_the_byte_threshold_goes_to_the_worker_too(client, instructor, course,
                                                                  package, settings):
    package["quizzes"][0]["questions"] = package["quizzes"][0]["questions"][:3]
    settings.LECTIO_IMPORT_TASK_MIN_BYTES = 1000
    client.force_login(instructor)
    response = _post(client, course, package)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.status == "done"
    assert len(_imported(course)) == 1


def test_with_the_database_backend_the_package_waits_for_the_worker_and_imports_once(
        client, instructor, course, package, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(instructor)
    _post(client, course, package)
    job = Job.objects.get()
    pending = PendingUpload.objects.get()
    assert (job.status, pending.kind, pending.job, pending.owner) == (
        "queued", "lesson_package", job, instructor)
    assert _imported(course) == []
    first = _run_by_hand(job)
    assert _run_by_hand(job) == first  # a retry reports the first result
    assert len(_imported(course)) == 1 and not PendingUpload.objects.exists()


def test_a_package_the_models_refuse_fails_its_job_with_the_problems_and_stores_nothing(
        client, instructor, course, package, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    package["quizzes"][0]["questions"][4]["type"] = "nonsense"
    client.force_login(instructor)
    readings = Reading.objects.count()
    _post(client, course, package)
    job = Job.objects.get()
    with pytest.raises(JobError, match="Nothing was imported"):
        _run_by_hand(job)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.result.startswith("Nothing was imported: quizzes[0].questions[4]")
    assert _imported(course) == [] and Reading.objects.count() == readings
    assert Quiz.objects.count() == 1  # the exported lesson's own quiz only
    assert PendingUpload.objects.get().job == job


def test_a_package_that_is_not_json_is_refused_in_the_request_before_any_job(
        client, instructor, course, settings):
    settings.LECTIO_IMPORT_TASK_MIN_BYTES = 10
    client.force_login(instructor)
    response = client.post(reverse("quizzes:lesson-import", args=[course.slug]), {
        "file": SimpleUploadedFile("fox.json", b'{"format": ' + b" " * 100)})
    assert response.status_code == 200 and "not valid JSON" in response.content.decode()
    assert not Job.objects.exists() and not PendingUpload.objects.exists()


def test_an_assistant_cannot_start_a_package_import(client, assistant, course, package):
    client.force_login(assistant)
    assert _post(client, course, package, token="0" * 32).status_code == 403
    assert not Job.objects.exists() and not PendingUpload.objects.exists()
