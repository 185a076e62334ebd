"""config.jsoninput: JSON parsed within bounds of size, depth and count (pure, no database)."""

import tracemalloc

import pytest

from config.jsoninput import JSONInputError, depth_of, loads_bounded


def load(text, **bounds):
    return loads_bounded(text, **{"max_bytes": 10**7, "max_depth": 5, **bounds})


def test_ordinary_json_parses_as_json_does():
    assert load('{"a": [1, 2.5, "x]}{", {"b": null}], "c": "\\"["}') == {
        "a": [1, 2.5, "x]}{", {"b": None}], "c": '"['}


@pytest.mark.parametrize("depth", [1, 4, 5])
def test_nesting_up_to_the_bound_is_accepted(depth):
    assert load("[" * depth + "]" * depth) is not None


@pytest.mark.parametrize("depth", [6, 1000, 100_000])
def test_nesting_past_the_bound_is_refused_with_a_message(depth):
    with pytest.raises(JSONInputError, match="nested more than 5 levels"):
        load('{"a": ' + "[" * depth + "]" * depth + "}")


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert load('["' + "[" * 1000 + '"]') == ["[" * 1000]


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "[1e400]", '{"v": -1e999}'])
def test_non_finite_numbers_are_refused(text):
    with pytest.raises(JSONInputError):
        load(text)


@pytest.mark.parametrize("text", ["{nope", "[1,]", "]", "[}", "9" * 5000, '"\\ud800'])
def test_malformed_json_is_a_json_input_error(text):
    with pytest.raises(JSONInputError):
        load(text)


def test_size_and_container_count_are_bounded_before_parsing():
    with pytest.raises(JSONInputError, match="larger than 10 bytes"):
        load("[" + "1," * 10 + "1]", max_bytes=10)
    many = "[" + ",".join(["{}"] * 1_000_000) + "]"
    tracemalloc.start()
    try:
        with pytest.raises(JSONInputError, match="more than 1,000 JSON objects"):
            load(many, max_containers=1000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A parse would build a million dicts (over 60 MB); the count allocates nothing.
    assert peak < 1_000_000


def test_depth_is_measured_without_recursion():
    deep = []
    for _ in range(200_000):
        deep = [deep]
    assert depth_of(deep) == 200_001
    assert depth_of({"a": [1, {"b": []}], "c": 2}) == 4
    assert depth_of("text") == 0
