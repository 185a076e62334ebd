"""One model row by a fixed condition, read with plain SQL but loaded exactly as the ORM
loads it (values prepared by their fields, results through the backend's converters).

For the two reads every signed-in request makes (its session and its user): building the
equivalent queryset each time costs more CPU than running the query (bench/bench_lesson.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db import connections, router

_OPERATORS = {"=", ">"}


@lru_cache(maxsize=32)
def _plan(model, alias: str, fields: tuple[str, ...], where: tuple[tuple[str, str], ...]):
    connection = connections[alias]
    quote = connection.ops.quote_name
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
    converters = []
    for field in columns:
        col = field.get_col(meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        converters.append((col, found))
    return sql, [field.attname for field in columns], converters


def fetch_one(model, where: list[tuple[str, str, Any]], fields: list[str] | None = None):
    """The instance of `model` matching every (field, operator, value) in `where` (operators
    `=` and `>`), with `fields` loaded (default: every concrete field), or None.

    The caller promises at most one row matches (a primary or unique key is in `where`).
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    meta = model._meta
    names = tuple(fields or (field.name for field in meta.concrete_fields))
    sql, attnames, converters = _plan(model, alias, names,
                                      tuple((name, op) for name, op, _ in where))
    params = [meta.get_field(name).get_db_prep_value(value, connection)
              for name, _, value in where]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (col, found) in zip(row, converters, strict=True):
        for converter in found:
            value = converter(value, col, connection)
        values.append(value)
    return model.from_db(alias, attnames, values)
