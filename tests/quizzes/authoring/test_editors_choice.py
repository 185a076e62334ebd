"""Choice editors (single, multiple response, true/false): rows with a credit from the
standard fractions and feedback, blank rows ignored, "add choice" without JavaScript, and
grading's messages put on the field they concern."""

from __future__ import annotations

import pytest

from quizzes import grading
from quizzes.authoring.editors import editor_for
from quizzes.authoring.editors.choice import (
    MultipleResponseEditor,
    SingleChoiceEditor,
    TrueFalseEditor,
)
from quizzes.interop.drafts import ChoiceDraft
from tests.factories import ChoiceFactory, QuestionFactory

from .editor_form import bind, errors, parse, posted, render, spec_of

pytestmark = pytest.mark.django_db


def _rows(editor):
    return editor.rowsets["choices"].rows


def _fill(**rows):
    """Keyword fields for posted(): rows={0: ("text", "credit", "feedback"), ...}."""
    fields = {}
    for index, (text, credit, feedback) in rows.items():
        fields[f"type__choices__{index}__text"] = text
        fields[f"type__choices__{index}__credit"] = credit
        fields[f"type__choices__{index}__feedback"] = feedback
    return fields


def _single(**rows):
    return bind(SingleChoiceEditor(), **_fill(**rows))


def test_every_choice_type_has_its_editor():
    assert editor_for("single") is SingleChoiceEditor
    assert editor_for("multiple") is MultipleResponseEditor
    assert editor_for("truefalse") is TrueFalseEditor


def test_a_new_single_choice_offers_four_blank_rows_and_an_add_button():
    editor = SingleChoiceEditor()
    html = render(editor)
    assert len(_rows(editor)) == 4
    assert 'name="type-choices-add"' in html and ">Add choice<" in html
    assert 'name="type-choices-remove-0"' in html
    assert '<option value="1">100 %</option>' in html
    assert '<option value="0.3333333">33.33 %</option>' in html
    assert "penalty" not in html  # one answer: no penalties


def test_multiple_response_offers_penalties():
    html = render(MultipleResponseEditor())
    assert '<option value="-0.5">−50 % (penalty)</option>' in html


def test_a_valid_single_choice_saves_its_rows_and_ignores_blank_ones():
    editor = _single(**{"0": ("Moscow", "1", "Yes: the capital."),
                        "1": ("Kyiv", "0", ""), "2": ("", "0", "")})
    assert editor.is_valid()
    assert editor.choices() == [ChoiceDraft("Moscow", 1.0, "Yes: the capital."),
                                ChoiceDraft("Kyiv", 0.0, "")]
    assert editor.config() == {"shuffle": True}
    assert grading.check_config(spec_of(editor)) == []


def test_untick_shuffle():
    editor = bind(SingleChoiceEditor(), type__shuffle=None,
                  **_fill(**{"0": ("A", "1", ""), "1": ("B", "0", "")}))
    assert editor.is_valid() and editor.config() == {"shuffle": False}


def test_add_choice_button_adds_a_row_and_does_not_save():
    editor = bind(SingleChoiceEditor(), press="type-choices-add",
                  **_fill(**{"0": ("A", "1", "")}))
    assert editor.action == "choices" and not editor.is_valid()
    assert len(_rows(editor)) == 5
    assert _rows(editor)[0].form["text"].value() == "A"
    assert "Added choice 5." in render(editor)


def test_remove_button_takes_the_row_out():
    editor = bind(SingleChoiceEditor(), press="type-choices-remove-0",
                  **_fill(**{"0": ("A", "1", ""), "1": ("B", "0", "")}))
    assert [row.form["text"].value() for row in _rows(editor)][:1] == ["B"]


def test_a_row_with_feedback_but_no_text_is_refused_on_its_field():
    editor = _single(**{"0": ("A", "1", ""), "1": ("", "0", "Why?")})
    assert not editor.is_valid()
    assert errors(_rows(editor)[1].form, "text") == ["Type the choice, or empty the whole row."]


@pytest.mark.parametrize("credit", ["lots", "2", "0.123456789", "NaN"])
def test_a_credit_that_is_no_fraction_is_refused(credit):
    editor = _single(**{"0": ("A", credit, ""), "1": ("B", "0", "")})
    assert not editor.is_valid()
    assert errors(_rows(editor)[0].form, "credit") == ["Choose a credit from the list."]


