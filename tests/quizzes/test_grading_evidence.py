"""Pure tests for evidence credit and two-part dependency: no database, no Django."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.grading import ChoiceSpec, QuestionSpec, check_config, get_type, grade, public_data
from quizzes.grading.evidence import PICKS_RULE, picks_fraction


def evidence(key, points=1.0, **extra) -> QuestionSpec:
    return QuestionSpec("evidence", points, (), {"claim": "c", "key": key, **extra})


def twopart(points=2.0, **extra) -> QuestionSpec:
    choices = (
        ChoiceSpec("right", "Right", 1.0),
        ChoiceSpec("half", "Half right", 0.5),
        ChoiceSpec("wrong", "Wrong", 0.0),
    )
    config = {"part_b": {"prompt": "Which?", "key": [4], "max_picks": 2}, **extra}
    return QuestionSpec("twopart", points, choices, config)


# --- evidence credit -------------------------------------------------------------------------


def test_one_passage_key_right_pick_plus_one_other_earns_half():
    # The review's case: this used to score 0.
    result = grade(evidence([7], points=2, max_picks=2), [7, 3])
    assert (result.score, result.state) == (1.0, "partial")


def test_whole_key_and_nothing_else_is_full_credit():
    assert grade(evidence([6, 8]), [8, 6]).state == "correct"


def test_part_of_the_key_earns_its_share():
    assert grade(evidence([6, 7, 8, 10], points=4), [6, 10]).score == 2.0


def test_only_wrong_picks_earn_nothing():
    result = grade(evidence([6, 8]), [1, 2, 3])
    assert (result.score, result.state) == (0.0, "incorrect")


def test_picking_every_passage_earns_only_the_key_share():
    assert grade(evidence([5]), list(range(1, 11))).score == 0.1


@given(
    st.sets(st.integers(1, 12), min_size=1, max_size=6),
    st.sets(st.integers(1, 12), max_size=12),
)
def test_picks_credit_is_between_zero_and_one_and_one_only_for_the_key(key, picks):
    credit = picks_fraction(sorted(key), sorted(picks))
    assert 0.0 <= credit <= 1.0
    assert (credit == 1.0) == (picks == key)
    assert picks_fraction(sorted(key), sorted(key)) == 1.0


@given(st.sets(st.integers(1, 12), min_size=1, max_size=6), st.integers(13, 20))
def test_an_extra_wrong_pick_never_raises_credit(key, extra):
    assert picks_fraction(sorted(key), sorted(key | {extra})) < 1.0


def test_the_rule_is_public_but_the_key_is_not():
    one = public_data(evidence([3], max_picks=2))
    two = public_data(evidence([3, 5, 9], max_picks=4))
    assert one["rule"] == two["rule"] == PICKS_RULE
    assert "key" not in one
    assert "larger" in PICKS_RULE and "never goes below zero" in PICKS_RULE


# --- two-part dependency ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "answer", "score"),
    [
        ({}, {"a": "wrong", "b": [4]}, 1.0),
        ({"part_b_depends": "none"}, {"a": "wrong", "b": [4]}, 1.0),
        ({"part_b_depends": "a_right"}, {"a": "wrong", "b": [4]}, 0.0),
        ({"part_b_depends": "a_right"}, {"a": "half", "b": [4]}, 0.5),
        ({"part_b_depends": "a_right"}, {"a": "right", "b": [4]}, 2.0),
        ({"part_b_depends": "a_credit"}, {"a": "half", "b": [4]}, 1.0),
        ({"part_b_depends": "a_credit"}, {"a": "half", "b": [4, 1]}, 0.75),
        ({"part_b_depends": "a_credit"}, {"a": "wrong", "b": [4]}, 0.0),
        ({"b_requires_a": True}, {"a": "half", "b": [4]}, 0.5),
        ({"b_requires_a": True, "part_b_depends": "a_right"}, {"a": "wrong", "b": [4]}, 0.0),
    ],
)
def test_part_b_credit_follows_the_authors_dependency(config, answer, score):
    assert grade(twopart(**config), answer).score == score


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"part_b_depends": "always"}, "“part_b_depends” must be"),
        ({"part_b_depends": True}, "“part_b_depends” must be"),
        ({"b_requires_a": True, "part_b_depends": "none"}, "disagree"),
        ({"b_requires_a": False, "part_b_depends": "a_right"}, "disagree"),
        ({"b_requires_a": "yes"}, "true or false"),
    ],
)
def test_bad_dependency_settings_are_reported(config, message):
    errors = check_config(twopart(**config))
    assert any(message in e for e in errors), errors


def test_two_part_rule_names_the_split_and_the_dependency():
    plain = public_data(twopart(points=2))["rule"]
    assert plain.startswith("Part A is worth 1 mark and Part B 1 mark.")
    assert "counts only" not in plain
    tied = public_data(twopart(points=3, part_a_weight=0.5, part_b_depends="a_right"))["rule"]
    assert "Part A is worth 1.5 marks and Part B 1.5 marks." in tied
    assert "Part B counts only if your answer to Part A is right." in tied
    scaled = public_data(twopart(part_b_depends="a_credit"))["rule"]
    assert "in proportion to your credit on Part A" in scaled


def test_two_part_public_data_carries_no_key():
    data = public_data(twopart(part_b_depends="a_right"))
    assert "key" not in data["part_b"]
    assert all(set(c) == {"id", "text"} for c in data["choices"]), data["choices"]


def test_two_part_correct_text_unchanged_by_dependency():
    spec = twopart(part_b_depends="a_credit")
    text = get_type("twopart").correct_answer_text(spec)
    assert text == "**Part A:** Right\n\n**Part B:** Passage 4"


# --- open response: model and anchor answers --------------------------------------------------


def open_q(**config) -> QuestionSpec:
    return QuestionSpec("open", 6, (), config)


def test_anchor_answers_follow_the_model_answer_in_the_guide():
    spec = open_q(model_answer="The best answer.", anchors=[
        {"label": "Developing, 3 of 6", "answer": "A middling answer.", "why": "Half there."},
        {"label": "Beginning, 1 of 6", "answer": "A weak answer."}])
    assert get_type("open").correct_answer_text(spec) == (
        "**Model answer.** The best answer.\n\n"
        "**Anchor answer: Developing, 3 of 6.** A middling answer.\n\n*Why:* Half there.\n\n"
        "**Anchor answer: Beginning, 1 of 6.** A weak answer.")
    assert get_type("open").correct_answer_text(open_q(model_answer="Only.")) == "Only."


def test_anchor_answers_never_reach_the_attempt_page():
    spec = open_q(model_answer="M", anchors=[{"label": "L", "answer": "A"}])
    assert set(public_data(spec)) == {"type", "min_words", "max_words", "max_length"}


@pytest.mark.parametrize(
    ("anchors", "message"),
    [
        ("text", "must be a list"),
        ([{"label": "L"}], "needs a label and an answer"),
        ([{"label": "", "answer": "A"}], "needs a label and an answer"),
        ([{"label": "L", "answer": "A", "score": 3}], "optionally why"),
        ([{"label": "L", "answer": "A", "why": 3}], "“why” must be text"),
    ],
)
def test_bad_anchor_answers_are_reported(anchors, message):
    errors = check_config(open_q(anchors=anchors))
    assert any(message in e for e in errors), errors
