"""Pure tests for quizzes.grading: no database, no Django."""

from __future__ import annotations

import json
import math
import random
import re
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizzes.grading import (
    OPEN_MAX_CHARS,
    SHORT_MAX_CHARS,
    STATES,
    TYPE_KEYS,
    TYPES,
    AnswerError,
    ChoiceSpec,
    ConfigError,
    Grade,
    QuestionSpec,
    check_config,
    get_type,
    grade,
    manual_grade,
    normalise,
    public_data,
    rubric_total,
    score_fraction,
)
from quizzes.grading.evidence import PICKS_RULE
from quizzes.grading.match import (
    compile_pattern,
    normalise_text,
    parse_number,
    pattern_matches,
)

# --- builders --------------------------------------------------------------------------------


def make(type_: str, points: float = 1.0, choices=(), **config) -> QuestionSpec:
    return QuestionSpec(type=type_, points=points, choices=tuple(choices), config=config)


def single_spec(points: float = 1.0, **config) -> QuestionSpec:
    return make(
        "single",
        points,
        [
            ChoiceSpec("1", "Beijing", 1.0, "Yes, the capital."),
            ChoiceSpec("2", "Peking", 0.5, "Old name."),
            ChoiceSpec("3", "Shanghai", 0.0, "Largest city, not the capital."),
        ],
        **config,
    )


def multiple_spec(points: float = 2.0) -> QuestionSpec:
    return make(
        "multiple",
        points,
        [
            ChoiceSpec("a", "Russia", 0.5, "Right: Russia."),
            ChoiceSpec("b", "China", 0.5, "Right: China."),
            ChoiceSpec("c", "France", -1.0, "France is not a member."),
            ChoiceSpec("d", "Iran", 0.0, ""),
        ],
    )


def short_spec(points: float = 1.0, **extra) -> QuestionSpec:
    config = {
        "answers": [
            {"text": "Belt and Road Initiative", "fraction": 1.0, "feedback": "Exactly."},
            {"text": "BRI", "fraction": 1.0},
            {"text": "Belt and Road*", "fraction": 0.5, "feedback": "Name it in full."},
        ],
        **extra,
    }
    return make("short", points, **config)


def numeric_spec(points: float = 1.0) -> QuestionSpec:
    return make(
        "numeric",
        points,
        answers=[
            {"value": 2007, "tolerance": 0, "fraction": 1.0, "feedback": "Right year."},
            {"min": 2000, "max": 2010, "fraction": 0.5, "feedback": "Right decade."},
        ],
    )


def matching_spec(points: float = 3.0) -> QuestionSpec:
    return make(
        "matching",
        points,
        pairs=[
            {"prompt": "S-400", "answer": "Russian missile system"},
            {"prompt": "J-20", "answer": "Chinese fighter"},
            {"prompt": "Su-57", "answer": "Russian fighter"},
        ],
        distractors=["American drone", "Chinese fighter"],
    )


def ordering_spec(points: float = 1.0, n: int = 4) -> QuestionSpec:
    return make("ordering", points, items=[f"event {i}" for i in range(n)])


def evidence_spec(points: float = 1.0, **extra) -> QuestionSpec:
    return make("evidence", points, claim="Trade grew.", key=[3, 5], **extra)


def twopart_spec(points: float = 2.0, **extra) -> QuestionSpec:
    return make(
        "twopart",
        points,
        [
            ChoiceSpec("x", "Trade grew", 1.0, "Part A is right."),
            ChoiceSpec("y", "Trade fell", 0.0, "Part A is wrong."),
        ],
        part_b={"prompt": "Which passage supports your answer?", "key": [4], "max_picks": 2},
        **extra,
    )


def open_spec(points: float = 5.0, **config) -> QuestionSpec:
    return make("open", points, **config)


VALID_SPECS = {
    "single": single_spec(),
    "multiple": multiple_spec(),
    "truefalse": make("truefalse", answer=True),
    "short": short_spec(),
    "numeric": numeric_spec(),
    "matching": matching_spec(),
    "ordering": ordering_spec(),
    "evidence": evidence_spec(),
    "twopart": twopart_spec(),
    "open": open_spec(),
    "description": make("description", 0),
}
# Types worth points; a description is worth none and is tested on its own below.
SCORED_KEYS = tuple(key for key in TYPE_KEYS if TYPES[key].scored)


def assert_in_range(result: Grade, points: float) -> None:
    assert 0 <= result.score <= points
    assert result.score == round(result.score, 4)
    assert result.max_score == points
    assert result.state in STATES


# --- registry --------------------------------------------------------------------------------


def test_every_type_key_has_a_registered_type():
    assert tuple(TYPES) == TYPE_KEYS
    for key, question_type in TYPES.items():
        assert question_type.key == key
        assert question_type.label


def test_only_open_response_needs_a_human_grader():
    assert [k for k, t in TYPES.items() if not t.auto_graded] == ["open"]


@pytest.mark.parametrize("key", ["essay", "", None, ["single"]])
def test_get_type_rejects_unknown_keys_with_config_error(key):
    with pytest.raises(ConfigError, match="Unknown question type"):
        get_type(key)


def test_check_config_reports_unknown_type_instead_of_raising():
    assert check_config(make("essay")) == ["Unknown question type 'essay'."]


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_example_specs_are_valid(key):
    assert check_config(VALID_SPECS[key]) == []


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_every_type_rejects_unknown_settings(key):
    spec = VALID_SPECS[key]
    bad = QuestionSpec(spec.type, spec.points, spec.choices, {**spec.config, "colour": "red"})
    assert any("colour" in e for e in check_config(bad))


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_every_type_rejects_negative_points(key):
    spec = VALID_SPECS[key]
    bad = QuestionSpec(spec.type, -1, spec.choices, spec.config)
    assert "Points must be a number of 0 or more." in check_config(bad)


def test_points_may_have_at_most_four_decimals():
    assert check_config(single_spec(points=0.3333)) == []
    assert check_config(single_spec(points=1 / 3)) == ["Points can have at most 4 decimal places."]


@pytest.mark.parametrize("key", SCORED_KEYS)
def test_decimal_points_and_fractions_from_the_database_are_accepted(key):
    spec = VALID_SPECS[key]
    choices = tuple(
        ChoiceSpec(c.id, c.text, Decimal(str(c.fraction)), c.feedback) for c in spec.choices
    )
    decimal_spec = QuestionSpec(spec.type, Decimal("2.50"), choices, spec.config)
    assert check_config(decimal_spec) == []
    answers = {
        "single": "1",
        "multiple": ["a", "b"],
        "truefalse": True,
        "short": "BRI",
        "numeric": 2007,
        "matching": RIGHT_MATCHES,
        "ordering": [0, 1, 2, 3],
        "evidence": [3, 5],
        "twopart": {"a": "x", "b": [4]},
        "open": "text",
    }
    result = grade(decimal_spec, answers[key])
    assert result.max_score == 2.5
    assert result.score == (0.0 if key == "open" else 2.5)


def test_spec_type_must_match_the_type_used():
    assert check_config(VALID_SPECS["single"]) == []
    errors = TYPES["multiple"].check_config(VALID_SPECS["single"])
    assert any("not 'single'" in e for e in errors)


