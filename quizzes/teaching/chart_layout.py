"""Pure geometry for the server-drawn bar charts; the markup is a template, so Django escapes
every label and no chart needs `|safe`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 150
VALUE_WIDTH = 70
TOP = 36


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str          # the value as shown ("42%" or "7")
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    label_width: int
    bars: tuple[Bar, ...]


def bar_chart(data: Sequence[tuple[str, float]], *, title: str, value_label: str,
              chart_id: str, max_value: float | None = None, percent: bool = False,
              width: int = 640, bar_height: int = 22) -> BarChart:
    """Lay out horizontal bars whose lengths are proportional to the values (0 to
    `max_value`, by default the largest value), with a one-sentence summary for screen
    readers."""
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    top = max([v for _, v in data] + [max_value or 0, 0])
    scale = plot / top if top else 0
    bars = []
    for index, (label, value) in enumerate(data):
        length = max(0.0, value) * scale
        shown = f"{value:g}%" if percent else f"{value:g}"
        bars.append(Bar(label, value, shown, TOP + index * (bar_height + 8), round(length, 1),
                        round(LABEL_WIDTH + length + 6, 1)))
    if data:
        best = max(data, key=lambda item: item[1])
        suffix = "%" if percent else ""
        description = (f"{len(data)} bars of {value_label}; highest: {best[0]} with "
                       f"{best[1]:g}{suffix}.")
    else:
        description = "No data yet."
    height = TOP + max(1, len(data)) * (bar_height + 8) + 10
    return BarChart(chart_id, title, description, width, height, bar_height, LABEL_WIDTH,
                    tuple(bars))
