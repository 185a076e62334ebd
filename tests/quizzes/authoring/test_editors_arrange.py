"""Matching and ordering editors: initial values, valid posts, invalid cases, grading
messages on the right row, and the add / remove / move buttons."""

from __future__ import annotations

import pytest

from quizzes import grading
from quizzes.authoring.editors import editor_for
from quizzes.authoring.editors.arrange import MatchingEditor, OrderingEditor
from tests.factories import QuestionFactory

from .editor_form import bind, errors, parse, render, spec_of

pytestmark = pytest.mark.django_db

PAIRS = [{"prompt": "Xi", "answer": "China"}, {"prompt": "Putin", "answer": "Russia"}]


def _texts(editor, rows="items", field="text"):
    return [r.form[field].value() for r in editor.rowsets[rows].rows]


# matching


def test_matching_editor_is_registered_for_its_type():
    assert editor_for("matching") is MatchingEditor


def test_matching_initial_values_come_from_the_saved_question():
    question = QuestionFactory(type="matching",
                               config={"pairs": PAIRS, "distractors": ["India"]})
    editor = MatchingEditor(question=question)
    assert _texts(editor, "pairs", "prompt") == ["Xi", "Putin", None]
    assert _texts(editor, "pairs", "answer") == ["China", "Russia", None]
    assert _texts(editor, "distractors") == ["India", None]


def test_matching_valid_post_gives_the_config_grading_accepts():
    editor = bind(MatchingEditor(), type__pairs__0__prompt=" Xi ", type__pairs__0__answer="China",
                  type__pairs__2__prompt="Putin", type__pairs__2__answer="Russia",
                  type__distractors__0__text="India")
    assert editor.is_valid()
    assert editor.config() == {"pairs": PAIRS, "distractors": ["India"]}
    assert grading.check_config(spec_of(editor)) == []


def test_matching_saved_question_without_distractors_round_trips():
    question = QuestionFactory(type="matching", config={"pairs": PAIRS})
    editor = bind(MatchingEditor(question=question))
    assert editor.is_valid()
    assert editor.config() == {"pairs": PAIRS}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"prompt": "Xi"}, "answer", "Give the answer for this prompt, or empty the row."),
    ({"answer": "China"}, "prompt", "Give the prompt for this answer, or empty the row."),
    ({"prompt": "x" * 501, "answer": "y"}, "prompt",
     "Ensure this value has at most 500 characters (it has 501)."),
])
def test_matching_incomplete_pair_says_which_half_is_missing(fields, field, message):
    editor = bind(MatchingEditor(), **{f"type-pairs-1-{k}": v for k, v in fields.items()})
    assert not editor.is_valid()
    assert errors(editor.rowsets["pairs"].rows[1].form, field) == [message]


def test_matching_check_config_messages_land_on_the_pairs():
    editor = bind(MatchingEditor(), type__pairs__0__prompt="Xi", type__pairs__0__answer="China",
                  type__pairs__1__prompt="Xi", type__pairs__1__answer="Beijing")
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Pair 2 repeats the prompt “Xi”."]
    editor.add_problems(problems)
    assert errors(editor.rowsets["pairs"].rows[1].form, "prompt") == problems

    one = bind(MatchingEditor(), type__pairs__0__prompt="Xi", type__pairs__0__answer="China")
    assert one.is_valid()
    one.add_problems(grading.check_config(spec_of(one)))
    assert one.rowsets["pairs"].messages() == ["Give at least two pairs to match."]
    assert "Give at least two pairs to match." in render(one)


def test_matching_other_messages_go_to_distractors_or_above_the_editor():
    editor = bind(MatchingEditor())
    editor.add_problems(["Pair 9 must have a prompt and an answer.",
                         "Distractors must be a list of non-empty texts.", "Odd."])
    assert editor.rowsets["pairs"].messages() == ["Pair 9 must have a prompt and an answer."]
    assert editor.rowsets["distractors"].messages() == [
        "Distractors must be a list of non-empty texts."]
    assert editor.problems == ["Odd."]


