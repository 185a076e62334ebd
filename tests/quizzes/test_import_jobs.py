"""A large question bank is imported by the task worker: the confirm enqueues one job per
upload, the job stores every question or none, consumes the upload in the same transaction,
and reports its result; small files are still stored in the request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from courses.models import Enrollment, PendingUpload
from jobs.models import Job
from jobs.services import JobError
from quizzes.interop import services, tasks
from quizzes.models import Choice, Question
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
BROKEN = "\n::Open brace:: This question never closes its answers {=yes ~no\n"


def gift(count: int) -> str:
    """`count` single-choice GIFT questions with three choices each."""
    return "\n".join(f"::Q{n}:: Which number is {n}? {{={n} ~{n + 1} ~{n + 2}}}\n"
                     for n in range(1, count + 1))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def quiz(lesson):
    quiz = QuizFactory(lesson=lesson, title="Bank")
    QuestionFactory(quiz=quiz, position=1, prompt="Already here")
    return quiz


@pytest.fixture
def queued(settings):
    """Tasks wait for a worker, as in production."""
    settings.TASKS = DATABASE_BACKEND


def _upload_and_preview(client, quiz, text: str):
    client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile("bank.gift", text.encode("utf-8")), "format": "gift"})
    preview = client.get(reverse("quizzes:question-import-preview", args=[quiz.pk]))
    assert preview.status_code == 200


def _confirm(client, quiz, **extra):
    return client.post(reverse("quizzes:question-import-preview", args=[quiz.pk]),
                       {"action": "confirm", **extra})


def _confirmed(client, user, quiz, text: str | None = None, **extra) -> Job:
    """The job a confirm of a 200-question file (or `text`) uploaded by `user` started."""
    client.force_login(user)
    _upload_and_preview(client, quiz, gift(200) if text is None else text)
    assert _confirm(client, quiz, **extra)["Location"] == Job.objects.get().get_absolute_url()
    return Job.objects.get()


def _run_by_hand(job: Job) -> str:
    """What the worker does with the job's task row: call its function with its arguments."""
    row = DBTaskResult.objects.get(pk=job.task_id)
    return row.task.call(**row.args_kwargs["kwargs"])


def _stored(quiz) -> tuple[int, int]:
    return quiz.questions.count(), Choice.objects.filter(question__quiz=quiz).count()


def test_a_large_confirm_runs_as_a_job_that_stores_the_questions_and_links_back(
        client, instructor, quiz):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200))  # the default threshold: 200 questions
    response = _confirm(client, quiz)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status, job.owner, job.done, job.total) == (
        "question-import", "done", instructor, 200, 200)
    assert job.result == "Imported 200 questions into “Bank”."
    assert job.back_url == quiz.get_absolute_url()
    assert _stored(quiz) == (201, 600)
    assert list(quiz.questions.order_by("position").values_list("position", flat=True)) == list(
        range(1, 202))
    assert not PendingUpload.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Imported 200 questions into “Bank”." in page
    assert f'href="{quiz.get_absolute_url()}"' in page


def test_a_small_confirm_still_imports_in_the_request(client, instructor, quiz):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(199))
    response = _confirm(client, quiz)
    assert response["Location"] == quiz.get_absolute_url()
    assert not Job.objects.exists() and _stored(quiz) == (200, 597)


def test_a_file_past_the_byte_threshold_goes_to_the_worker_too(client, instructor, quiz,
                                                               settings):
    settings.LECTIO_IMPORT_TASK_MIN_BYTES = 100
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(3))
    assert _confirm(client, quiz)["Location"] == Job.objects.get().get_absolute_url()
    assert _stored(quiz) == (4, 9)


def test_a_large_confirm_no_preview_preceded_goes_to_the_worker_too(client, instructor, quiz,
                                                                    queued):
    client.force_login(instructor)
    client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
        "file": SimpleUploadedFile("bank.gift", gift(200).encode("utf-8")), "format": "gift"})
    response = _confirm(client, quiz)  # posted straight after the upload
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and _stored(quiz) == (1, 0)
    assert _run_by_hand(job) == "Imported 200 questions into “Bank”."


def test_with_the_database_backend_the_worker_does_the_import(client, instructor, quiz, queued):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(250))
    response = _confirm(client, quiz)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    # Nothing ran in the request: the upload waits in the database, held for this job.
    assert job.status == "queued" and _stored(quiz) == (1, 0)
    assert PendingUpload.objects.get().job == job
    assert "waiting for a worker" in client.get(job.get_absolute_url()).content.decode()
    assert _run_by_hand(job) == "Imported 250 questions into “Bank”."
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 250, 250)
    assert _stored(quiz) == (251, 750) and not PendingUpload.objects.exists()


def test_a_double_confirm_while_queued_goes_to_the_same_job_and_imports_once(
        client, instructor, quiz, queued):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200))
    first, second = _confirm(client, quiz), _confirm(client, quiz)
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == job.get_absolute_url()
    assert DBTaskResult.objects.count() == 1
    _run_by_hand(job)
    # Confirming again after the import went through shows its job, and imports nothing.
    assert _confirm(client, quiz)["Location"] == job.get_absolute_url()
    assert Job.objects.count() == 1 and _stored(quiz) == (201, 600)


def test_a_double_confirm_after_an_immediate_import_shows_the_first_job(client, instructor,
                                                                        quiz):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200))
    first, second = _confirm(client, quiz), _confirm(client, quiz)
    assert first["Location"] == second["Location"] == Job.objects.get().get_absolute_url()
    assert _stored(quiz) == (201, 600)


