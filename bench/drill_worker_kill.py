"""Drill: a gunicorn worker is killed in the middle of submits.

    python bench/drill_worker_kill.py [--students 40]

Prints JSON. Every attempt must end either still in progress with nothing graded, or
submitted with every machine-gradable answer graded and the total equal to the sum: never
half-graded. The in-progress ones are then submitted again to show recovery. Exits 1 when
an attempt is half-graded. Used by tests/quizzes/test_drills.py.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

from bench_quiz import CSRF, setup_students
from common import fresh_database, gunicorn


def _children(pid: int) -> list[int]:
    done = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(x) for x in done.stdout.split()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=40)
    args = parser.parse_args()
    env = fresh_database("lectio_drill_kill")
    subprocess.run([sys.executable, "manage.py", "load_demo"], env=env, check=True,
                   capture_output=True, cwd=os.path.dirname(os.path.dirname(__file__)))
    quiz_id, questions, cookies = setup_students(env, args.students)

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes.models import Attempt, Quiz
    from quizzes.taking import services

    quiz = Quiz.objects.get(pk=quiz_id)
    attempts = []
    for index, cookie in enumerate(cookies):
        user = get_user_model().objects.get(username=f"bench{index}")
        attempt = services.attempt_start(quiz=quiz, user=user, now=timezone.now())
        for version, question in enumerate(questions, start=1):
            services.response_save(attempt=attempt, question_id=question["id"],
                                   raw_answer=question["answer"], version=version,
                                   now=timezone.now())
        attempts.append((attempt.pk, cookie))

    statuses: list[str] = []
    with gunicorn(env, workers=1) as host:
        master = int(subprocess.run(
            ["pgrep", "-o", "-f", f"gunicorn config.wsgi --bind {host} "],
            capture_output=True, text=True).stdout.split()[0])
        barrier = threading.Barrier(len(attempts) + 1)

        def submit(attempt_id: int, cookie: str) -> None:
            barrier.wait()
            try:
                conn = http.client.HTTPConnection(*host.split(":"), timeout=60)
                conn.request("POST", f"/quizzes/attempts/{attempt_id}/submit/", body="",
                             headers={"Cookie": cookie, "X-CSRFToken": CSRF,
                                      "Content-Type": "application/x-www-form-urlencoded"})
                statuses.append(str(conn.getresponse().status))
            except OSError as error:  # the killed worker drops its connection
                statuses.append(type(error).__name__)

        threads = [threading.Thread(target=submit, args=a) for a in attempts]
        for thread in threads:
            thread.start()
        barrier.wait()
        time.sleep(0.1)  # let the worker get into the middle of the queue of submits
        killed = _children(master)
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        for thread in threads:
            thread.join()

    half_graded = []
    states = {"in_progress": 0, "graded": 0, "needs_grading": 0}
    for attempt in Attempt.objects.filter(pk__in=[a for a, _ in attempts]) \
            .prefetch_related("responses__question"):
        states[attempt.status] = states.get(attempt.status, 0) + 1
        responses = list(attempt.responses.all())
        auto = [r for r in responses if r.question.type != "open"]
        if attempt.status == "in_progress":
            if any(r.graded_at is not None or r.score is not None for r in responses):
                half_graded.append(attempt.pk)
        else:
            total = sum((r.score or Decimal(0) for r in responses), Decimal(0))
            if any(r.graded_at is None for r in auto) or total != attempt.score:
                half_graded.append(attempt.pk)
    recovered = 0
    for attempt in Attempt.objects.filter(pk__in=[a for a, _ in attempts],
                                          status="in_progress"):
        if services.attempt_submit(attempt=attempt, now=timezone.now()).status != "in_progress":
            recovered += 1
    result = {"drill": "worker_killed_mid_submit", "students": len(attempts),
              "killed_workers": killed, "http": sorted(set(statuses)), "states": states,
              "half_graded": half_graded, "recovered": recovered}
    print(json.dumps(result, indent=2))
    return 1 if half_graded or not killed else 0


if __name__ == "__main__":
    sys.exit(main())
