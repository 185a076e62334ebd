"""Rows read with plain SQL but loaded exactly as the ORM loads them (values prepared by
their fields, results through the backend's converters).

For the reads every request makes (its session and its user) and the autosave's read:
building the equivalent queryset each time costs more CPU than running the query
(bench/bench_lesson.py, bench/bench_quiz.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db import connections, router

_OPERATORS = {"=", ">"}


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


@lru_cache(maxsize=32)
def _plan(model, alias: str, fields: tuple[str, ...], where: tuple[tuple[str, str], ...]):
    quote = connections[alias].ops.quote_name
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    conditions = []
    for name, operator in where:
        if operator not in _OPERATORS:
            raise ValueError(f"unsupported operator {operator!r}")
        conditions.append(f"{quote(meta.get_field(name).column)} {operator} %s")
    # Only quoted model column and table names go into the text; values are bound.
    sql = "SELECT {} FROM {} WHERE {}".format(  # noqa: S608
        ", ".join(quote(field.column) for field in columns), quote(meta.db_table),
        " AND ".join(conditions))
    return sql, columns


def fetch_one(model, where: list[tuple[str, str, Any]], fields: list[str] | None = None):
    """The instance of `model` matching every (field, operator, value) in `where` (operators
    `=` and `>`), with `fields` loaded (default: every concrete field), or None.

    The caller promises at most one row matches (a primary or unique key is in `where`).
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    meta = model._meta
    names = in_model_order(model, fields or [field.name for field in meta.concrete_fields])
    sql, columns = _plan(model, alias, names, tuple((name, op) for name, op, _ in where))
    params = [meta.get_field(name).get_db_prep_value(value, connection)
              for name, _, value in where]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(alias, [field.attname for field in columns],
                         load_values(columns, row, alias))
