"""Short answer and numeric editors: initial values, valid posts, every invalid case, the
grading messages on the right field, and the add / remove row buttons."""

from __future__ import annotations

import pytest

from quizzes import grading
from quizzes.authoring.editors import editor_for
from quizzes.authoring.editors.answers import NumericEditor, ShortAnswerEditor
from tests.factories import QuestionFactory

from .editor_form import bind, errors, parse, render, spec_of

pytestmark = pytest.mark.django_db


def _short(**config):
    return QuestionFactory(type="short", config=config)


# short answer


def test_short_editor_is_registered_for_its_type():
    assert editor_for("short") is ShortAnswerEditor


def test_short_initial_values_come_from_the_saved_question():
    question = _short(answers=[{"text": "Putin", "fraction": 1.0, "feedback": "Yes."},
                               {"text": "the Kremlin", "fraction": 1 / 3}],
                      case_sensitive=True)
    editor = ShortAnswerEditor(question=question)
    rows = editor.rowsets["answers"].rows
    assert [r.form["text"].value() for r in rows] == ["Putin", "the Kremlin", None]
    assert rows[0].form["credit"].value() == "100"
    assert rows[1].form["credit"].value() == "33.33333"
    assert rows[0].form["feedback"].value() == "Yes."
    assert editor.settings["case_sensitive"].value() is True


def test_short_blank_editor_offers_two_rows_with_full_credit_and_explains_the_wildcard():
    editor = ShortAnswerEditor()
    html = render(editor)
    assert len(editor.rowsets["answers"].rows) == 2
    assert "<code>*</code> stands for any run of characters" in html
    assert parse(html).data.getlist("type-answers-0-credit") == ["100"]
    # Every input has a label.
    assert html.count('for="id_type-answers-0-text"') == 1


def test_short_valid_post_gives_the_config_grading_accepts():
    editor = bind(ShortAnswerEditor(), type__answers__0__text=" belt*road ",
                  type__answers__0__feedback="Right: the BRI.",
                  type__answers__1__text="silk road", type__answers__1__credit="50",
                  type__case_sensitive="on")
    assert editor.is_valid(), editor.rowsets["answers"].rows[0].form.errors
    assert editor.config() == {
        "answers": [{"text": "belt*road", "fraction": 1.0, "feedback": "Right: the BRI."},
                    {"text": "silk road", "fraction": 0.5}],
        "case_sensitive": True,
    }
    assert grading.check_config(spec_of(editor)) == []
    assert editor.choices() == [] and editor.rubric() is None


def test_short_unchanged_post_of_a_saved_question_gives_back_its_config():
    config = {"answers": [{"text": "ZQX-fox", "fraction": 1.0}], "case_sensitive": False}
    editor = bind(ShortAnswerEditor(question=_short(**config)))
    assert editor.is_valid()
    assert editor.config() == config


@pytest.mark.parametrize(("credit", "message"), [
    ("150", "The credit must be a percentage from 0 to 100."),
    ("-5", "The credit must be a percentage from 0 to 100."),
    ("lots", "Type the credit as a number from 0 to 100."),
])
def test_short_bad_credit_is_reported_on_that_rows_credit(credit, message):
    editor = bind(ShortAnswerEditor(), type__answers__0__text="Putin",
                  type__answers__0__credit=credit)
    assert not editor.is_valid()
    assert errors(editor.rowsets["answers"].rows[0].form, "credit") == [message]


def test_short_feedback_without_an_answer_asks_for_the_answer():
    editor = bind(ShortAnswerEditor(), type__answers__1__feedback="Close!")
    assert not editor.is_valid()
    assert errors(editor.rowsets["answers"].rows[1].form, "text") == [
        "Type the accepted answer, or empty the whole row."]


def test_short_too_long_answer_is_refused_on_its_field():
    editor = bind(ShortAnswerEditor(), type__answers__0__text="x" * 1001)
    assert not editor.is_valid()
    assert "at most 1000 characters" in errors(editor.rowsets["answers"].rows[0].form,
                                               "text")[0]


