"""Writes for quizzes: start an attempt, save a response, submit, close overdue attempts.

The server decides: every check on time, attempts and state happens here, under a row lock
on the attempt, so a double click, two tabs or a retried request cannot break the rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404

from courses import access
from courses.models import Enrollment

from .. import grading
from ..grade_events import grades_changed
from ..models import Attempt, AttemptStatus, Question, Quiz, QuizExtension, Response
from . import autosave


class QuizError(Exception):
    """A rule stops this action; the message is for the student."""


class AttemptClosed(QuizError):
    """The attempt is submitted or past its deadline: nothing more can be saved."""


class StaleSave(QuizError):
    """A newer save of this answer is already stored."""

    def __init__(self, current_version: int):
        super().__init__("A newer version of this answer is already saved.")
        self.current_version = current_version


# Only these types keep their options as Choice rows; the others never need that query.
CHOICE_TYPES = frozenset({"single", "multiple", "twopart"})


def question_spec(question: Question, choices=None) -> grading.QuestionSpec:
    """The pure grading view of a question, with `choices` if given, else its own (prefetched
    ones when present)."""
    if question.type not in CHOICE_TYPES:
        choices = ()
    elif choices is None:
        choices = question.choices.all()
    return grading.QuestionSpec(
        type=question.type,
        points=float(question.points),
        choices=tuple(
            grading.ChoiceSpec(id=str(c.pk), text=c.text, fraction=float(c.fraction),
                               feedback=c.feedback)
            for c in choices
        ),
        config=question.config or {},
    )


@dataclass(frozen=True)
class Accommodation:
    """What the server allows one student on one quiz beyond the quiz's own rules."""

    time_multiplier: Decimal = Decimal("1")
    extra_attempts: int = 0
    closes_at: datetime | None = None   # a personal extension of the closing time


def accommodation_for(quiz: Quiz, user) -> Accommodation:
    """The student's accommodations for `quiz`: two small indexed reads."""
    enrollment = (Enrollment.objects.filter(course_id=quiz.lesson.course_id, user=user)
                  .values("time_multiplier", "extra_attempts").first()) or {}
    extension = (QuizExtension.objects.filter(quiz=quiz, user=user)
                 .values_list("closes_at", flat=True).first())
    return Accommodation(enrollment.get("time_multiplier", Decimal("1")),
                         enrollment.get("extra_attempts", 0), extension)


def closing_time(quiz: Quiz, accommodation: Accommodation) -> datetime | None:
    """The quiz's closing time for this student: a personal extension only ever extends."""
    if quiz.closes_at and accommodation.closes_at:
        return max(quiz.closes_at, accommodation.closes_at)
    return quiz.closes_at


def personal_time_limit(quiz: Quiz, accommodation: Accommodation) -> int | None:
    """The student's own time limit: the quiz's times their extra time, in whole minutes
    rounded down (the deadline itself keeps the fraction), or None for an untimed quiz."""
    if not quiz.time_limit_minutes:
        return None
    return int(quiz.time_limit_minutes * accommodation.time_multiplier)


def attempt_deadline(quiz: Quiz, started_at: datetime,
                     accommodation: Accommodation | None = None) -> datetime | None:
    """The earlier of the (multiplied) time limit and the (extended) closing time, or None
    when neither applies."""
    accommodation = accommodation or Accommodation()
    limits = []
    if quiz.time_limit_minutes:
        minutes = float(quiz.time_limit_minutes * accommodation.time_multiplier)
        limits.append(started_at + timedelta(minutes=minutes))
    closes = closing_time(quiz, accommodation)
    if closes:
        limits.append(closes)
    return min(limits) if limits else None


def accommodations_apply(*, user, course_id: int) -> int:
    """Recompute the deadline of the student's attempts in progress in the course, so a
    changed accommodation applies at once; return how many changed."""
    changed = 0
    with transaction.atomic():
        for attempt in (Attempt.objects.select_for_update(of=("self",))
                        .select_related("quiz__lesson")
                        .filter(user=user, status=AttemptStatus.IN_PROGRESS,
                                quiz__lesson__course_id=course_id).order_by("pk")):
            deadline = attempt_deadline(attempt.quiz, attempt.started_at,
                                        accommodation_for(attempt.quiz, user))
            if deadline != attempt.deadline:
                attempt.deadline = deadline
                attempt.save(update_fields=["deadline"])
                changed += 1
    return changed


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    """True once the deadline and the quiz's grace period have both passed."""
    return attempt.deadline is not None and now > attempt.deadline + timedelta(
        seconds=attempt.quiz.grace_seconds
    )


def attempts_used(quiz: Quiz, user) -> int:
    return Attempt.objects.filter(quiz=quiz, user=user, is_preview=False).count()


def key_seen(quiz: Quiz, user) -> bool:
    """Whether a review has shown `user` the right answers of one of their attempts."""
    return Attempt.objects.filter(quiz=quiz, user=user, is_preview=False,
                                  key_shown_at__isnull=False).exists()