def test_invalid_config_makes_every_method_raise_config_error():
    bad = make("truefalse")  # no answer
    question_type = get_type("truefalse")
    for call in (
        lambda: question_type.normalise(bad, True),
        lambda: question_type.grade(bad, True),
        lambda: question_type.public_data(bad),
        lambda: question_type.correct_answer_text(bad),
        lambda: grade(bad, True),
    ):
        with pytest.raises(ConfigError):
            call()


@pytest.mark.parametrize("key", ["truefalse", "short", "numeric", "ordering", "evidence", "open"])
def test_types_without_choices_reject_choices(key):
    spec = VALID_SPECS[key]
    bad = QuestionSpec(spec.type, spec.points, (ChoiceSpec("1", "x", 1.0),), spec.config)
    assert any("no choices" in e for e in check_config(bad))


@pytest.mark.parametrize("key", SCORED_KEYS)
def test_unanswered_scores_zero_and_incorrect_for_every_type(key):
    spec = VALID_SPECS[key]
    assert normalise(spec, None) is None
    result = get_type(key).grade(spec, None)
    assert result.score == 0
    assert result.state == "incorrect"
    assert result.max_score == spec.points


# --- single ----------------------------------------------------------------------------------


def test_single_right_choice_scores_full_points_with_its_feedback():
    result = grade(single_spec(points=2), "1")
    assert result == Grade(2.0, 2.0, "correct", ("Yes, the capital.",))


def test_single_partial_fraction_gives_partial_credit():
    result = grade(single_spec(points=2), "2")
    assert (result.score, result.state, result.feedback) == (1.0, "partial", ("Old name.",))


def test_single_wrong_choice_scores_zero_with_its_feedback():
    result = grade(single_spec(), "3")
    assert (result.score, result.state) == (0.0, "incorrect")
    assert result.feedback == ("Largest city, not the capital.",)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_single_blank_answer_is_unanswered(raw):
    assert normalise(single_spec(), raw) is None


def test_single_accepts_integer_ids_and_trims_them():
    assert normalise(single_spec(), 1) == "1"
    assert normalise(single_spec(), " 2 ") == "2"


@pytest.mark.parametrize("raw", ["99", 99, ["1"], {"id": "1"}, True, 1.0])
def test_single_rejects_unknown_ids_and_wrong_shapes(raw):
    with pytest.raises(AnswerError):
        normalise(single_spec(), raw)


def test_grade_convenience_raises_on_unknown_id_but_type_grade_tolerates_stale_answers():
    with pytest.raises(AnswerError):
        grade(single_spec(), "99")
    # e.g. the author deleted the choice after the attempt was saved
    assert get_type("single").grade(single_spec(), "99") == Grade(0.0, 1.0, "incorrect")


def test_single_config_needs_a_fully_correct_choice():
    spec = make("single", 1, [ChoiceSpec("1", "a", 0.5), ChoiceSpec("2", "b", 0)])
    assert check_config(spec) == ["Mark one choice as fully correct (credit 1)."]


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([ChoiceSpec("1", "a", 1.0)], "at least two choices"),
        ([ChoiceSpec("1", "a", 1.0), ChoiceSpec("1", "b", 0)], "repeats the id"),
        ([ChoiceSpec("1", "a", 1.0), ChoiceSpec("2", " ", 0)], "has no text"),
        ([ChoiceSpec("1", "a", 1.0), ChoiceSpec("2", "b", -0.5)], "from 0 to 1"),
        ([ChoiceSpec("1", "a", 1.0), ChoiceSpec("2", "b", math.nan)], "from 0 to 1"),
        ([ChoiceSpec("1", "a", 1.0), ChoiceSpec("", "b", 0)], "has no id"),
    ],
)
def test_single_config_errors(choices, message):
    errors = check_config(make("single", 1, choices))
    assert any(message in e for e in errors), errors


def test_single_correct_answer_text_names_the_right_choice():
    assert get_type("single").correct_answer_text(single_spec()) == "Beijing"


# --- multiple --------------------------------------------------------------------------------


def test_multiple_all_right_choices_score_full_points():
    result = grade(multiple_spec(), ["b", "a"])
    assert (result.score, result.state) == (2.0, "correct")
    assert result.feedback == ("Right: Russia.", "Right: China.")


def test_multiple_some_right_choices_score_partial():
    result = grade(multiple_spec(), ["a"])
    assert (result.score, result.state) == (1.0, "partial")


def test_multiple_penalty_never_below_zero():
    result = grade(multiple_spec(), ["a", "c"])
    assert (result.score, result.state) == (0.0, "incorrect")
    assert result.feedback == ("Right: Russia.", "France is not a member.")


def test_multiple_negative_weight_reduces_score():
    spec = make(
        "multiple",
        4,
        [ChoiceSpec("a", "A", 0.5), ChoiceSpec("b", "B", 0.5), ChoiceSpec("c", "C", -0.25)],
    )
    assert grade(spec, ["a", "b", "c"]).score == 3.0


def test_multiple_duplicate_ids_count_once():
    assert normalise(multiple_spec(), ["a", "a", "a"]) == ["a"]
    assert grade(multiple_spec(), ["a", "a"]).score == 1.0


def test_multiple_answer_is_order_insensitive_in_author_order():
    assert normalise(multiple_spec(), ["d", "b", "a"]) == ["a", "b", "d"]
    assert normalise(multiple_spec(), ["a", "b", "d"]) == ["a", "b", "d"]


@pytest.mark.parametrize("raw", [[], "", None])
def test_multiple_empty_selection_is_unanswered(raw):
    assert normalise(multiple_spec(), raw) is None


@pytest.mark.parametrize("raw", ["a", ["a", "zzz"], [["a"]], {"a": True}, 3])
def test_multiple_rejects_malformed_answers(raw):
    with pytest.raises(AnswerError):
        normalise(multiple_spec(), raw)


def test_multiple_stale_answer_keeps_known_ids():
    assert get_type("multiple").grade(multiple_spec(), ["a", "deleted"]).score == 1.0


def test_multiple_score_is_capped_at_points():
    # Positive weights within the 0.0001 rounding allowance may add to slightly over 1.
    spec = make("multiple", 3, [ChoiceSpec("a", "A", 0.50005), ChoiceSpec("b", "B", 0.5)])
    assert check_config(spec) == []
    result = grade(spec, ["a", "b"])
    assert (result.score, result.state) == (3.0, "correct")


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.6, 0.6], "add up to 1"),
        ([0.5, 0.2], "add up to 1"),
        ([0, -0.5], "positive weight"),
        ([1.5, -0.5], "from -1 to 1"),
    ],
)
def test_multiple_config_checks_weights(weights, message):
    choices = [ChoiceSpec(str(i), f"c{i}", w) for i, w in enumerate(weights)]
    errors = check_config(make("multiple", 1, choices))
    assert any(message in e for e in errors), errors


def test_multiple_correct_answer_text_lists_positive_choices():
    assert get_type("multiple").correct_answer_text(multiple_spec()) == "- Russia\n- China"


# --- true/false ------------------------------------------------------------------------------


