"""The preview of a large question bank, by keyboard: axe on its pages, Tab reaches the page
links and Enter follows them, the problems stay on every page, and the confirm imports the
whole file."""

import pytest
from django.core.management import call_command

from quizzes.models import Quiz
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _bank(count: int, broken: int) -> str:
    return "\n".join(
        f"::Q{n}:: Question {n} never closes its answers {{=yes ~no\n" if n == broken
        else f"::Q{n}:: Which number is {n}? {{={n} ~{n + 1}}}\n"
        for n in range(1, count + 1))


def _tab_to(page, name: str) -> None:
    """Press Tab until the focused element's text is `name` (keyboard only)."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached “{name}”")


def test_the_paginated_preview_passes_axe_and_its_pages_are_followed_by_keyboard(
        page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    quiz = Quiz.objects.filter(kind="comprehension").get()
    before = quiz.questions.count()
    bank = tmp_path / "bank.gift"
    bank.write_text(_bank(130, broken=120), encoding="utf-8")
    log_in(page, "instructor", "lectio-instructor")
    page.goto(f"/quizzes/{quiz.pk}/import/")
    page.get_by_label("Question file").set_input_files(str(bank))
    page.get_by_role("button", name="Read and preview").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/")
    assert_accessible(page)
    pages = page.get_by_role("navigation", name="Pages of the questions")
    assert pages.get_by_role("link", name="Page 1").get_attribute("aria-current") == "page"
    # The problem of question 120 (on page 3) is listed on page 1 already.
    assert page.get_by_text("(question “Q120”)").is_visible()
    page.locator("body").focus()
    _tab_to(page, "Page 2")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/?page=2")
    assert page.get_by_role("cell", name="Q51", exact=True).is_visible()
    assert pages.get_by_role("link", name="Page 2").get_attribute("aria-current") == "page"
    assert_accessible(page)
    _tab_to(page, "Next page")
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/?page=3")
    assert page.get_by_role("cell", name="Q130", exact=True).is_visible()
    assert page.get_by_text("(question “Q120”)").is_visible()
    assert_accessible(page)
    page.get_by_label("Import only the 129 valid questions").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Import 129 questions").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{quiz.get_absolute_url()}")
    assert quiz.questions.count() == before + 129
