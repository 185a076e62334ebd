"""Drill: two gunicorn servers behind nginx (round robin) on one PostgreSQL and one Redis.

    python bench/drill_two_servers.py [--students 200] [--redis-db 7] [--no-kill]

1. A reading uploaded through server A is previewed and confirmed through server B.
2. A note edited through server A shows on the lesson page served by server B.
3. --students students start the seed quiz, save 10 answers each and submit, spread over
   both servers by nginx; server A is killed (SIGKILL, master and workers) once the saves
   have begun, and server B carries on. Every acknowledged save must be in the database,
   with zero errors and every attempt graded. nginx resends a quiz request that server A
   took down with it; a request whose reply A had half-sent is resent once by the student,
   as attempt.js does (counted in the report).

Needs Debian's nginx (/usr/sbin/nginx, run as a child with its own prefix directory),
PostgreSQL (BENCH_PG_ADMIN_URL) and Redis on 127.0.0.1:6379 (database --redis-db, which the
drill empties first). Prints JSON; exits 1 when any check fails. Used by `make bench` and
tests/test_drill_two_servers.py.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

from bench_quiz import CSRF, Phases, setup_students
from common import PYTHON, ROOT, free_port, fresh_database, gunicorn, login_cookie, machine

NGINX = "/usr/sbin/nginx"
SEED = ROOT / "fixtures" / "seed" / "article.txt"

# Only the quiz-taking POSTs go to the other server when the first dies with the request
# in flight: a save is versioned (a replay is refused or rewrites the same answer), a
# submit is idempotent and a start returns the open attempt. Other POSTs (an upload, a
# roster) are never sent twice.
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 10m;
    upstream lectio {{
        server 127.0.0.1:{a} max_fails=1 fail_timeout=30s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=30s;
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_next_upstream error timeout http_502;
        location ~ ^/quizzes/(attempts/[0-9]+/(save|submit/)|[0-9]+/)$ {{
            proxy_pass http://lectio;
            proxy_next_upstream error timeout http_502 non_idempotent;
        }}
        location / {{ proxy_pass http://lectio; }}
    }}
}}
"""


