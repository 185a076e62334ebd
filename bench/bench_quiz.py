"""Quiz autosave and submit under load: gunicorn on PostgreSQL, N students at once.

    python bench/bench_quiz.py [--students 200] [--rounds 9] [--against REF]

Every student starts the seed comprehension quiz at the same moment (a barrier), saves 10
answers and submits. Reports save and submit throughput and p50/p95/p99 latency next to a
bare Django view doing one INSERT at the same concurrency, then checks that every
acknowledged save is in the database. Target: saves at least 0.5 x the bare INSERT rate;
zero errors, zero lost answers. Each of --rounds rounds is a new class of students next to
its own bare-INSERT run; the median round is reported and every round's answers are checked.
With --against REF a second server runs git commit REF's code on the same database, and each
round also sends a class of its own through it, so two versions of the autosave are compared
against the same bare INSERTs in one run (the report's "against" part).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from importlib import import_module

from common import PYTHON, ROOT, checkout, fresh_database, gunicorn, machine, write_result

CSRF = "benchcsrftoken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"[:64]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(pct * len(ordered)))], 2)


def summary(latencies: list[float], elapsed: float) -> dict:
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1) if elapsed else 0,
        "p50_ms": round(1000 * statistics.median(latencies), 2) if latencies else None,
        "p95_ms": percentile(latencies, 0.95) if latencies else None,
        "p99_ms": percentile(latencies, 0.99) if latencies else None,
    }


def setup_students(env: dict[str, str], count: int) -> tuple[int, list[dict], list[str]]:
    """Create `count` enrolled students with sessions; return quiz id, questions, cookies."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password

    from courses.models import Course, Enrollment
    from quizzes.models import Quiz

    user_model = get_user_model()
    password = make_password("bench-password")
    users = user_model.objects.bulk_create(
        user_model(username=f"bench{i}", password=password) for i in range(count)
    )
    course = Course.objects.get(slug="demo")
    Enrollment.objects.bulk_create(Enrollment(course=course, user=u) for u in users)
    cookies = []
    # The sessions name the backend that signs people in, as a real login would.
    model_backend = "django.contrib.auth.backends.ModelBackend"
    assert model_backend in settings.AUTHENTICATION_BACKENDS
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = model_backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}; csrftoken={CSRF}")
    quiz = Quiz.objects.get(kind="comprehension")
    questions = []
    for q in quiz.questions.prefetch_related("choices").order_by("position"):
        if q.type == "single":
            answer = str(q.choices.first().pk)
        elif q.type == "truefalse":
            answer = "true"
        elif q.type in ("short", "open"):
            answer = "anti-Americanism"
        elif q.type == "numeric":
            answer = "2007"
        else:
            continue
        questions.append({"id": q.pk, "answer": answer})
    return quiz.pk, questions[:10], cookies


class Phases:
    """Barriers between the three phases (start, save, submit), and when each began and
    ended, so each phase's throughput is its own requests over its own wall time."""

    def __init__(self, parties: int):
        self.created = time.perf_counter()
        self.marks: dict[str, float] = {}
        self.barriers = [threading.Barrier(parties, action=self._mark(name))
                         for name in ("start", "save", "submit", "end")]

    def _mark(self, name):
        return lambda: self.marks.setdefault(name, time.perf_counter())

    def wait(self, n: int) -> None:
        # A student failed and broke the barrier: the others carry on; the failure is counted.
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barriers[n].wait(timeout=600)

    def seconds(self, name: str, following: str) -> float:
        # After a failure a barrier may never have tripped: fall back to the whole run.
        return (self.marks.get(following, time.perf_counter())
                - self.marks.get(name, self.created))


