"""Gradebook at scale on PostgreSQL: 1,000 students by 20 quizzes.

    python bench/bench_gradebook.py [--students 1000] [--quizzes 20] [--csv-students 10000]
                                    [--repeats 15] [--against REF]

Times the gradebook page (gunicorn) next to the raw aggregate SQL that fetches the same
numbers, in the same run (target: page at most 3 x the SQL), and measures the peak Python
memory of the gradebook CSV export at two class sizes (it must not grow with the rows).
With --against REF a second server runs git commit REF's code on the same database, and
each round also times its page, so two versions are compared against the same SQL in one
run (the report's "against" part).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import time
import tracemalloc

from common import ROOT, checkout, fresh_database, gunicorn, login_cookie, machine, write_result

RAW_SQL = """
SELECT a.user_id, a.quiz_id, MAX(a.score) / NULLIF(MAX(a.max_score), 0) * 100
FROM quizzes_attempt a JOIN quizzes_quiz q ON q.id = a.quiz_id
JOIN courses_lesson l ON l.id = q.lesson_id
WHERE l.course_id = %s AND a.is_preview = false AND a.status = 'graded'
GROUP BY a.user_id, a.quiz_id
"""


def populate(env: dict[str, str], students: int, quizzes: int) -> int:
    """Create the course, quizzes, students and one graded attempt per student and quiz."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from courses.models import Course, Enrollment, Lesson
    from quizzes.models import Attempt, Quiz

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    course = Course.objects.get(slug="demo")
    lesson = Lesson.objects.get(course=course)
    made = Quiz.objects.bulk_create(
        Quiz(lesson=lesson, kind="comprehension", title=f"Bench quiz {i}", position=10 + i)
        for i in range(quizzes)
    )
    user_model = get_user_model()
    password = make_password("bench-password")
    existing = user_model.objects.filter(username__startswith="gb").count()
    users = user_model.objects.bulk_create(
        user_model(username=f"gb{existing + i}", first_name="Student",
                   last_name=f"{existing + i:05d}", password=password)
        for i in range(students)
    )
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u) for u in users)
    now = timezone.now()
    for quiz in made:
        Attempt.objects.bulk_create(
            Attempt(quiz=quiz, user=u, number=1, status="graded", started_at=now,
                    submitted_at=now, score=Decimal(i % 11), max_score=Decimal(10))
            for i, u in enumerate(users)
        )
    return course.pk


def csv_peak(course_pk: int) -> tuple[int, float, int]:
    from courses.models import Course
    from quizzes.teaching.gradebook_csv import gradebook_csv_rows

    course = Course.objects.get(pk=course_pk)
    tracemalloc.start()
    start = time.perf_counter()
    rows = sum(1 for _ in gradebook_csv_rows(course))
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return rows, round(elapsed, 2), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--quizzes", type=int, default=20)
    parser.add_argument("--csv-students", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=15)
    # Not common.gunicorn's default port, which bench_lesson.py serves on: the two can run
    # at the same time on a shared machine without answering each other's requests.
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--against", metavar="REF",
                        help="also time the gradebook page of git commit REF, in the same rounds")
    args = parser.parse_args()

    env = fresh_database("lectio_bench_gradebook")
    course_pk = populate(env, args.students, args.quizzes)
    from django.db import connection

    def time_sql() -> float:
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [course_pk])
            cursor.fetchall()
        return time.perf_counter() - start

    def time_page(host: str) -> float:
        conn = http.client.HTTPConnection(*host.split(":"), timeout=120)
        start = time.perf_counter()
        conn.request("GET", "/quizzes/course/demo/gradebook/", headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        assert response.status == 200 and b"Bench quiz 0" in body
        return elapsed

    with contextlib.ExitStack() as stack:
        # The page's servers: "page" is this checkout's, "against" commit REF's.
        servers = {"page": stack.enter_context(gunicorn(env, port=args.port, workers=1))}
        if args.against:
            tree = stack.enter_context(checkout(args.against))
            servers["against"] = stack.enter_context(gunicorn(env, workers=1, tree=tree))
        cookie = login_cookie(servers["page"], "instructor", "lectio-instructor")
        for host in servers.values():  # the first requests pay for imports and warm-up
            time_page(host)
            time_page(host)
        # Rounds alternate the SQL and each page, rotating which goes first: a shared
        # machine's speed drifts, and then it moves every series alike.
        timers = {"sql": time_sql, **{name: (lambda h=host: time_page(h))
                                      for name, host in servers.items()}}
        names = list(timers)
        rounds = []
        for index in range(args.repeats):
            order = names[index % len(names):] + names[:index % len(names)]
            rounds.append({name: timers[name]() for name in order})

    small = csv_peak(course_pk)
    populate(env, args.csv_students - args.students, 0)  # grow the class, same quizzes
    large = csv_peak(course_pk)
    sql = statistics.median(one["sql"] for one in rounds)

    def figures(name: str) -> dict:
        page = statistics.median(one[name] for one in rounds)
        return {"gradebook_page_median_ms": round(1000 * page, 1),
                "ratio_page_to_sql": round(page / sql, 2),
                "ratio_each_round": sorted(round(one[name] / one["sql"], 2) for one in rounds)}

    result = {
        "benchmark": "gradebook",
        "machine": machine(),
        "students": args.students,
        "quizzes": args.quizzes,
        **figures("page"),
        "baseline_raw_sql_median_ms": round(1000 * sql, 1),
        "target": "<= 3",
        "csv_export": {
            "small": {"rows": small[0], "seconds": small[1], "peak_bytes": small[2]},
            "large": {"rows": large[0], "seconds": large[1], "peak_bytes": large[2]},
            "peak_growth": round(large[2] / small[2], 2),
        },
    }
    if args.against:
        result["against"] = {
            "ref": args.against, **figures("against"),
            # This checkout's page time over REF's, round by round (below 1: this is faster).
            "this_over_ref_each_round": [
                round(one["page"] / one["against"], 3) for one in rounds],
        }
    write_result("gradebook", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
