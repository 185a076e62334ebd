"""The quiz settings form: every setting valid, and each invalid case with its message."""

from __future__ import annotations

import pytest

from quizzes.authoring.forms import QuizForm

# The model form checks the quiz table's constraints, which Django evaluates in the database.
pytestmark = pytest.mark.django_db

VALID = {
    "kind": "comprehension", "title": "Check your reading", "instructions": "Read *first*.",
    "opens_at": "2026-09-01T08:00", "closes_at": "2026-09-08T08:00",
    "time_limit_minutes": "30", "grace_seconds": "60", "attempts_allowed": "2",
    "grading_method": "highest", "shuffle_questions": "on", "shuffle_choices": "on",
    "review_when": "after_submission", "review_score": "on", "review_correctness": "on",
    "review_answers": "", "review_explanations": "on", "pass_mark": "60",
}


def test_every_setting_is_on_the_form_with_help_text():
    form = QuizForm()
    assert list(form.fields) == list(VALID)
    assert all(field.help_text for field in form.fields.values())


def test_a_complete_quiz_is_valid_and_cleans_to_its_settings():
    form = QuizForm(VALID)
    assert form.is_valid(), form.errors
    settings = form.settings()
    assert settings["time_limit_minutes"] == 30 and settings["attempts_allowed"] == 2
    assert settings["shuffle_questions"] is True and settings["review_answers"] is False
    assert settings["closes_at"] > settings["opens_at"]


def test_empty_optional_settings_mean_no_limit():
    data = dict(VALID, opens_at="", closes_at="", time_limit_minutes="", attempts_allowed="")
    form = QuizForm(data)
    assert form.is_valid(), form.errors
    assert form.settings()["attempts_allowed"] is None
    assert form.settings()["time_limit_minutes"] is None


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"title": ""}, "title", "Give the quiz a title."),
    ({"kind": ""}, "kind", "Choose the kind of quiz."),
    ({"kind": "essay"}, "kind", "Select a valid choice."),
    ({"closes_at": "2026-09-01T08:00"}, "closes_at", "The quiz must close after it opens."),
    ({"closes_at": "2026-08-01T08:00"}, "closes_at", "The quiz must close after it opens."),
    ({"opens_at": "soon"}, "opens_at", "Enter a date and time, like 2025-09-01 08:00."),
    ({"time_limit_minutes": "0"}, "time_limit_minutes", "A time limit is from 1 to"),
    ({"time_limit_minutes": "20000"}, "time_limit_minutes", "A time limit is from 1 to"),
    ({"time_limit_minutes": "-5"}, "time_limit_minutes", "greater than or equal to 0"),
    ({"grace_seconds": "4000"}, "grace_seconds", "Keep the grace period to 3600 seconds"),
    ({"grace_seconds": ""}, "grace_seconds", "Give a grace period in seconds"),
    ({"attempts_allowed": "0"}, "attempts_allowed", "Allow at least 1 attempt"),
    ({"grading_method": "best"}, "grading_method", "Select a valid choice."),
    ({"review_when": "sometimes"}, "review_when", "Select a valid choice."),
    ({"pass_mark": "101"}, "pass_mark", "The pass mark is a percentage from 0 to 100."),
    ({"pass_mark": ""}, "pass_mark", "Give a pass mark from 0 to 100."),
    ({"pass_mark": "half"}, "pass_mark", "Enter a whole number."),
])
def test_each_invalid_setting_is_refused_with_its_message(change, field, message):
    form = QuizForm(dict(VALID, **change))
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors
    assert set(form.errors) == {field}


def test_read_only_form_disables_every_field():
    form = QuizForm(read_only=True)
    assert all(field.disabled for field in form.fields.values())
