"""The two-server drill (bench/drill_two_servers.py) in CI: nginx round robin over two
gunicorn servers on PostgreSQL and Redis, one of them killed mid-run. About 40 s."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="drills need PostgreSQL: set DATABASE_URL")


def test_two_servers_share_uploads_notes_and_a_class_and_survive_losing_one():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "drill_two_servers.py"),
                           "--students", "200"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    text = done.stdout
    assert "{" in text, done.stderr[-3000:]
    result = json.loads(text[text.index("{"):])
    assert result["upload_preview_a_confirm_b"]["ok"], result["upload_preview_a_confirm_b"]
    assert result["note_edit_a_shows_on_b"]["ok"], result["note_edit_a_shows_on_b"]
    crowd = result["students_over_both"]
    assert crowd["killed"] and crowd["saves_stored_when_killed"] > 0
    assert crowd["errors"] == 0, crowd["error_samples"]
    assert (crowd["acknowledged_saves"], crowd["lost_answers"]) == (2000, 0)
    assert crowd["graded_attempts"] == 200
    assert set(crowd["healthz_after_kill"]) == {200}
    assert done.returncode == 0
