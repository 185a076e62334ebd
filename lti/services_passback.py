"""Assignment and Grade Services: each student's quiz grade sent to the platform's line
item, with retries and a status per student.

Two steps, so no network call ever runs inside a request's transaction:

1. `passback_request()` (inside the transaction that released or changed grades) works out
   each student's quiz grade, by the quiz's grading method through quizzes' own
   `quiz_grade`, and stores it as a pending GradePassback (a new `version` when it changed).
   It schedules `passback_send_due()` for after the commit.
2. `passback_send()` sends one pending grade. It is safe to run twice or concurrently:
   the score carries the grade's own timestamp, so a platform that receives it twice keeps
   one result, and the row is marked sent only if its grade did not change meanwhile.
   Failures wait (60 s, doubling) and are tried again by `passback_send_due()`, which the
   `lti_send_grades` command runs from cron; after LECTIO_LTI_PASSBACK_MAX_TRIES tries the
   row is failed until a new grade or an instructor's "send again" requeues it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from lti_tool.models import LtiLineItem, LtiUser
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException
from pylti1p3.grade import Grade

from courses.models import Enrollment, Role
from quizzes.models import Attempt, AttemptStatus, Quiz
from quizzes.taking.services import quiz_grade

from . import tool
from .models import GradePassback, PassbackStatus

logger = logging.getLogger(__name__)
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def quiz_grades(quiz: Quiz, user_ids: Iterable[int]) -> dict[int, tuple[Decimal, Decimal, bool]]:
    """Each student's grade for `quiz` as (score, maximum, fully graded), for the students
    with at least one graded attempt. One query."""
    attempts: dict[int, list[Attempt]] = {}
    for attempt in (Attempt.objects.filter(quiz=quiz, user_id__in=list(user_ids),
                                           is_preview=False)
                    .exclude(status=AttemptStatus.IN_PROGRESS).order_by("user_id", "number")):
        attempts.setdefault(attempt.user_id, []).append(attempt)
    grades = {}
    for user_id, closed in attempts.items():
        graded = [a for a in closed if a.status == AttemptStatus.GRADED]
        score = quiz_grade(quiz.grading_method, [a.score for a in graded])
        if score is None:
            continue
        waiting = any(a.status != AttemptStatus.GRADED for a in closed)
        grades[user_id] = (score, graded[0].max_score, not waiting)
    return grades


def _students(quiz: Quiz, user_ids: Iterable[int] | None) -> list[int]:
    students = Enrollment.objects.filter(course_id=quiz.lesson.course_id, role=Role.STUDENT)
    if user_ids is not None:
        students = students.filter(user_id__in=list(user_ids))
    return list(students.values_list("user_id", flat=True))


def passback_request(*, quiz: Quiz, now: datetime,
                     user_ids: Iterable[int] | None = None) -> list[int]:
    """Queue the released grades of `quiz` (for `user_ids`, or every student) for each of
    its line items; return the ids of the rows that now wait to be sent.

    Nothing is queued before the quiz's grades are released, nor for students the platform
    does not know (no identity from that platform), nor when the grade already sent is
    unchanged. Sending starts after the surrounding transaction commits.
    """
    quiz = Quiz.objects.select_related("lesson").get(pk=quiz.pk)
    if quiz.grades_released_at is None:
        return []
    line_items = list(LtiLineItem.objects.filter(lectio_quiz__quiz=quiz)
                      .select_related("context__deployment"))
    if not line_items:
        return []
    students = _students(quiz, user_ids)
    grades = quiz_grades(quiz, students)
    queued: list[int] = []
    with transaction.atomic():
        for line_item in line_items:
            identities = {u.auth_user_id: u for u in LtiUser.objects.filter(
                registration_id=line_item.context.deployment.registration_id,
                auth_user_id__in=list(grades))}
            existing = {p.user_id: p for p in GradePassback.objects.select_for_update()
                        .filter(line_item=line_item, user_id__in=list(identities))}
            for user_id, lti_user in identities.items():
                score, maximum, complete = grades[user_id]
                row = existing.get(user_id)
                if row is None:
                    row = GradePassback.objects.create(
                        line_item=line_item, user_id=user_id, lti_user=lti_user, score=score,
                        score_maximum=maximum, fully_graded=complete, graded_at=now,
                        next_try_at=now)
                    queued.append(row.pk)
                    continue
                same = (row.score == score and row.score_maximum == maximum
                        and row.fully_graded == complete)
                if same and row.status != PassbackStatus.FAILED:
                    if row.status == PassbackStatus.PENDING:
                        queued.append(row.pk)
                    continue
                GradePassback.objects.filter(pk=row.pk).update(
                    version=F("version") + 1, status=PassbackStatus.PENDING, score=score,
                    score_maximum=maximum, fully_graded=complete, lti_user=lti_user,
                    graded_at=now if not same else row.graded_at, attempts=0,
                    next_try_at=now, last_error="")
                queued.append(row.pk)
        if queued:
            # The task worker sends them (lti/tasks.py); `lti_send_grades` retries the rest.
            transaction.on_commit(lambda ids=tuple(queued): _enqueue_send(list(ids)))
    return queued


def _enqueue_send(ids: list[int]) -> None:
    from .tasks import passback_send_task  # lti.tasks imports this module

    try:
        passback_send_task.enqueue(ids=ids)
    except Exception:  # noqa: BLE001 - the rows wait for `lti_send_grades` instead
        logger.exception("Enqueuing LTI grade passback for %s rows failed", len(ids))


def passback_retry(*, quiz: Quiz, now: datetime) -> int:
    """An instructor's "send again": failed rows of `quiz` are tried again from the
    start; returns how many. Sending starts after the commit."""
    with transaction.atomic():
        rows = GradePassback.objects.filter(line_item__lectio_quiz__quiz=quiz,
                                            status=PassbackStatus.FAILED)
        ids = list(rows.values_list("pk", flat=True))
        GradePassback.objects.filter(pk__in=ids).update(
            status=PassbackStatus.PENDING, attempts=0, next_try_at=now)
        if ids:
            transaction.on_commit(lambda: passback_send_due(ids=tuple(ids)))
    return len(ids)


def _backoff(tries: int) -> timedelta:
    return timedelta(seconds=settings.LECTIO_LTI_PASSBACK_BACKOFF_SECONDS * 2 ** (tries - 1))


def _describe(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status_code", None):
        body = (response.text or "")[:300]
        return f"HTTP {response.status_code} from the LMS: {body}".strip()
    return (str(exc) or exc.__class__.__name__)[:500]


def passback_send(*, passback_id: int, now: datetime) -> str:
    """Send one pending grade to its line item; return the row's status afterwards.

    Safe to call again at any time and from two workers at once (see the module's
    docstring): a row that is sent, failed for good, or not due yet is left alone.
    """
    with transaction.atomic():
        row = (GradePassback.objects.select_for_update(of=("self",))
               .select_related("line_item__context__deployment__registration", "lti_user")
               .filter(pk=passback_id).first())
        if row is None:
            return "gone"
        if row.status != PassbackStatus.PENDING or (row.next_try_at and row.next_try_at > now):
            return row.status
        row.attempts += 1
        row.last_tried_at = now
        row.save(update_fields=["attempts", "last_tried_at"])
    version, tries = row.version, row.attempts
    line_item, context = row.line_item, row.line_item.context
    try:
        if not context.can_publish_scores:
            raise LtiException("The LMS has not allowed Lectio to send scores for this course "
                               "(the AGS score scope). Check the tool's registration in the "
                               "LMS, then open Lectio from the course once.")
        scopes = [SCORE_SCOPE]
        service = AssignmentsGradesService(
            tool.service_connector(context.deployment.registration),
            {"scope": scopes, "lineitems": context.lineitems_url, "lineitem": line_item.url})
        grade = (Grade().set_score_given(float(row.score))
                 .set_score_maximum(float(row.score_maximum) or 1.0)
                 .set_user_id(row.lti_user.sub)
                 .set_timestamp(row.graded_at.isoformat(timespec="milliseconds"))
                 .set_activity_progress("Completed")
                 .set_grading_progress("FullyGraded" if row.fully_graded else "PendingManual"))
        service.put_grade(grade)
    except (LtiException, requests.RequestException, ValueError) as exc:
        gave_up = tries >= settings.LECTIO_LTI_PASSBACK_MAX_TRIES
        GradePassback.objects.filter(pk=row.pk, version=version).update(
            status=PassbackStatus.FAILED if gave_up else PassbackStatus.PENDING,
            next_try_at=None if gave_up else now + _backoff(tries),
            last_error=_describe(exc))
    else:
        GradePassback.objects.filter(pk=row.pk, version=version).update(
            status=PassbackStatus.SENT, sent_score=row.score, sent_at=now, next_try_at=None,
            last_error="")
    return GradePassback.objects.values_list("status", flat=True).get(pk=row.pk)


def passback_send_due(*, ids: Iterable[int] | None = None, now: datetime | None = None,
                      limit: int = 500) -> dict[str, int]:
    """Send the pending grades that are due (among `ids`, if given); return how many ended
    in each status. The one function a worker or cron job needs to call."""
    from django.utils import timezone

    now = now or timezone.now()
    due = GradePassback.objects.filter(status=PassbackStatus.PENDING).filter(
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now))
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    counts: dict[str, int] = {}
    for pk in due.order_by("next_try_at", "pk").values_list("pk", flat=True)[:limit]:
        try:
            status = passback_send(passback_id=pk, now=now)
        except Exception:  # noqa: BLE001 - one bad row must not stop the others
            logger.exception("LTI grade passback %s could not be sent", pk)
            status = "error"
        counts[status] = counts.get(status, 0) + 1
    return counts


def passback_on_grades_changed(*, quiz_id: int, user_ids: list[int] | None) -> None:
    """quizzes' grade event (after the commit): queue the changed grades and send them.

    Never raises: the grade change is committed already, and whatever fails here is
    recorded on the passback rows (or logged) and tried again by `lti_send_grades`.
    """
    from django.utils import timezone

    try:
        quiz = Quiz.objects.filter(pk=quiz_id, grades_released_at__isnull=False).first()
        if quiz is None or not LtiLineItem.objects.filter(lectio_quiz__quiz=quiz).exists():
            return
        passback_request(quiz=quiz, now=timezone.now(), user_ids=user_ids)
    except Exception:  # noqa: BLE001 - see the docstring
        logger.exception("Queuing LTI grade passback for quiz %s failed", quiz_id)