def test_the_task_run_twice_imports_once_and_reports_the_first_result(client, instructor,
                                                                      quiz, queued):
    job = _confirmed(client, instructor, quiz)
    first = _run_by_hand(job)
    assert _run_by_hand(job) == first == "Imported 200 questions into “Bank”."
    job.refresh_from_db()
    assert (job.status, job.result) == ("done", first)
    assert _stored(quiz) == (201, 600)


def test_a_draft_the_store_refuses_fails_the_job_clearly_and_keeps_the_upload(
        client, instructor, quiz, queued, monkeypatch):
    job = _confirmed(client, instructor, quiz)
    real = services.draft_problems
    monkeypatch.setattr(services, "draft_problems",
                        lambda d: ["Points must be more than 0."] if d.title == "Q7" else real(d))
    with pytest.raises(JobError, match="Nothing was imported"):
        _run_by_hand(job)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.result == ("Nothing was imported: Line 13 (question “Q7”): Points must be more "
                          "than 0.")
    assert _stored(quiz) == (1, 0)
    assert PendingUpload.objects.get().job == job  # still there, to be imported again


def test_a_run_that_dies_while_storing_keeps_nothing_and_a_retry_imports_everything(
        client, instructor, quiz, queued, monkeypatch):
    job = _confirmed(client, instructor, quiz)

    def dies(*args, **kwargs):
        raise RuntimeError("worker lost its connection")

    # The questions are written; the choices never are.
    monkeypatch.setattr(Choice.objects, "bulk_create", dies)
    with pytest.raises(RuntimeError):
        _run_by_hand(job)
    job.refresh_from_db()
    assert job.status == "failed" and "nothing half-done was kept" in job.result
    assert _stored(quiz) == (1, 0) and PendingUpload.objects.exists()
    monkeypatch.undo()
    assert _run_by_hand(job) == "Imported 200 questions into “Bank”."
    assert _stored(quiz) == (201, 600)


def test_a_failed_job_may_be_confirmed_again_as_a_new_job(client, instructor, quiz, queued,
                                                          monkeypatch):
    failed = _confirmed(client, instructor, quiz)
    monkeypatch.setattr(Choice.objects, "bulk_create", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _run_by_hand(failed)
    monkeypatch.undo()
    response = _confirm(client, quiz)
    retry = Job.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == retry.get_absolute_url()
    _run_by_hand(retry)
    assert _stored(quiz) == (201, 600)


def test_problems_refuse_a_large_confirm_at_once_unless_only_the_valid_ones_are_chosen(
        client, instructor, quiz, queued):
    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200) + BROKEN)
    refused = _confirm(client, quiz)
    assert refused["Location"] == reverse("quizzes:question-import-preview", args=[quiz.pk])
    assert not Job.objects.exists()
    _confirm(client, quiz, only_valid="on")
    assert _run_by_hand(Job.objects.get()) == "Imported 200 questions into “Bank”."
    assert _stored(quiz) == (201, 600)


def test_the_task_checks_the_problems_again_from_the_stored_bytes(client, instructor, quiz,
                                                                  queued):
    job = _confirmed(client, instructor, quiz, gift(200) + BROKEN, only_valid="on")
    row = DBTaskResult.objects.get(pk=job.task_id)
    kwargs = {**row.args_kwargs["kwargs"], "only_valid": False}
    with pytest.raises(JobError, match="has problems"):
        tasks.question_import_task.call(**kwargs)
    assert _stored(quiz) == (1, 0)


def test_an_upload_cancelled_before_the_worker_came_fails_the_job_and_imports_nothing(
        client, instructor, quiz, queued):
    job = _confirmed(client, instructor, quiz)
    client.post(reverse("quizzes:question-import-preview", args=[quiz.pk]),
                {"action": "cancel"})
    with pytest.raises(JobError, match="no longer waiting"):
        _run_by_hand(job)
    job.refresh_from_db()
    assert job.status == "failed" and "nothing more was imported" in job.result
    assert _stored(quiz) == (1, 0)


def test_an_instructor_who_lost_the_role_before_the_worker_came_imports_nothing(
        client, instructor, quiz, queued):
    job = _confirmed(client, instructor, quiz)
    Enrollment.objects.filter(user=instructor).update(role="assistant")
    with pytest.raises(JobError, match="no longer change"):
        _run_by_hand(job)
    assert _stored(quiz) == (1, 0) and PendingUpload.objects.exists()


def test_only_the_uploader_can_confirm_the_upload(client, instructor, quiz, queued, course):
    from tests.conftest import _member

    client.force_login(instructor)
    _upload_and_preview(client, quiz, gift(200))
    token = client.session[f"lectio_question_import_{quiz.pk}"]["token"]
    colleague = _member(course, "colleague", "instructor")
    other = client.__class__()
    other.force_login(colleague)
    session = other.session
    session[f"lectio_question_import_{quiz.pk}"] = {
        "token": token, "format": "gift", "filename": "bank.gift", "questions": 200,
        "problems": 0, "size": 10_000}
    session.save()
    response = _confirm(other, quiz)
    assert response["Location"] == reverse("quizzes:question-import", args=[quiz.pk])
    assert not Job.objects.exists() and _stored(quiz) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_imports_what_the_confirm_enqueued(client, instructor, quiz,
                                                               queued):
    _confirmed(client, instructor, quiz)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = Job.objects.get()
    assert (job.status, job.result) == ("done", "Imported 200 questions into “Bank”.")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "SUCCESSFUL"
    assert _stored(quiz) == (201, 600) and not PendingUpload.objects.exists()
    assert Question.objects.filter(quiz=quiz, title="Q200").exists()
