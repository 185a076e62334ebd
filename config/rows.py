"""Rows read with plain SQL but loaded exactly as the ORM loads them (values prepared by
their fields, results through the backend's converters).

For the autosave's read (quizzes/taking/autosave.py): building and compiling the equivalent
queryset costs ten times the CPU of running this SQL, and the ORM version saved at 0.43 x the
rate of the SQL one on 2026-12-08 (bench/bench_quiz.py; the figures are next to the read).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import connections


@lru_cache(maxsize=256)
def _converters(field, alias: str):
    connection = connections[alias]
    col = field.get_col(field.model._meta.db_table)
    return col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)


def in_model_order(model, names) -> tuple[str, ...]:
    """`names` in the order of the model's concrete fields: Model.from_db() takes a partial
    row's values in that order, whatever order their names are given in."""
    order = {field.name: index for index, field in enumerate(model._meta.concrete_fields)}
    return tuple(sorted(names, key=order.__getitem__))


def load_values(fields: Sequence, row: Sequence, alias: str) -> list[Any]:
    """`row`'s values as the ORM would load them into `fields` (one field per value)."""
    connection = connections[alias]
    values = []
    for field, value in zip(fields, row, strict=True):
        col, found = _converters(field, alias)
        for converter in found:
            value = converter(value, col, connection)
        values.append(value)
    return values
