"""The autosave's read and write, in SQL because the ORM misses their benchmark target.

Issue 18 keeps hand-written SQL only where a benchmark shows the ORM cannot meet the target
(autosave >= 0.5 x a bare INSERT, bench/bench_quiz.py). Each statement below says what its
ORM version measured. These functions run them with bound parameters and load rows exactly
as the ORM would (config.rows.load_values), into the model instances services.response_save
works on. The save reads without a lock and writes with one conditional statement, so it
needs no transaction of its own (three round trips fewer). The choices read, off the
benchmark's path, is the ORM's.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connections, router

from config.jsoninput import JSONInputError, loads_bounded
from config.rows import in_model_order, load_values
from courses.models import Course, Enrollment, Lesson

from ..models import Attempt, AttemptStatus, Choice, Question, Quiz, Response

# The request's bounds, checked before anything else (the session read included): the
# longest answer (20,000 characters of open response, written as up to 4 UTF-8 bytes each)
# fits with room to spare, and no answer nests more than a few levels.
MAX_BODY_BYTES = 128 * 1024
MAX_DEPTH = 8
MAX_VERSION = 2**31 - 2  # versions count up from 0 in a 32-bit column
MAX_ID = 2**63 - 1


class SaveInputError(ValueError):
    """The autosave request is not {"question": id, "answer": ..., "version": n} within
    bounds; the message says what is wrong."""


def _whole(value, name: str, low: int, high: int) -> int:
    # bool is an int in Python, and 3.0 or "3" are not what the page sends.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SaveInputError(f'"{name}" must be a whole number from {low} to {high:,}.')
    return value


def save_request(body: bytes) -> tuple[int, int, Any]:
    """(question id, version, raw answer) from an autosave body, or SaveInputError.

    Pure and cheap: size, nesting and number checks on the text, one bounded parse, no
    database, so a malformed or oversized request costs nothing more than reading it."""
    try:
        payload = loads_bounded(body or b"{}", max_bytes=MAX_BODY_BYTES, max_depth=MAX_DEPTH)
    except JSONInputError as error:
        raise SaveInputError(str(error)) from None
    if not isinstance(payload, dict) or "question" not in payload or "version" not in payload:
        raise SaveInputError('Send {"question": id, "answer": ..., "version": n}.')
    question = _whole(payload["question"], "question", 1, MAX_ID)
    version = _whole(payload["version"], "version", 0, MAX_VERSION)
    return question, version, payload.get("answer")


# (model, table alias, fields) in the order current_answer's read selects them.
_READ = (
    (Response, "r", ("id", "attempt", "question", "answer", "version", "saved_at")),
    (Attempt, "a", ("id", "user", "quiz", "status", "deadline")),
    (Quiz, "qz", ("id", "lesson", "grace_seconds")),
    (Lesson, "l", ("id", "course")),
    (Course, "c", ("id", "slug", "is_published")),
    (Question, "q", ("id", "type", "points", "config")),
)


# SQL, not the ORM: the same read as Response.objects.select_related("attempt__quiz__lesson__
# course", "question").only(...).annotate(member_role=Subquery(role), choice_rows=
# ArraySubquery(choices)) spends 2.5 to 5 ms of CPU per save building and compiling the queryset,
# against 0.2 to 0.3 ms here. On 2026-12-08, `flock /work/bench.lock python bench/bench_quiz.py
# --against 7897a13` (9 rounds of 200 students, PostgreSQL) run from that read and the write below
# through the ORM (branch autosave-orm, e14cea9) gave 0.202 x a bare INSERT (rounds 0.096 to 0.257)
# against 0.352 (0.201 to 0.875) for this SQL, 0.43 x its save rate; with the queryset built once
# per database (autosave-orm2, 16390e3; the same command run from this code with --against 16390e3)
# 0.168 (0.130 to 0.282) against 0.469 (0.249 to 0.523), this SQL 2.36 x faster (1.15 to 3.57). A
# second run of the first pair on the day's main (autosave-orm-r2, 3ea132e; from this code with
# --against 3ea132e): ORM 0.186 (0.119 to 0.316), SQL 0.492 (0.298 to 0.658), the SQL faster in all
# 9 rounds (2.50 x, 1.81 to 2.92). The ORM write alone costs 1.3 to 1.5 x (below), so the read is
# most of the gap. No ORM form came near 0.5.
@lru_cache(maxsize=8)
def _read_plan(alias: str) -> tuple[str, list, list[tuple[Any, list[str], int]]]:
    connection = connections[alias]
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def col(alias_: str, model, name: str) -> str:
        return f"{alias_}.{quote(model._meta.get_field(name).column)}"

    columns, fields, layout = [], [], []
    for model, alias_, names in _READ:
        names = in_model_order(model, names)
        layout.append((model, [model._meta.get_field(n).attname for n in names], len(names)))
        for name in names:
            columns.append(col(alias_, model, name))
            fields.append(model._meta.get_field(name))
    role = (f"(SELECT {col('e', Enrollment, 'role')} FROM {table(Enrollment)} e "  # noqa: S608
            f"WHERE {col('e', Enrollment, 'course')} = {col('l', Lesson, 'course')} "
            f"AND {col('e', Enrollment, 'user')} = %s LIMIT 1)")
    with_choices = connection.vendor == "postgresql"
    if with_choices:
        # The question's choices in their order, as JSON, so a choice question's save needs
        # no statement of its own (SQLite cannot order inside a correlated aggregate).
        ch = Choice._meta
        role += (
            f", (SELECT json_agg(json_build_array(ch.{quote('id')}, "  # noqa: S608
            f"{col('ch', Choice, 'text')}, {col('ch', Choice, 'fraction')}::text, "
            f"{col('ch', Choice, 'feedback')}) ORDER BY {col('ch', Choice, 'position')}, "
            f"ch.{quote('id')}) FROM {quote(ch.db_table)} ch "
            f"WHERE {col('ch', Choice, 'question')} = q.{quote('id')})")
    sql = (
        f"SELECT {', '.join(columns)}, {role} "  # noqa: S608 - names only; values are bound
        f"FROM {table(Response)} r "
        f"JOIN {table(Attempt)} a ON a.{quote('id')} = {col('r', Response, 'attempt')} "
        f"JOIN {table(Quiz)} qz ON qz.{quote('id')} = {col('a', Attempt, 'quiz')} "
        f"JOIN {table(Lesson)} l ON l.{quote('id')} = {col('qz', Quiz, 'lesson')} "
        f"JOIN {table(Course)} c ON c.{quote('id')} = {col('l', Lesson, 'course')} "
        f"JOIN {table(Question)} q ON q.{quote('id')} = {col('r', Response, 'question')} "
        f"WHERE {col('r', Response, 'attempt')} = %s AND {col('r', Response, 'question')} = %s"
    )
    return sql, fields, layout, with_choices


def current_answer(attempt_id: int, question_id: int, user) -> Response | None:
    """The response to `question_id` in `attempt_id`, or None. Loaded with it: `.question`,
    `.attempt.quiz.lesson.course` (the fields the save checks) and `.member_role`, `user`'s
    enrolment role in the course. Nothing is locked: store_answer re-checks under a lock
    what the save decided from this read."""
    alias = router.db_for_write(Response)
    connection = connections[alias]
    sql, fields, layout, with_choices = _read_plan(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [getattr(user, "pk", None), attempt_id, question_id])
        row = cursor.fetchone()
    if row is None:
        return None
    extra = 2 if with_choices else 1
    values = load_values(fields, row[:-extra], alias)
    loaded, start = [], 0
    for model, attnames, count in layout:
        loaded.append(model.from_db(alias, attnames, values[start:start + count]))
        start += count
    response, attempt, quiz, lesson, course, question = loaded
    lesson.course = course
    quiz.lesson = lesson
    attempt.quiz = quiz
    response.attempt = attempt
    response.question = question
    response.member_role = row[len(fields)]
    if with_choices:
        choices = row[-1] or []
        if isinstance(choices, str):
            choices = json.loads(choices)
        question._loaded_choices = [
            Choice.from_db(alias, ["id", "question_id", "text", "fraction", "feedback"],
                           [pk, question.pk, text, Decimal(fraction), feedback])
            for pk, text, fraction, feedback in choices]
    return response


def choices_of(question: Question) -> list[Choice]:
    """The question's choices in their order (Meta.ordering), for question_spec: those
    current_answer brought along, else read now."""
    loaded = getattr(question, "_loaded_choices", None)
    if loaded is not None:
        return loaded
    # The ORM's read: on PostgreSQL current_answer brings the choices, so only SQLite (and
    # a question loaded some other way) comes here, off the benchmark's path.
    return list(Choice.objects.using(router.db_for_read(Choice)).filter(question=question))


def store_answer(response: Response, *, answer: Any, version: int, saved_at: datetime,
                 open_after: datetime) -> bool:
    """Write the answer, its version and time to `response`'s row if, at that moment, no
    version as new is stored and its attempt is in progress with no deadline before
    `open_after` (the save's time less the grace period). True if written.

    One statement in its own transaction: on PostgreSQL it first locks the attempt's row,
    as submitting and accommodations do, so a save either lands before a submit grades the
    attempt or finds it closed; on SQLite the statement holds the database's write lock.
    """
    alias = router.db_for_write(Response)
    connection = connections[alias]
    sql, fields, attempt_fields = _update_plan(alias)
    values = [field.get_db_prep_save(value, connection)
              for field, value in zip(fields, (answer, version, saved_at), strict=True)]
    status, deadline = attempt_fields
    checks = [status.get_db_prep_value(AttemptStatus.IN_PROGRESS.value, connection),
              deadline.get_db_prep_value(open_after, connection)]
    if connection.features.has_select_for_update:
        params = [response.attempt_id, *checks, *values, response.pk, version]
    else:
        params = [*values, response.pk, version, *checks]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount == 1
    if written:
        response.answer, response.version, response.saved_at = answer, version, saved_at
    return written


# SQL, not the ORM: Response.objects.filter(pk=..., version__lt=..., attempt__in=Attempt.
# objects.select_for_update(of=("self",)).filter(...open...)).update(...) is the same write, but
# Django refuses FOR UPDATE outside a transaction, so it needs atomic() (BEGIN and COMMIT round
# trips) besides compiling the update each time. On 2026-12-08 that write with this file's SQL read
# (branch autosave-hyb, 5f007ac), timed by `flock /work/bench.lock python bench/bench_quiz.py
# --against 5f007ac` run from this code, gave 0.393 x a bare INSERT (rounds 0.187 to 0.480) against
# 0.461 (0.211 to 0.574) for this statement, which saved 1.34 x as fast (0.89 to 1.61, faster in 8
# of 9 rounds); run again on the day's main (autosave-hyb-r2, 94810c9, --against 94810c9): 0.358
# (0.242 to 0.474) against 0.502 (0.385 to 0.989), the SQL 1.49 x as fast (1.14 to 2.29, faster in
# all 9 rounds).
@lru_cache(maxsize=8)
def _update_plan(alias: str):
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta, attempt_meta = Response._meta, Attempt._meta
    fields = [meta.get_field(name) for name in ("answer", "version", "saved_at")]
    status, deadline = (attempt_meta.get_field("status"), attempt_meta.get_field("deadline"))
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    version, attempt_id = (quote(meta.get_field("version").column),
                           quote(meta.get_field("attempt").column))
    # Only quoted model names go into the statement text; every value is bound.
    attempts = quote(attempt_meta.db_table)

    def still_open(prefix: str) -> str:
        column = f"{prefix}{quote(deadline.column)}"
        return (f"{prefix}{quote(status.column)} = %s AND "
                f"({column} IS NULL OR {column} >= %s)")

    if connection.features.has_select_for_update:
        sql = (
            f"WITH open_attempt AS (SELECT {quote('id')} FROM {attempts} "  # noqa: S608
            f"WHERE {quote('id')} = %s AND {still_open('')} FOR UPDATE) "
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {version} < %s "
            f"AND {attempt_id} IN (SELECT {quote('id')} FROM open_attempt)")
    else:
        sql = (
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {version} < %s "  # noqa: S608
            f"AND EXISTS (SELECT 1 FROM {attempts} a WHERE a.{quote('id')} = "
            f"{table}.{attempt_id} AND {still_open('a.')})")
    return sql, fields, (status, deadline)