def tf_spec(answer: bool = True) -> QuestionSpec:
    return make(
        "truefalse", 1, answer=answer, feedback_true="You said true.", feedback_false="You said no."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(True, True), (False, False), ("true", True), (" FALSE ", False), ("", None), (None, None)],
)
def test_truefalse_accepts_bools_and_true_false_strings(raw, expected):
    assert normalise(tf_spec(), raw) is expected


@pytest.mark.parametrize("raw", ["yes", 1, 0, "t", [True], {"a": 1}])
def test_truefalse_rejects_anything_else(raw):
    with pytest.raises(AnswerError):
        normalise(tf_spec(), raw)


def test_truefalse_grades_and_shows_feedback_for_the_option_chosen():
    assert grade(tf_spec(True), "true") == Grade(1.0, 1.0, "correct", ("You said true.",))
    assert grade(tf_spec(True), False) == Grade(0.0, 1.0, "incorrect", ("You said no.",))
    assert grade(tf_spec(False), False).state == "correct"


def test_truefalse_config_needs_a_boolean_answer():
    assert check_config(make("truefalse", answer="true")) == [
        "Say whether the statement is true or false."
    ]


def test_truefalse_public_data_is_identical_whatever_the_answer():
    assert public_data(tf_spec(True)) == public_data(tf_spec(False))
    assert public_data(tf_spec(True), random.Random(1)) == public_data(tf_spec(False))


# --- short answer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Belt and Road Initiative",
        "  belt   AND road\tinitiative ",
        "belt-and-road initiative",
        "Belt and Road Initiative.",
        "“Belt and Road Initiative”",
        "bri",
        "B.R.I.",
        "ＢＲＩ",  # full-width letters (NFKC)
    ],
)
def test_short_answer_matches_ignoring_case_space_punctuation_and_width(raw):
    result = grade(short_spec(), raw)
    assert (result.score, result.state) == (1.0, "correct")


def test_short_answer_best_matching_fraction_wins_and_gives_its_feedback():
    # "Belt and Road Initiative" also matches the 0.5 wildcard; the full answer must win.
    assert grade(short_spec(), "Belt and Road Initiative").feedback == ("Exactly.",)
    result = grade(short_spec(), "Belt and Road project")
    assert (result.score, result.state, result.feedback) == (0.5, "partial", ("Name it in full.",))


def test_short_answer_wildcard_matches_empty_run():
    assert grade(short_spec(), "belt and road").score == 0.5


def test_short_answer_no_match_scores_zero():
    assert grade(short_spec(), "Marshall Plan") == Grade(0.0, 1.0, "incorrect")


def test_short_answer_case_sensitive_option():
    spec = make("short", answers=[{"text": "NATO", "fraction": 1}], case_sensitive=True)
    assert grade(spec, "NATO").state == "correct"
    assert grade(spec, "nato").state == "incorrect"


def test_short_answer_curly_and_straight_apostrophes_are_equivalent():
    spec = make("short", answers=[{"text": "Xi’s plan", "fraction": 1}])
    assert grade(spec, "Xi's plan").state == "correct"
    assert grade(spec, "xis plan").state == "correct"  # apostrophes are punctuation: ignored


def test_short_answer_wildcard_escapes_regex_characters():
    spec = make(
        "short",
        answers=[
            {"text": "U.S.*", "fraction": 1},
            {"text": "$5.00*", "fraction": 1},
            {"text": "C++*", "fraction": 1},
        ],
    )
    for right in ("U.S. Army", "US army", "USA", "$5.00 each", "C++ language"):
        assert grade(spec, right).state == "correct", right
    # With regex semantics "." would match any character and "+" would repeat.
    for wrong in ("UXS", "$5x00", "CCC", "C language", "$500"):
        assert grade(spec, wrong).state == "incorrect", wrong


def test_short_answer_wildcard_in_the_middle_needs_the_spaces_around_it():
    spec = make("short", answers=[{"text": "the * war", "fraction": 1}])
    assert grade(spec, "The Cold War").state == "correct"
    assert grade(spec, "the war").state == "incorrect"


def test_short_answer_decimal_point_between_digits_is_kept():
    spec = make("short", answers=[{"text": "3.5 percent", "fraction": 1}])
    assert grade(spec, "3.5 percent").state == "correct"
    assert grade(spec, "35 percent").state == "incorrect"
    thousands = make("short", answers=[{"text": "1,000 troops", "fraction": 1}])
    assert grade(thousands, "1000 troops").state == "correct"


def test_short_answer_pathological_wildcards_stay_fast():
    spec = make("short", answers=[{"text": "*a*a*a*a*a*a*a*a*a*a*b", "fraction": 1}])
    start = time.perf_counter()
    assert grade(spec, "a" * SHORT_MAX_CHARS).state == "incorrect"
    assert time.perf_counter() - start < 1.0


def test_short_answer_zero_credit_answer_gives_targeted_feedback():
    spec = make(
        "short",
        answers=[
            {"text": "Beijing", "fraction": 1},
            {"text": "Shanghai", "fraction": 0, "feedback": "Largest city, not the capital."},
        ],
    )
    assert grade(spec, "shanghai") == Grade(
        0.0, 1.0, "incorrect", ("Largest city, not the capital.",)
    )


def test_short_answer_keeps_text_as_typed_but_trimmed_and_without_nul():
    assert normalise(short_spec(), "  Belt\x00 Road ") == "Belt Road"


def test_short_answer_length_limit():
    assert normalise(short_spec(), "x" * SHORT_MAX_CHARS) == "x" * SHORT_MAX_CHARS
    with pytest.raises(AnswerError, match="1000"):
        normalise(short_spec(), "x" * (SHORT_MAX_CHARS + 1))


@pytest.mark.parametrize("raw", [42, ["BRI"], {"text": "BRI"}, True])
def test_short_answer_rejects_non_text(raw):
    with pytest.raises(AnswerError):
        normalise(short_spec(), raw)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([], "at least one accepted answer"),
        ([{"text": "x", "fraction": 0.5}], "full credit"),
        ([{"text": "...", "fraction": 1}], "only punctuation"),
        ([{"text": "", "fraction": 1}], "has no text"),
        ([{"text": "x", "fraction": 2}], "from 0 to 1"),
        ([{"text": "x", "fraction": 1, "weight": 3}], "unknown setting"),
    ],
)
def test_short_answer_config_errors(answers, message):
    errors = check_config(make("short", answers=answers))
    assert any(message in e for e in errors), errors


def test_short_answer_correct_text_lists_full_credit_answers_as_words_not_patterns():
    spec = make(
        "short",
        answers=[
            {"text": "Belt and Road", "fraction": 1},
            {"text": "BRI*", "fraction": 1},
            {"text": "*Belt and Road", "fraction": 1},
            {"text": "*Indo*Pacific_Command", "fraction": 1},
            {"text": "x", "fraction": 0.5},
        ],
    )
    text = get_type("short").correct_answer_text(spec)
    assert text == "Belt and Road (also accepted: BRI, Indo…Pacific\\_Command)"
    assert "*" not in text


