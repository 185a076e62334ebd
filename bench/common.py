"""Shared pieces of the benchmarks: a PostgreSQL database, a gunicorn server, a load client.

Benchmarks report ratios against a baseline measured in the same run on the same machine,
so the figures mean something on any hardware.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://root@127.0.0.1:5432/postgres")


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }


def scoped(db_name: str) -> str:
    """`db_name` with a suffix for this checkout: two clones on one machine (parallel work,
    CI beside a developer) must never drop each other's benchmark or drill database."""
    return f"{db_name}_{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}"


def free_port() -> int:
    """A TCP port nothing listens on now, so parallel runs never fight over a fixed one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(db_name: str) -> dict[str, str]:
    parts = urllib.parse.urlsplit(PG_ADMIN_URL)
    url = urllib.parse.urlunsplit(parts._replace(path="/" + db_name))
    env = {**os.environ}
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        LECTIO_BENCH_ENDPOINTS="1",
        DJANGO_LOG_LEVEL="ERROR",
    )
    return env


def fresh_database(db_name: str) -> dict[str, str]:
    """Drop and create this checkout's `db_name` (see scoped), migrate it, collect static
    files; return the environment."""
    import psycopg

    db_name = scoped(db_name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{db_name}"')
    env = bench_env(db_name)
    manage = [PYTHON, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "createcachetable"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    return env


@contextmanager
def checkout(ref: str):
    """The project as it is at git commit `ref`, in a temporary folder with its static files
    collected; yields the folder, removed afterwards.

    For `--against REF` in the server benchmarks: a second server runs that code beside
    this checkout's, on the same database and machine, so two versions of a view are
    compared in alternating rounds of one run. Both must have the same migrations (it
    shares this checkout's database) and run on this checkout's virtualenv.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lectio-against-") as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def tree_env(env: dict[str, str], tree: Path) -> dict[str, str]:
    """`env` for running manage.py or gunicorn from `tree` instead of this checkout: the
    tree's packages come first on the path (this checkout is installed in the virtualenv
    in editable mode, which would otherwise win)."""
    return {**env, "PYTHONPATH": str(tree)}


@contextmanager
def gunicorn(env: dict[str, str], port: int | None = None, workers: int = 2,
             extra_args: list[str] | None = None, tree: Path = ROOT):
    """Serve the app in `tree` (this checkout by default) with gunicorn on
    127.0.0.1:`port` (a free one if None) until the block ends; yields "127.0.0.1:port"."""
    port = port or free_port()
    if tree != ROOT:
        env = tree_env(env, tree)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree,
                       env=env, check=True)
        # The server must run the tree's code, not this checkout's: say so or stop.
        found = subprocess.run([PYTHON, "-c", "import config; print(config.__file__)"],
                               cwd=tree, env=env, check=True, capture_output=True,
                               text=True).stdout.strip()
        if not Path(found).is_relative_to(tree):
            raise RuntimeError(f"the tree at {tree} imports its code from {found}")
    proc = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning", "--backlog", "2048",
         *(extra_args or [])],
        cwd=tree, env=env,
    )
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def login_cookie(host: str, username: str, password: str) -> str:
    """Log in through the real form; return the Cookie header for later requests."""
    conn = http.client.HTTPConnection(*host.split(":"))
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    )
    conn.request("POST", "/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": f"http://{host}/accounts/login/",
    })
    response = conn.getresponse()
    response.read()
    cookies = response.getheader("Set-Cookie") or ""
    session = re.search(r"sessionid=([^;]+)", cookies)
    if response.status != 302 or not session:
        raise RuntimeError(f"login failed for {username}: {response.status}")
    return f"csrftoken={csrf_cookie}; sessionid={session.group(1)}"


def hammer(host: str, path: str, *, requests: int, concurrency: int, cookie: str = "") -> dict:
    """GET `path` `requests` times over `concurrency` keep-alive connections."""
    per_worker = requests // concurrency

    def worker(_):
        conn = http.client.HTTPConnection(*host.split(":"), timeout=30)
        latencies = []
        for _ in range(per_worker):
            start = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            latencies.append(time.perf_counter() - start)
        return latencies

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = [lat for chunk in pool.map(worker, range(concurrency)) for lat in chunk]
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 2),
    }


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2))
    return path


def question_import_bench(*, name: str, data: bytes, format: str, questions: int,
                          runs: int) -> int:
    """Time a question file's import: parsing alone (median of `runs`, and the tracemalloc
    peak of one more), then parsing and storing in one transaction on PostgreSQL. Prints
    the JSON result, writes it to bench/results/<name>.json, returns the exit status."""
    import tracemalloc

    os.environ.update(fresh_database(f"lectio_bench_{name}"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from courses.models import Course, Lesson, Reading
    from quizzes.interop import services as interop
    from quizzes.models import Question, Quiz

    parse_times = []
    for _ in range(runs):
        start = time.perf_counter()
        parsed = interop.question_file_parse(data=data, format=format)
        parse_times.append(time.perf_counter() - start)
    if parsed.problems or len(parsed.questions) != questions:
        print(json.dumps({"error": f"{len(parsed.questions)} questions, "
                          f"{len(parsed.problems)} problems, first: {parsed.problems[:3]}"}))
        return 1
    tracemalloc.start()
    interop.question_file_parse(data=data, format=format)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    course = Course.objects.create(title="Bench", slug="bench")
    reading = Reading.objects.create(title="Bench reading")
    lesson = Lesson.objects.create(course=course, reading=reading, title="Bench", slug="bench")
    import_times = []
    for run in range(runs):
        quiz = Quiz.objects.create(lesson=lesson, title=f"Bench {run}")
        start = time.perf_counter()
        parsed = interop.question_file_parse(data=data, format=format)
        interop.questions_import(quiz=quiz, drafts=parsed.questions)
        import_times.append(time.perf_counter() - start)
    stored = Question.objects.filter(quiz__lesson=lesson).count()
    connection.close()
    result = {
        "benchmark": f"{name}_import",
        "machine": machine(),
        "database": "PostgreSQL",
        "questions": questions,
        "file_bytes": len(data),
        "runs": runs,
        "parse_median_seconds": round(statistics.median(parse_times), 3),
        "parse_peak_memory_mb": round(parse_peak / 1e6, 1),
        "parse_and_store_median_seconds": round(statistics.median(import_times), 3),
        "questions_stored": stored,
    }
    write_result(name, result)
    print(json.dumps(result, indent=2))
    return 0 if stored == questions * runs else 1
