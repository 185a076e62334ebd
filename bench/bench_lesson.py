"""Lesson page throughput under gunicorn on PostgreSQL, against a bare one-row-read view.

    python bench/bench_lesson.py [--requests 2000] [--concurrency 4]

Target: lesson page requests per second at least 0.5 x the bare view's, in the same run.
"""

from __future__ import annotations

import argparse
import json
import subprocess

from common import (
    PYTHON,
    ROOT,
    fresh_database,
    gunicorn,
    hammer,
    login_cookie,
    machine,
    write_result,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    env = fresh_database("lectio_bench_lesson")
    subprocess.run([PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    with gunicorn(env) as host:
        cookie = login_cookie(host, "student", "lectio-student")
        lesson_path = "/courses/demo/lessons/sino-russian-relations/"
        # Warm both paths so neither pays for first-request imports.
        hammer(host, lesson_path, requests=40, concurrency=2, cookie=cookie)
        hammer(host, "/bench/bare-read", requests=40, concurrency=2, cookie=cookie)
        bare = hammer(host, "/bench/bare-read", requests=args.requests,
                      concurrency=args.concurrency, cookie=cookie)
        lesson = hammer(host, lesson_path, requests=args.requests,
                        concurrency=args.concurrency, cookie=cookie)
    result = {
        "benchmark": "lesson_page",
        "machine": machine(),
        "server": "gunicorn, 2 sync workers, PostgreSQL",
        "lesson_page": lesson,
        "baseline_bare_read": bare,
        "ratio": round(lesson["rps"] / bare["rps"], 3),
        "target": ">= 0.5",
    }
    write_result("lesson", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
