"""Evidence and two-part editors: the passage picker on the reading, initial values, valid
posts, invalid cases, grading messages on the right field, Part A's choice rows."""

from __future__ import annotations

import pytest

from quizzes import grading
from quizzes.authoring.editors import editor_for
from quizzes.authoring.editors.evidence import EvidenceEditor, TwoPartEditor
from quizzes.interop.drafts import ChoiceDraft
from tests.factories import ChoiceFactory, PassageFactory, QuestionFactory, ReadingFactory

from .editor_form import bind, errors, parse, render, spec_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def passages():
    reading = ReadingFactory()
    texts = ["Russia and China drew closer after 2014.", "Trade grew.\nSanctions bit.",
             "A heading", "Neither wants an alliance."]
    rows = [PassageFactory(reading=reading, order=n, text=t, kind="paragraph")
            for n, t in enumerate(texts, start=1)]
    rows[2].kind = "heading"
    rows[2].save()
    return rows


def _evidence(passages, config):
    question = QuestionFactory(type="evidence", config=config)
    return EvidenceEditor(question=question, passages=passages)


# evidence


def test_evidence_editor_is_registered_for_its_type():
    assert editor_for("evidence") is EvidenceEditor


def test_evidence_picker_shows_every_passage_with_its_text_and_labelled_checkboxes(passages):
    html = render(EvidenceEditor(passages=passages))
    for p in passages:
        assert f'<legend class="fs-6 fw-semibold mb-1">Passage {p.order}' in html
    assert "Trade grew.<br>Sanctions bit." in html
    assert "(heading)" in html
    fields = parse(html)
    # Every passage is offered by default, none is in the key.
    assert fields.data.getlist("type-offered") == ["1", "2", "3", "4"]
    assert fields.data.getlist("type-key") == []
    for n in range(4):
        assert f'<label class="form-check-label" for="id_type-key_{n}">In the key' in html
        assert f'type="checkbox" name="type-key" value="{n + 1}"' in html
        assert f'for="id_type-offered_{n}">Students may pick it' in html


def test_evidence_without_passages_says_so(db):
    html = render(EvidenceEditor())
    assert "has no passages yet" in html


def test_evidence_initial_values_come_from_the_saved_question(passages):
    editor = _evidence(passages, {"claim": "They are close.", "key": [1, 4], "max_picks": 3,
                                  "passages": [1, 2, 4]})
    fields = parse(render(editor)).data
    assert fields.getlist("type-key") == ["1", "4"]
    assert fields.getlist("type-offered") == ["1", "2", "4"]
    assert fields["type-max_picks"] == "3"
    assert fields["type-claim"] == "They are close."


def test_evidence_key_passages_the_reading_lost_are_named_not_dropped_silently(passages):
    editor = _evidence(passages, {"key": [2, 7, 9]})
    assert editor.problems == ["The saved key lists passages 7, 9, which this reading does "
                               "not have; tick the key passages again."]
    assert "which this reading does not have" in render(editor)
    assert parse(render(editor)).data.getlist("type-key") == ["2"]
    twopart = TwoPartEditor(question=QuestionFactory(
        type="twopart", config={"part_b": {"prompt": "P", "key": [5]}}), passages=passages)
    assert twopart.problems == ["The saved key lists passage 5, which this reading does not "
                                "have; tick the key passages again."]
    # Posting the form again is judged on what is posted.
    again = bind(editor)
    assert again.problems == [] and again.is_valid()


def test_evidence_valid_post_gives_the_config_grading_accepts(passages):
    editor = bind(EvidenceEditor(passages=passages), type__claim=" Close ties. ",
                  type__key=[4, 1], type__max_picks=2)
    assert editor.is_valid()
    assert editor.config() == {"claim": "Close ties.", "key": [1, 4], "max_picks": 2}
    spec = spec_of(editor)
    assert grading.check_config(spec) == []
    assert grading.grade(spec, [1, 4]).state == "correct"


def test_evidence_offering_only_some_passages_saves_them(passages):
    editor = bind(EvidenceEditor(passages=passages), type__key=[2], type__offered=[1, 2, 4])
    assert editor.is_valid()
    assert editor.config() == {"key": [2], "passages": [1, 2, 4]}
    assert grading.check_config(spec_of(editor)) == []


