"""Teaching views at scale on PostgreSQL: S students x 50 quizzes x 2 questions.

    python bench/bench_scale.py [--sizes 1000,10000] [--quizzes 50] [--repeats 3]
                                [--views regrade,gradebook,...]

At 10,000 students that is 500,000 graded attempts and 1,000,000 responses, written by
INSERT ... SELECT over generate_series (seconds, not the hours the ORM would take). For each
class size it times, in this process, Lectio's gradebook, item analysis of one quiz, the
lesson's passage heatmap, both CSV exports (every row produced) and a regrade of one
question across every attempt, each next to raw SQL that computes the same numbers in the
same run; then the growth of each from the first size to the last. The class grows in
place: the second size adds students to the first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from common import ROOT, fresh_database, machine, write_result

PREFIX = "scale"

RAW = {
    "gradebook": """
        SELECT a.user_id, a.quiz_id, MAX(a.score) / NULLIF(MAX(a.max_score), 0) * 100
        FROM quizzes_attempt a JOIN quizzes_quiz q ON q.id = a.quiz_id
        JOIN courses_lesson l ON l.id = q.lesson_id
        WHERE l.course_id = %(course)s AND NOT a.is_preview AND a.status = 'graded'
        GROUP BY a.user_id, a.quiz_id""",
    "item_analysis": """
        SELECT r.question_id, AVG(r.score / q.points), COUNT(*), r.answer #>> '{}'
        FROM quizzes_response r JOIN quizzes_attempt a ON a.id = r.attempt_id
        JOIN quizzes_question q ON q.id = r.question_id
        WHERE a.quiz_id = %(quiz)s AND NOT a.is_preview
          AND a.status IN ('graded', 'needs_grading', 'submitted')
        GROUP BY r.question_id, r.answer #>> '{}'""",
    "heatmap": """
        SELECT c.passage_id, AVG(r.score / q.points), COUNT(*)
        FROM quizzes_response r JOIN quizzes_attempt a ON a.id = r.attempt_id
        JOIN quizzes_question q ON q.id = r.question_id
        JOIN quizzes_question_cites c ON c.question_id = q.id
        JOIN quizzes_quiz z ON z.id = q.quiz_id
        WHERE z.lesson_id = %(lesson)s AND NOT a.is_preview AND r.score IS NOT NULL
          AND a.status IN ('graded', 'needs_grading', 'submitted')
        GROUP BY c.passage_id""",
    "gradebook_csv": """
        SELECT u.username, u.first_name, u.last_name, a.quiz_id, MAX(a.score)
        FROM courses_enrollment e JOIN auth_user u ON u.id = e.user_id
        LEFT JOIN quizzes_attempt a ON a.user_id = u.id AND a.status = 'graded'
        WHERE e.course_id = %(course)s GROUP BY u.username, u.first_name, u.last_name,
        a.quiz_id ORDER BY u.last_name, u.username""",
    "responses_csv": """
        SELECT u.username, z.title, a.number, q.position, q.type, r.answer, r.score,
               q.points, r.state, a.submitted_at
        FROM quizzes_response r JOIN quizzes_attempt a ON a.id = r.attempt_id
        JOIN auth_user u ON u.id = a.user_id JOIN quizzes_question q ON q.id = r.question_id
        JOIN quizzes_quiz z ON z.id = a.quiz_id JOIN courses_lesson l ON l.id = z.lesson_id
        WHERE l.course_id = %(course)s AND NOT a.is_preview AND a.status <> 'in_progress'
        ORDER BY r.id""",
    # The regrade's raw counterpart: one UPDATE scoring every response from the choice it
    # names, and one recomputing the attempts' totals.
    "regrade": """
        UPDATE quizzes_response r SET score = c.fraction * q.points,
               state = CASE WHEN c.fraction = 1 THEN 'correct' ELSE 'incorrect' END
        FROM quizzes_question q, quizzes_choice c
        WHERE r.question_id = %(question)s AND q.id = r.question_id AND NOT r.overridden
          AND c.id = (r.answer #>> '{}')::bigint;
        UPDATE quizzes_attempt a SET score = s.total FROM (
            SELECT r.attempt_id, SUM(r.score) AS total FROM quizzes_response r
            WHERE r.attempt_id IN (SELECT attempt_id FROM quizzes_response
                                   WHERE question_id = %(question)s)
            GROUP BY r.attempt_id) s WHERE a.id = s.attempt_id""",
}


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _insert_select(model, given: dict[str, str], from_sql: str, params: dict) -> int:
    """INSERT INTO model's table every row of `from_sql`: `given` maps a field to its SQL
    expression; every other concrete field gets its default, as the ORM would write it."""
    from django.db import connection

    columns, values, defaults = [], [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in given:
            values.append(given[field.name])
        else:
            defaults[f"d_{field.column}"] = field.get_db_prep_save(field.get_default(),
                                                                  connection)
            values.append(f"%(d_{field.column})s")
    sql = (f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
           f"SELECT {', '.join(values)} {from_sql}")
    with connection.cursor() as cursor:
        cursor.execute(sql, {**defaults, **params})
        return cursor.rowcount


def make_course(quizzes: int):
    """The demo course's lesson with `quizzes` quizzes of two single-choice questions, each
    citing a passage; the first question's key is choice A."""
    from django.core.management import call_command

    from courses.models import Course, Lesson
    from quizzes.models import Choice, Question, Quiz

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    course = Course.objects.get(slug="demo")
    lesson = Lesson.objects.get(course=course)
    passages = list(lesson.reading.passages.order_by("order"))
    made = Quiz.objects.bulk_create(
        Quiz(lesson=lesson, kind="comprehension", title=f"Scale quiz {i}", position=10 + i)
        for i in range(quizzes))
    for quiz in made:
        for position in (1, 2):
            question = Question.objects.create(quiz=quiz, position=position, type="single",
                                               prompt=f"Question {position}?", points=1)
            Choice.objects.bulk_create([
                Choice(question=question, position=1, text="A", fraction=1),
                Choice(question=question, position=2, text="B", fraction=0)])
            question.cites.add(passages[(quiz.position + position) % len(passages)])
    return course, lesson, made


def grow_class(course, start: int, count: int) -> None:
    """Students start..start+count-1, enrolled, each with one graded attempt per quiz and an
    answer to each question (right for two students in three)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from courses.models import Enrollment
    from quizzes.models import Attempt, Response

    user_model = get_user_model()
    params = {"start": start, "end": start + count - 1, "prefix": PREFIX,
              "password": make_password("bench-password"), "course": course.pk}
    _insert_select(user_model, {
        "username": "%(prefix)s || g", "first_name": "'Student'",
        "last_name": "lpad(g::text, 6, '0')", "password": "%(password)s",
        "date_joined": "now()"}, "FROM generate_series(%(start)s::int, %(end)s::int) g", params)
    new_users = ("FROM auth_user u WHERE u.username LIKE %(prefix)s || '%%' "
                 "AND substr(u.username, length(%(prefix)s) + 1)::int "
                 "BETWEEN %(start)s::int AND %(end)s::int")
    _insert_select(Enrollment, {"course": "%(course)s", "user": "u.id",
                                "created_at": "now()"} if _has(Enrollment, "created_at")
                   else {"course": "%(course)s", "user": "u.id"}, new_users, params)
    _insert_select(Attempt, {
        "quiz": "z.id", "user": "u.id", "number": "1", "status": "'graded'",
        "started_at": "now()", "submitted_at": "now()", "score": "0", "max_score": "2"},
        new_users.replace("FROM auth_user u", "FROM auth_user u CROSS JOIN quizzes_quiz z")
        + " AND z.title LIKE 'Scale quiz %%'", params)
    _insert_select(Response, {
        "attempt": "a.id", "question": "q.id", "version": "1", "saved_at": "now()",
        "answer": "to_jsonb((CASE WHEN (a.user_id + q.id) %% 3 = 0 THEN wrong.id "
                  "ELSE right_.id END)::text)",
        "score": "CASE WHEN (a.user_id + q.id) %% 3 = 0 THEN 0 ELSE 1 END",
        "state": "CASE WHEN (a.user_id + q.id) %% 3 = 0 THEN 'incorrect' ELSE 'correct' END",
        "graded_at": "now()"},
        "FROM quizzes_attempt a JOIN quizzes_question q ON q.quiz_id = a.quiz_id "
        "JOIN quizzes_choice right_ ON right_.question_id = q.id AND right_.position = 1 "
        "JOIN quizzes_choice wrong ON wrong.question_id = q.id AND wrong.position = 2 "
        "JOIN auth_user u ON u.id = a.user_id WHERE u.username LIKE %(prefix)s || '%%' "
        "AND substr(u.username, length(%(prefix)s) + 1)::int "
        "BETWEEN %(start)s::int AND %(end)s::int",
        params)
    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE quizzes_attempt a SET score = s.total FROM (
                SELECT attempt_id, SUM(score) AS total FROM quizzes_response
                GROUP BY attempt_id) s
            WHERE a.id = s.attempt_id AND a.score = 0 AND s.total <> 0""")
        # VACUUM too: that UPDATE leaves a dead copy of nearly every attempt (500,000 at
        # 10,000 students), which every view and its SQL would otherwise scan, and which
        # autovacuum would clean at a moment of its choosing, in the middle of a timing.
        cursor.execute("VACUUM ANALYZE")


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _raw(name: str, params: dict):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for statement in RAW[name].split(";"):
                cursor.execute(statement, params)
                if cursor.description:
                    cursor.fetchall()
    return run