def test_matching_add_and_remove_buttons_for_pairs_and_distractors():
    editor = bind(MatchingEditor(), "type-distractors-add", type__distractors__0__text="India")
    assert editor.action == "distractors" and not editor.is_valid()
    assert _texts(editor, "distractors") == ["India", None]
    assert len(editor.rowsets["pairs"].rows) == 3  # untouched, still offered
    editor = bind(editor, "type-pairs-remove-1", type__pairs__0__prompt="a",
                  type__pairs__1__prompt="b", type__pairs__2__prompt="c")
    assert _texts(editor, "pairs", "prompt") == ["a", "c"]
    assert _texts(editor, "distractors") == ["India", ""]
    assert "Move up" not in render(editor)  # pair order does not matter to students


# ordering


def test_ordering_editor_is_registered_for_its_type():
    assert editor_for("ordering") is OrderingEditor


def test_ordering_initial_values_keep_the_right_order():
    question = QuestionFactory(type="ordering", config={"items": ["2014", "2016", "2021"]})
    editor = OrderingEditor(question=question)
    assert _texts(editor) == ["2014", "2016", "2021", None]


def test_ordering_valid_post_gives_the_config_grading_accepts():
    editor = bind(OrderingEditor(), type__items__0__text="first", type__items__2__text="third",
                  type__items__3__text=" fourth ")
    assert editor.is_valid()
    assert editor.config() == {"items": ["first", "third", "fourth"]}
    assert grading.check_config(spec_of(editor)) == []


def test_ordering_move_buttons_reorder_and_keep_focus_on_the_moved_item():
    editor = bind(OrderingEditor(), "type-items-move-2-up", type__items__0__text="a",
                  type__items__1__text="b", type__items__2__text="c")
    assert editor.action == "items" and not editor.is_valid()
    assert _texts(editor) == ["a", "c", "b", ""]
    assert editor.focus == "type-items-move-1-up"
    assert editor.status == "Moved item 3 up to position 2."
    html = render(editor)
    assert 'name="type-items-move-1-up" value="1" formnovalidate ' \
           'class="btn btn-sm btn-outline-secondary" autofocus' in html
    assert 'aria-live="polite">Moved item 3 up to position 2.' in html

    editor = bind(editor, "type-items-move-1-up")
    assert _texts(editor) == ["c", "a", "b", ""]
    assert editor.focus == "type-items-move-0-down"  # the first row has no "up" to focus

    editor = bind(editor, "type-items-move-0-down")
    assert _texts(editor) == ["a", "c", "b", ""]
    editor = bind(editor, "type-items-move-2-down")
    assert _texts(editor) == ["a", "c", "", "b"]
    assert editor.focus == "type-items-move-3-up"  # the last row has no "down"
    saved = bind(editor)
    assert saved.is_valid()
    assert saved.config() == {"items": ["a", "c", "b"]}


def test_ordering_first_up_and_last_down_buttons_are_disabled():
    buttons = parse(render(OrderingEditor())).buttons
    assert "disabled" in buttons["type-items-move-0-up"]
    assert "disabled" in buttons["type-items-move-3-down"]
    assert "disabled" not in buttons["type-items-move-1-up"]
    # A forged press of a disabled button changes nothing.
    data = parse(render(OrderingEditor())).data
    data["type-items-0-text"], data["type-items-move-0-up"] = "a", "1"
    editor = OrderingEditor(data)
    assert editor.action == "items" and _texts(editor)[0] == "a"


def test_ordering_add_and_remove_buttons():
    editor = bind(OrderingEditor(), "type-items-add")
    assert len(editor.rowsets["items"].rows) == 5
    editor = bind(editor, "type-items-remove-0", type__items__0__text="gone",
                  type__items__1__text="kept")
    assert _texts(editor)[:1] == ["kept"] and len(editor.rowsets["items"].rows) == 4


def test_ordering_check_config_messages():
    editor = bind(OrderingEditor(), type__items__0__text="same", type__items__1__text="other",
                  type__items__2__text="same")
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == ["Two items have the same text; students could not tell them apart."]
    editor.add_problems(problems)
    assert errors(editor.rowsets["items"].rows[2].form, "text") == [
        "Same text as item 1: Two items have the same text; students could not tell them "
        "apart."]

    one = bind(OrderingEditor(), type__items__0__text="alone")
    assert one.is_valid()
    one.add_problems(grading.check_config(spec_of(one)))
    assert one.rowsets["items"].messages() == ["Give at least two items to put in order."]
    one.add_problems(["Something else."])
    assert one.problems == ["Something else."]
