"""Ordered rows moved one place at a time, as the Lessons page moves lessons and a quiz's
questions page moves questions: the move itself, the renumbering 1..n, and which button
keeps the keyboard focus when the page comes back. Callers lock what they reorder."""

from __future__ import annotations

from collections.abc import Sequence

UP, DOWN = "up", "down"


def move_one(rows: list, index: int, direction: str) -> int:
    """Swap `rows[index]` with its neighbour in `direction` (UP or DOWN), in place, and
    return its new index. The first row moved up, or the last moved down, stays."""
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(rows):
        rows[index], rows[target] = rows[target], rows[index]
        return target
    return index


def renumber(rows: Sequence, model) -> None:
    """Give `rows` (instances of `model` with a `position`) the positions 1..n in their
    order, writing only those that change, in one statement."""
    changed = []
    for number, row in enumerate(rows, start=1):
        if row.position != number:
            row.position = number
            changed.append(row)
    model.objects.bulk_update(changed, ["position"])


def focus_after_move(control: str, number: int, count: int, fallback: str) -> str:
    """The control to focus on the row now at `number` (1-based) of `count`. A row moved to
    an end has lost the button that moved it (it is disabled there): focus its other move
    button, or `fallback` when the list has a single row."""
    if control == UP and number == 1:
        return DOWN if count > 1 else fallback
    if control == DOWN and number == count:
        return UP if count > 1 else fallback
    return control
