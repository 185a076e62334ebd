"""The type editors on the real question pages: an instructor fills in the page a browser
gets, saves, and the question grades as its key says; the edit page shows the saved key;
a row button on it re-renders and writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from quizzes import grading
from quizzes.models import Question
from quizzes.taking.services import question_spec
from tests.factories import QuizFactory

from .editor_form import parse

pytestmark = pytest.mark.django_db

# Per type: the fields an instructor types, and (answer, expected score) for 2 points.
CASES = {
    "short": ({"type-answers-0-text": "fox*", "type-answers-1-text": "dog",
               "type-answers-1-credit": "50"}, [("Foxes", 2.0), ("dog", 1.0), ("cat", 0.0)]),
    "numeric": ({"type-answers-0-value": "3", "type-answers-0-tolerance": "0.5"},
                [("3.4", 2.0), ("4", 0.0)]),
    "matching": ({"type-pairs-0-prompt": "Xi", "type-pairs-0-answer": "China",
                  "type-pairs-1-prompt": "Putin", "type-pairs-1-answer": "Russia",
                  "type-distractors-0-text": "India"},
                 [({"0": "China", "1": "Russia"}, 2.0), ({"0": "China", "1": "India"}, 1.0)]),
    "ordering": ({"type-items-0-text": "one", "type-items-1-text": "two",
                  "type-items-2-text": "three"},
                 [(["one", "two", "three"], 2.0), (["three", "two", "one"], 0.0)]),
    "evidence": ({"type-claim": "The fox runs.", "type-key": ["2"]},
                 [([2], 2.0), ([1], 0.0)]),
    "twopart": ({"type-choices-0-text": "Runs", "type-choices-1-text": "Sleeps",
                 "type-part_b_prompt": "Where?", "type-key": ["3"],
                 "type-part_b_depends": "a_right"}, None),
    "open": ({"type-max_words": "100", "type-criteria-0-name": "Clarity",
              "type-criteria-0-levels-0-label": "Clear", "type-criteria-0-levels-0-points": "2",
              "type-criteria-0-levels-1-label": "Unclear",
              "type-criteria-0-levels-1-points": "0"}, None),
}


def _post_page(client, url, fields, press="save", prompt="What does the fox do?"):
    data = parse(client.get(url).content.decode()).data
    data["prompt"], data["points"] = prompt, "2"
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    data[press] = "1"
    # A dict of lists: the test client would post only the last value of a QueryDict's key.
    return client.post(url, dict(data.lists()))


@pytest.mark.parametrize("type_key", list(CASES))
def test_an_instructor_writes_each_type_on_the_page_and_it_grades_by_its_key(
        client, instructor, lesson, type_key):
    quiz = QuizFactory(lesson=lesson)
    client.force_login(instructor)
    add = reverse("quizzes:question-add", args=[quiz.pk]) + f"?type={type_key}"
    fields, answers = CASES[type_key]
    response = _post_page(client, add, fields)
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get(quiz=quiz)
    assert question.type == type_key and question.points == Decimal("2")
    spec = question_spec(question)
    assert grading.check_config(spec) == []
    for answer, score in answers or ():
        assert grading.grade(spec, answer).score == score, answer
    if type_key == "twopart":
        right = next(c for c in question.choices.all() if c.text == "Runs")
        assert grading.grade(spec, {"a": str(right.pk), "b": [3]}).score == 2.0
        assert grading.grade(spec, {"b": [3]}).score == 0.0  # Part B needs Part A right
    if type_key == "open":
        criterion = question.rubric.criteria.get()
        assert [(lv.label, lv.points) for lv in criterion.levels.all()] == [
            ("Clear", Decimal("2")), ("Unclear", Decimal("0"))]

    # The edit page shows what was saved, and saving it unchanged keeps the key.
    edit = reverse("quizzes:question-edit", args=[question.pk])
    config = question.config
    response = _post_page(client, edit, {})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.config == config


@pytest.mark.parametrize(("type_key", "button"), [
    ("short", "type-answers-add"), ("ordering", "type-items-move-1-up"),
    ("open", "type-criteria-0-levels-add"), ("twopart", "type-choices-remove-0")])
def test_a_row_button_on_the_edit_page_rearranges_and_writes_nothing(
        client, instructor, lesson, type_key, button):
    quiz = QuizFactory(lesson=lesson)
    client.force_login(instructor)
    add = reverse("quizzes:question-add", args=[quiz.pk]) + f"?type={type_key}"
    assert _post_page(client, add, CASES[type_key][0]).status_code == 302
    question = Question.objects.get(quiz=quiz)
    before = (question.config, list(question.choices.values_list("text", "fraction")))
    edit = reverse("quizzes:question-edit", args=[question.pk])
    response = _post_page(client, edit, {}, press=button, prompt="Changed, but not saved")
    assert response.status_code == 200
    assert b"autofocus" in response.content
    question.refresh_from_db()
    assert question.prompt == "What does the fox do?"
    assert (question.config, list(question.choices.values_list("text", "fraction"))) == before