def test_short_check_config_messages_land_on_the_row_they_concern():
    # Row 1 is blank, so the second saved answer is form row 3.
    saved = _short(answers=[{"text": "a", "fraction": 1}, {"text": "b", "fraction": 1}])
    editor = bind(ShortAnswerEditor(question=saved),
                  type__answers__0__text="full",
                  type__answers__1__text="", type__answers__2__text="?!",
                  type__answers__2__credit="20")
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Accepted answer 2 is only punctuation, so nothing can match it."]
    editor.add_problems(problems)
    rows = editor.rowsets["answers"].rows
    assert errors(rows[2].form, "text") == problems
    assert editor.problems == []


def test_short_without_full_credit_or_answers_reports_on_the_list():
    editor = bind(ShortAnswerEditor(), type__answers__0__text="half",
                  type__answers__0__credit="50")
    assert editor.is_valid()
    editor.add_problems(grading.check_config(spec_of(editor)))
    assert editor.rowsets["answers"].messages() == [
        "At least one accepted answer must be worth full credit (1)."]
    assert "At least one accepted answer" in render(editor)

    empty = bind(ShortAnswerEditor())
    assert empty.is_valid()
    empty.add_problems(grading.check_config(spec_of(empty)))
    assert empty.rowsets["answers"].messages() == ["Give at least one accepted answer."]


def test_short_other_messages_go_to_their_setting_or_above_the_editor():
    editor = bind(ShortAnswerEditor(), type__answers__0__text="x")
    assert editor.is_valid()
    editor.add_problems(["“case_sensitive” must be true or false.", "Something else."])
    assert errors(editor.settings, "case_sensitive") == [
        "“case_sensitive” must be true or false."]
    assert editor.problems == ["Something else."]


def test_short_errors_are_linked_to_their_field():
    editor = bind(ShortAnswerEditor(), type__answers__0__text="x",
                  type__answers__0__credit="150")
    assert not editor.is_valid()
    html = render(editor)
    assert 'aria-describedby="id_type-answers-0-credit_error"' in html
    assert 'id="id_type-answers-0-credit_error"' in html
    assert 'aria-invalid="true"' in html


def test_short_add_button_adds_a_row_and_is_not_a_save():
    editor = bind(ShortAnswerEditor(), "type-answers-add", type__answers__0__text="Putin",
                  type__answers__1__credit="150")
    assert editor.action == "answers"
    assert not editor.is_valid()
    rows = editor.rowsets["answers"].rows
    assert [r.form["text"].value() for r in rows] == ["Putin", "", None]
    # Not a save: the half-typed row keeps its value and shows no error yet.
    assert rows[1].form["credit"].value() == "150" and not rows[1].form.is_bound
    assert editor.focus == "id_type-answers-2-text"
    assert "autofocus" in render(editor)
    assert editor.status == "Added accepted answer 3."


def test_short_remove_button_removes_that_row_only():
    editor = bind(ShortAnswerEditor(), "type-answers-remove-0", type__answers__0__text="a",
                  type__answers__1__text="b")
    assert editor.action == "answers"
    assert [r.form["text"].value() for r in editor.rowsets["answers"].rows] == ["b"]
    again = bind(editor)
    assert again.is_valid()
    assert again.config()["answers"] == [{"text": "b", "fraction": 1.0}]


def test_short_tampered_row_count_is_a_message_not_a_crash():
    editor = bind(ShortAnswerEditor(), type__answers__0__text="a",
                  **{"type-answers-TOTAL_FORMS": None})
    assert not editor.is_valid()
    assert editor.rowsets["answers"].messages()


# numeric


def test_numeric_editor_is_registered_for_its_type():
    assert editor_for("numeric") is NumericEditor


def test_numeric_initial_values_show_values_and_ranges():
    question = QuestionFactory(type="numeric", config={"answers": [
        {"value": 3.5, "tolerance": 0.1, "fraction": 1, "feedback": "Yes"},
        {"min": 3, "max": 4, "fraction": 0.5}]})
    rows = NumericEditor(question=question).rowsets["answers"].rows
    assert [r.form["mode"].value() for r in rows] == ["value", "range", "value"]
    assert rows[0].form["value"].value() == 3.5 and rows[0].form["tolerance"].value() == 0.1
    assert rows[1].form["min"].value() == 3 and rows[1].form["max"].value() == 4
    assert rows[1].form["credit"].value() == "50"


