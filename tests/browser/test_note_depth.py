"""Go-deeper notes in a real browser: the toggle and the notes it marks work by keyboard
alone, and the page passes axe in both states."""

import pytest
from django.core.management import call_command

from courses.models import Annotation
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = "/courses/demo/lessons/sino-russian-relations/"


def _tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_student_marks_opens_and_unmarks_go_deeper_notes_by_keyboard(page):
    call_command("load_demo")
    deeper = (Annotation.objects.filter(depth="deeper", audience="everyone")
              .order_by("passage__order", "start").first())
    log_in(page, "student", "lectio-student")
    page.goto(LESSON)
    assert_accessible(page)
    span = page.locator(f"#ref-{deeper.pk}")
    assert span.get_attribute("tabindex") is None  # plain text until asked for
    assert not page.locator("#deeper-notes").get_attribute("open")

    _tab_to(page, "#deeper-toggle")
    page.keyboard.press("Enter")
    assert page.locator("#deeper-toggle").get_attribute("aria-pressed") == "true"
    assert page.locator("#deeper-notes").get_attribute("open") is not None
    assert_accessible(page)

    _tab_to(page, f"#ref-{deeper.pk}")
    page.keyboard.press("Enter")
    panel = page.locator(f"#inline-{deeper.pk}")
    assert panel.is_visible() and deeper.title in panel.inner_text()
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert panel.count() == 0
    assert page.evaluate("document.activeElement.id") == f"ref-{deeper.pk}"

    page.locator("#deeper-toggle").focus()
    page.keyboard.press("Space")
    assert page.locator("#deeper-toggle").get_attribute("aria-pressed") == "false"
    assert span.get_attribute("tabindex") is None and span.get_attribute("role") is None


def test_without_javascript_go_deeper_notes_open_from_their_summary(browser, live_server):
    call_command("load_demo")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "student")
    page.fill("input[name=password]", "lectio-student")
    page.locator("form button[type=submit]").first.click()
    page.goto(live_server.url + LESSON)
    assert page.locator("#deeper-toggle").is_hidden()
    summary = page.locator("#deeper-notes > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#deeper-notes").get_attribute("open") is not None
    assert page.locator("#deeper-notes li.note").first.is_visible()
    context.close()