def test_evidence_saved_question_round_trips(passages):
    config = {"claim": "c", "key": [2, 3], "passages": [2, 3], "max_picks": 2}
    editor = bind(_evidence(passages, config))
    assert editor.is_valid()
    assert editor.config() == config


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"key": [9]}, "key", "Select a valid choice. 9 is not one of the available choices."),
    ({"key": [1], "max_picks": "0"}, "max_picks",
     "Ensure this value is greater than or equal to 1."),
    ({"key": [1], "max_picks": "two"}, "max_picks", "Enter a whole number."),
])
def test_evidence_malformed_post_is_refused_on_its_field(passages, fields, field, message):
    editor = bind(EvidenceEditor(passages=passages), **{f"type-{k}": v for k, v in fields.items()})
    assert not editor.is_valid()
    assert errors(editor.settings, field) == [message]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({}, "key", "The key must list at least one passage number (1, 2, ...)."),
    ({"key": [1, 2], "max_picks": "1"}, "max_picks",
     "The maximum number of picks (1) is smaller than the key (2 passages), so full marks "
     "would be impossible."),
    ({"key": [1], "offered": [2]}, "key",
     "Every key passage must be one of the allowed passages."),
    ({"key": [1], "offered": None}, "offered",
     "The allowed passages must be a list of passage numbers."),
])
def test_evidence_check_config_messages_land_on_their_field(passages, fields, field, message):
    editor = bind(EvidenceEditor(passages=passages), **{f"type-{k}": v for k, v in fields.items()})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == [message]
    editor.add_problems(problems)
    assert errors(editor.settings, field) == [message]
    html = render(editor)
    if field in ("key", "offered"):
        # The picker's fieldset is described by the message.
        assert f'aria-describedby="id_type-{field}_error"' in html
        assert f'id="id_type-{field}_error"' in html


def test_evidence_unknown_messages_go_above_the_editor(passages):
    editor = bind(EvidenceEditor(passages=passages), type__key=[1])
    assert editor.is_valid()
    editor.add_problems(["The claim must be text.", "Odd."])
    assert errors(editor.settings, "claim") == ["The claim must be text."]
    assert editor.problems == ["Odd."]
    assert "Odd." in render(editor)


# two-part


def _twopart(passages, config, choices=(("Yes", 1, "Right"), ("No", 0, ""))):
    question = QuestionFactory(type="twopart", config=config)
    for text, fraction, feedback in choices:
        ChoiceFactory(question=question, text=text, fraction=fraction, feedback=feedback)
    return TwoPartEditor(question=question, passages=passages)


def test_twopart_editor_is_registered_for_its_type():
    assert editor_for("twopart") is TwoPartEditor


def test_twopart_blank_editor_offers_choice_rows_the_picker_and_scoring(passages):
    editor = TwoPartEditor(passages=passages)
    html = render(editor)
    assert len(editor.rowsets["choices"].rows) == 4
    data = parse(html).data
    # Part A's credits are the single-choice editor's list; the first row starts right.
    assert data["type-choices-0-credit"] == "1" and data["type-choices-1-credit"] == "0"
    assert '<option value="0.5">50 %</option>' in html
    assert data["type-part_a_weight"] == "50" and data["type-part_b_depends"] == "none"
    assert data["type-shuffle"] == "on"
    assert data.getlist("type-offered") == ["1", "2", "3", "4"]
    for value, label in (("a_right", "Part B counts only when Part A is right"),
                         ("a_credit", "Part B is scaled by Part A&#x27;s credit")):
        assert f'<option value="{value}">{label}</option>' in html


def test_twopart_initial_values_come_from_the_saved_question(passages):
    config = {"part_b": {"prompt": "Which passage?", "key": [2], "max_picks": 2},
              "part_a_weight": 0.25, "b_requires_a": True, "shuffle": False}
    editor = _twopart(passages, config)
    data = parse(render(editor)).data
    assert data["type-part_b_prompt"] == "Which passage?"
    assert data.getlist("type-key") == ["2"] and data["type-max_picks"] == "2"
    assert data["type-part_a_weight"] == "25"
    assert data["type-part_b_depends"] == "a_right"  # the older b_requires_a, shown as such
    assert "type-shuffle" not in data
    assert [data[f"type-choices-{i}-text"] for i in range(2)] == ["Yes", "No"]
    assert data["type-choices-0-credit"] == "1" and data["type-choices-0-feedback"] == "Right"


def test_twopart_valid_post_gives_config_and_choices_grading_accepts(passages):
    editor = bind(TwoPartEditor(passages=passages),
                  type__choices__0__text="Partners", type__choices__0__feedback="Yes.",
                  type__choices__1__text="Allies", type__choices__2__text="Rivals",
                  type__choices__2__credit="0.5", type__part_b_prompt="Which passage shows it?",
                  type__key=[1, 4], type__max_picks=2, type__part_a_weight="40",
                  type__part_b_depends="a_credit", type__shuffle=None)
    assert editor.is_valid()
    assert editor.config() == {
        "part_b": {"prompt": "Which passage shows it?", "key": [1, 4], "max_picks": 2},
        "part_a_weight": 0.4, "part_b_depends": "a_credit", "shuffle": False}
    assert editor.choices() == [ChoiceDraft("Partners", 1.0, "Yes."),
                                ChoiceDraft("Allies", 0.0, ""), ChoiceDraft("Rivals", 0.5, "")]
    spec = spec_of(editor, points=2)
    assert grading.check_config(spec) == []
    assert grading.grade(spec, {"a": "1", "b": [1, 4]}).score == 2.0


def test_twopart_saved_question_round_trips_with_the_newer_dependency_key(passages):
    config = {"part_b": {"prompt": "P", "key": [2]}, "b_requires_a": True}
    editor = bind(_twopart(passages, config))
    assert editor.is_valid()
    assert editor.config() == {"part_b": {"prompt": "P", "key": [2]},
                               "part_b_depends": "a_right"}
    assert editor.choices() == [ChoiceDraft("Yes", 1.0, "Right"), ChoiceDraft("No", 0.0, "")]