# --- numeric ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2007, 2007),
        (" 2007 ", 2007),
        ("1,000", 1000),
        ("1,234,567.5", 1234567.5),
        ("3.5", 3.5),
        ("-3.5", -3.5),
        ("\u22125", -5),  # Unicode minus sign
        ("1e3", 1000),
        ("45%", 45),
        (".5", 0.5),
        (2.0, 2),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_numeric_reads_numbers_from_text_and_numbers(raw, expected):
    value = normalise(numeric_spec(), raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "12abc",
        "1,5",
        "1,00",
        "1,0000",
        "nan",
        "inf",
        "-Infinity",
        "1e999",
        math.nan,
        math.inf,
        -math.inf,
        True,
        [2007],
        {"value": 2007},
        10**400,
        "1" * 200,
    ],
)
def test_numeric_rejects_non_numbers_nan_and_infinity(raw):
    with pytest.raises(AnswerError):
        normalise(numeric_spec(), raw)


def test_numeric_decimal_comma_gets_a_helpful_message():
    with pytest.raises(AnswerError, match="point"):
        normalise(numeric_spec(), "3,5")


def test_numeric_best_matching_answer_wins():
    result = grade(numeric_spec(), "2007")
    assert (result.score, result.state, result.feedback) == (1.0, "correct", ("Right year.",))


@pytest.mark.parametrize(("raw", "score"), [(2000, 0.5), (2010, 0.5), (1999.999, 0), (2010.001, 0)])
def test_numeric_range_edges_are_inclusive(raw, score):
    assert grade(numeric_spec(), raw).score == score


@pytest.mark.parametrize(
    ("raw", "state"),
    [(10.5, "correct"), (9.5, "correct"), (10.5001, "incorrect"), (9.4999, "incorrect")],
)
def test_numeric_tolerance_edges_are_inclusive(raw, state):
    spec = make("numeric", answers=[{"value": 10, "tolerance": 0.5, "fraction": 1}])
    assert grade(spec, raw).state == state


def test_numeric_zero_tolerance_absorbs_float_rounding():
    spec = make("numeric", answers=[{"value": 0.3, "fraction": 1}])
    assert grade(spec, 0.1 + 0.2).state == "correct"
    assert grade(spec, 0.30001).state == "incorrect"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"value": 1, "min": 0, "max": 2, "fraction": 1}, "either a value"),
        ({"fraction": 1}, "either a value"),
        ({"min": 5, "max": 1, "fraction": 1}, "min is larger"),
        ({"min": 5, "fraction": 1}, "must both be numbers"),
        ({"value": 1, "tolerance": -1, "fraction": 1}, "tolerance"),
        ({"value": "2007", "fraction": 1}, "must be a number"),
        ({"value": math.inf, "fraction": 1}, "must be a number"),
        ({"value": 1, "fraction": 0.5}, "full credit"),
    ],
)
def test_numeric_config_errors(answer, message):
    errors = check_config(make("numeric", answers=[answer]))
    assert any(message in e for e in errors), errors


def test_numeric_correct_text_shows_value_tolerance_and_range():
    spec = make(
        "numeric",
        answers=[
            {"value": 2007, "fraction": 1},
            {"value": 3.5, "tolerance": 0.25, "fraction": 1},
            {"min": 1, "max": 2, "fraction": 1},
            {"value": 5, "fraction": 0.5},
        ],
    )
    assert get_type("numeric").correct_answer_text(spec) == "2007 or 3.5 ± 0.25 or from 1 to 2"


# --- matching --------------------------------------------------------------------------------

RIGHT_MATCHES = {"0": "Russian missile system", "1": "Chinese fighter", "2": "Russian fighter"}


def test_matching_all_right_scores_full_points():
    result = grade(matching_spec(), RIGHT_MATCHES)
    assert (result.score, result.state) == (3.0, "correct")


def test_matching_partial_credit_is_share_of_right_pairs():
    answer = {**RIGHT_MATCHES, "2": "American drone"}
    result = grade(matching_spec(), answer)
    assert (result.score, result.state) == (2.0, "partial")
    assert grade(matching_spec(), {"0": "Russian missile system"}).score == 1.0


def test_matching_same_answer_can_be_used_for_two_prompts():
    answer = {"0": "Chinese fighter", "1": "Chinese fighter"}
    assert grade(matching_spec(), answer).score == 1.0


def test_matching_accepts_integer_keys_and_skips_blank_choices():
    assert normalise(matching_spec(), {1: "Chinese fighter", "0": "", "2": None}) == {
        "1": "Chinese fighter"
    }


@pytest.mark.parametrize("raw", [{}, "", None, {"0": "", "1": None}])
def test_matching_nothing_chosen_is_unanswered(raw):
    assert normalise(matching_spec(), raw) is None


@pytest.mark.parametrize(
    "raw",
    [
        {"0": "Made-up answer"},
        {"3": "Chinese fighter"},
        {"-1": "Chinese fighter"},
        {"x": "Chinese fighter"},
        {"9" * 5000: "Chinese fighter"},
        {"0": 5},
        {0: "Chinese fighter", "0": "Russian fighter"},
        ["Chinese fighter"],
    ],
)
def test_matching_rejects_unknown_prompts_and_options(raw):
    with pytest.raises(AnswerError):
        normalise(matching_spec(), raw)


def test_matching_public_data_offers_every_answer_and_distractor_once():
    data = public_data(matching_spec())
    assert data["prompts"] == [
        {"index": 0, "text": "S-400"},
        {"index": 1, "text": "J-20"},
        {"index": 2, "text": "Su-57"},
    ]
    # Without an rng options are sorted, not in pair order (which would give them away).
    assert data["options"] == [
        "American drone",
        "Chinese fighter",
        "Russian fighter",
        "Russian missile system",
    ]


def test_matching_public_data_does_not_depend_on_the_pairing():
    swapped = make(
        "matching",
        pairs=[
            {"prompt": "S-400", "answer": "Russian fighter"},
            {"prompt": "J-20", "answer": "Chinese fighter"},
            {"prompt": "Su-57", "answer": "Russian missile system"},
        ],
        distractors=["American drone"],
    )
    assert public_data(swapped) == public_data(matching_spec())


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"pairs": [{"prompt": "a", "answer": "b"}]}, "at least two pairs"),
        (
            {"pairs": [{"prompt": "a", "answer": "b"}, {"prompt": "a ", "answer": "c"}]},
            "repeats the prompt",
        ),
        ({"pairs": [{"prompt": "a", "answer": ""}, {"prompt": "b", "answer": "c"}]}, "Pair 1"),
        (
            {
                "pairs": [{"prompt": "a", "answer": "b"}, {"prompt": "c", "answer": "d"}],
                "distractors": [""],
            },
            "Distractors",
        ),
    ],
)
def test_matching_config_errors(config, message):
    errors = check_config(make("matching", **config))
    assert any(message in e for e in errors), errors


# --- ordering --------------------------------------------------------------------------------


def test_ordering_correct_order_scores_full_points():
    assert grade(ordering_spec(), [0, 1, 2, 3]).state == "correct"


def test_ordering_partial_credit_counts_correct_adjacent_pairs():
    # One item moved from first to last: pairs (1,2) and (2,3) are right, (3,0) is not.
    result = grade(ordering_spec(points=3), [1, 2, 3, 0])
    assert (result.score, result.state) == (2.0, "partial")
    # Swapping the middle two breaks every pair: 0-2, 2-1 and 1-3 are all wrong.
    assert grade(ordering_spec(points=3), [0, 2, 1, 3]).score == 0.0
    # Two correct runs: 0-1 and 2-3 are right, 1-2 is broken by the swap of the runs.
    assert grade(ordering_spec(points=3), [2, 3, 0, 1]).score == 2.0


