"""Lesson packages in and out of the database: `lesson_export()` and `lesson_import()`.

The document is defined in `quizzes.interop.package`. An import always makes a new reading,
even when one with the same text (content hash) is already stored, so an edit to one
course's text never changes another's. Notes belong to the lesson: an export holds the
lesson's own notes only, never those another course's lesson keeps on the same reading.
"""

from __future__ import annotations

import copy
import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from courses.ingest import WORDS_PER_MINUTE, count_words
from courses.models import Annotation, Course, Lesson, Passage, Reading
from courses.selectors import lesson_free_slug
from courses.services import PassageInput, reading_create

from ..models import Choice, Question, Quiz, Rubric, RubricCriterion, RubricLevel
from . import package

# --- export ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A model value as JSON: decimals as numbers, dates and times in ISO 8601."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return copy.deepcopy(value)  # the document must not share the row's JSON
    return value


def _columns(row: models.Model, fields: package.Fields) -> dict:
    return {name: _plain(getattr(row, name)) for name in fields if name not in package.NESTED}


def lesson_export(*, lesson: Lesson, now: datetime | None = None) -> dict:
    """The lesson, its reading with passages and annotations, and its quizzes with every
    question, choice and rubric, as a package document (see `quizzes.interop.package`).

    JSON-serialisable; holds no ids, course, users or uploaded file. Passages are referred to
    by order. Reads in a fixed number of queries, whatever the lesson's size.
    """
    reading = Reading.objects.get(pk=lesson.reading_id)
    passages = list(reading.passages.order_by("order"))
    order_of = {p.pk: p.order for p in passages}
    notes = Annotation.objects.filter(lesson=lesson, passage__reading=reading).order_by(
        "passage__order", "start", "pk")
    questions = (Question.objects.order_by("position", "pk").select_related("rubric")
                 .prefetch_related("choices", "cites", "rubric__criteria__levels"))
    quizzes = lesson.quizzes.order_by("position", "pk").prefetch_related(
        Prefetch("questions", queryset=questions))
    return {
        "format": package.PACKAGE_FORMAT,
        "version": package.PACKAGE_VERSION,
        "exported_at": (now or timezone.now()).isoformat(),
        "lesson": _columns(lesson, package.LESSON),
        "reading": _columns(reading, package.READING),
        "passages": [_columns(p, package.PASSAGE) for p in passages],
        "annotations": [{"passage": order_of[note.passage_id],
                         **_columns(note, package.ANNOTATION)} for note in notes],
        "quizzes": [{**_columns(quiz, package.QUIZ),
                     "questions": [_question_export(q) for q in quiz.questions.all()]}
                    for quiz in quizzes],
    }


def _question_export(question: Question) -> dict:
    rubric = getattr(question, "rubric", None)
    return {
        **_columns(question, package.QUESTION),
        "cites": sorted(p.order for p in question.cites.all()),
        "choices": [_columns(c, package.CHOICE) for c in question.choices.all()],
        "rubric": None if rubric is None else {
            **_columns(rubric, package.RUBRIC),
            "criteria": [{**_columns(criterion, package.CRITERION),
                          "levels": [_columns(level, package.LEVEL)
                                     for level in criterion.levels.all()]}
                         for criterion in rubric.criteria.all()],
        },
    }


# --- import ----------------------------------------------------------------------------------


