"""A student takes the seed comprehension quiz with the keyboard alone, reloads halfway and
finds every answer, submits, and reads the review; axe passes on every quiz page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

FORM_STATE = (
    "() => Array.from(document.querySelectorAll("
    "'#attempt-form input, #attempt-form select, #attempt-form textarea'))"
    ".filter(el => el.name !== 'csrfmiddlewaretoken')"
    ".map(el => [el.id || el.name, (el.type === 'radio' || el.type === 'checkbox')"
    " ? el.checked : el.value])"
)


def _focus_by_tab(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _answer_with_keyboard(page, fieldset) -> None:
    qid = fieldset.get_attribute("data-question")
    kind = fieldset.get_attribute("data-type")
    scope = f"#question-{qid}"
    if kind in ("single", "truefalse"):
        _focus_by_tab(page, f"{scope} input[type=radio]")
        page.keyboard.press("Space")
    elif kind in ("multiple", "evidence"):
        _focus_by_tab(page, f"{scope} input[type=checkbox]")
        page.keyboard.press("Space")
    elif kind == "twopart":
        _focus_by_tab(page, f"{scope} input[type=radio]")
        page.keyboard.press("Space")
        _focus_by_tab(page, f"{scope} input[type=checkbox]")
        page.keyboard.press("Space")
    elif kind in ("short", "numeric", "open"):
        _focus_by_tab(page, f"{scope} input[type=text], {scope} textarea")
        page.keyboard.type("2007" if kind == "numeric" else "anti-Americanism")
    elif kind == "matching":
        for _ in range(fieldset.locator("select").count()):
            _focus_by_tab(page, f"{scope} select")
            page.keyboard.press("ArrowDown")
    elif kind == "ordering":
        _focus_by_tab(page, f"{scope} .move-down")
        page.keyboard.press("Enter")
    else:
        raise AssertionError(f"unhandled type {kind}")


def _wait_saved(page) -> None:
    page.wait_for_timeout(1200)  # longer than the autosave debounce
    # expect() polls without eval, which the page's CSP forbids.
    expect(page.locator("#save-status")).to_contain_text("All changes saved")


def test_student_takes_the_quiz_by_keyboard_reloads_submits_and_reviews(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    assert_accessible(page)
    _focus_by_tab(page, "button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/attempts/**")
    assert_accessible(page)

    fieldsets = page.locator("fieldset.question")
    total = fieldsets.count()
    assert total >= 10
    half = total // 2
    for index in range(half):
        _answer_with_keyboard(page, fieldsets.nth(index))
    _wait_saved(page)
    before = page.evaluate(FORM_STATE)
    page.reload()
    assert page.evaluate(FORM_STATE) == before  # every saved answer came back

    for index in range(half, total):
        _answer_with_keyboard(page, page.locator("fieldset.question").nth(index))
    _wait_saved(page)
    page.locator("body").focus()
    _focus_by_tab(page, "button[value=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/")
    assert_accessible(page)
    assert "You have answered all" in page.content()
    _focus_by_tab(page, "form button[type=submit].btn-primary")
    page.keyboard.press("Enter")
    page.wait_for_url("**/result/")
    assert_accessible(page)
    assert page.get_by_text("Score:").is_visible()
    assert page.get_by_role("link", name="Review passage").first.is_visible()
    page.goto("/quizzes/dashboard/")
    assert_accessible(page)
    assert "Graded" in page.content()
    attempt = Attempt.objects.get(user__username="student", quiz=quiz)
    assert attempt.status == "graded"
    assert attempt.responses.filter(version__gt=0).count() == total


def test_leaving_a_saved_text_field_sends_no_second_save(page):
    """Typing is saved after a pause; the "change" event a text field fires when it loses
    focus must not send the same answer again (each save is a request for the server)."""
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start or continue").click()
    page.wait_for_url("**/attempts/**")
    saves: list[str] = []
    page.on("request", lambda request: saves.append(request.post_data or "")
            if request.url.endswith("/save") else None)
    field = page.locator("fieldset[data-type=short] input[type=text]").first
    field.focus()
    page.keyboard.type("anti-Americanism")
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    page.keyboard.press("Tab")
    page.wait_for_timeout(600)
    assert len(saves) == 1, saves
    field.focus()
    with page.expect_response(lambda response: response.url.endswith("/save")):
        page.keyboard.type("!")
        page.keyboard.press("Tab")  # a real change, saved on leaving the field
    assert len(saves) == 2 and "anti-Americanism!" in saves[1]
