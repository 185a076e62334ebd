"""Writes for instructors: grade open responses by rubric, override, regrade, release.

Every change to a score is written to the audit log (ScoreChange) in the same transaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .. import grading
from ..grade_events import grades_changed
from ..models import (
    Attempt,
    AttemptStatus,
    Question,
    Quiz,
    Response,
    RubricLevel,
    RubricScore,
    ScoreChange,
)
from ..taking.services import question_spec

SPAN_COMMENT_LIMIT = 2000


def _state_for(score: Decimal, points: Decimal) -> str:
    if score >= points:
        return "correct"
    return "partial" if score > 0 else "incorrect"


def attempt_recompute(attempt: Attempt) -> Attempt:
    """Re-add the attempt's response scores; mark it graded once no response waits for a
    human. Call inside the transaction that changed a response."""
    _attempts_recompute([attempt.pk])
    attempt.refresh_from_db(fields=["score", "status"])
    return attempt


# Types whose responses wait for a human until graded_at is set (open responses).
_HAND_GRADED = sorted(key for key, qtype in grading.TYPES.items() if not qtype.auto_graded)


def _attempts_recompute(attempt_ids) -> None:
    """Set each attempt's score to the sum of its response scores (0 when none is scored)
    and, unless it is still in progress, its status to needs grading while a hand-graded
    response has no grade, else graded: one UPDATE for any number of attempts."""
    responses = Response.objects.filter(attempt_id=OuterRef("pk")).order_by()
    total = responses.values("attempt_id").annotate(total=Sum("score")).values("total")
    waiting = responses.filter(graded_at__isnull=True, question__type__in=_HAND_GRADED)
    Attempt.objects.filter(pk__in=list(attempt_ids)).update(
        score=Coalesce(Subquery(total), Value(Decimal("0")),
                       output_field=Attempt._meta.get_field("score")),
        status=Case(When(status=AttemptStatus.IN_PROGRESS, then=F("status")),
                    When(Exists(waiting), then=Value(AttemptStatus.NEEDS_GRADING)),
                    default=Value(AttemptStatus.GRADED)))


def _log(response: Response, kind: str, old, new, user, now, reason: str = "") -> None:
    ScoreChange.objects.create(response=response, kind=kind, old_score=old, new_score=new,
                               reason=reason, changed_by=user, changed_at=now)


def response_grade(
    *, response: Response, levels: Mapping[int, int], comment: str, grader, now: datetime,
    span_comments: list[dict] | None = None,
) -> Response:
    """Grade an open response with one rubric level per criterion.

    The score is the rubric total scaled to the question's points. Raises ValidationError,
    changing nothing, when a criterion has no level or a level belongs to another criterion.
    """
    question = response.question
    rubric = getattr(question, "rubric", None)
    if rubric is None:
        raise ValidationError("This question has no rubric to grade with.")
    criteria = list(rubric.criteria.prefetch_related("levels"))
    chosen: list[tuple[int, RubricLevel]] = []
    for criterion in criteria:
        level_id = levels.get(criterion.pk)
        level = next((lv for lv in criterion.levels.all() if lv.pk == level_id), None)
        if level is None:
            raise ValidationError(f"Pick a level for “{criterion.name}”.")
        chosen.append((criterion.pk, level))
    maxima = [max((float(lv.points) for lv in c.levels.all()), default=0.0) for c in criteria]
    total = grading.rubric_total([float(lv.points) for _, lv in chosen], maxima,
                                 float(question.points))
    score = Decimal(str(total))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=response.attempt_id)
        if attempt.status == AttemptStatus.IN_PROGRESS:
            raise ValidationError("The student has not submitted this attempt yet.")
        locked = Response.objects.select_for_update().get(pk=response.pk)
        old = locked.score if locked.graded_at else None
        for criterion_id, level in chosen:
            RubricScore.objects.update_or_create(
                response=locked, criterion_id=criterion_id, defaults={"level": level}
            )
        locked.score = score
        locked.state = _state_for(score, question.points)
        locked.comment = comment
        locked.graded_at = now
        locked.graded_by = grader
        detail = dict(locked.detail or {})
        detail["span_comments"] = [
            {"quote": c["quote"][:500], "comment": c["comment"][:SPAN_COMMENT_LIMIT]}
            for c in (span_comments or [])
            if c.get("quote") and c.get("comment") and c["quote"] in str(locked.answer or "")
        ]
        locked.detail = detail
        locked.save()
        if old != score:
            _log(locked, ScoreChange.Kind.GRADE, old, score, grader, now)
        attempt_recompute(attempt)
        grades_changed(quiz_id=attempt.quiz_id, user_ids=[attempt.user_id])
        return locked


def response_override(*, response: Response, score: Decimal, reason: str, user,
                      now: datetime) -> Response:
    """Set a response's score by hand, with a reason, and keep it through later regrades."""
    if not reason.strip():
        raise ValidationError("Say why the score is overridden.")
    points = response.question.points
    if not Decimal("0") <= score <= points:
        raise ValidationError(f"The score must be between 0 and {points}.")
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=response.attempt_id)
        if attempt.status == AttemptStatus.IN_PROGRESS:
            raise ValidationError("The student has not submitted this attempt yet.")
        locked = Response.objects.select_for_update().get(pk=response.pk)
        old = locked.score
        locked.score = score
        locked.state = _state_for(score, points)
        locked.overridden = True
        locked.graded_at = locked.graded_at or now
        locked.graded_by = user
        locked.save()
        _log(locked, ScoreChange.Kind.OVERRIDE, old, score, user, now, reason)
        attempt_recompute(attempt)
        grades_changed(quiz_id=attempt.quiz_id, user_ids=[attempt.user_id])
        return locked