@contextmanager
def nginx(a: str, b: str):
    """nginx in front of gunicorn servers `a` and `b` ("host:port"); yields its host."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="lectio-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, a=a.split(":")[1], b=b.split(":")[1],
                                          port=port))
        proc = subprocess.Popen([NGINX, "-p", tmp, "-c", str(conf)],
                                stderr=subprocess.DEVNULL)
        try:
            host = f"127.0.0.1:{port}"
            deadline = time.time() + 15
            while time.time() < deadline:
                try:
                    if _request(host, "GET", "/healthz")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise RuntimeError("nginx did not start: " + (Path(tmp) / "error.log")
                                   .read_text()[-2000:])
            yield host
        finally:
            proc.terminate()
            proc.wait(timeout=15)


def _request(host: str, method: str, path: str, *, body: bytes = b"", cookie: str = "",
             headers: dict | None = None) -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection(*host.split(":"), timeout=60)
    conn.request(method, path, body=body or None, headers={
        **({"Cookie": cookie} if cookie else {}), **(headers or {})})
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    conn.close()
    return response.status, dict(response.getheaders()), text


def _csrf(cookie: str) -> str:
    return re.search(r"csrftoken=([^;]+)", cookie).group(1)


def _form_post(host: str, path: str, cookie: str, fields: dict) -> tuple[int, dict, str]:
    from urllib.parse import urlencode

    return _request(host, "POST", path, body=urlencode(fields).encode(), cookie=cookie,
                    headers={"Content-Type": "application/x-www-form-urlencoded",
                             "X-CSRFToken": _csrf(cookie)})


def upload_on_one_confirm_on_other(a: str, b: str) -> dict:
    """Upload the seed article through `a`, preview and confirm it through `b`."""
    from courses.models import PendingUpload, Reading

    cookie = login_cookie(a, "admin", "lectio-admin")
    boundary = uuid.uuid4().hex
    title = f"Drill reading {boundary[:8]}"
    # The seed article is in the demo already; a new closing paragraph makes it a new text.
    note = f"\n\nThis copy was uploaded by drill {boundary}.\n".encode()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"article.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode() \
        + SEED.read_bytes() + note + f"\r\n--{boundary}--\r\n".encode()
    status, headers, _ = _request(a, "POST", "/courses/readings/upload/", body=body,
                                  cookie=cookie, headers={
                                      "Content-Type": f"multipart/form-data; boundary={boundary}",
                                      "X-CSRFToken": _csrf(cookie)})
    staged = PendingUpload.objects.filter(kind="reading").exists()
    preview_status, _, preview = _request(b, "GET", "/courses/readings/upload/preview/",
                                          cookie=cookie)
    confirm_status, _, _ = _form_post(b, "/courses/readings/upload/confirm/", cookie, {})
    stored = Reading.objects.filter(title=title).first()
    ok = (status == 302 and staged and preview_status == 200 and "Source link" in preview
          and confirm_status == 302 and stored is not None
          and stored.passages.filter(text__contains=boundary).exists()
          and not PendingUpload.objects.exists())
    return {"ok": ok, "upload_status_on_a": status, "preview_status_on_b": preview_status,
            "confirm_status_on_b": confirm_status,
            "passages_stored": stored.passages.count() if stored else 0}


def note_edited_on_one_shows_on_other(a: str, b: str) -> dict:
    """Edit a seed note through `a`; the lesson page from `b` must show the new text."""
    from courses.models import Annotation

    lesson_path = "/courses/demo/lessons/sino-russian-relations/"
    student = login_cookie(b, "student", "lectio-student")
    before = _request(b, "GET", lesson_path, cookie=student)[2]  # cached on b's side now
    note = Annotation.objects.select_related("passage").filter(
        lesson__slug="sino-russian-relations", audience="everyone").order_by("pk").first()
    marker = f"Drill edit {uuid.uuid4().hex[:8]}"
    instructor = login_cookie(a, "instructor", "lectio-instructor")
    status, _, _ = _form_post(a, f"{lesson_path}notes/{note.pk}/", instructor, {
        "quote": note.quote, "occurrence": note.passage.text.count(note.quote, 0, note.start)
        + 1, "kind": note.kind, "title": note.title, "body": f"{note.body} {marker}",
        "audience": note.audience, "depth": note.depth})
    after = _request(b, "GET", lesson_path, cookie=student)[2]
    return {"ok": status == 302 and marker not in before and marker in after,
            "edit_status_on_a": status, "shown_on_b": marker in after}


def _kill_tree(master: int) -> None:
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True,
                              text=True).stdout.split()
    for pid in [master, *map(int, children)]:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _student(lb: str, quiz_id: int, questions: list[dict], cookie: str, phases: Phases,
             out: list, index: int) -> None:
    """bench_quiz.student_run through the load balancer, with the browser's retry: a
    request whose connection broke (the server died with the reply half-sent, too late for
    nginx to try the other one) is sent once more, as attempt.js does for a save. Every
    request here is safe to repeat: a start returns the open attempt, a save is versioned
    and its replay acknowledged, a submit is idempotent."""
    headers = {"Cookie": cookie, "X-CSRFToken": CSRF}
    record = {"saves": [], "submit": None, "errors": [], "acked": {}, "retried": 0}

    def send(path: str, body: str, kind: str) -> tuple[int, str, bytes]:
        for attempt in (1, 2):
            conn = http.client.HTTPConnection(*lb.split(":"), timeout=120)
            try:
                conn.request("POST", path, body=body, headers={
                    **headers, "Content-Type": kind})
                response = conn.getresponse()
                return response.status, response.getheader("Location", ""), response.read()
            except (http.client.HTTPException, OSError):
                if attempt == 2:
                    raise
                record["retried"] += 1
            finally:
                conn.close()
        raise AssertionError("unreachable")

    form = "application/x-www-form-urlencoded"
    try:
        phases.wait(0)
        status, location, _ = send(f"/quizzes/{quiz_id}/", "", form)
        if status != 302 or "/attempts/" not in location:
            raise RuntimeError(f"start answered {status} {location}")
        record["attempt"] = attempt_id = int(location.rstrip("/").split("/")[-1])
        phases.wait(1)
        for version, question in enumerate(questions, start=1):
            start = time.perf_counter()
            status, _, payload = send(f"/quizzes/attempts/{attempt_id}/save", json.dumps(
                {"question": question["id"], "answer": question["answer"],
                 "version": version}), "application/json")
            record["saves"].append(time.perf_counter() - start)
            if status != 200:
                record["errors"].append(f"save {status} {payload[:100]!r}")
            else:
                record["acked"][question["id"]] = (version, question["answer"])
        phases.wait(2)
        status, _, _ = send(f"/quizzes/attempts/{attempt_id}/submit/", "", form)
        if status != 302:
            record["errors"].append(f"submit {status}")
    except Exception as exc:  # noqa: BLE001 - every failure is counted in the report
        record["errors"].append(repr(exc))
        for barrier in phases.barriers:
            barrier.abort()
    finally:
        phases.wait(3)
    out[index] = record


def students_with_a_kill(lb: str, a_master: int, quiz_id: int, questions: list[dict],
                         cookies: list[str], kill: bool) -> dict:
    """Every student through nginx; server A killed once the saves are under way."""
    from quizzes import grading
    from quizzes.models import Attempt, Question, Response
    from quizzes.taking.services import question_spec

    killed_at: dict = {}
    expected_saves = len(cookies) * len(questions)

    def killer():
        # Once a tenth of the saves are stored, server A dies with requests in flight.
        from django.db import connection

        begin = time.perf_counter()
        try:
            while time.perf_counter() - begin < 300:
                stored = Response.objects.filter(attempt__quiz_id=quiz_id,
                                                 version__gt=0).count()
                if stored >= expected_saves // 10:
                    _kill_tree(a_master)
                    killed_at["saves_stored_when_killed"] = stored
                    return
                time.sleep(0.05)
        finally:
            connection.close()

    thread = threading.Thread(target=killer, daemon=True) if kill else None
    if thread:
        thread.start()
    phases = Phases(len(cookies))
    records: list = [None] * len(cookies)
    threads = [threading.Thread(target=_student, args=(lb, quiz_id, questions, cookie,
                                                       phases, records, i))
               for i, cookie in enumerate(cookies)]
    begin = time.perf_counter()
    for one in threads:
        one.start()
    for one in threads:
        one.join()
    elapsed = time.perf_counter() - begin
    if thread:
        thread.join(timeout=60)
    after_kill = [_request(lb, "GET", "/healthz")[0] for _ in range(10)]

    specs = {q.pk: question_spec(q) for q in
             Question.objects.filter(quiz_id=quiz_id).prefetch_related("choices")}
    errors = [e for r in records for e in r["errors"]]
    lost = 0
    for record in records:
        stored = {row.question_id: row for row in
                  Response.objects.filter(attempt_id=record.get("attempt"))}
        for question_id, (version, answer) in record["acked"].items():
            row, spec = stored.get(question_id), specs[question_id]
            expected = grading.get_type(spec.type).normalise(spec, answer)
            if row is None or row.version < version or row.answer != expected:
                lost += 1
    attempt_ids = [r.get("attempt") for r in records]
    graded = Attempt.objects.filter(pk__in=attempt_ids, status="graded").count()
    acked = sum(len(r["acked"]) for r in records)
    ok = (not errors and lost == 0 and graded == len(cookies)
          and acked == len(cookies) * len(questions) and set(after_kill) == {200})
    return {"ok": ok, "students": len(cookies), "errors": len(errors),
            "error_samples": errors[:5],
            "requests_resent_after_a_broken_connection": sum(r["retried"] for r in records),
            "acknowledged_saves": acked, "lost_answers": lost,
            "graded_attempts": graded, "killed": bool(kill), **killed_at,
            "healthz_after_kill": after_kill, "whole_run_seconds": round(elapsed, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--redis-db", type=int, default=7)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()

    import redis

    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    redis.Redis.from_url(redis_url).flushdb()
    os.environ["REDIS_URL"] = redis_url
    env = fresh_database("lectio_drill_two")
    env["REDIS_URL"] = redis_url
    subprocess.run([PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    quiz_id, questions, cookies = setup_students(env, args.students)

    extra = ["--worker-class", "gthread", "--threads", str(args.threads)]
    with ExitStack() as stack:
        a = stack.enter_context(gunicorn(env, workers=1, extra_args=extra))
        b = stack.enter_context(gunicorn(env, workers=1, extra_args=extra))
        a_master = int(subprocess.run(
            ["pgrep", "-o", "-f", f"gunicorn config.wsgi --bind {a} "],
            capture_output=True, text=True).stdout.split()[0])
        lb = stack.enter_context(nginx(a, b))
        result = {
            "benchmark": "drill_two_servers",
            "machine": machine(),
            "setup": "nginx round robin over 2 gunicorn servers (1 gthread worker x "
                     f"{args.threads} threads each), PostgreSQL, Redis db {args.redis_db}",
            "upload_preview_a_confirm_b": upload_on_one_confirm_on_other(a, b),
            "note_edit_a_shows_on_b": note_edited_on_one_shows_on_other(a, b),
            "students_over_both": students_with_a_kill(lb, a_master, quiz_id, questions,
                                                       cookies, kill=not args.no_kill),
        }
    result["ok"] = all(part["ok"] for part in result.values() if isinstance(part, dict)
                       and "ok" in part)
    print(json.dumps(result, indent=2))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