def test_ordering_reversed_scores_zero():
    assert grade(ordering_spec(), [3, 2, 1, 0]) == Grade(0.0, 1.0, "incorrect")


def test_ordering_accepts_item_texts_and_stores_indices():
    assert normalise(ordering_spec(), ["event 2", " event 0", "event 1", "event 3"]) == [2, 0, 1, 3]


@pytest.mark.parametrize(
    "raw",
    [
        [0, 1, 2],  # missing one
        [0, 1, 2, 2],  # duplicate
        [0, 1, 2, 4],  # out of range
        [0, 1, 2, 3, 4],
        ["event 0", "event 1", "event 2", "nope"],
        [0, "event 1", 2, 3],  # mixed
        [0, 1, 2, True],
        [0.0, 1.0, 2.0, 3.0],
        "0123",
        {"0": 0},
    ],
)
def test_ordering_answer_must_be_a_permutation(raw):
    with pytest.raises(AnswerError):
        normalise(ordering_spec(), raw)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_ordering_public_data_is_a_permutation_never_in_correct_order(n):
    spec = ordering_spec(n=n)
    items = spec.config["items"]
    for seed in range(40):
        shown = [item["text"] for item in public_data(spec, random.Random(seed))["items"]]
        assert sorted(shown) == sorted(items)
        assert shown != items
    shown = [item["text"] for item in public_data(spec)["items"]]
    assert sorted(shown) == sorted(items)
    assert shown != items


def test_ordering_public_data_carries_no_indices():
    data = public_data(ordering_spec(), random.Random(3))
    assert all(set(item) == {"text"} for item in data["items"])


def test_ordering_config_errors():
    assert check_config(make("ordering", items=["a"])) == [
        "Give at least two items to put in order."
    ]
    assert "same text" in check_config(make("ordering", items=["a", "a "]))[0]


def test_ordering_correct_text_is_a_numbered_list():
    assert get_type("ordering").correct_answer_text(ordering_spec(n=2)) == "1. event 0\n2. event 1"


# --- evidence --------------------------------------------------------------------------------


def test_evidence_all_key_passages_score_full_points():
    assert grade(evidence_spec(), [5, 3]).state == "correct"


def test_evidence_partial_when_some_key_passages_found():
    assert grade(evidence_spec(points=4), [3]).score == 2.0


def test_evidence_extra_picks_share_out_the_credit():
    # right picks / max(key size, picks made): 2 right of 3 picked.
    result = grade(evidence_spec(points=3), [3, 5, 7])
    assert (result.score, result.state) == (2.0, "partial")


def test_evidence_wrong_picks_only_score_zero():
    assert grade(evidence_spec(), [3, 1, 2, 4]).score == 0.25
    assert grade(evidence_spec(), [1, 2]).state == "incorrect"


def test_evidence_picks_are_deduplicated_sorted_and_may_be_strings():
    assert normalise(evidence_spec(), ["5", 3, 5, 3.0]) == [3, 5]


def test_evidence_max_picks_counts_distinct_passages():
    spec = evidence_spec(max_picks=2)
    assert normalise(spec, [3, 3, 5, 5]) == [3, 5]
    with pytest.raises(AnswerError, match="at most 2"):
        normalise(spec, [3, 5, 7])


def test_evidence_picks_must_be_allowed_passages():
    spec = evidence_spec(passages=[2, 3, 4, 5])
    assert normalise(spec, [2, 3]) == [2, 3]
    with pytest.raises(AnswerError, match="Passage 9"):
        normalise(spec, [9])


@pytest.mark.parametrize(
    "raw", [[0], [-1], [True], [1.5], ["three"], ["٣"], ["9" * 5000], 3, "3", {"3": 1}]
)
def test_evidence_rejects_malformed_picks(raw):
    with pytest.raises(AnswerError):
        normalise(evidence_spec(), raw)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"key": []}, "at least one passage"),
        ({"key": [0]}, "at least one passage"),
        ({"key": [True]}, "at least one passage"),
        ({"key": [2, 2]}, "twice"),
        ({"key": [2], "passages": [1, 3]}, "allowed passages"),
        ({"key": [2, 3], "max_picks": 1}, "full marks would be impossible"),
        ({"key": [2], "max_picks": 0}, "whole number"),
        ({"key": [2], "claim": 5}, "claim"),
    ],
)
def test_evidence_config_errors(config, message):
    errors = check_config(make("evidence", **config))
    assert any(message in e for e in errors), errors


def test_evidence_correct_text_names_the_passages():
    assert get_type("evidence").correct_answer_text(evidence_spec()) == "Passages 3 and 5"
    spec = make("evidence", key=[9, 1, 4])
    assert get_type("evidence").correct_answer_text(spec) == "Passages 1, 4 and 9"


# --- two-part --------------------------------------------------------------------------------


def test_twopart_both_parts_right_scores_full_points_with_part_grades():
    result = grade(twopart_spec(), {"a": "x", "b": [4]})
    assert (result.score, result.state) == (2.0, "correct")
    assert result.parts == (
        Grade(1.0, 1.0, "correct", ("Part A is right.",)),
        Grade(1.0, 1.0, "correct"),
    )
    assert result.feedback == ("Part A is right.",)


def test_twopart_part_a_only_scores_its_weight():
    result = grade(twopart_spec(), {"a": "x", "b": [1]})
    assert (result.score, result.state) == (1.0, "partial")
    assert [p.state for p in result.parts] == ["correct", "incorrect"]


def test_twopart_part_b_counts_without_part_a_by_default():
    result = grade(twopart_spec(), {"a": "y", "b": [4]})
    assert (result.score, result.state) == (1.0, "partial")


def test_twopart_b_requires_a_gives_no_part_b_credit_when_a_is_wrong():
    spec = twopart_spec(b_requires_a=True)
    result = grade(spec, {"a": "y", "b": [4]})
    assert (result.score, result.state) == (0.0, "incorrect")
    assert result.parts[1] == Grade(0.0, 1.0, "incorrect")
    assert grade(spec, {"a": "x", "b": [4]}).state == "correct"
    assert grade(spec, {"b": [4]}).score == 0.0


def test_twopart_weight_splits_points():
    spec = twopart_spec(points=4, part_a_weight=0.25)
    result = grade(spec, {"a": "y", "b": [4]})
    assert result.score == 3.0
    assert [p.max_score for p in result.parts] == [1.0, 3.0]


def test_twopart_thirds_still_add_up_to_exact_full_marks():
    spec = twopart_spec(points=1, part_a_weight=1 / 3)
    assert grade(spec, {"a": "x", "b": [4]}).score == 1.0


def test_twopart_answer_normalises_both_parts():
    spec = twopart_spec()
    assert normalise(spec, {"a": "x"}) == {"a": "x", "b": []}
    assert normalise(spec, {"b": ["4", 4]}) == {"a": None, "b": [4]}
    assert normalise(spec, {"a": "", "b": []}) is None


