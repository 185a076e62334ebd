"""Rows read with plain SQL but loaded exactly as the ORM loads them (values prepared by
their fields, results through the backend's converters).

For the autosave's read (quizzes/taking/autosave.py): building the equivalent queryset each
time costs more CPU than running the query (bench/bench_quiz.py).
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