VIEWS = ("gradebook", "item_analysis", "heatmap", "gradebook_csv", "responses_csv", "regrade")


def measure(course, lesson, quizzes, repeats: int, only=VIEWS) -> dict:
    """Each teaching view in `only` (every one by default): its median seconds next to its
    raw SQL's, at the current size."""
    from django.utils import timezone

    from quizzes.models import Choice, Response
    from quizzes.teaching import analysis, selectors
    from quizzes.teaching import services as teaching
    from quizzes.teaching.gradebook_csv import gradebook_csv_rows, responses_csv_rows

    quiz = quizzes[0]
    question = quiz.questions.order_by("position").first()
    params = {"course": course.pk, "lesson": lesson.pk, "quiz": quiz.pk,
              "question": question.pk}
    views = {
        "gradebook": lambda: selectors.gradebook(course),
        "item_analysis": lambda: analysis.quiz_item_analysis(quiz),
        "heatmap": lambda: analysis.lesson_heatmap(lesson),
        "gradebook_csv": lambda: sum(1 for _ in gradebook_csv_rows(course)),
        "responses_csv": lambda: sum(1 for _ in responses_csv_rows(course)),
    }
    out = {}
    for name, view in views.items():
        if name not in only:
            continue
        view()  # warm: first-call imports and plans belong to neither side
        out[name] = {"lectio_s": round(_timed(view, repeats), 4),
                     "raw_sql_s": round(_timed(_raw(name, params), repeats), 4)}

    def flip_key():
        # Swap which choice is right, so every answer to the question changes its score.
        right, wrong = list(Choice.objects.filter(question=question).order_by("position"))
        right.fraction, wrong.fraction = wrong.fraction, right.fraction
        Choice.objects.bulk_update([right, wrong], ["fraction"])

    if "regrade" not in only:
        return _ratios(out)
    # Each repeat flips the key, regrades through Lectio (every score changes), flips it
    # back and lets the raw SQL restore the scores, so both sides always change every row.
    lectio, raw, changed = [], [], []
    for _ in range(repeats):
        flip_key()
        start = time.perf_counter()
        changed.append(teaching.question_regrade(question=question, user=None,
                                                 now=timezone.now()))
        lectio.append(time.perf_counter() - start)
        flip_key()
        raw.append(_timed(_raw("regrade", params), 1))
    out["regrade"] = {"lectio_s": round(statistics.median(lectio), 4),
                      "raw_sql_s": round(statistics.median(raw), 4),
                      "lectio_runs_s": [round(t, 3) for t in lectio],
                      "raw_sql_runs_s": [round(t, 3) for t in raw],
                      "responses": Response.objects.filter(question=question).count(),
                      "changed": changed}
    return _ratios(out)