REGRADE_BATCH = 500


def question_regrade(*, question: Question, user, now: datetime,
                     progress: Callable[[int, int], None] | None = None) -> int:
    """Grade every submitted response to `question` again with its current key; return how
    many scores changed. Overridden scores are kept. Running it twice changes nothing, so a
    run stopped half-way (a worker killed) is finished by running it again.

    Responses are regraded in batches of REGRADE_BATCH, each in its own transaction with
    its attempts' totals, so thousands of attempts never sit behind one long lock;
    `progress(done, total)` is told after each batch.
    """
    qtype = grading.get_type(question.type)
    if not qtype.auto_graded:
        return 0
    spec = question_spec(Question.objects.prefetch_related("choices").get(pk=question.pk))
    # In-progress attempts as a subquery on their status index, not a join: PostgreSQL
    # joins `status <> 'in_progress'` by reading every attempt of every course (at 500,000
    # attempts 0.2 s of a 2 s regrade); this reads only the question's responses.
    in_progress = Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).values("pk")
    todo = list(Response.objects.filter(question=question, overridden=False)
                .exclude(attempt_id__in=in_progress)
                .order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(todo), REGRADE_BATCH):
        changed += _regrade_batch(question, qtype, spec, todo[start:start + REGRADE_BATCH],
                                  user, now)
        if progress is not None:
            progress(min(start + REGRADE_BATCH, len(todo)), len(todo))
    return changed


@transaction.atomic
def _regrade_batch(question, qtype, spec, pks, user, now) -> int:
    # Rows of this table only, in primary-key order so concurrent regrades lock alike; an
    # override made since the list was read is kept. A batch is a handful of statements
    # whatever its size (bench/bench_scale.py): one read, an update per distinct new grade
    # (or one bulk_update), one insert of the audit rows, and the attempts' totals. Plain
    # tuples, not model instances: at 10,000 attempts building instances and bulk_update's
    # CASE WHEN per row and field cost 80% of the regrade's time, not the database.
    rows = (Response.objects.select_for_update(of=("self",))
            .filter(pk__in=pks, overridden=False).order_by("pk")
            .values_list("pk", "attempt_id", "answer", "score", "state"))
    # Grading is a pure function of the key and the answer, and most students give one of
    # a few answers: each distinct answer is graded once.
    grades: dict[str, tuple[Decimal, str, tuple[str, ...]]] = {}
    to_write: dict[tuple[Decimal, str, tuple[str, ...]], list[int]] = defaultdict(list)
    logs, attempt_ids = [], set()
    for pk, attempt_id, answer, score, state in rows:
        key = json.dumps(answer)
        grade = grades.get(key)
        if grade is None:
            result = qtype.grade(spec, answer)
            grade = grades[key] = (Decimal(str(result.score)), result.state,
                                   tuple(result.feedback))
        new, new_state, _ = grade
        if score == new and state == new_state:
            continue
        to_write[grade].append(pk)
        attempt_ids.add(attempt_id)
        logs.append(ScoreChange(response_id=pk, kind=ScoreChange.Kind.REGRADE,
                                old_score=score, new_score=new,
                                reason="The question's key changed.", changed_by=user,
                                changed_at=now))
    if not logs:
        return 0
    _responses_write(to_write)
    ScoreChange.objects.bulk_create(logs)
    attempts = list(Attempt.objects.select_for_update(of=("self",))
                    .filter(pk__in=attempt_ids).order_by("pk")
                    .values_list("pk", "user_id"))
    _attempts_recompute(pk for pk, _ in attempts)
    grades_changed(quiz_id=question.quiz_id,
                   user_ids=sorted({user_id for _, user_id in attempts}))
    return len(logs)


# Up to this many distinct new grades in a batch, each is one UPDATE ... WHERE id IN (...);
# beyond it (answers nearly all different), one bulk_update, so a batch stays a fixed
# number of statements.
REGRADE_GROUPS = 20


def _responses_write(to_write: Mapping[tuple[Decimal, str, tuple[str, ...]], list[int]]):
    """Store each new (score, state, feedback) on the responses listed under it."""
    if len(to_write) <= REGRADE_GROUPS:
        for (score, state, feedback), pks in to_write.items():
            Response.objects.filter(pk__in=pks).update(score=score, state=state,
                                                       feedback=list(feedback))
        return
    Response.objects.bulk_update(
        [Response(pk=pk, score=score, state=state, feedback=list(feedback))
         for (score, state, feedback), pks in to_write.items() for pk in pks],
        ["score", "state", "feedback"])


def quiz_release_grades(*, quiz: Quiz, now: datetime) -> Quiz:
    """Let students see hand-graded scores and comments for this quiz."""
    quiz.grades_released_at = now
    quiz.save(update_fields=["grades_released_at"])
    grades_changed(quiz_id=quiz.pk, user_ids=None)
    return quiz
