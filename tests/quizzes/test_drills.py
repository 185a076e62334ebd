"""Failure drills on PostgreSQL: many students at once, double submits and two tabs.

They need the real server (skipped on SQLite; under CI=true with DATABASE_URL they run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="drills need PostgreSQL: set DATABASE_URL")


def test_200_students_start_together_save_and_submit_without_loss():
    """gunicorn on PostgreSQL, 200 students released by a barrier: each starts the seed
    comprehension quiz, saves 10 answers and submits. Every acknowledged save must be in
    the database afterwards, with zero errors."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_quiz.py"),
                           "--students", "200", "--rounds", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    text = done.stdout
    assert "{" in text, done.stderr[-3000:]
    result = json.loads(text[text.index("{"):])
    assert result["errors"] == 0, result["error_samples"]
    assert result["acknowledged_saves"] == 2000
    assert result["lost_answers"] == 0
    assert result["graded_attempts"] == 200
    assert done.returncode == 0


CSRF = "drillcsrftoken" + "x" * 50


def _http(url: str, *, cookie: str, data: bytes = b"", json_body: bool = False):
    """POST over real HTTP to the live server; return (status, body), never raising."""
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Cookie": cookie, "X-CSRFToken": CSRF,
        "Content-Type": "application/json" if json_body
        else "application/x-www-form-urlencoded",
    })
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_two_tabs_and_ten_concurrent_submits_over_http(live_server, client, student, quiz):
    """Two tabs save the same answer out of order, then ten submits race: the newest
    acknowledged save is kept, the stale one gets 409, and the attempt is graded once."""
    from django.utils import timezone

    from quizzes.models import Attempt, Response
    from quizzes.taking import services

    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    short = quiz.questions.order_by("position").first()
    client.force_login(student)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"
    save_url = f"{live_server.url}/quizzes/attempts/{attempt.pk}/save"

    def save(answer, version):
        body = json.dumps({"question": short.pk, "answer": answer, "version": version})
        return _http(save_url, cookie=cookie, data=body.encode(), json_body=True)[0]

    assert save("tab A first", 1) == 200
    assert save("tab B newer", 3) == 200
    assert save("tab A stale", 2) == 409
    assert Response.objects.get(attempt=attempt, question=short).answer == "tab B newer"

    statuses: list[int] = []
    barrier = threading.Barrier(10)
    submit_url = f"{live_server.url}/quizzes/attempts/{attempt.pk}/submit/"

    def submit():
        barrier.wait()
        statuses.append(_http(submit_url, cookie=cookie)[0])
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] * 10
    attempt = Attempt.objects.get(pk=attempt.pk)
    assert attempt.status == "graded" and attempt.submitted_at is not None
    assert save("after submit", 9) == 410
    assert Response.objects.get(attempt=attempt, question=short).answer == "tab B newer"


def test_worker_killed_mid_submit_leaves_no_attempt_half_graded():
    """SIGKILL the only gunicorn worker while 40 submits queue on it: each attempt ends
    whole (in progress with nothing graded, or graded throughout), and submitting the
    in-progress ones again recovers them."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "drill_worker_kill.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    text = done.stdout
    assert "{" in text, done.stderr[-3000:]
    result = json.loads(text[text.index("{"):])
    assert result["killed_workers"], "the drill did not kill a worker"
    assert result["half_graded"] == []
    assert result["recovered"] == result["states"]["in_progress"]
    assert done.returncode == 0


def test_database_outage_during_autosave_is_shown_and_recovered():
    """PostgreSQL refuses connections while a student types three answers in Chromium: the
    page says the save failed and retries, and every answer arrives once it is back."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "drill_db_outage.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    text = done.stdout
    assert "{" in text, done.stderr[-3000:]
    result = json.loads(text[text.index("{"):])
    assert result["failure_shown"] is True  # the page said "Not saved … Retrying"
    assert result["all_arrived"], result
    assert done.returncode == 0
