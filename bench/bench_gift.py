"""Import time for a 5,000-question GIFT file: parsing alone, then parsing and storing the
questions in one transaction on PostgreSQL.

    python bench/bench_gift.py [--questions 5000] [--runs 3] [--json]

The file mixes every type GIFT expresses (multiple choice with weights, true/false, short
answer, matching, missing word, numerical, essay) with titles, feedback and comments.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import tracemalloc

from common import ROOT, fresh_database, machine, write_result

TEMPLATES = [
    "::Q{n} capital:: Which city is the capital of country {n}? "
    "{{=City {n}#Right. ~Town {n}#No. ~Village {n}}}",
    "::Q{n} weights:: Pick the true statements about item {n}. "
    "{{~%50%True A {n} ~%50%True B {n} ~%-100%False {n}#Not this one.}}",
    "::Q{n} tf:: Statement {n} is true.{{T#Think again.#Right.}}",
    "::Q{n} short:: Name the author of text {n}. {{=Kuhrt =%50%Kaczmarski#Co-author.}}",
    "::Q{n} match:: Match the pairs for {n}. {{=Moscow {n} -> Russia =Beijing {n} -> China "
    "=Delhi {n} -> India}}",
    "::Q{n} missing:: The treaty of {{~1990 =2001 ~2010}} is number {n}.",
    "::Q{n} number:: How many members had group {n}? {{#={n}:0.5#Close enough. =%50%{n}:5}}",
    "::Q{n} essay:: Explain claim {n} in your own words. {{}}",
]


def gift_file(count: int, seed: int = 7) -> str:
    """A GIFT file of `count` questions cycling through every type, with comments."""
    rng = random.Random(seed)
    parts = []
    for n in range(1, count + 1):
        if n % 50 == 1:
            parts.append(f"$CATEGORY: bench/part-{n // 50}")
        if rng.random() < 0.1:
            parts.append(f"// points: {rng.choice([2, 3, 0.5])}")
        parts.append(TEMPLATES[n % len(TEMPLATES)].format(n=n))
        parts.append("")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()

    env = fresh_database("lectio_bench_gift")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from courses.models import Course, Lesson, Reading
    from quizzes.interop import gift
    from quizzes.interop import services as interop
    from quizzes.models import Question, Quiz

    data = gift_file(args.questions).encode("utf-8")
    parse_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parsed = gift.parse_gift_bytes(data)
        parse_times.append(time.perf_counter() - start)
    if parsed.problems or len(parsed.questions) != args.questions:
        print(json.dumps({"error": f"{len(parsed.problems)} problems, first: "
                          f"{parsed.problems[:3]}"}))
        return 1
    tracemalloc.start()
    gift.parse_gift_bytes(data)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    course = Course.objects.create(title="Bench", slug="bench")
    reading = Reading.objects.create(title="Bench reading")
    lesson = Lesson.objects.create(course=course, reading=reading, title="Bench", slug="bench")
    import_times = []
    for run in range(args.runs):
        quiz = Quiz.objects.create(lesson=lesson, title=f"Bench {run}")
        start = time.perf_counter()
        parsed = interop.question_file_parse(data=data, format="gift")
        interop.questions_import(quiz=quiz, drafts=parsed.questions)
        import_times.append(time.perf_counter() - start)
    stored = Question.objects.filter(quiz__lesson=lesson).count()
    connection.close()

    result = {
        "benchmark": "gift_import",
        "machine": machine(),
        "database": "PostgreSQL",
        "questions": args.questions,
        "file_bytes": len(data),
        "runs": args.runs,
        "parse_median_seconds": round(statistics.median(parse_times), 3),
        "parse_peak_memory_mb": round(parse_peak / 1e6, 1),
        "parse_and_store_median_seconds": round(statistics.median(import_times), 3),
        "questions_stored": stored,
    }
    write_result("gift", result)
    print(json.dumps(result, indent=2))
    return 0 if stored == args.questions * args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
