"""The question-import preview of a large GIFT file, requested through Django on PostgreSQL:
the first preview of an upload, turning to page 2 and to the last page, and a bare one-row
view in the same run.

    python bench/bench_import_preview.py [--questions 5000] [--runs 5] [--profile]

The file is bench_gift.py's (every type GIFT expresses). The requests go through the whole
stack in this process (middleware, session, template) with Django's test client, so the
figure is the server's time for one preview, without a network or a second process.
--profile prints where the first preview of an upload spends its time (cProfile, by
cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time

from bench_gift import gift_file
from common import ROOT, fresh_database, machine, write_result


def _timed(client, path: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true",
                        help="print the cProfile of one preview request")
    args = parser.parse_args()

    os.environ.update(fresh_database("lectio_bench_preview"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from courses.models import Course, Enrollment, Lesson, Reading, Role
    from quizzes.models import Quiz

    instructor = get_user_model().objects.create_user("bench-instructor", password="x")
    course = Course.objects.create(title="Bench", slug="bench")
    Enrollment.objects.create(course=course, user=instructor, role=Role.INSTRUCTOR)
    reading = Reading.objects.create(title="Bench reading")
    lesson = Lesson.objects.create(course=course, reading=reading, title="Bench", slug="bench")
    quiz = Quiz.objects.create(lesson=lesson, title="Bench quiz")
    data = gift_file(args.questions).encode("utf-8")

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(instructor)
    preview = reverse("quizzes:question-import-preview", args=[quiz.pk])
    last_page = f"{preview}?page={-(-args.questions // 50)}"

    def upload() -> None:
        response = client.post(reverse("quizzes:question-import", args=[quiz.pk]), {
            "file": SimpleUploadedFile("bank.gift", data), "format": "gift"})
        if response.status_code != 302:
            raise RuntimeError(f"the upload answered {response.status_code}")

    upload()
    client.get(preview)  # the first request pays for imports and template loading
    client.get("/bench/bare-read")
    # Each run uploads the file again (a new upload, so nothing of the last one's is
    # reused), times its first preview, then turning to page 2 and to the last page.
    first, turn, last = [], [], []
    for _ in range(args.runs):
        upload()
        first.append(_timed(client, preview, 1))
        turn.append(_timed(client, preview + "?page=2", 1))
        last.append(_timed(client, last_page, 1))
    result = {
        "benchmark": "question_import_preview",
        "machine": machine(),
        "database": "PostgreSQL",
        "questions": args.questions,
        "file_bytes": len(data),
        "runs": args.runs,
        "bare_read_median_ms": round(1000 * _timed(client, "/bench/bare-read", args.runs), 2),
        "preview_median_seconds": round(statistics.median(first), 3),
        "page_2_median_seconds": round(statistics.median(turn), 3),
        "last_page_median_seconds": round(statistics.median(last), 3),
    }
    write_result("import_preview", result)
    print(json.dumps(result, indent=2))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        upload()
        client.get(preview)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