@pytest.mark.parametrize(
    "raw",
    [{"a": "zzz"}, {"a": "x", "b": [1, 2, 3]}, {"c": 1}, ["x", [4]], {"a": "x", "b": "4"}],
)
def test_twopart_rejects_malformed_answers(raw):
    with pytest.raises(AnswerError):
        normalise(twopart_spec(), raw)


def test_twopart_unanswered_still_reports_both_parts():
    result = get_type("twopart").grade(twopart_spec(), None)
    assert result.score == 0.0
    assert [p.score for p in result.parts] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"part_b": None}, "Part B needs a prompt and a key"),
        ({"part_b": {"key": [1]}}, "Part B needs a prompt"),
        ({"part_b": {"prompt": "p", "key": [1, 2], "max_picks": 1}}, "Part B: The maximum"),
        ({"part_b": {"prompt": "p", "key": [1]}, "part_a_weight": 1}, "weight"),
        ({"part_b": {"prompt": "p", "key": [1]}, "b_requires_a": "yes"}, "b_requires_a"),
    ],
)
def test_twopart_config_errors(config, message):
    choices = [ChoiceSpec("x", "A", 1.0), ChoiceSpec("y", "B", 0.0)]
    errors = check_config(make("twopart", 1, choices, **config))
    assert any(message in e for e in errors), errors


def test_twopart_part_a_choices_are_checked_like_single_choice():
    choices = [ChoiceSpec("x", "A", 0.5), ChoiceSpec("y", "B", 0.0)]
    spec = make("twopart", 1, choices, part_b={"prompt": "p", "key": [1]})
    assert check_config(spec) == ["Part A: Mark one choice as fully correct (credit 1)."]


def test_twopart_correct_text_names_both_parts():
    text = get_type("twopart").correct_answer_text(twopart_spec())
    assert text == "**Part A:** Trade grew\n\n**Part B:** Passage 4"


# --- open response ---------------------------------------------------------------------------


def test_open_response_answer_is_pending_until_a_human_grades_it():
    assert grade(open_spec(), "My essay.") == Grade(0.0, 5.0, "pending")


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_open_response_blank_is_unanswered(raw):
    assert normalise(open_spec(), raw) is None


def test_open_response_length_limit():
    assert normalise(open_spec(), "x" * OPEN_MAX_CHARS) is not None
    with pytest.raises(AnswerError):
        normalise(open_spec(), "x" * (OPEN_MAX_CHARS + 1))


def test_open_response_enforces_max_words_but_not_min_words():
    spec = open_spec(min_words=3, max_words=4)
    assert normalise(spec, "one two") == "one two"
    assert normalise(spec, "one two three four") == "one two three four"
    with pytest.raises(AnswerError, match="4 words"):
        normalise(spec, "one two three four five")


def test_open_response_rejects_non_text():
    with pytest.raises(AnswerError):
        normalise(open_spec(), ["essay"])


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"min_words": -1}, "minimum"),
        ({"max_words": 2.5}, "maximum"),
        ({"min_words": 10, "max_words": 5}, "larger than the maximum"),
        ({"model_answer": 3}, "model answer"),
    ],
)
def test_open_response_config_errors(config, message):
    errors = check_config(open_spec(**config))
    assert any(message in e for e in errors), errors


def test_open_response_correct_text_is_the_model_answer():
    assert get_type("open").correct_answer_text(open_spec(model_answer="A model.")) == "A model."
    assert get_type("open").correct_answer_text(open_spec()) == ""


def test_rubric_total_scales_rubric_sum_to_question_points():
    assert rubric_total([3, 2], [4, 2], 10) == 8.3333
    assert rubric_total([4, 2], [4, 2], 10) == 10.0
    assert rubric_total([], [], 10) == 0.0
    assert rubric_total([0, 0], [0, 0], 10) == 0.0


def test_rubric_total_clamps_each_criterion_to_its_range():
    assert rubric_total([9, 2], [4, 2], 6) == 6.0
    assert rubric_total([-5, 2], [4, 2], 6) == 2.0


def test_rubric_total_rejects_mismatched_or_non_finite_values():
    with pytest.raises(ValueError, match="both"):
        rubric_total([1], [1, 2], 5)
    with pytest.raises(ValueError, match="finite"):
        rubric_total([math.nan], [1], 5)
    with pytest.raises(ValueError, match="finite"):
        rubric_total([1], ["2"], 5)


def test_manual_grade_clamps_rounds_and_sets_state():
    assert manual_grade(3.333333, 5, ["Good."]) == Grade(3.3333, 5.0, "partial", ("Good.",))
    assert manual_grade(7, 5).state == "correct"
    assert manual_grade(7, 5).score == 5.0
    assert manual_grade(-1, 5) == Grade(0.0, 5.0, "incorrect")
    assert manual_grade(math.nan, 5).score == 0.0


def test_score_fraction():
    assert score_fraction(Grade(1.5, 2.0, "partial")) == 0.75
    assert score_fraction(Grade(0.0, 0.0, "correct")) == 1.0
    assert score_fraction(Grade(0.0, 0.0, "incorrect")) == 0.0


def test_zero_point_question_still_reports_correctness():
    assert grade(single_spec(points=0), "1") == Grade(0.0, 0.0, "correct", ("Yes, the capital.",))


def test_scores_are_rounded_to_four_decimals():
    spec = make("matching", 1, pairs=matching_spec().config["pairs"])
    assert grade(spec, {"0": "Russian missile system"}).score == 0.3333


# --- public data never leaks the answer ------------------------------------------------------

MARK = "ZQX"
SECRET_KEYS = {
    "fraction",
    "feedback",
    "feedback_true",
    "feedback_false",
    "answer",
    "answers",
    "key",
    "tolerance",
    "min",
    "max",
    "correct",
    "is_correct",
    "weight",
    "part_a_weight",
    "b_requires_a",
    "pairs",
    "model_answer",
    "index_correct",
}


def secret_specs() -> dict[str, QuestionSpec]:
    """One spec per type with a unique marker in every secret place."""
    choices = [
        ChoiceSpec("1", "Alpha", 1.0, f"{MARK}-FEEDBACK-1"),
        ChoiceSpec("2", "Beta", 0.0, f"{MARK}-FEEDBACK-2"),
    ]
    return {
        "single": make("single", 1, choices),
        "multiple": make(
            "multiple", 1, [ChoiceSpec("1", "Alpha", 1.0, f"{MARK}-F"), ChoiceSpec("2", "B", -1)]
        ),
        "truefalse": make(
            "truefalse", answer=True, feedback_true=f"{MARK}-T", feedback_false=f"{MARK}-F"
        ),
        "short": make(
            "short",
            answers=[{"text": f"{MARK}-ANSWER", "fraction": 1, "feedback": f"{MARK}-FB"}],
        ),
        "numeric": make(
            "numeric",
            answers=[
                {"value": 987654321, "tolerance": 13579, "fraction": 1, "feedback": f"{MARK}-FB"},
                {"min": 24680, "max": 97531, "fraction": 0.5},
            ],
            feedback_other=f"{MARK}-OTHER",
        ),
        "matching": make(
            "matching",
            pairs=[{"prompt": "P1", "answer": "A1"}, {"prompt": "P2", "answer": "A2"}],
        ),
        "ordering": make("ordering", items=["I1", "I2", "I3"]),
        "evidence": make("evidence", claim="C", key=[314159]),
        "twopart": make(
            "twopart",
            1,
            choices,
            part_b={"prompt": "Which?", "key": [271828]},
            part_a_weight=0.123456,
            b_requires_a=True,
        ),
        "open": make("open", model_answer=f"{MARK}-MODEL"),
        "description": make("description", 0),
    }


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(all_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(all_keys(v) for v in value))
    return set()