def test_a_penalty_on_a_one_answer_question_is_refused_on_its_credit():
    editor = _single(**{"0": ("A", "1", ""), "1": ("B", "-0.5", "")})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Choice 2: the credit must be a number from 0 to 1."]
    editor.add_problems(problems)
    assert errors(_rows(editor)[1].form, "credit") == problems


def test_no_fully_right_choice_goes_on_the_rows():
    editor = _single(**{"0": ("A", "0.5", ""), "1": ("B", "0", "")})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Mark one choice as fully correct (credit 1)."]
    editor.add_problems(problems)
    assert editor.rowsets["choices"].messages() == problems
    assert problems[0] in render(editor)


def test_one_choice_is_not_enough():
    editor = _single(**{"0": ("A", "1", "")})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Give at least two choices."]


def test_multiple_response_weights_must_add_up_to_100_percent():
    editor = bind(MultipleResponseEditor(), **_fill(**{
        "0": ("A", "0.5", ""), "1": ("B", "0.3333333", ""), "2": ("C", "-1", "")}))
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["The positive weights must add up to 1 (100%); they add up to "
                        "0.833333."]
    editor.add_problems(problems)
    assert editor.rowsets["choices"].messages() == problems


def test_multiple_response_thirds_add_up_and_penalties_are_kept():
    editor = bind(MultipleResponseEditor(), **_fill(**{
        "0": ("A", "0.3333333", "a"), "1": ("B", "0.3333333", ""),
        "2": ("C", "0.3333333", ""), "3": ("D", "-0.5", "No")}))
    assert editor.is_valid()
    assert [c.fraction for c in editor.choices()] == [0.3333333] * 3 + [-0.5]
    assert grading.check_config(spec_of(editor)) == []


def test_a_grading_message_about_choice_n_goes_on_that_row():
    editor = _single(**{"0": ("A", "1", ""), "1": ("B", "0", "")})
    assert editor.is_valid()
    editor.add_problems(["Choice 2 has no text.", "Choice 1: feedback must be text."])
    assert errors(_rows(editor)[1].form, "text") == ["Choice 2 has no text."]
    assert errors(_rows(editor)[0].form, "feedback") == ["Choice 1: feedback must be text."]


def test_editing_starts_from_the_saved_choices_and_keeps_an_imported_credit():
    question = QuestionFactory(type="multiple", config={"shuffle": False})
    ChoiceFactory(question=question, text="A", fraction="0.6", feedback="fa", position=1)
    ChoiceFactory(question=question, text="B", fraction="0.4", position=2)
    ChoiceFactory(question=question, text="C", fraction="-0.37", position=3)
    editor = MultipleResponseEditor(question=question)
    html = render(editor)
    assert '<option value="-0.37" selected>−37 % (penalty) (as imported)</option>' in html
    fields = parse(html).data
    assert fields["type-choices-0-text"] == "A" and fields["type-choices-0-credit"] == "0.6"
    assert "type-shuffle" not in fields
    again = bind(editor)
    assert again.is_valid()
    assert again.choices() == [ChoiceDraft("A", 0.6, "fa"), ChoiceDraft("B", 0.4, ""),
                               ChoiceDraft("C", -0.37, "")]
    assert again.config() == {"shuffle": False}


def test_true_false_saves_the_answer_and_each_feedback():
    editor = bind(TrueFalseEditor(), type__answer="false", type__feedback_true="No.",
                  type__feedback_false="Right.")
    assert editor.is_valid()
    assert editor.config() == {"answer": False, "feedback_true": "No.",
                               "feedback_false": "Right."}
    assert editor.choices() == []
    assert grading.check_config(spec_of(editor)) == []


def test_true_false_without_an_answer_says_so_on_the_answer_field():
    editor = bind(TrueFalseEditor())
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Say whether the statement is true or false."]
    editor.add_problems(problems)
    assert errors(editor.settings, "answer") == problems
    assert problems[0] in render(editor)


def test_true_false_edits_from_the_saved_question():
    question = QuestionFactory(type="truefalse",
                               config={"answer": True, "feedback_false": "Look again."})
    data = posted(TrueFalseEditor(question=question))
    assert data["type-answer"] == "true" and data["type-feedback_false"] == "Look again."
