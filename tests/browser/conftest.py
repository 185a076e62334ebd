"""Browser tests: Playwright for Python driving Debian's Chromium against `live_server`.

Outside CI, with no Chromium on the machine, they are skipped with a message saying how to
install one; with CI=true a missing browser fails the run.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it (creating users, reading results) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("LECTIO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = (
            f"No Chromium at {CHROMIUM}. Install Debian's browser with "
            "`sudo apt-get install chromium` (never `playwright install`)."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class _InFlight:
    """Counts requests the live server is handling, from Django's own request signals."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self.last_change = time.monotonic()

    def started(self, **kwargs) -> None:
        with self._lock:
            self.count += 1
            self.last_change = time.monotonic()

    def finished(self, **kwargs) -> None:
        with self._lock:
            self.count -= 1
            self.last_change = time.monotonic()

    def wait_idle(self, quiet: float = 0.5, limit: float = 15.0) -> None:
        """Return once no request has been in flight for `quiet` seconds.

        A page that closes still sends what it owes (the reading-progress beacon on
        `pagehide`, the quiz's last save): pytest-django's TRUNCATE must not race those
        writes, or PostgreSQL aborts one of them as a deadlock and the flush fails.
        """
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self._lock:
                idle = self.count <= 0 and time.monotonic() - self.last_change >= quiet
            if idle:
                return
            time.sleep(0.05)
        raise AssertionError(f"the live server still had {self.count} request(s) in flight")


@pytest.fixture(scope="session")
def in_flight():
    counter = _InFlight()
    request_started.connect(counter.started, weak=False)
    request_finished.connect(counter.finished, weak=False)
    yield counter
    request_started.disconnect(counter.started)
    request_finished.disconnect(counter.finished)


@pytest.fixture(autouse=True)
def _drain_live_server(in_flight):
    """After each browser test (and after `page` closed its context), wait for the
    requests a closing page still sends, before pytest-django's flush runs."""
    yield
    in_flight.wait_idle()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def assert_accessible(page) -> None:
    """Run axe on the current page: zero violations, with the report in the failure."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, username: str, password: str, *, check: bool = True) -> None:
    """Log in through the real form, using the keyboard only (axe-checked unless `check`
    is False: axe needs JavaScript)."""
    page.goto("/accounts/login/")
    if check:
        assert_accessible(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/courses/")
