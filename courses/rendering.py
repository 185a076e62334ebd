"""Pure helpers for the lesson page: annotations laid over passage text, the links after it.
No ORM."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html, format_html_join


@dataclass(frozen=True)
class Segment:
    """A run of passage text; `note` is the annotation covering it, or None for plain text."""

    text: str
    note: Any = None


def segment_text(text: str, notes: Iterable[Any]) -> list[Segment]:
    """Split `text` into plain and annotated runs, in order, losing no character.

    Each note needs `start` and `end` offsets. Where spans overlap, the one starting first
    wins and the later one is still listed among the notes but not marked inline, so the
    passage text is never duplicated or reordered.
    """
    segments: list[Segment] = []
    cursor = 0
    for note in sorted(notes, key=lambda n: (n.start, -(n.end - n.start))):
        if note.start < cursor or note.end > len(text):
            continue
        if note.start > cursor:
            segments.append(Segment(text[cursor : note.start]))
        segments.append(Segment(text[note.start : note.end], note))
        cursor = note.end
    if cursor < len(text) or not segments:
        segments.append(Segment(text[cursor:]))
    return segments


def find_occurrence(text: str, quote: str, occurrence: int = 1) -> int:
    """Offset of the `occurrence`-th (1-based) appearance of `quote` in `text`, or -1."""
    if not quote or occurrence < 1:
        return -1
    index = -1
    for _ in range(occurrence):
        index = text.find(quote, index + 1)
        if index < 0:
            return -1
    return index


def reanchor(old_text: str, new_text: str, quote: str, start: int) -> int:
    """Where `quote` (once at `start` in `old_text`) sits in `new_text`, or -1 when it is gone.

    The same occurrence number is preferred, then the occurrence nearest the old offset, so a
    note follows its words when text is inserted before them.
    """
    occurrence = old_text.count(quote, 0, start) + 1 if old_text else 1
    positions = []
    index = new_text.find(quote)
    while index >= 0:
        positions.append(index)
        index = new_text.find(quote, index + 1)
    if not positions:
        return -1
    if len(positions) >= occurrence and old_text.count(quote) == len(positions):
        return positions[occurrence - 1]
    return min(positions, key=lambda p: abs(p - start))


def number_notes(passages: Sequence[Any]) -> list[Any]:
    """All notes of `passages`, each given a 1-based `number` attribute: the core notes in
    reading order, then the go-deeper ones in reading order, so the notes a reader sees
    first are numbered 1, 2, 3 ... without gaps."""
    ordered = []
    for passage in passages:
        ordered.extend(sorted(passage.visible_notes, key=lambda n: (n.start, n.pk)))
    ordered.sort(key=lambda n: getattr(n, "depth", "core") == "deeper")  # stable
    for number, note in enumerate(ordered, start=1):
        note.number = number
    return ordered


def lesson_next_html(extras: Sequence[Any]) -> str:
    """The "After reading" list of links (each with `url`, `label`, optional `detail`), as
    escaped HTML, or "" when there are none. Built here rather than by a template because
    it is filled into every lesson page on every request (courses/shell.py)."""
    if not extras:
        return ""
    items = format_html_join(
        "\n", '<li class="mb-2"><a class="btn btn-primary" href="{}">{}</a>{}</li>',
        ((item.url, item.label,
          format_html(' <span class="ms-2">{}</span>', item.detail) if item.detail else "")
         for item in extras))
    return format_html(
        '<section class="lesson-next" aria-labelledby="next-heading">\n'
        '<h2 id="next-heading">After reading</h2>\n'
        '<ul class="list-unstyled">\n{}\n</ul>\n</section>', items)
