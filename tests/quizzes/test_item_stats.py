"""Classical test statistics, computed by hand on small data."""

from hypothesis import given
from hypothesis import strategies as st

from quizzes.teaching.item_stats import (
    heat_level,
    item_statistics,
    passage_heatmap,
    pearson,
    score_distribution,
)


def test_facility_is_the_mean_score_fraction():
    rows = [(1, 7, 2.0, 2.0, None), (2, 7, 1.0, 2.0, None), (3, 7, 0.0, 2.0, None),
            (4, 7, None, 2.0, None)]
    (item,) = item_statistics(rows)
    assert item.responses == 3
    assert item.facility == 0.5


def test_a_question_strong_students_get_right_discriminates_positively():
    rows = []
    for attempt in range(10):
        strong = attempt < 5
        rows.append((attempt, 1, 1.0 if strong else 0.0, 1.0, "a" if strong else "b"))
        rows.append((attempt, 2, 5.0 if strong else 1.0, 5.0, None))
        rows.append((attempt, 3, 0.0 if strong else 1.0, 1.0, None))
    items = {i.question_id: i for i in item_statistics(rows)}
    assert items[1].discrimination > 0.9
    assert items[1].choice_counts == {"a": 5, "b": 5}
    assert items[3].discrimination < -0.9
    assert "negative discrimination" in items[3].flags


def test_everyone_right_is_too_easy_with_undefined_discrimination():
    rows = [(a, 1, 1.0, 1.0, ["x", "y"]) for a in range(5)]
    (item,) = item_statistics(rows)
    assert item.discrimination is None
    assert item.flags == ("too easy",)
    assert item.choice_counts == {"x": 5, "y": 5}


def test_pearson_needs_three_varied_pairs():
    assert pearson([1, 2], [1, 2]) is None
    assert pearson([1, 1, 1], [1, 2, 3]) is None
    assert round(pearson([1, 2, 3], [2, 4, 6]), 6) == 1.0


def test_score_distribution_bands():
    bands = dict(score_distribution([0, 9.99, 10, 99.9, 100]))
    assert bands["0–9%"] == 2 and bands["10–19%"] == 1 and bands["90–100%"] == 2
    assert len(bands) == 10


def test_heatmap_per_passage():
    heat = passage_heatmap([1, 2, 3], {10: [2], 11: [2, 3]},
                           [(10, 1.0, 1.0), (11, 0.0, 2.0)], stopped_at=[2, 2, 1],
                           reached_sets=[[1, 2], [1, 2, 3], [1]])
    by = {h.order: h for h in heat}
    assert by[1].facility is None and by[1].reached == 3 and by[1].stopped_here == 1
    assert by[2].facility == 0.5 and by[2].responses == 2 and by[2].stopped_here == 2
    assert by[3].facility == 0.0
    assert [heat_level(f) for f in (None, 0.1, 0.5, 0.7, 0.9)] == [0, 1, 2, 3, 4]


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3),
                          st.one_of(st.none(), st.floats(0, 5)), st.floats(0.5, 5),
                          st.none()), max_size=80))
def test_statistics_stay_in_range(rows):
    rows = [(a, q, None if s is None else min(s, m), m, x) for a, q, s, m, x in rows]
    for item in item_statistics(rows):
        assert item.facility is None or 0 <= item.facility <= 1
        assert item.discrimination is None or -1 <= item.discrimination <= 1


def test_a_counted_item_score_weighs_as_that_many_responses():
    from quizzes.teaching.item_stats import passage_heatmap

    one_by_one = [(7, 1.0, 2.0)] * 3 + [(7, 0.0, 2.0)]
    counted = [(7, 1.0, 2.0, 3), (7, 0.0, 2.0, 1)]
    assert passage_heatmap([1, 2], {7: [2]}, counted, [], []) == \
        passage_heatmap([1, 2], {7: [2]}, one_by_one, [], [])
    heat = passage_heatmap([1, 2], {7: [2]}, counted, [], [])[1]
    assert (heat.facility, heat.responses) == (0.375, 4)
