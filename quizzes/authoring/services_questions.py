"""Saving a question from the question form: the shared part and its type editor, checked
by grading, written whole or not at all (the contract in editors/base.py).

Editing keeps the rows attempts refer to. A student's stored answer names choices by their
id, so a choice whose text is unchanged keeps its row, and a reworded one takes over the
row of the choice it replaces, in order; only choices that are gone are deleted. Rubric
criteria and levels are updated in place, position by position, for the same reason: a
grade points at the level it gave.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError

from .. import grading
from ..models import Choice, Question, Quiz, Rubric, RubricCriterion, RubricLevel
from . import services
from .editors.base import RubricDraft, TypeEditor
from .forms import QuestionForm

FRACTION_PLACES = Decimal("0.0000001")  # Choice.fraction keeps 7 decimal places


class _Refused(Exception):
    """Roll the write back: the message says why, for the editor's problems."""


def question_spec_of(form: QuestionForm, editor: TypeEditor) -> grading.QuestionSpec:
    """The grading view of a valid form and editor; choice ids are their positions."""
    return grading.QuestionSpec(
        type=editor.type_key,
        points=float(form.cleaned_data["points"]),
        choices=tuple(grading.ChoiceSpec(id=str(n), text=c.text, fraction=float(c.fraction),
                                         feedback=c.feedback)
                      for n, c in enumerate(editor.choices(), start=1)),
        config=editor.config(),
    )


def _rubric_problems(draft: RubricDraft) -> list[str]:
    # What the rubric tables themselves require; grading never sees a rubric's rows.
    problems = []
    if len(draft.title) > Rubric._meta.get_field("title").max_length:
        problems.append("Keep the rubric's title to 200 characters.")
    if not draft.criteria:
        problems.append("Give the rubric at least one criterion.")
    for n, criterion in enumerate(draft.criteria, start=1):
        if not criterion.name.strip() or len(criterion.name) > 200:
            problems.append(f"Criterion {n} needs a name of at most 200 characters.")
        if not criterion.levels:
            problems.append(f"Criterion {n} needs at least one level.")
        for m, level in enumerate(criterion.levels, start=1):
            if not level.label.strip() or len(level.label) > 100:
                problems.append(f"Criterion {n}, level {m} needs a label of at most 100 "
                                "characters.")
            if level.points < 0 or level.points >= Decimal("100000"):
                problems.append(f"Criterion {n}, level {m}: points go from 0 to 99999.")
    return problems


def question_save(*, quiz: Quiz, form: QuestionForm, editor: TypeEditor,
                  question: Question | None = None) -> Question | None:
    """Save the question the form and its editor describe, new at the end of `quiz` or
    over `question`; return it, or None when anything is wrong.

    Then the form and the editor carry every message (grading's checks through
    `editor.add_problems`), and nothing was written: the question, its choices, cited
    passages and rubric are stored in one transaction, or not at all.
    """
    valid = form.is_valid()
    valid = editor.is_valid() and valid
    if not valid:
        return None
    problems = grading.check_config(question_spec_of(form, editor))
    if problems:
        editor.add_problems(problems)
        return None
    rubric = editor.rubric()
    if rubric is not None and (problems := _rubric_problems(rubric)):
        editor.problems.extend(problems)
        return None
    try:
        with transaction.atomic():
            return _write(quiz, form, editor, question, rubric)
    except _Refused as refusal:
        editor.problems.append(str(refusal))
        return None


def _write(quiz: Quiz, form: QuestionForm, editor: TypeEditor, question: Question | None,
           rubric: RubricDraft | None) -> Question:
    data = form.cleaned_data
    services.lock_quiz(quiz)
    if question is not None and not Question.objects.filter(pk=question.pk).exists():
        # Saving would insert it again under its old id.
        raise _Refused("This question was deleted meanwhile; nothing was saved.")
    if question is None:
        question = Question(quiz=quiz, type=editor.type_key,
                            position=services.next_position(quiz))
    question.title, question.prompt = data["title"].strip(), data["prompt"]
    question.points, question.explanation = data["points"], data["explanation"].strip()
    question.config = editor.config()
    question.save()
    question.cites.set(data["cites"])
    _sync_choices(question, editor.choices())
    _sync_rubric(question, rubric)
    return question


def _sync_choices(question: Question, drafts) -> None:
    existing = list(question.choices.order_by("position", "pk")) if question.pk else []
    unmatched = list(existing)
    rows: list[Choice | None] = []
    for draft in drafts:  # same text keeps its row
        match = next((c for c in unmatched if c.text == draft.text), None)
        if match is not None:
            unmatched.remove(match)
        rows.append(match)
    for index, row in enumerate(rows):  # a reworded choice takes the next spare row
        if row is None and unmatched:
            rows[index] = unmatched.pop(0)
    Choice.objects.filter(pk__in=[c.pk for c in unmatched]).delete()
    changed, created = [], []
    for position, (draft, row) in enumerate(zip(drafts, rows, strict=True), start=1):
        values = {"position": position, "text": draft.text, "feedback": draft.feedback,
                  "fraction": Decimal(str(draft.fraction)).quantize(FRACTION_PLACES)}
        if row is None:
            created.append(Choice(question=question, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
    Choice.objects.bulk_update(changed, ["position", "text", "feedback", "fraction"])
    Choice.objects.bulk_create(created)


def _sync_rubric(question: Question, draft: RubricDraft | None) -> None:
    current = Rubric.objects.filter(question=question).first()
    if draft is None:
        if current is not None:
            _delete(current, "The rubric has been used to grade answers, so it stays.")
        return
    if current is None:
        current = Rubric.objects.create(question=question, title=draft.title)
    elif current.title != draft.title:
        current.title = draft.title
        current.save(update_fields=["title"])
    criteria = list(current.criteria.order_by("position", "pk").prefetch_related("levels"))
    for position, wanted in enumerate(draft.criteria, start=1):
        if position <= len(criteria):
            criterion = criteria[position - 1]
            criterion.position, criterion.name = position, wanted.name
            criterion.description = wanted.description
            criterion.save(update_fields=["position", "name", "description"])
            levels = sorted(criterion.levels.all(), key=lambda lv: (lv.position, lv.pk))
        else:
            criterion = RubricCriterion.objects.create(
                rubric=current, position=position, name=wanted.name,
                description=wanted.description)
            levels = []
        for number, level in enumerate(wanted.levels, start=1):
            values = {"position": number, "label": level.label, "points": level.points,
                      "description": level.description}
            if number <= len(levels):
                RubricLevel.objects.filter(pk=levels[number - 1].pk).update(**values)
            else:
                RubricLevel.objects.create(criterion=criterion, **values)
        for level in levels[len(wanted.levels):]:
            _delete(level, f"Level {level.label!r} of “{criterion.name}” has been given to "
                           "answers already, so it cannot be removed.")
    for criterion in criteria[len(draft.criteria):]:
        _delete(criterion, f"The criterion “{criterion.name}” has been used to grade "
                           "answers, so it cannot be removed.")


def _delete(row, refusal: str) -> None:
    try:
        row.delete()
    except ProtectedError:
        raise _Refused(refusal) from None