def attempt_key_shown(*, attempt: Attempt, now: datetime) -> None:
    """Record that the student's review of `attempt` showed the right answers (the first
    time only): from now on attempt_start refuses them another attempt at the quiz."""
    if attempt.key_shown_at is None and not attempt.is_preview:
        Attempt.objects.filter(pk=attempt.pk, key_shown_at__isnull=True).update(
            key_shown_at=now)
        attempt.key_shown_at = now


def attempt_start(*, quiz: Quiz, user, now: datetime, preview: bool = False) -> Attempt:
    """Return the user's open attempt at `quiz`, or start a new one.

    Raises QuizError when the quiz is not open, no attempts are left, or a review has shown
    the student the right answers of an earlier attempt. Two concurrent starts
    give one attempt: the database allows one in-progress attempt per person and quiz.
    """
    for open_attempt in Attempt.objects.filter(quiz=quiz, user=user,
                                               status=AttemptStatus.IN_PROGRESS):
        if is_overdue(open_attempt, now):
            attempt_submit(attempt=open_attempt, now=now)
        else:
            return open_attempt
    accommodation = accommodation_for(quiz, user)
    if not preview:
        closes = closing_time(quiz, accommodation)
        if quiz.opens_at and now < quiz.opens_at:
            raise QuizError("This quiz is not open yet.")
        if closes and now >= closes:
            raise QuizError("This quiz has closed.")
        allowed = quiz.attempts_allowed
        if allowed is not None and attempts_used(quiz, user) >= allowed + \
                accommodation.extra_attempts:
            raise QuizError("You have used all your attempts at this quiz.")
        if key_seen(quiz, user):
            raise QuizError("You have seen the right answers of an earlier attempt, so you "
                            "cannot start another attempt at this quiz.")
    questions = list(quiz.questions.order_by("position", "pk").values_list("pk", flat=True))
    if not questions:
        raise QuizError("This quiz has no questions yet.")
    seed = random.SystemRandom().randrange(1, 2**31)
    if quiz.shuffle_questions:
        random.Random(seed).shuffle(questions)
    try:
        with transaction.atomic():
            number = (Attempt.objects.filter(quiz=quiz, user=user)
                      .aggregate(n=Max("number"))["n"] or 0) + 1
            attempt = Attempt.objects.create(
                quiz=quiz, user=user, number=number, is_preview=preview, seed=seed,
                question_order=questions, started_at=now,
                deadline=None if preview and not quiz.time_limit_minutes
                else attempt_deadline(quiz, now, accommodation),
            )
            Response.objects.bulk_create(
                Response(attempt=attempt, question_id=qid) for qid in questions
            )
    except IntegrityError:
        # Another request started it first (double click, two tabs): use that one.
        existing = Attempt.objects.filter(quiz=quiz, user=user,
                                          status=AttemptStatus.IN_PROGRESS).first()
        if existing is None:
            raise
        return existing
    return attempt


def _check_open(attempt: Attempt, now: datetime) -> None:
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AttemptClosed("This attempt has been submitted; answers can no longer change.")
    if is_overdue(attempt, now):
        raise AttemptClosed("Time is up for this attempt; later answers cannot be saved.")


def _check_answerer(attempt: Attempt, user, role: str | None) -> None:
    """Only the attempt's own student, still in the course, may change its answers.

    `role` is the user's enrolment role if already known; None to look it up.
    """
    course = attempt.quiz.lesson.course
    if role is not None or user.is_staff:
        access.attach_role(course, user, role)  # so the shared check needs no query
    role = access.check_course_access(user, course, access.EVERYONE)
    if attempt.user_id != user.pk:
        if role in access.TEACHING:
            raise PermissionDenied("Only the student can answer this attempt.")
        raise Http404("No such attempt.")


def response_save(*, attempt: Attempt | int, question_id: int, raw_answer, version: int,
                  now: datetime, user=None) -> Response:
    """Store the answer to one question if `version` is newer than the stored one.

    Raises grading.AnswerError for a malformed answer, StaleSave when a newer version is
    already stored (the caller answers 409), AttemptClosed after submission or deadline.
    With `user`, first checks that the attempt is theirs and they are still in its course
    (Http404 or PermissionDenied), so a request needs no lookup of its own.
    """
    attempt_id = attempt if isinstance(attempt, int) else attempt.pk
    # Autosave is the busiest request, so its statements are SQL (taking/autosave.py): one
    # read brings the answer with its attempt, question, course and the user's role, and one
    # conditional write re-checks under the attempt's row lock what was decided from that
    # read. When a submit, a deadline or a newer save got there first, the checks run again
    # on what is stored now and say so.
    for _ in range(3):
        response = autosave.current_answer(attempt_id, question_id, user)
        if response is None:
            if user is not None:
                # Whose attempt is it? Decide that before saying anything about its content.
                owner = get_object_or_404(Attempt.objects.select_related("quiz__lesson__course"),
                                          pk=attempt_id)
                _check_answerer(owner, user, None)
            raise grading.AnswerError("This question is not part of the attempt.")
        if user is not None:
            _check_answerer(response.attempt, user, response.member_role)
        _check_open(response.attempt, now)
        if version < response.version or version <= 0:
            raise StaleSave(response.version)
        question = response.question
        spec = question_spec(question, autosave.choices_of(question)
                             if question.type in CHOICE_TYPES else ())
        answer = grading.get_type(spec.type).normalise(spec, raw_answer)
        if version == response.version:
            # The same save again: a retry whose reply was lost (a dropped connection, or a
            # load balancer resending it when a server died) is acknowledged, not refused.
            if answer == response.answer:
                return response
            raise StaleSave(response.version)
        open_after = now - timedelta(seconds=response.attempt.quiz.grace_seconds)
        if autosave.store_answer(response, answer=answer, version=version, saved_at=now,
                                 open_after=open_after):
            return response
    raise StaleSave(response.version)  # the answer kept changing under this save