@pytest.mark.parametrize("key", TYPE_KEYS)
@pytest.mark.parametrize("seed", [None, 7])
def test_public_data_never_contains_answer_information(key, seed):
    spec = secret_specs()[key]
    assert check_config(spec) == []
    rng = None if seed is None else random.Random(seed)
    data = public_data(spec, rng)
    dumped = json.dumps(data)  # must be JSON-serialisable
    assert data["type"] == key
    assert MARK not in dumped
    for number in ("987654321", "13579", "24680", "97531", "314159", "271828", "0.123456"):
        assert number not in dumped
    assert not all_keys(data) & SECRET_KEYS


def test_public_data_for_choices_has_only_ids_and_texts():
    data = public_data(single_spec())
    assert data["choices"] == [
        {"id": "1", "text": "Beijing"},
        {"id": "2", "text": "Peking"},
        {"id": "3", "text": "Shanghai"},
    ]


@pytest.mark.parametrize("key", TYPE_KEYS)
def test_public_data_is_the_same_for_the_same_seed(key):
    spec = VALID_SPECS[key]
    assert public_data(spec, random.Random(42)) == public_data(spec, random.Random(42))


def many_choices(type_: str = "single", **config) -> QuestionSpec:
    choices = [ChoiceSpec(str(i), f"choice {i}", 1.0 if i == 0 else 0.0) for i in range(8)]
    return make(type_, 1, choices, **config)


def test_choice_shuffle_is_a_permutation_that_varies_between_seeds():
    spec = many_choices()
    ids = [c.id for c in spec.choices]
    orders = set()
    for seed in range(10):
        shown = [c["id"] for c in public_data(spec, random.Random(seed))["choices"]]
        assert sorted(shown) == sorted(ids)
        orders.add(tuple(shown))
    assert len(orders) > 1
    assert [c["id"] for c in public_data(spec)["choices"]] == ids  # no rng: author order


def test_choice_shuffle_can_be_turned_off():
    spec = many_choices(shuffle=False)
    shown = [c["id"] for c in public_data(spec, random.Random(1))["choices"]]
    assert shown == [c.id for c in spec.choices]


def test_matching_shuffle_is_a_permutation_of_prompts_and_options():
    spec = matching_spec()
    plain = public_data(spec)
    shuffled = public_data(spec, random.Random(5))
    assert sorted(p["index"] for p in shuffled["prompts"]) == [0, 1, 2]
    assert sorted(shuffled["options"]) == sorted(plain["options"])


def test_twopart_public_data_shows_part_b_prompt_and_limits():
    data = public_data(twopart_spec())
    assert data["part_b"] == {
        "prompt": "Which passage supports your answer?",
        "max_picks": 2,
        "passages": None,
        "rule": PICKS_RULE,
    }


def test_evidence_public_data_shows_claim_and_allowed_passages():
    data = public_data(evidence_spec(max_picks=3, passages=[5, 1, 3]))
    assert data == {
        "type": "evidence",
        "claim": "Trade grew.",
        "max_picks": 3,
        "passages": [1, 3, 5],
        "rule": PICKS_RULE,
    }


# --- matching helpers ------------------------------------------------------------------------


def reference_glob(segments: tuple[str, ...], text: str) -> bool:
    regex = ".*".join(re.escape(s) for s in segments)
    return re.fullmatch(regex, text, re.DOTALL) is not None


@given(
    st.lists(st.text(alphabet="ab ", max_size=3), min_size=1, max_size=4),
    st.text(alphabet="ab ", max_size=12),
)
def test_wildcard_matcher_agrees_with_a_regex_reference(segments, text):
    segments = tuple(segments)
    assert pattern_matches(segments, text) == reference_glob(segments, text)


@given(st.text(max_size=60))
def test_text_normalisation_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(st.text(max_size=60))
def test_an_accepted_answer_without_wildcards_matches_itself(text):
    assume("*" not in text and "＊" not in text and "﹡" not in text)
    assert pattern_matches(compile_pattern(text), normalise_text(text))


@given(
    st.one_of(st.integers(-(2**1000), 2**1000), st.floats(allow_nan=False, allow_infinity=False))
)
def test_parse_number_reads_every_finite_number_and_its_repr(value):
    parsed = parse_number(value)
    assert parsed == float(value)
    assert parse_number(parsed) == parsed
    assert parse_number(repr(float(value))) == parsed


# --- property: any answer normalises or is rejected, and grades stay in range ----------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", " ", "1", "0", "true", "False", "1,000", "nan", "a", "b", "c"]),
)
garbage = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(st.text(max_size=3), st.sampled_from("ab012")), children, max_size=4
        ),
    ),
    max_leaves=12,
)

points_st = st.one_of(
    st.sampled_from([0.0, 1.0, 2.0, 3.0, 10.0]),
    st.floats(min_value=0, max_value=1000).map(lambda p: round(p, 4)),
)
texts = st.text(alphabet="abcXY .-*’", min_size=1, max_size=8)


@st.composite
def choice_list(draw, positive_sum: bool):
    n = draw(st.integers(2, 5))
    ids = [f"c{i}" for i in range(n)]
    if positive_sum:  # multiple: positives sum to 1, the rest non-positive
        k = draw(st.integers(1, n))
        weights = [1 / k] * k + [draw(st.sampled_from([0.0, -0.5, -1.0])) for _ in range(n - k)]
    else:
        weights = [1.0] + [draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])) for _ in range(n - 1)]
    order = draw(st.permutations(range(n)))
    return tuple(ChoiceSpec(ids[i], f"text {i}", weights[j]) for j, i in enumerate(order))


@st.composite
def picks_config(draw):
    key = draw(st.lists(st.integers(1, 8), min_size=1, max_size=3, unique=True))
    config = {"key": key}
    if draw(st.booleans()):
        config["max_picks"] = draw(st.integers(len(key), 6))
    if draw(st.booleans()):
        config["passages"] = sorted(set(key) | set(draw(st.lists(st.integers(1, 10)))))
    return config