def _ratios(out: dict) -> dict:
    for row in out.values():
        row["ratio"] = round(row["lectio_s"] / row["raw_sql_s"], 2) if row["raw_sql_s"] else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--quizzes", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--views", default=",".join(VIEWS),
                        help="comma-separated views to time (default: all): " + ", ".join(VIEWS))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = tuple(args.views.split(","))
    if unknown := set(only) - set(VIEWS):
        parser.error(f"unknown views: {', '.join(sorted(unknown))}")

    env = fresh_database("lectio_bench_scale")
    setup_django(env)
    from quizzes.models import Response

    course, lesson, quizzes = make_course(args.quizzes)
    results, have = {}, 0
    for size in sizes:
        start = time.perf_counter()
        grow_class(course, have, size - have)
        have = size
        generated = time.perf_counter() - start
        results[str(size)] = {
            "students": size, "responses": Response.objects.count(),
            "generate_seconds": round(generated, 1),
            "views": measure(course, lesson, quizzes, args.repeats, only)}
    first, last = results[str(sizes[0])]["views"], results[str(sizes[-1])]["views"]
    growth = {name: {"lectio": round(last[name]["lectio_s"] / first[name]["lectio_s"], 1),
                     "raw_sql": round(last[name]["raw_sql_s"] / first[name]["raw_sql_s"], 1)}
              for name in first}
    result = {"benchmark": "scale", "machine": machine(), "quizzes": args.quizzes,
              "questions_per_quiz": 2, "sizes": results,
              "growth": {"from": sizes[0], "to": sizes[-1], "factor": sizes[-1] / sizes[0],
                         **growth}}
    write_result("scale", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