def _grade_responses(attempt: Attempt, now: datetime) -> tuple[Decimal, Decimal, bool]:
    total, maximum, pending = Decimal("0"), Decimal("0"), False
    responses = (attempt.responses.select_related("question")
                 .prefetch_related("question__choices"))
    for response in responses:
        spec = question_spec(response.question)
        qtype = grading.get_type(spec.type)
        result = qtype.grade(spec, response.answer)
        maximum += Decimal(str(spec.points))
        if not qtype.auto_graded:
            pending = True
            response.state = result.state
            response.score = None
        else:
            response.state = result.state
            response.score = Decimal(str(result.score))
            total += response.score
        response.feedback = list(result.feedback)
        response.detail = {"parts": [
            {"score": part.score, "max": part.max_score, "state": part.state}
            for part in result.parts
        ]}
        response.graded_at = now if qtype.auto_graded else None
        response.save(update_fields=["state", "score", "feedback", "detail", "graded_at"])
    return total, maximum, pending


def attempt_submit(*, attempt: Attempt, now: datetime) -> Attempt:
    """Grade every auto-gradable response and close the attempt. Idempotent.

    Ten concurrent submits give one graded attempt: the row lock serialises them and every
    submit after the first finds the attempt closed and returns it unchanged. An overdue
    attempt is closed as of its deadline with what was saved by then.
    """
    with transaction.atomic():
        locked = (Attempt.objects.select_for_update(of=("self",)).select_related("quiz")
                  .get(pk=attempt.pk))
        if locked.status != AttemptStatus.IN_PROGRESS:
            return locked
        late = is_overdue(locked, now)
        total, maximum, pending = _grade_responses(locked, now)
        locked.score = total
        locked.max_score = maximum
        locked.status = AttemptStatus.NEEDS_GRADING if pending else AttemptStatus.GRADED
        locked.submitted_at = locked.deadline if late else now
        locked.closed_late = late
        locked.save(update_fields=["score", "max_score", "status", "submitted_at",
                                   "closed_late"])
        if locked.quiz.grades_released_at is not None and not locked.is_preview:
            # Released grades follow new attempts (to a learning platform, for one).
            grades_changed(quiz_id=locked.quiz_id, user_ids=[locked.user_id])
        return locked


def attempt_close_overdue(*, now: datetime) -> int:
    """Close every open attempt whose deadline and grace period have passed; return how many."""
    closed = 0
    candidates = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS,
                                        deadline__isnull=False, deadline__lt=now)
    for attempt in candidates.select_related("quiz"):
        if is_overdue(attempt, now):
            attempt_submit(attempt=attempt, now=now)
            closed += 1
    return closed


def quiz_grade(method: str, scores: list[Decimal]) -> Decimal | None:
    """Combine the scores of a student's closed attempts, oldest first, by the quiz's grading
    method (highest, latest, first, average); None when there is nothing to combine."""
    if not scores:
        return None
    if method == "highest":
        return max(scores)
    if method == "latest":
        return scores[-1]
    if method == "first":
        return scores[0]
    return sum(scores, Decimal("0")) / len(scores)


def accommodation_set(*, enrollment: Enrollment, time_multiplier: Decimal,
                      extra_attempts: int) -> int:
    """Store a student's course-wide accommodations and apply them at once to attempts in
    progress; return how many deadlines moved. Raises QuizError for values out of range."""
    if not Decimal("1") <= time_multiplier <= Decimal("10"):
        raise QuizError("The time multiplier must be between 1 and 10.")
    if not 0 <= extra_attempts <= 100:
        raise QuizError("Extra attempts must be between 0 and 100.")
    enrollment.time_multiplier = time_multiplier
    enrollment.extra_attempts = extra_attempts
    enrollment.save(update_fields=["time_multiplier", "extra_attempts"])
    return accommodations_apply(user=enrollment.user, course_id=enrollment.course_id)


def quiz_extension_set(*, quiz: Quiz, user, closes_at: datetime | None) -> int:
    """Give one student a later closing time for `quiz` (None removes it) and apply it at
    once; return how many deadlines moved."""
    if closes_at is None:
        QuizExtension.objects.filter(quiz=quiz, user=user).delete()
    else:
        QuizExtension.objects.update_or_create(quiz=quiz, user=user,
                                               defaults={"closes_at": closes_at})
    return accommodations_apply(user=user, course_id=quiz.lesson.course_id)