@st.composite
def specs(draw):
    type_ = draw(st.sampled_from(TYPE_KEYS))
    points = draw(points_st)
    choices = ()
    config: dict = {}
    if type_ in ("single", "twopart"):
        choices = draw(choice_list(positive_sum=False))
    elif type_ == "multiple":
        choices = draw(choice_list(positive_sum=True))
    elif type_ == "truefalse":
        config = {"answer": draw(st.booleans()), "feedback_true": "t"}
    elif type_ == "short":
        answers = draw(st.lists(texts, min_size=1, max_size=3))
        fractions = [1.0] + draw(st.lists(st.sampled_from([0, 0.5, 1]), min_size=2, max_size=2))
        config = {
            "answers": [
                {"text": t, "fraction": f} for t, f in zip(answers, fractions, strict=False)
            ],
            "case_sensitive": draw(st.booleans()),
        }
    elif type_ == "numeric":
        value = draw(st.floats(-1e6, 1e6))
        low = draw(st.floats(-1e6, 1e6))
        config = {
            "answers": [
                {"value": value, "tolerance": draw(st.floats(0, 10)), "fraction": 1},
                {"min": low, "max": low + draw(st.floats(0, 100)), "fraction": 0.5},
            ]
        }
    elif type_ == "matching":
        n = draw(st.integers(2, 4))
        config = {
            "pairs": [
                {"prompt": f"p{i}", "answer": draw(st.sampled_from("abc"))} for i in range(n)
            ],
            "distractors": draw(st.lists(st.sampled_from("cde"), max_size=2)),
        }
    elif type_ == "ordering":
        config = {"items": [f"item {i}" for i in range(draw(st.integers(2, 5)))]}
    elif type_ == "evidence":
        config = {"claim": "claim", **draw(picks_config())}
    elif type_ == "open":
        config = {"max_words": draw(st.integers(0, 5))}
    elif type_ == "description":
        points = 0
    if type_ == "twopart":
        config = {
            "part_b": {"prompt": "Which?", **draw(picks_config())},
            "part_a_weight": draw(st.floats(0.01, 0.99)),
            **draw(
                st.one_of(
                    st.builds(lambda b: {"b_requires_a": b}, st.booleans()),
                    st.builds(
                        lambda d: {"part_b_depends": d},
                        st.sampled_from(["none", "a_right", "a_credit"]),
                    ),
                )
            ),
        }
    spec = QuestionSpec(type_, points, choices, config)
    assume(check_config(spec) == [])
    return spec


def _variants(values, make_variants):
    return st.sampled_from(values).flatmap(lambda v: st.sampled_from(make_variants(v)))


def specific_answers(spec: QuestionSpec):
    """Answers of the right shape for ``spec``: right, wrong and borderline."""
    config = spec.config
    ids = st.sampled_from([c.id for c in spec.choices] or ["c0"])
    picks_config = config.get("part_b", config)
    passages = sorted(set(picks_config.get("passages") or range(1, 9)) | {0, 99})
    picks = st.lists(st.sampled_from(passages), max_size=4)
    if spec.type in ("single", "multiple"):
        return st.one_of(ids, st.lists(ids, max_size=6))
    if spec.type == "truefalse":
        return st.sampled_from([True, False, "true", " False ", "maybe"])
    if spec.type == "short":
        accepted = [a["text"] for a in config["answers"]]
        return st.one_of(
            texts,
            _variants(accepted, lambda t: [t, t.upper(), f" {t}. ", t.replace("*", "zz")]),
        )
    if spec.type == "numeric":
        targets = [a.get("value", a.get("min")) for a in config["answers"]]
        return st.one_of(
            st.floats(-1e7, 1e7),
            _variants(targets, lambda v: [v, str(v), f"{v:,}", v + 1e-12]),
            st.sampled_from(["2007", " 1,000 ", "-0.5", "1e5", "1e400", "1,5"]),
        )
    if spec.type == "matching":
        return st.dictionaries(
            st.sampled_from([str(i) for i in range(len(config["pairs"]) + 1)]),
            st.sampled_from(["a", "b", "c", "d", "e", "", "z"]),
            max_size=5,
        )
    if spec.type == "ordering":
        return st.one_of(
            st.permutations(list(range(len(config["items"])))),
            st.permutations(list(config["items"])),
            st.lists(st.integers(-1, 6), max_size=6),
        )
    if spec.type == "evidence":
        return picks
    if spec.type == "twopart":
        return st.fixed_dictionaries({"a": st.one_of(st.none(), ids), "b": picks})
    return st.one_of(texts, st.text(alphabet="ab ", max_size=20))  # open


def plausible_answers(spec: QuestionSpec):
    """Mostly well-shaped answers, sometimes garbage."""
    specific = specific_answers(spec)
    return st.one_of(garbage, specific, specific, specific)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_answer_is_rejected_or_normalised_and_every_grade_stays_in_range(data):
    spec = data.draw(specs())
    raw = data.draw(plausible_answers(spec))
    question_type = get_type(spec.type)
    # The lenient grader accepts anything, including garbage.
    assert_in_range(question_type.grade(spec, raw), spec.points)
    try:
        answer = question_type.normalise(spec, raw)
    except AnswerError as exc:
        assert str(exc)  # a human message
        return
    json.dumps(answer, allow_nan=False)  # canonical answers are storable as JSON
    assert question_type.normalise(spec, answer) == answer  # idempotent
    result = grade(spec, answer)
    assert_in_range(result, spec.points)
    if answer is None:
        unanswered = "not_applicable" if spec.type == "description" else "incorrect"
        assert (result.score, result.state) == (0.0, unanswered)
    if spec.type == "open":
        assert result.state in ("pending", "incorrect")
    else:
        assert result.state != "pending"
        if result.state == "correct":
            assert result.score == min(round(spec.points, 4), spec.points)
    for part in result.parts:
        assert 0 <= part.score <= part.max_score


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(TYPE_KEYS),
    st.dictionaries(
        st.sampled_from(
            [
                "answer",
                "answers",
                "pairs",
                "items",
                "key",
                "passages",
                "max_picks",
                "part_b",
                "part_a_weight",
                "min_words",
                "max_words",
                "distractors",
                "case_sensitive",
                "claim",
            ]
        ),
        garbage,
        max_size=4,
    ),
)
def test_check_config_never_raises_on_garbage_settings(key, config):
    errors = check_config(QuestionSpec(key, 1, (), config))
    assert isinstance(errors, list)
    assert all(isinstance(e, str) and e for e in errors)


# --- description -----------------------------------------------------------------------------


def test_description_asks_nothing_and_is_worth_nothing():
    spec = make("description", 0)
    assert check_config(spec) == []
    assert normalise(spec, "anything at all") is None
    result = grade(spec, "anything at all")
    assert (result.score, result.max_score, result.state) == (0.0, 0.0, "not_applicable")
    assert score_fraction(result) == 0.0
    assert public_data(spec) == {"type": "description"}
    assert get_type("description").correct_answer_text(spec) == ""


def test_description_with_points_or_settings_is_refused():
    assert check_config(make("description", 1)) == [
        "A description asks nothing, so its points must be 0."]
    assert any("colour" in e for e in check_config(make("description", 0, colour="red")))
    bad = QuestionSpec("description", 0, (ChoiceSpec("1", "x", 1.0),), {})
    assert any("no choices" in e for e in check_config(bad))


def test_numeric_feedback_for_any_other_number_is_shown_only_when_nothing_matches():
    spec = make("numeric", answers=[{"value": 2, "fraction": 1, "feedback": "Yes."}],
                feedback_other="Count again.")
    assert check_config(spec) == []
    assert grade(spec, 5).feedback == ("Count again.",)
    assert grade(spec, 2).feedback == ("Yes.",)
    assert check_config(make("numeric", answers=[{"value": 2, "fraction": 1}],
                             feedback_other=3)) == [
        "The feedback for any other number must be text."]