def student_run(host, quiz_id, questions, cookie, phases, out, index):
    conn = http.client.HTTPConnection(*host.split(":"), timeout=120)
    headers = {"Cookie": cookie, "X-CSRFToken": CSRF}
    record = {"saves": [], "submit": None, "errors": [], "acked": {}}
    try:
        phases.wait(0)
        conn.request("POST", f"/quizzes/{quiz_id}/", body="", headers={
            **headers, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location", "")
        if response.status != 302 or "/attempts/" not in location:
            raise RuntimeError(f"start answered {response.status} {location}")
        attempt = int(location.rstrip("/").split("/")[-1])
        record["attempt"] = attempt
        phases.wait(1)
        # The server closes keep-alive connections left idle at a barrier (gunicorn's
        # keepalive is 2 s), as a browser would find; each phase opens its own.
        conn.close()
        for version, question in enumerate(questions, start=1):
            body = json.dumps({"question": question["id"], "answer": question["answer"],
                               "version": version})
            start = time.perf_counter()
            conn.request("POST", f"/quizzes/attempts/{attempt}/save", body=body,
                         headers={**headers, "Content-Type": "application/json"})
            response = conn.getresponse()
            payload = response.read()
            record["saves"].append(time.perf_counter() - start)
            if response.status != 200:
                record["errors"].append(f"save {response.status} {payload[:100]!r}")
            else:
                record["acked"][question["id"]] = (version, question["answer"])
        phases.wait(2)
        conn.close()
        start = time.perf_counter()
        conn.request("POST", f"/quizzes/attempts/{attempt}/submit/", body="",
                     headers={**headers, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        record["submit"] = time.perf_counter() - start
        if response.status != 302:
            record["errors"].append(f"submit {response.status}")
    except Exception as exc:  # noqa: BLE001 - every failure is counted in the report
        record["errors"].append(repr(exc))
        for barrier in phases.barriers:
            barrier.abort()
    finally:
        phases.wait(3)
    out[index] = record


def bare_inserts(host: str, clients: int, per_client: int) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def run():
        conn = http.client.HTTPConnection(*host.split(":"), timeout=120)
        barrier.wait()
        for _ in range(per_client):
            start = time.perf_counter()
            conn.request("POST", "/bench/bare-insert", body="")
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append(time.perf_counter() - start)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(latencies, time.perf_counter() - begin)


def students_round(host: str, quiz_id: int, questions: list[dict],
                   cookies: list[str]) -> tuple[list[dict], Phases, float]:
    """One synchronised run of len(cookies) students: start, save, submit."""
    phases = Phases(len(cookies))
    records: list[dict | None] = [None] * len(cookies)
    threads = [threading.Thread(target=student_run, args=(host, quiz_id, questions,
                                                           cookie, phases, records, i))
               for i, cookie in enumerate(cookies)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return records, phases, time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--against", metavar="REF",
                        help="also time the autosave of git commit REF, in the same rounds")
    args = parser.parse_args()

    env = fresh_database("lectio_bench_quiz")
    subprocess.run([PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    classes = 2 if args.against else 1
    quiz_id, questions, cookies = setup_students(env, args.students * args.rounds * classes)
    groups = iter(cookies[n:n + args.students] for n in range(0, len(cookies), args.students))
    extra = ["--worker-class", "gthread", "--threads", str(args.threads)]
    rounds = []
    with contextlib.ExitStack() as stack:
        host = stack.enter_context(gunicorn(env, workers=args.workers, extra_args=extra))
        # "saves" runs this checkout's code, "against" commit REF's.
        servers = {"saves": host}
        if args.against:
            tree = stack.enter_context(checkout(args.against))
            servers["against"] = stack.enter_context(
                gunicorn(env, workers=args.workers, extra_args=extra, tree=tree))
        names = ["bare", *servers]
        # Each round is a new class of students (one per server) next to a bare-INSERT run,
        # rotating which goes first; the median round is reported, so a drift in a shared
        # machine's speed moves one round, not the ratio.
        for index in range(args.rounds):
            order = names[index % len(names):] + names[:index % len(names)]
            one = {}
            for name in order:
                if name == "bare":
                    one["baseline_bare_insert"] = bare_inserts(host, args.students,
                                                               len(questions))
                    continue
                records, phases, elapsed = students_round(servers[name], quiz_id, questions,
                                                          next(groups))
                # Each phase over its own wall time: starts create attempts and submits
                # grade them, and neither belongs in the autosave rate.
                one[name] = {
                    "saves": summary([lat for r in records for lat in r["saves"]],
                                     phases.seconds("save", "submit")),
                    "submits": summary([r["submit"] for r in records
                                        if r["submit"] is not None],
                                       phases.seconds("submit", "end")),
                    "whole_run_seconds": round(elapsed, 2),
                    "records": records,
                }
            for name in servers:
                one[name]["ratio"] = round(one[name]["saves"]["per_second"]
                                           / one["baseline_bare_insert"]["per_second"], 3)
            rounds.append(one)

    from quizzes import grading
    from quizzes.models import Attempt, Question, Response
    from quizzes.taking.services import question_spec

    specs = {q.pk: question_spec(q) for q in
             Question.objects.filter(quiz_id=quiz_id).prefetch_related("choices")}
    records = [record for one in rounds for name in servers
               for record in one[name]["records"]]
    errors = [e for r in records for e in r["errors"]]
    lost = 0
    for record in records:
        stored = {row.question_id: row for row in
                  Response.objects.filter(attempt_id=record.get("attempt"))}
        for question_id, (version, answer) in record["acked"].items():
            row = stored.get(question_id)
            # Stored answers are normalised ("true" -> True), so compare like with like.
            spec = specs[question_id]
            expected = grading.get_type(spec.type).normalise(spec, answer)
            if row is None or row.version < version or row.answer != expected:
                lost += 1
    graded = Attempt.objects.filter(user__username__startswith="bench",
                                    status="graded").count()

    def median_round(name: str) -> dict:
        return sorted(rounds, key=lambda one: one[name]["ratio"])[len(rounds) // 2]

    chosen = median_round("saves")
    median = {**chosen["saves"], "baseline_bare_insert": chosen["baseline_bare_insert"]}
    result = {
        "benchmark": "quiz_autosave_submit",
        "machine": machine(),
        "server": f"gunicorn, {args.workers} gthread workers x {args.threads} threads, "
                  "PostgreSQL",
        "students": args.students,
        "rounds": args.rounds,
        "saves": median["saves"],
        "submits": median["submits"],
        "whole_run_seconds": median["whole_run_seconds"],
        "baseline_bare_insert": median["baseline_bare_insert"],
        "ratio_saves_to_bare_insert": median["ratio"],
        "ratio_each_round": [one["saves"]["ratio"] for one in rounds],
        "target": ">= 0.5, zero errors, zero lost answers",
        "errors": len(errors),
        "error_samples": errors[:5],
        "acknowledged_saves": sum(len(r["acked"]) for r in records),
        "lost_answers": lost,
        "graded_attempts": graded,
    }
    if args.against:
        other = median_round("against")
        result["against"] = {
            "ref": args.against,
            "saves": other["against"]["saves"],
            "baseline_bare_insert": other["baseline_bare_insert"],
            "ratio_saves_to_bare_insert": other["against"]["ratio"],
            "ratio_each_round": [one["against"]["ratio"] for one in rounds],
            # This checkout's save rate over REF's, round by round (above 1: this is faster).
            "this_over_ref_each_round": [
                round(one["saves"]["saves"]["per_second"]
                      / one["against"]["saves"]["per_second"], 3) for one in rounds],
        }
    write_result("quiz", result)
    print(json.dumps(result, indent=2))
    if errors or lost or graded != args.students * args.rounds * classes:
        sys.exit(1)


if __name__ == "__main__":
    main()
