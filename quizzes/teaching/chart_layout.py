"""Pure geometry for the server-drawn bar charts; the markup is a template, so Django escapes
every label and no chart needs `|safe`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# The chart is drawn at most WIDTH px wide and shrinks with the screen. Its text is FONT
# units high, so on a 320 px phone (about 296 px of content) labels still render at 13 px,
# above the 12 px floor: hence a narrow chart with each label above its bar, not beside it.
WIDTH = 360
VALUE_WIDTH = 64      # room after the longest bar for its value
FONT = 16
LABEL_CHARS = 34      # a label longer than this is shortened (the table beside has it whole)
GAP = 12
TOP = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str          # the value as shown ("42%" or "7")
    label_y: int       # baseline of the label, above the bar
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
    font: int
    label_chars: int
    bars: tuple[Bar, ...]


def bar_chart(data: Sequence[tuple[str, float]], *, title: str, value_label: str,
              chart_id: str, max_value: float | None = None, percent: bool = False,
              width: int = WIDTH, bar_height: int = 20) -> BarChart:
    """Lay out horizontal bars whose lengths are proportional to the values (0 to
    `max_value`, by default the largest value), each under its label, with a one-sentence
    summary for screen readers."""
    plot = width - VALUE_WIDTH
    top = max([v for _, v in data] + [max_value or 0, 0])
    scale = plot / top if top else 0
    row = FONT + 4 + bar_height + GAP
    bars = []
    for index, (label, value) in enumerate(data):
        length = max(0.0, value) * scale
        shown = f"{value:g}%" if percent else f"{value:g}"
        start = TOP + index * row
        bars.append(Bar(label, value, shown, start + FONT, start + FONT + 4, round(length, 1),
                        round(length + 6, 1)))
    if data:
        best = max(data, key=lambda item: item[1])
        suffix = "%" if percent else ""
        description = (f"{len(data)} bars of {value_label}; highest: {best[0]} with "
                       f"{best[1]:g}{suffix}.")
    else:
        description = "No data yet."
    height = TOP + max(1, len(data)) * row
    return BarChart(chart_id, title, description, width, height, bar_height, FONT,
                    LABEL_CHARS, tuple(bars))
