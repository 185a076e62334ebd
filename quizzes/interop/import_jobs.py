"""Start a large import in the task worker (quizzes.interop.tasks), once per upload.

Small files are still stored in the request; `runs_in_worker` decides. An import started
twice (a double click on confirm, two tabs) finds the job already importing that upload,
and a lesson package form sent twice finds its one-time token used (jobs.submissions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courses import uploads
from courses.models import Course, Lesson, PendingUpload
from jobs.models import Job
from jobs.services import job_start
from jobs.submissions import submission_claim, submission_record

from ..models import Question, Quiz
from . import package, package_services, services
from .drafts import QuestionDraft
from .tasks import lesson_import_task, question_import_task

LESSON_IMPORT = "lesson-import"  # the purpose of the lesson package form's tokens

# A job queued or running that has not been heard of this long (no start, progress or
# retry: jobs.services stamps each) is taken for one whose worker died, and a new confirm
# starts another. By the last word rather than the start, so a job tried again from its
# page an hour after it failed counts from the retry. That can never import twice: whichever
# run stores the file consumes its upload in the same transaction, and the other then finds
# nothing to import.
ABANDONED_AFTER = timedelta(minutes=30)


def runs_in_worker(*, questions: int, size: int) -> bool:
    """Whether an import of `questions` questions from `size` bytes goes to the task worker
    (settings LECTIO_IMPORT_TASK_MIN_QUESTIONS and LECTIO_IMPORT_TASK_MIN_BYTES)."""
    return (questions >= settings.LECTIO_IMPORT_TASK_MIN_QUESTIONS
            or size >= settings.LECTIO_IMPORT_TASK_MIN_BYTES)


def _still_working(job: Job | None) -> bool:
    return (job is not None and job.status in (Job.Status.QUEUED, Job.Status.RUNNING)
            and job.updated_at > timezone.now() - ABANDONED_AFTER)


def question_import_start(*, token: str, quiz: Quiz, user, format: str,
                          only_valid: bool) -> Job:
    """The job importing the staged question file `token` into `quiz`: the one already
    queued or running for that upload, else a new one, enqueued. Raises IngestError when the
    upload is no longer waiting for `user`."""
    with transaction.atomic():
        # The row lock makes a second confirm wait for the first one's commit, then see its job.
        pending = uploads.upload_claim(token, owner=user, kind=PendingUpload.Kind.QUESTIONS)
        if _still_working(pending.job):
            return pending.job
        job = job_start(
            task=question_import_task, kind="question-import",
            title=f"Import “{pending.filename}” into “{quiz.title}”", owner=user,
            back_url=quiz.get_absolute_url(),
            kwargs={"token": token, "quiz_id": quiz.pk, "user_id": user.pk, "format": format,
                    "only_valid": only_valid})
        uploads.upload_hold(token, job=job)
    return job


def staged_questions_import(*, token: str, quiz: Quiz, user,
                            drafts: Sequence[QuestionDraft]) -> list[Question] | None:
    """Store `drafts` (read from the staged question file `token`) into `quiz` in the
    request, consuming the upload in the same transaction; None, storing nothing, when the
    upload is gone because another confirm of it stored it. Of two confirms at once, the
    second's delete waits for the first's commit, then finds nothing to delete. Raises
    ValidationError as services.questions_import."""
    with transaction.atomic():
        if not uploads.upload_consume(token, owner=user):
            return None
        return services.questions_import(quiz=quiz, drafts=drafts)


def lesson_import_start(*, data: bytes, filename: str, course: Course, user) -> Job:
    """Stage the lesson package's bytes and enqueue the job importing them into `course`."""
    with transaction.atomic():
        token = uploads.upload_stage(data=data, filename=filename, owner=user,
                                     kind=PendingUpload.Kind.LESSON_PACKAGE)
        job = job_start(
            task=lesson_import_task, kind="lesson-import",
            title=f"Import the lesson package “{filename[:100]}” into “{course.title}”",
            owner=user, back_url=course.get_absolute_url(),
            kwargs={"token": token, "course_id": course.pk, "user_id": user.pk})
        uploads.upload_hold(token, job=job)
    return job


@dataclass(frozen=True)
class LessonSubmitted:
    """Where a lesson package form sent its sender: the new lesson, or the job importing
    it; `again` when that form had been sent before, so this POST did nothing."""

    url: str
    lesson: Lesson | None = None
    again: bool = False


def lesson_import_submit(*, submission: str, data: bytes, filename: str, course: Course,
                         user) -> LessonSubmitted:
    """Import the lesson package `data` into `course` once per form (`submission`, its
    one-time token): in the request, or for a large package by a job (lesson_import_start).

    The token is used in the transaction creating the lesson or the job, under its row
    lock, so the same form sent twice, even at the same moment, imports once; the other
    POST gets the first one's destination with `again`. Raises JSONInputError (not a
    package), ValidationError (a package the models refuse) or SubmissionExpired (no token
    waiting for `user`), and stores nothing then.
    """
    # Read and bounded before the lock: a second POST waits only for the first's writes.
    document = package.package_loads(data, max_bytes=settings.LECTIO_IMPORT_MAX_BYTES)
    with transaction.atomic():
        claim = submission_claim(submission, owner=user, purpose=LESSON_IMPORT)
        if claim.used:
            return LessonSubmitted(url=claim.result_url, again=True)
        lesson = None
        if runs_in_worker(questions=package.package_question_count(document),
                          size=len(data)):
            url = lesson_import_start(data=data, filename=filename, course=course,
                                      user=user).get_absolute_url()
        else:
            lesson = package_services.lesson_import(doc=document, course=course, user=user)
            url = lesson.get_absolute_url()
        submission_record(claim, result_url=url)
    return LessonSubmitted(url=url, lesson=lesson)