def test_numeric_valid_post_with_several_answers_gives_the_config_grading_accepts():
    editor = bind(NumericEditor(), "type-answers-add", type__answers__0__value="2014")
    editor = bind(editor, type__answers__1__mode="range", type__answers__1__min="2013",
                  type__answers__1__max="2015.5", type__answers__1__credit="25",
                  type__answers__1__feedback="Close.")
    assert editor.is_valid()
    config = editor.config()
    assert config == {"answers": [
        {"value": 2014, "fraction": 1.0},
        {"min": 2013, "max": 2015.5, "fraction": 0.25, "feedback": "Close."}]}
    assert grading.check_config(spec_of(editor)) == []
    assert grading.grade(spec_of(editor, 4), "2015").score == 1.0


def test_numeric_saved_question_round_trips():
    config = {"answers": [{"value": 3.5, "tolerance": 0.1, "fraction": 1.0},
                          {"min": -1, "max": 1, "fraction": 0.5, "feedback": "Hm"}],
              "feedback_other": "Check the *units*."}
    editor = bind(NumericEditor(question=QuestionFactory(type="numeric", config=config)))
    assert editor.is_valid()
    assert editor.config() == config


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"mode": "value", "tolerance": "1"}, "value", "Give the value, or choose a range."),
    ({"mode": "range", "min": "1"}, "max", "Give the range's max, or choose a value match."),
    ({"mode": "range", "max": "1"}, "min", "Give the range's min, or choose a value match."),
    ({"mode": "range", "min": "1", "max": "2", "value": "3"}, "value",
     "A range uses min and max: empty the value and tolerance, or choose “Value ± tolerance”."),
    ({"mode": "value", "value": "1", "min": "0"}, "min",
     "A value match uses value and tolerance: empty min and max, or choose “Range from min "
     "to max”."),
    ({"mode": "value", "value": "one"}, "value", "Enter a number."),
    ({"mode": "value", "value": "inf"}, "value", "Enter a number."),
    ({"mode": "value", "value": "1", "credit": "101"}, "credit",
     "The credit must be a percentage from 0 to 100."),
    ({"mode": "both", "value": "1"}, "mode",
     "Select a valid choice. both is not one of the available choices."),
])
def test_numeric_each_invalid_row_says_what_is_wrong_on_its_field(fields, field, message):
    editor = bind(NumericEditor(), **{f"type-answers-0-{k}": v for k, v in fields.items()})
    assert not editor.is_valid()
    assert errors(editor.rowsets["answers"].rows[0].form, field) == [message]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"value": "1", "tolerance": "-0.5"}, "tolerance",
     "Accepted answer 1: the tolerance must be 0 or more."),
    ({"mode": "range", "min": "5", "max": "1"}, "max",
     "Accepted answer 1: min is larger than max."),
])
def test_numeric_check_config_messages_land_on_the_field(fields, field, message):
    editor = bind(NumericEditor(), **{f"type-answers-0-{k}": v for k, v in fields.items()})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == [message]
    editor.add_problems(problems)
    assert errors(editor.rowsets["answers"].rows[0].form, field) == [message]


def test_numeric_feedback_for_any_other_number_is_saved_and_its_message_mapped():
    editor = bind(NumericEditor(), type__answers__0__value="2014",
                  type__feedback_other=" Count again. ")
    assert editor.is_valid()
    assert editor.config() == {"answers": [{"value": 2014, "fraction": 1.0}],
                               "feedback_other": "Count again."}
    assert grading.grade(spec_of(editor), "1999").feedback == ("Count again.",)
    editor.add_problems(["The feedback for any other number must be text."])
    assert errors(editor.settings, "feedback_other") == [
        "The feedback for any other number must be text."]


def test_numeric_needs_an_answer_worth_full_credit():
    editor = bind(NumericEditor(), type__answers__0__value="1", type__answers__0__credit="10")
    assert editor.is_valid()
    editor.add_problems(grading.check_config(spec_of(editor)))
    assert editor.rowsets["answers"].messages() == [
        "At least one accepted answer must be worth full credit (1)."]


def test_numeric_remove_the_last_row_leaves_a_blank_one():
    editor = bind(NumericEditor(), "type-answers-remove-0", type__answers__0__value="1")
    assert editor.action == "answers"
    rows = editor.rowsets["answers"].rows
    assert len(rows) == 1 and rows[0].form["value"].value() is None
    assert editor.focus == "type-answers-add"