class _Rows:
    """Makes unsaved rows from package objects, each validated by its model, and keeps every
    problem found with its JSON path."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def __call__(self, model: type[models.Model], data: dict, path: str, **extra: Any) -> Any:
        # full_clean turns ISO dates into dates and reports unknown choices, over-long texts,
        # bad URLs and slugs and too many decimal places. Relations and constraints are left
        # to the package checks and, as the last word, the database.
        values = {**extra, **{k: v for k, v in data.items() if k not in package.NESTED}}
        for name, value in values.items():
            if isinstance(value, float) and isinstance(model._meta.get_field(name),
                                                       models.DecimalField):
                # Through its shortest repr: 0.1 is "0.1", not 0.1000000000000000055...
                values[name] = Decimal(repr(value))
        row = model(**values)
        relations = [f.name for f in model._meta.get_fields() if f.is_relation]
        try:
            row.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = path if name == NON_FIELD_ERRORS else f"{path}.{name}"
                self.problems.extend(f"{where}: {message}" for message in messages)
        return row


@dataclass
class _QuestionRows:
    question: Question
    cites: list[int]
    choices: list[Choice]
    rubric: Rubric | None = None
    criteria: list[tuple[RubricCriterion, list[RubricLevel]]] = field(default_factory=list)


@dataclass
class _Plan:
    """Every row of an import, built and validated but not yet saved."""

    reading: Reading
    passages: list[Passage]
    annotations: list[tuple[int, Annotation]]  # (passage order, note)
    lesson: Lesson
    quizzes: list[tuple[Quiz, list[_QuestionRows]]]


def _reading_defaults(doc: dict) -> dict:
    # The figures ingest gives the same text, for a package written by hand without them.
    body = "\n\n".join(p["text"] for p in doc["passages"])
    words = count_words(body)
    return {"content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest(),
            "word_count": words, "reading_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE))}


def _plan(doc: dict) -> tuple[_Plan, list[str]]:
    """The rows `doc` describes, and what the models find wrong with them."""
    row = _Rows()
    plan = _Plan(
        reading=row(Reading, doc["reading"], "reading", **_reading_defaults(doc)),
        passages=[row(Passage, p, f"passages[{n}]") for n, p in enumerate(doc["passages"])],
        annotations=[(note["passage"], row(Annotation, note, f"annotations[{n}]"))
                     for n, note in enumerate(doc.get("annotations", []))],
        lesson=row(Lesson, doc["lesson"], "lesson"),
        quizzes=[],
    )
    for n, quiz in enumerate(doc.get("quizzes", [])):
        path = f"quizzes[{n}]"
        plan.quizzes.append((
            row(Quiz, quiz, path, position=n + 1),
            [_question_rows(row, q, f"{path}.questions[{m}]", m + 1)
             for m, q in enumerate(quiz["questions"])],
        ))
    return plan, row.problems


def _question_rows(row: _Rows, data: dict, path: str, position: int) -> _QuestionRows:
    rows = _QuestionRows(
        question=row(Question, data, path, position=position),
        cites=data.get("cites", []),
        choices=[row(Choice, c, f"{path}.choices[{n}]", position=n + 1)
                 for n, c in enumerate(data.get("choices", []))],
    )
    rubric = data.get("rubric")
    if rubric is not None:
        rows.rubric = row(Rubric, rubric, f"{path}.rubric")
        for n, criterion in enumerate(rubric["criteria"]):
            where = f"{path}.rubric.criteria[{n}]"
            rows.criteria.append((
                row(RubricCriterion, criterion, where, position=n + 1),
                [row(RubricLevel, level, f"{where}.levels[{m}]", position=m + 1)
                 for m, level in enumerate(criterion["levels"])],
            ))
    return rows


@transaction.atomic
def lesson_import(*, doc: dict, course: Course, user=None) -> Lesson:
    """Store a package document as a new, unpublished lesson at the end of `course`, with a
    new reading (passages, annotations) and all its quizzes; return the lesson.

    All or nothing: when the document is invalid, raises ValidationError listing every
    problem, each with its JSON path, and stores nothing. The document's shape and references
    are checked first (`package.package_problems`, which also checks every question as a
    draft); once they are sound, every row is checked by its model (choices, lengths, URLs,
    slugs, decimal places), so a second round of problems can follow a fixed first one.

    The lesson keeps the package's slug unless the course already uses it, then gets `-2`,
    `-3`...; `user` becomes the reading's creator and the annotations' author.
    """
    problems = package.package_problems(doc)
    if problems:
        raise ValidationError(problems)
    plan, problems = _plan(doc)
    if problems:
        raise ValidationError(problems)

    values = {name: getattr(plan.reading, name) for name in package.READING}
    reading = reading_create(**values, passages=[PassageInput(p.kind, p.text)
                                                 for p in plan.passages], created_by=user)
    by_order = {p.order: p for p in reading.passages.all()}

    lesson = plan.lesson
    lesson.course, lesson.reading, lesson.is_published = course, reading, False
    lesson.slug = lesson_free_slug(course, lesson.slug)
    lesson.position = (course.lessons.aggregate(last=Max("position"))["last"] or 0) + 1
    lesson.save()
    for order, note in plan.annotations:
        note.lesson, note.passage, note.author = lesson, by_order[order], user
    Annotation.objects.bulk_create(note for _, note in plan.annotations)
    _quizzes_create(plan, lesson, by_order)
    return lesson


def _quizzes_create(plan: _Plan, lesson: Lesson, by_order: dict[int, Passage]) -> None:
    # One insert per table rather than per row; each level needs the keys of the one above,
    # which bulk_create sets on PostgreSQL and SQLite 3.35+.
    for quiz, _ in plan.quizzes:
        quiz.lesson = lesson
    Quiz.objects.bulk_create(quiz for quiz, _ in plan.quizzes)
    rows = [row for quiz, questions in plan.quizzes for row in questions]
    for quiz, questions in plan.quizzes:
        for row in questions:
            row.question.quiz = quiz
    Question.objects.bulk_create(row.question for row in rows)
    for row in rows:
        for choice in row.choices:
            choice.question = row.question
        if row.rubric is not None:
            row.rubric.question = row.question
    Choice.objects.bulk_create(choice for row in rows for choice in row.choices)
    Question.cites.through.objects.bulk_create(
        Question.cites.through(question=row.question, passage=by_order[order])
        for row in rows for order in dict.fromkeys(row.cites))
    with_rubric = [row for row in rows if row.rubric is not None]
    Rubric.objects.bulk_create(row.rubric for row in with_rubric)
    for row in with_rubric:
        for criterion, _levels in row.criteria:
            criterion.rubric = row.rubric
    RubricCriterion.objects.bulk_create(c for row in with_rubric for c, _ in row.criteria)
    for row in with_rubric:
        for criterion, levels in row.criteria:
            for level in levels:
                level.criterion = criterion
    RubricLevel.objects.bulk_create(
        level for row in with_rubric for _, levels in row.criteria for level in levels)
