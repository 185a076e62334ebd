"""Imports too large for a request, run by the task worker (started by import_jobs).

Each task reads the uploaded bytes again from the database (courses.PendingUpload; nothing
the browser sent), checks them as the request would have, and in ONE transaction stores
everything, consumes the upload and records the job's result. So a task run again (a
worker's retry, a second confirm) imports nothing twice and reports the first result, and
a run killed half-way kept nothing, so running it again does the whole import.

Progress written inside that transaction would be invisible to the job page (another
connection), so each task reports what it read before the transaction and the count
stored with the result.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks import task

from config.jsoninput import JSONInputError
from courses import access, uploads
from courses.ingest import IngestError
from courses.models import Course
from jobs.services import JobError, job_record_done, job_run

from ..models import Quiz
from . import package, package_services, services

CHANGE_QUIZZES = (access.INSTRUCTOR, access.ADMIN)
GONE = ("The uploaded file is no longer waiting to be imported (it expired, was cancelled, or "
        "an earlier run imported it): nothing more was imported. Upload it again if it is "
        "missing.")
MAX_MESSAGES = 20  # problems quoted in a failed job's result; the rest are counted


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 else ''}"


def _nothing_imported(error: ValidationError) -> JobError:
    shown = error.messages[:MAX_MESSAGES]
    more = len(error.messages) - len(shown)
    return JobError("Nothing was imported: " + " ".join(shown)
                    + (f" … and {_plural(more, 'more problem')}." if more else ""))


def _uploader(user_id: int | None, course: Course):
    """The person who uploaded, if they may still change the course's quizzes."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or access.course_role(user, course) not in CHANGE_QUIZZES:
        raise JobError("You may no longer change this course's quizzes, so nothing was "
                       "imported.")
    return user


def _store_once(token: str, user, store: Callable[[], str]) -> str:
    """`store()` (which stores the upload's contents and records the job done), in one
    transaction with consuming the upload: a second run finds the upload gone."""
    try:
        with transaction.atomic():
            if not uploads.upload_consume(token, owner=user):
                raise JobError(GONE)
            return store()
    except ValidationError as error:
        raise _nothing_imported(error) from None


def _staged(token: str, user) -> bytes:
    try:
        data, _ = uploads.upload_load(token, owner=user)
    except IngestError:
        raise JobError(GONE) from None
    return data


@task()
def question_import_task(*, job_id: int, token: str, quiz_id: int, user_id: int | None,
                         format: str, only_valid: bool) -> str:
    """Import the staged question file into the quiz (idempotent: safe to run again)."""

    def work(progress) -> str:
        quiz = Quiz.objects.select_related("lesson__course").filter(pk=quiz_id).first()
        if quiz is None:
            raise JobError("The quiz was deleted, so nothing was imported.")
        user = _uploader(user_id, quiz.lesson.course)
        parsed = services.question_file_parse(data=_staged(token, user), format=format)
        if parsed.problems and not only_valid:
            raise JobError("The file has problems, so nothing was imported. Fix the file, or "
                           "choose to import only the valid questions.")
        read = len(parsed.questions)
        progress(0, read, note=f"Read {_plural(read, 'question')} from the file; storing "
                               "them now.")

        def store() -> str:
            created = services.questions_import(quiz=quiz, drafts=parsed.questions)
            result = f"Imported {_plural(len(created), 'question')} into “{quiz.title}”."
            job_record_done(job_id, result=result, done=len(created), total=read)
            return result

        return _store_once(token, user, store)

    return job_run(job_id, work)


@task()
def lesson_import_task(*, job_id: int, token: str, course_id: int,
                       user_id: int | None) -> str:
    """Import the staged lesson package into the course (idempotent: safe to run again)."""

    def work(progress) -> str:
        course = Course.objects.filter(pk=course_id).first()
        if course is None:
            raise JobError("The course was deleted, so nothing was imported.")
        user = _uploader(user_id, course)
        try:
            doc = package.package_loads(_staged(token, user),
                                        max_bytes=settings.LECTIO_IMPORT_MAX_BYTES)
        except JSONInputError as error:
            raise JobError(f"{error} Upload the .json file Lectio exported.") from None
        count = package.package_question_count(doc)
        progress(0, count, note=f"Read a package of {_plural(count, 'question')}; checking "
                                "and storing it now.")

        def store() -> str:
            lesson = package_services.lesson_import(doc=doc, course=course, user=user)
            result = (f"Imported the lesson “{lesson.title}” with "
                      f"{_plural(count, 'question')} (unpublished until you publish it).")
            job_record_done(job_id, result=result, done=count, total=count,
                            back_url=lesson.get_absolute_url())
            return result

        return _store_once(token, user, store)

    return job_run(job_id, work)
