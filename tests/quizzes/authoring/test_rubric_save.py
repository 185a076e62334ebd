"""Saving an open response's rubric: criteria and levels written in order, updated in
place on edit (a grade points at its level), and a level graders used cannot be removed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from quizzes.authoring.editors.open_response import OpenResponseEditor
from quizzes.authoring.forms import QuestionForm
from quizzes.authoring.services_questions import question_save
from quizzes.models import Question, RubricCriterion, RubricLevel
from quizzes.taking import services as taking
from quizzes.teaching import services as teaching
from tests.factories import QuizFactory

from .editor_form import posted

pytestmark = pytest.mark.django_db

SHARED = {"title": "Essay", "prompt": "Should the town build a lighthouse?", "points": "6",
          "explanation": ""}


def _grid(editor, names=("Claim", "Evidence", "Reasoning"), levels=3):
    fields = {"type__rubric_title": "Argument"}
    for c, name in enumerate(names):
        fields[f"type__criteria__{c}__name"] = name
        for lv in range(levels):
            fields[f"type__criteria__{c}__levels__{lv}__label"] = f"L{lv}"
            fields[f"type__criteria__{c}__levels__{lv}__points"] = str(lv)
    return posted(editor, **fields)


def _save(quiz, data, question=None):
    data = data.copy()
    for name, value in SHARED.items():
        data.setdefault(name, value)
    form = QuestionForm(data)
    editor = OpenResponseEditor(data, question=question)
    return question_save(quiz=quiz, form=form, editor=editor, question=question), editor


def _rubric(question):
    return [(c.name, [(lv.label, int(lv.points)) for lv in c.levels.order_by("position")])
            for c in question.rubric.criteria.order_by("position")]


def test_a_3_by_3_rubric_is_saved_in_order(lesson):
    quiz = QuizFactory(lesson=lesson)
    question, _editor = _save(quiz, _grid(OpenResponseEditor()))
    assert question.rubric.title == "Argument"
    assert _rubric(question) == [(name, [("L0", 0), ("L1", 1), ("L2", 2)])
                                 for name in ("Claim", "Evidence", "Reasoning")]


def test_editing_updates_criteria_and_levels_in_place(lesson):
    quiz = QuizFactory(lesson=lesson)
    question, _editor = _save(quiz, _grid(OpenResponseEditor()))
    before = list(RubricLevel.objects.order_by("pk").values_list("pk", flat=True))
    question = Question.objects.get(pk=question.pk)
    data = _grid(OpenResponseEditor(question=question), names=("Thesis", "Sources", "Logic"))
    question, _editor = _save(quiz, data, question=question)
    assert [name for name, _ in _rubric(question)] == ["Thesis", "Sources", "Logic"]
    assert list(RubricLevel.objects.order_by("pk").values_list("pk", flat=True)) == before


def test_a_level_graders_used_cannot_be_removed_and_nothing_changes(lesson, student,
                                                                    instructor):
    quiz = QuizFactory(lesson=lesson, is_published=True)
    question, _editor = _save(quiz, _grid(OpenResponseEditor()))
    attempt = taking.attempt_start(quiz=quiz, user=student, now=timezone.now())
    taking.response_save(attempt=attempt, question_id=question.pk,
                         raw_answer="A lighthouse keeps ships and fish apart.", version=1,
                         now=timezone.now())
    taking.attempt_submit(attempt=attempt, now=timezone.now())
    top = {c.pk: c.levels.order_by("position").last().pk
           for c in question.rubric.criteria.all()}
    teaching.response_grade(response=attempt.responses.get(), levels=top, comment="",
                            grader=instructor, now=timezone.now())
    before = _rubric(Question.objects.get(pk=question.pk))
    question = Question.objects.get(pk=question.pk)
    # Only two levels per criterion now: the top level, which was given, would go.
    data = _grid(OpenResponseEditor(question=question), levels=2)
    for c in range(3):
        data[f"type-criteria-{c}-levels-2-label"] = ""
        data[f"type-criteria-{c}-levels-2-points"] = ""
        data[f"type-criteria-{c}-levels-2-description"] = ""
    data["prompt"] = "Changed"
    saved, editor = _save(quiz, data, question=question)
    assert saved is None
    assert editor.problems == ["Level 'L2' of “Claim” has been given to answers already, "
                               "so it cannot be removed."]
    question = Question.objects.get(pk=question.pk)
    assert _rubric(question) == before and question.prompt == SHARED["prompt"]
    assert RubricCriterion.objects.count() == 3
