"""The seed lesson in a real browser: notes by keyboard alone, reading progress, axe."""

import pytest
from django.core.management import call_command

from courses.models import Annotation, ReadingProgress
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = "/courses/demo/lessons/sino-russian-relations/"


@pytest.fixture
def demo(db):
    call_command("load_demo")


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_student_opens_and_closes_a_glossary_note_with_the_keyboard(page, demo):
    log_in(page, "student", "lectio-student")
    page.goto("/courses/demo/")
    assert_accessible(page)
    page.goto(LESSON)
    assert_accessible(page)
    note = Annotation.objects.filter(kind="glossary").order_by("passage__order", "start").first()
    trigger = f"#ref-{note.pk}"
    _tab_to(page, trigger)
    page.keyboard.press("Enter")
    panel = page.locator(f"#inline-{note.pk}")
    assert panel.is_visible()
    assert page.locator(trigger).get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == f"inline-{note.pk}"
    assert note.title in panel.inner_text()
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert panel.count() == 0
    assert page.evaluate("document.activeElement.id") == f"ref-{note.pk}"
    # Space toggles it too.
    page.keyboard.press(" ")
    assert page.locator(f"#inline-{note.pk}").is_visible()
    page.keyboard.press("Escape")
    assert page.locator(f"#inline-{note.pk}").count() == 0


def test_reading_progress_is_recorded_as_the_student_scrolls(page, demo):
    log_in(page, "student", "lectio-student")
    page.goto(LESSON)
    for order in range(1, 11):
        page.locator(f"#p-{order}").scroll_into_view_if_needed()
        page.wait_for_timeout(150)
    page.wait_for_timeout(2500)  # the page batches reports 1.5 s after new passages
    page.goto("/courses/demo/")
    progress = ReadingProgress.objects.get(user__username="student")
    assert progress.passages_seen == list(range(1, 11))
    assert progress.completed_at is not None
    assert "complete" in page.locator(".lesson-list").inner_text()


def test_without_javascript_notes_are_footnotes_with_back_links(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "student", "lectio-student", check=False)
    page.goto(LESSON)
    note = Annotation.objects.filter(audience="everyone", depth="core").first()
    page.locator(f"#ref-{note.pk}").click()
    assert page.url.endswith(f"#note-{note.pk}")
    page.locator(f"#note-{note.pk} .note-back").click()
    assert page.url.endswith(f"#ref-{note.pk}")
    page.get_by_role("button", name="Mark the whole reading as read").click()
    assert ReadingProgress.objects.get(user__username="student").completed_at is not None
    context.close()


def test_instructor_adds_a_note_with_the_keyboard(page, demo):
    log_in(page, "instructor", "lectio-instructor")
    page.goto(LESSON)
    assert_accessible(page)
    _tab_to(page, "#id_passage")
    page.keyboard.press("End")  # the last passage
    _tab_to(page, "#id_quote")
    page.keyboard.type("room for maneuver")
    _tab_to(page, "#id_title")
    page.keyboard.type("Door open")
    _tab_to(page, "#id_body")
    page.keyboard.type("An alliance is possible later, but not promised.")
    _tab_to(page, "#note-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    note = Annotation.objects.get(title="Door open")
    assert note.passage.order == 10 and note.quote == "room for maneuver"
    assert page.locator(f"#ref-{note.pk}").is_visible()
    assert_accessible(page)
