"""Drill: PostgreSQL refuses connections for a few seconds while a student types answers.

    python bench/drill_db_outage.py

Serves the app with gunicorn on its own database, drives Debian's Chromium through
Playwright, and makes the database refuse connections (ALLOW_CONNECTIONS false, existing
sessions terminated) while the student answers three questions. The page must say the
save failed and retry; once the database is back every answer must arrive. Prints JSON;
exits 1 on failure. Used by tests/quizzes/test_drills.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import psycopg
from common import PG_ADMIN_URL, ROOT, fresh_database, gunicorn, scoped

BASE_DB = "lectio_drill_outage"
DB = scoped(BASE_DB)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _refuse(allow: bool) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{DB}" WITH ALLOW_CONNECTIONS {str(allow).lower()}')
        if not allow:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = %s AND pid <> pg_backend_pid()", [DB])


def main() -> int:
    env = fresh_database(BASE_DB)
    subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    from playwright.sync_api import expect, sync_playwright

    result: dict = {"drill": "database_outage_during_autosave"}
    with gunicorn(env, workers=1) as host, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=ARGS)
        page = browser.new_page(base_url=f"http://{host}")
        page.set_default_timeout(20_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("student")
        page.get_by_label("Password").fill("lectio-student")
        page.get_by_label("Password").press("Enter")
        page.wait_for_url("**/courses/")
        page.goto("/courses/demo/lessons/sino-russian-relations/")
        page.get_by_role("link", name="Critical thinking quiz").first.click()
        page.get_by_role("button", name="Start or continue").click()
        page.wait_for_url("**/attempts/**")
        # Three written answers: the critical-thinking quiz's first open responses.
        fields = page.locator("fieldset[data-type=open] textarea")
        targets = [(fields.nth(i).get_attribute("name"), f"answer {i + 1} during outage")
                   for i in range(min(3, fields.count()))]
        assert len(targets) == 3, f"the seed quiz has {len(targets)} open responses, not 3"
        try:
            _refuse(False)
            for name, text in targets:
                page.locator(f"[name='{name}']").fill(text)
                page.locator(f"[name='{name}']").press("Tab")
            # expect() polls without eval, which the page's CSP forbids.
            expect(page.locator("#save-status")).to_contain_text("Not saved")
            # Read nothing back here: the retry may already say "Saving…" a moment later.
            result["failure_shown"] = True
            time.sleep(3)
        finally:
            _refuse(True)
        expect(page.locator("#save-status")).to_contain_text("All changes saved",
                                                             timeout=60_000)
        time.sleep(1)
        values = {name: page.locator(f"[name='{name}']").input_value()
                  for name, _ in targets}
        browser.close()
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        stored = dict(conn.execute(
            "SELECT 'q-' || question_id::text, answer #>> '{}' FROM quizzes_response "
            "WHERE answer IS NOT NULL").fetchall())
    result["typed"] = values
    result["stored"] = {k: stored.get(k) for k in values}
    result["all_arrived"] = all(stored.get(name) == value for name, value in values.items())
    print(json.dumps(result, indent=2))
    return 0 if result["all_arrived"] and values else 1


if __name__ == "__main__":
    sys.exit(main())
