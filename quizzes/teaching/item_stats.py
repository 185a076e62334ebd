"""Pure classical test statistics for the instructor's review pages. No ORM.

Facility is the mean share of a question's points the class earned; discrimination is the
Pearson (point-biserial for right/wrong items) correlation between a question's score and the
rest of the test. The flag thresholds are the usual classical-test-theory rules of thumb.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TOO_EASY = 0.9            # facility above this: nearly everyone got it
TOO_HARD = 0.2            # facility below this: nearly nobody did
LOW_DISCRIMINATION = 0.2  # below this (but not negative) the item barely separates students


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    responses: int
    facility: float | None
    discrimination: float | None
    choice_counts: dict[str, int] = field(default_factory=dict)
    flags: tuple[str, ...] = ()


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The correlation of two equal-length series, or None when it is undefined (fewer than
    three pairs, or no variation in either)."""
    n = len(xs)
    if n < 3 or n != len(ys):
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _flags(facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    flags = []
    if facility is not None and facility > TOO_EASY:
        flags.append("too easy")
    if facility is not None and facility < TOO_HARD:
        flags.append("too hard")
    if discrimination is not None and discrimination < 0:
        flags.append("negative discrimination")
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append("low discrimination")
    return tuple(flags)


def item_statistics(rows: Iterable[tuple[int, int, float | None, float, Any]]) -> list[ItemStats]:
    """Statistics per question from (attempt id, question id, score, max score, answer) rows
    of closed attempts; rows without a score (not graded yet) are skipped. One pass over the
    rows plus one per question."""
    scores: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)
    totals: dict[int, float] = defaultdict(float)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for attempt_id, question_id, score, maximum, answer in rows:
        if score is None or not maximum:
            continue
        scores[question_id][attempt_id] = (float(score), float(maximum))
        totals[attempt_id] += float(score)
        picks = answer if isinstance(answer, list) else [answer]
        for pick in picks:
            if isinstance(pick, str) and pick:
                counts[question_id][pick] += 1
    result = []
    for question_id in sorted(scores):
        by_attempt = scores[question_id]
        fractions = [s / m for s, m in by_attempt.values()]
        facility = sum(fractions) / len(fractions) if fractions else None
        rest = [totals[a] - s for a, (s, _) in by_attempt.items()]
        discrimination = pearson(fractions, rest)
        result.append(ItemStats(question_id, len(by_attempt), facility, discrimination,
                                dict(counts[question_id]), _flags(facility, discrimination)))
    return result


def score_distribution(percents: Iterable[float], bins: int = 10) -> list[tuple[str, int]]:
    """Counts of percentages in equal bands ("0–9%" … "90–100%"); 100 falls in the last."""
    width = 100 / bins
    counts = [0] * bins
    for value in percents:
        index = min(bins - 1, max(0, int(value // width)))
        counts[index] += 1
    labels = [f"{round(i * width)}–{round((i + 1) * width) - 1}%" for i in range(bins)]
    labels[-1] = f"{round((bins - 1) * width)}–100%"
    return list(zip(labels, counts, strict=True))


@dataclass(frozen=True)
class PassageHeat:
    order: int
    facility: float | None
    responses: int
    reached: int
    stopped_here: int


def passage_heatmap(
    passage_orders: Sequence[int],
    cited: Mapping[int, Sequence[int]],
    item_scores: Iterable[tuple[int, float, float] | tuple[int, float, float, int]],
    stopped_at: Iterable[int],
    reached_sets: Iterable[Iterable[int]],
) -> list[PassageHeat]:
    """Per passage: the mean score fraction on the responses to questions citing it, how
    many readers reached it, and how many who did not finish stopped there (`stopped_at`
    holds each unfinished reader's furthest passage). An item score may carry a fourth
    value: how many responses had that score (one when absent)."""
    sums: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for question_id, score, maximum, *many in item_scores:
        if not maximum:
            continue
        weight = many[0] if many else 1
        for order in cited.get(question_id, ()):
            sums[order] += weight * score / maximum
            counts[order] += weight
    stopped: dict[int, int] = defaultdict(int)
    for order in stopped_at:
        stopped[order] += 1
    reached: dict[int, int] = defaultdict(int)
    for seen in reached_sets:
        for order in set(seen):
            reached[order] += 1
    return [
        PassageHeat(order, sums[order] / counts[order] if counts[order] else None,
                    counts[order], reached[order], stopped[order])
        for order in passage_orders
    ]


def heat_level(facility: float | None) -> int:
    """Shade bucket: 0 no data; 1 below 40% (the class struggled); 2 below 60%; 3 below 85%;
    4 at or above 85%."""
    if facility is None:
        return 0
    if facility < 0.4:
        return 1
    if facility < 0.6:
        return 2
    if facility < 0.85:
        return 3
    return 4