@pytest.mark.parametrize(("fields", "form", "field", "message"), [
    ({"part_a_weight": "100"}, "settings", "part_a_weight",
     "Give Part A a share from 1 to 99 percent."),
    ({"part_a_weight": "0"}, "settings", "part_a_weight",
     "Give Part A a share from 1 to 99 percent."),
    ({"part_b_depends": "maybe"}, "settings", "part_b_depends",
     "Select a valid choice. maybe is not one of the available choices."),
    ({"choices-2-feedback": "Close"}, 2, "text", "Type the choice, or empty the whole row."),
    ({"choices-0-credit": "1.2"}, 0, "credit", "Choose a credit from the list."),
    ({"choices-0-credit": "lots"}, 0, "credit", "Choose a credit from the list."),
])
def test_twopart_malformed_post_is_refused_on_its_field(passages, fields, form, field,
                                                        message):
    base = {"choices-0-text": "Yes", "choices-1-text": "No", "key": [1]}
    editor = bind(TwoPartEditor(passages=passages),
                  **{f"type-{k}": v for k, v in {**base, **fields}.items()})
    assert not editor.is_valid()
    target = (editor.settings if form == "settings"
              else editor.rowsets["choices"].rows[form].form)
    assert errors(target, field) == [message]


@pytest.mark.parametrize(("fields", "where", "field", "message"), [
    ({"choices-1-text": ""}, "choices", None, "Part A: Give at least two choices."),
    ({"choices-0-credit": "0.5"}, "choices", None,
     "Part A: Mark one choice as fully correct (credit 1)."),
    ({"part_b_prompt": " "}, "settings", "part_b_prompt", "Part B needs a prompt."),
    ({"key": None}, "settings", "key",
     "Part B: The key must list at least one passage number (1, 2, ...)."),
    ({"key": [1, 2], "max_picks": "1"}, "settings", "max_picks",
     "Part B: The maximum number of picks (1) is smaller than the key (2 passages), so full "
     "marks would be impossible."),
    ({"choices-0-credit": "-0.5", "choices-1-credit": "1"}, 0, "credit",
     "Part A: Choice 1: the credit must be a number from 0 to 1."),
    ({"offered": [2, 3]}, "settings", "key",
     "Part B: Every key passage must be one of the allowed passages."),
])
def test_twopart_check_config_messages_land_on_their_field(passages, fields, where, field,
                                                           message):
    base = {"choices-0-text": "Yes", "choices-1-text": "No", "key": [1]}
    editor = bind(TwoPartEditor(passages=passages),
                  **{f"type-{k}": v for k, v in {**base, **fields}.items()})
    assert editor.is_valid()
    problems = grading.check_config(spec_of(editor))
    assert problems == [message]
    editor.add_problems(problems)
    if where == "choices":
        assert editor.rowsets["choices"].messages() == [message]
    elif isinstance(where, int):
        assert errors(editor.rowsets["choices"].rows[where].form, field) == [message]
    else:
        assert errors(editor.settings, field) == [message]


def test_twopart_per_choice_and_setting_messages_are_mapped(passages):
    editor = bind(TwoPartEditor(passages=passages), type__choices__0__text="Yes",
                  type__choices__1__text="No", type__key=[1])
    assert editor.is_valid()
    editor.add_problems([
        "Part A: Choice 2 has no text.", "Part A: Choice 1: the credit must be a number "
        "from 0 to 1.", "Part A: Choice 2: feedback must be text.",
        "Part A's weight must be a number between 0 and 1 (e.g. 0.5).",
        "“b_requires_a” must be true or false.", "“shuffle” must be true or false.", "Odd."])
    rows = editor.rowsets["choices"].rows
    assert errors(rows[1].form, "text") == ["Part A: Choice 2 has no text."]
    assert errors(rows[0].form, "credit") == [
        "Part A: Choice 1: the credit must be a number from 0 to 1."]
    assert errors(rows[1].form, "feedback") == ["Part A: Choice 2: feedback must be text."]
    assert errors(editor.settings, "part_a_weight")
    assert errors(editor.settings, "part_b_depends")
    assert errors(editor.settings, "shuffle")
    assert editor.problems == ["Odd."]


def test_twopart_choice_buttons_keep_part_b_as_typed(passages):
    editor = bind(TwoPartEditor(passages=passages), "type-choices-move-1-up",
                  type__choices__0__text="Yes", type__choices__1__text="No",
                  type__key=[3], type__part_b_prompt="Why?")
    assert editor.action == "choices" and not editor.is_valid()
    data = parse(render(editor)).data
    assert [data["type-choices-0-text"], data["type-choices-1-text"]] == ["No", "Yes"]
    assert [data["type-choices-0-credit"], data["type-choices-1-credit"]] == ["0", "1"]
    assert data.getlist("type-key") == ["3"] and data["type-part_b_prompt"] == "Why?"
    editor = bind(editor, "type-choices-remove-0")
    saved = bind(editor)
    assert saved.is_valid()
    assert saved.choices()[0] == ChoiceDraft("Yes", 1.0, "")
