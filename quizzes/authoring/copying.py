"""Deep copies of questions: duplicating a quiz, and copying questions from the question
bank (any quiz in the courses an instructor teaches) into another quiz.

A copy is new rows all the way down (question, choices, rubric, criteria, levels, cited
passages): editing the copy never changes the original. It is written with bulk inserts,
so copying 5 or 100 questions runs the same number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from ..models import Choice, Question, Quiz, Rubric, RubricCriterion, RubricLevel
from . import services

# Types whose settings name passages by their number in the reading: on another reading the
# numbers would point at unrelated text, so such questions are not copied there.
PASSAGE_KEYED_TYPES = frozenset({"evidence", "twopart"})


@dataclass
class CopyResult:
    questions: list[Question] = field(default_factory=list)
    dropped_cites: int = 0          # questions whose cited passages were left behind
    skipped: list[str] = field(default_factory=list)  # questions not copied, and why


def _sources(question_ids: Sequence[int]) -> list[Question]:
    levels = Prefetch("levels", queryset=RubricLevel.objects.order_by("position", "pk"))
    criteria = Prefetch("rubric__criteria",
                        queryset=RubricCriterion.objects.order_by("position", "pk")
                        .prefetch_related(levels))
    return list(Question.objects.filter(pk__in=question_ids)
                .select_related("quiz__lesson", "rubric")
                .order_by("quiz__lesson__position", "quiz__position", "quiz_id", "position",
                          "pk")
                .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by(
                    "position", "pk")), "cites", criteria))


def _rubric_of(question: Question) -> Rubric | None:
    try:
        return question.rubric
    except Rubric.DoesNotExist:
        return None


def _copy_into(quiz: Quiz, sources: list[Question], *, start: int,
               keep_cites: bool | set[int]) -> list[Question]:
    """Copy `sources` to `quiz` from position `start` on; cited passages only of the
    sources in `keep_cites` (True: all)."""
    copies = Question.objects.bulk_create(
        Question(quiz=quiz, position=start + n, type=q.type, title=q.title, prompt=q.prompt,
                 points=q.points, explanation=q.explanation, config=dict(q.config or {}))
        for n, q in enumerate(sources))
    Choice.objects.bulk_create(
        Choice(question=copy, position=c.position, text=c.text, fraction=c.fraction,
               feedback=c.feedback)
        for q, copy in zip(sources, copies, strict=True) for c in q.choices.all())
    through = Question.cites.through
    through.objects.bulk_create(
        through(question_id=copy.pk, passage_id=p.pk)
        for q, copy in zip(sources, copies, strict=True)
        if keep_cites is True or q.pk in keep_cites for p in q.cites.all())
    pairs = [(r, copy) for q, copy in zip(sources, copies, strict=True)
             if (r := _rubric_of(q)) is not None]
    rubrics = Rubric.objects.bulk_create(Rubric(question=copy, title=r.title)
                                         for r, copy in pairs)
    old_criteria = [(c, new) for (r, _), new in zip(pairs, rubrics, strict=True)
                    for c in r.criteria.all()]
    criteria = RubricCriterion.objects.bulk_create(
        RubricCriterion(rubric=new, position=c.position, name=c.name,
                        description=c.description) for c, new in old_criteria)
    RubricLevel.objects.bulk_create(
        RubricLevel(criterion=new, position=level.position, label=level.label,
                    points=level.points, description=level.description)
        for (c, _), new in zip(old_criteria, criteria, strict=True) for level in c.levels.all())
    return copies


@transaction.atomic
def quiz_duplicate(*, quiz: Quiz) -> Quiz:
    """An unpublished copy of `quiz`, last in the same lesson, with the same settings and a
    deep copy of every question (choices, rubric, cited passages). Grades, attempts and
    extensions stay with the original."""
    settings = {name: getattr(quiz, name) for name in services.QUIZ_SETTINGS}
    settings["title"] = f"Copy of {quiz.title}"[:200]
    copy = services.quiz_create(lesson=quiz.lesson, **settings)
    sources = _sources(list(quiz.questions.values_list("pk", flat=True)))
    _copy_into(copy, sources, start=1, keep_cites=True)
    return copy


@transaction.atomic
def questions_copy(*, quiz: Quiz, question_ids: Sequence[int], allowed_quizzes) -> CopyResult:
    """Append deep copies of the chosen questions to `quiz`, in the bank's order.

    Only questions of `allowed_quizzes` (a queryset or list of the quizzes the person may
    copy from) are copied. Cited passages come along only from a quiz on the same reading;
    evidence and two-part questions, whose keys are passage numbers, are not copied from
    another reading (each is named in `skipped`). Raises ValidationError, copying nothing,
    when none of the chosen questions can be copied.
    """
    allowed = {q.pk for q in allowed_quizzes}
    sources = [q for q in _sources(question_ids) if q.quiz_id in allowed]
    if not sources:
        raise ValidationError("Choose at least one question to copy.")
    result = CopyResult()
    reading = quiz.lesson.reading_id
    chosen, same = [], set()
    for question in sources:
        if question.quiz.lesson.reading_id == reading:
            same.add(question.pk)
        elif question.type in PASSAGE_KEYED_TYPES:
            result.skipped.append(
                f"“{question.title or question.prompt[:60]}” (from {question.quiz.title}) "
                "picks passages of another reading, so it was not copied.")
            continue
        else:
            result.dropped_cites += bool(question.cites.all())
        chosen.append(question)
    if not chosen:
        raise ValidationError(result.skipped)
    services.lock_quiz(quiz)
    result.questions = _copy_into(quiz, chosen, start=services.next_position(quiz),
                                  keep_cites=same)
    return result
