"""Open response editor: settings grading reads, and the rubric builder (criteria x levels)
with add / remove / move buttons; a 3 x 3 rubric is one page of typing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from quizzes import grading
from quizzes.authoring.editors import CriterionDraft, LevelDraft, RubricDraft, editor_for
from quizzes.authoring.editors.open_response import OpenResponseEditor
from quizzes.models import Rubric, RubricCriterion, RubricLevel
from tests.factories import QuestionFactory

from .editor_form import bind, errors, parse, posted, render, spec_of

pytestmark = pytest.mark.django_db

def _levels(editor, criterion=0, field="label"):
    row = editor.rowsets["criteria"].rows[criterion]
    return [lv.form[field].value() for lv in row.child.rows]


def _grid(**extra):
    """Fields for a full 3 x 3 rubric, as an instructor types it."""
    fields = {}
    for c, name in enumerate(["Claim", "Evidence", "Reasoning"]):
        fields[f"type-criteria-{c}-name"] = name
        for lv, (label, points) in enumerate([("Strong", 3), ("Partial", 1.5), ("Missing", 0)]):
            prefix = f"type-criteria-{c}-levels-{lv}"
            fields[f"{prefix}-label"] = label
            fields[f"{prefix}-points"] = points
            fields[f"{prefix}-description"] = f"{label} {name.lower()}"
    fields.update(extra)
    return fields


def test_open_editor_is_registered_for_its_type():
    assert editor_for("open") is OpenResponseEditor


def test_blank_open_editor_offers_a_3_by_3_rubric_grid():
    editor = OpenResponseEditor()
    criteria = editor.rowsets["criteria"].rows
    assert len(criteria) == 3
    assert all(len(c.child.rows) == 3 for c in criteria)
    html = render(editor)
    assert 'for="id_type-criteria-2-levels-2-points"' in html
    assert "Add level<span class=\"visually-hidden\"> to criterion 3</span>" in html
    assert "Remove<span class=\"visually-hidden\"> criterion 2, level 3</span>" in html


def test_a_3_by_3_rubric_is_built_from_one_post():
    editor = bind(OpenResponseEditor(), **_grid(type__rubric_title="Argument",
                                                 type__max_words=300, type__min_words=50,
                                                 type__model_answer=" A model. "))
    assert editor.is_valid()
    assert editor.config() == {"min_words": 50, "max_words": 300, "model_answer": "A model."}
    assert grading.check_config(spec_of(editor)) == []
    rubric = editor.rubric()
    assert rubric.title == "Argument"
    assert [c.name for c in rubric.criteria] == ["Claim", "Evidence", "Reasoning"]
    assert rubric.criteria[1].levels == (
        LevelDraft("Strong", Decimal("3"), "Strong evidence"),
        LevelDraft("Partial", Decimal("1.5"), "Partial evidence"),
        LevelDraft("Missing", Decimal("0"), "Missing evidence"))


def test_open_without_rubric_or_limits_saves_an_empty_config_and_no_rubric():
    editor = bind(OpenResponseEditor())
    assert editor.is_valid()
    assert editor.config() == {} and editor.rubric() is None
    assert grading.check_config(spec_of(editor)) == []


def test_open_initial_values_come_from_the_saved_question_and_its_rubric():
    question = QuestionFactory(type="open", config={"max_words": 200, "model_answer": "M"})
    rubric = Rubric.objects.create(question=question, title="R")
    for position, name in enumerate(["Thesis", "Support"], start=1):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=position, name=name,
                                                   description=f"{name} d")
        for lp, (label, points) in enumerate([("Good", "2.00"), ("Weak", "0.50")], start=1):
            RubricLevel.objects.create(criterion=criterion, position=lp, label=label,
                                       points=Decimal(points))
    editor = OpenResponseEditor(question=question)
    data = parse(render(editor)).data
    assert data["type-max_words"] == "200" and data["type-min_words"] == ""
    assert data["type-model_answer"] == "M" and data["type-rubric_title"] == "R"
    criteria = editor.rowsets["criteria"].rows
    assert [c.form["name"].value() for c in criteria] == ["Thesis", "Support", None]
    assert _levels(editor, 1) == ["Good", "Weak", None]
    assert _levels(editor, 1, "points") == ["2", "0.5", None]
    # Posting it back unchanged saves the same rubric.
    again = bind(editor)
    assert again.is_valid()
    assert again.rubric() == RubricDraft("R", (
        CriterionDraft("Thesis", "Thesis d", (LevelDraft("Good", Decimal("2")),
                                              LevelDraft("Weak", Decimal("0.5")))),
        CriterionDraft("Support", "Support d", (LevelDraft("Good", Decimal("2")),
                                                LevelDraft("Weak", Decimal("0.5"))))))
    assert again.config() == {"max_words": 200, "model_answer": "M"}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"type-criteria-0-levels-1-points": ""}, ("levels", 1, "points"),
     "Give this level its points, or empty the row."),
    ({"type-criteria-0-levels-1-label": ""}, ("levels", 1, "label"),
     "Give this level a label, or empty the row."),
    ({"type-criteria-0-levels-1-points": "-1"}, ("levels", 1, "points"),
     "Points cannot be negative."),
    ({"type-criteria-0-levels-1-points": "many"}, ("levels", 1, "points"), "Enter a number."),
    ({"type-criteria-0-levels-1-label": "strong"}, ("levels", 1, "label"),
     "Another level of this criterion has this label; graders could not tell them apart."),
    ({"type-criteria-0-name": ""}, ("name",), "Name this criterion, or empty its levels."),
    ({"type-criteria-0-name": "", "type-criteria-0-description": "d"}, ("name",),
     "Name this criterion, or empty the row."),
    ({f"type-criteria-0-levels-{i}-{f}": "" for i in range(3)
      for f in ("label", "points", "description")}, ("name",),
     "Give this criterion at least one level."),
    ({"type-criteria-0-name": "x" * 201}, ("name",),
     "Ensure this value has at most 200 characters (it has 201)."),
])
def test_each_invalid_rubric_row_says_what_is_wrong_where(fields, field, message):
    editor = bind(OpenResponseEditor(), **_grid(**fields))
    assert not editor.is_valid()
    criterion = editor.rowsets["criteria"].rows[0]
    form = criterion.child.rows[field[1]].form if field[0] == "levels" else criterion.form
    assert errors(form, field[-1]) == [message]
    assert f'id="{form[field[-1]].auto_id}_error"' in render(editor)


def test_a_rubric_worth_nothing_is_refused():
    zero = {f"type-criteria-{c}-levels-{lv}-points": 0 for c in range(3) for lv in range(3)}
    editor = bind(OpenResponseEditor(), **_grid(**zero))
    assert not editor.is_valid()
    assert editor.rowsets["criteria"].messages() == [
        "At least one level must be worth more than 0 points, or the rubric cannot award "
        "anything."]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"type-min_words": 10, "type-max_words": 5}, "min_words",
     "The minimum number of words is larger than the maximum."),
])
def test_open_check_config_messages_land_on_their_field(fields, field, message):
    editor = bind(OpenResponseEditor(), **fields)
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == [message]
    editor.add_problems(problems)
    assert errors(editor.settings, field) == [message]


def test_open_other_messages_are_mapped_or_shown_above():
    editor = bind(OpenResponseEditor())
    assert editor.is_valid()
    editor.add_problems(["The maximum number of words must be a whole number ≥ 0.",
                         "The model answer must be text.", "Odd."])
    assert errors(editor.settings, "max_words")
    assert errors(editor.settings, "model_answer")
    assert editor.problems == ["Odd."]


def test_negative_word_limits_are_refused_by_the_form():
    editor = bind(OpenResponseEditor(), type__min_words=-1)
    assert not editor.is_valid()
    assert errors(editor.settings, "min_words") == [
        "Ensure this value is greater than or equal to 0."]


def test_add_and_remove_criteria_and_levels():
    editor = bind(OpenResponseEditor(), "type-criteria-add", **_grid())
    assert editor.action == "criteria" and not editor.is_valid()
    criteria = editor.rowsets["criteria"].rows
    assert len(criteria) == 4 and len(criteria[3].child.rows) == 3  # a new criterion has levels
    assert editor.focus == "id_type-criteria-3-name"

    editor = bind(editor, "type-criteria-1-levels-add")
    assert editor.action == "criteria"
    assert _levels(editor, 1) == ["Strong", "Partial", "Missing", None]
    assert editor.status == "Criterion 2: Added level 4."
    assert editor.focus == "id_type-criteria-1-levels-3-label"
    new_label = editor.rowsets["criteria"].rows[1].child.rows[3].form["label"]
    assert "autofocus" in str(new_label)

    editor = bind(editor, "type-criteria-1-levels-remove-0")
    assert _levels(editor, 1) == ["Partial", "Missing", ""]
    assert editor.focus == "type-criteria-1-levels-add"


@pytest.mark.parametrize("name", ["type-criteria-3-remove-3", "type-criteria-0-remove",
                                  "type-criteria-remove-9", "type-criteria-move-1-sideways"])
def test_forged_or_stale_button_names_are_not_row_actions(name):
    data = posted(OpenResponseEditor(), **_grid())
    data[name] = "1"
    editor = OpenResponseEditor(data)
    assert editor.action == ""
    assert editor.is_valid()


def test_move_buttons_for_criteria_and_levels():
    editor = bind(OpenResponseEditor(), "type-criteria-move-2-up",
                  **_grid(**{"type-criteria-2-levels-0-label": "Top"}))
    assert editor.action == "criteria"
    names = [c.form["name"].value() for c in editor.rowsets["criteria"].rows]
    assert names == ["Claim", "Reasoning", "Evidence"]
    assert _levels(editor, 1) == ["Top", "Partial", "Missing"]
    assert editor.focus == "type-criteria-move-1-up"

    editor = bind(editor, "type-criteria-1-levels-move-0-down")
    assert _levels(editor, 1) == ["Partial", "Top", "Missing"]
    assert editor.focus == "type-criteria-1-levels-move-1-down"
    saved = bind(editor)
    assert saved.is_valid()
    assert [lv.label for lv in saved.rubric().criteria[1].levels] == ["Partial", "Top",
                                                                      "Missing"]


def test_button_press_is_not_a_save_even_with_errors_in_the_post():
    data = posted(OpenResponseEditor(), "type-criteria-add",
                  **_grid(**{"type-min_words": "lots"}))
    editor = OpenResponseEditor(data)
    assert editor.action == "criteria" and not editor.is_valid()
    assert editor.settings.errors == {}  # nothing to fix yet: the instructor was not saving
    assert parse(render(editor)).data["type-min_words"] == "lots"


def test_anchor_answers_are_rows_that_survive_an_edit():
    anchors = [{"label": "Developing, 2 of 4", "answer": "A middling answer."},
               {"label": "Secure, 4 of 4", "answer": "A full answer.", "why": "Both sides."}]
    question = QuestionFactory(type="open", config={"model_answer": "M", "anchors": anchors})
    editor = OpenResponseEditor(question=question)
    labels = [row.form["label"].value() for row in editor.rowsets["anchors"].rows]
    assert labels[:2] == ["Developing, 2 of 4", "Secure, 4 of 4"]
    again = bind(editor, type__model_answer="New model.")
    assert again.is_valid()
    assert again.config() == {"model_answer": "New model.", "anchors": anchors}
    assert grading.check_config(grading.QuestionSpec(
        type="open", points=4.0, config=again.config())) == []


def test_an_anchor_row_needs_its_level_and_its_answer():
    editor = bind(OpenResponseEditor(), **{"type-anchors-0-why": "Because."})
    assert not editor.is_valid()
    errors = editor.rowsets["anchors"].rows[0].form.errors
    assert errors["label"] == ["Name the level this answer shows, or empty the row."]
    assert errors["answer"] == ["Write the sample answer, or empty the row."]


def test_anchor_rows_move_and_an_emptied_row_is_dropped():
    question = QuestionFactory(type="open", config={"anchors": [
        {"label": "Low", "answer": "a"}, {"label": "High", "answer": "b"}]})
    editor = bind(OpenResponseEditor(question=question), "type-anchors-move-1-up")
    assert editor.action == "anchors"
    saved = bind(editor, **{"type-anchors-1-label": "", "type-anchors-1-answer": ""})
    assert saved.is_valid()
    assert saved.config()["anchors"] == [{"label": "High", "answer": "b"}]
