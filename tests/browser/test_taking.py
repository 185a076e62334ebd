"""Taking a quiz in a browser: no lost writing, word counts, results, timing, reading beside
the quiz. Every page is checked with axe on the WCAG 2.x A/AA tags."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz, Response

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_wcag(page) -> None:
    """axe on the WCAG 2.0/2.1 A and AA and 2.2 AA rules: zero violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/courses/")


def start(page, quiz: Quiz) -> Attempt:
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start or continue").click()
    page.wait_for_url("**/attempts/**")
    return Attempt.objects.get(quiz=quiz, user__username="student", status="in_progress")


LIVE_LOG = """(id) => {
  window.__live = [];
  const node = document.getElementById(id);
  new MutationObserver(() => window.__live.push(node.textContent))
    .observe(node, {childList: true, characterData: true, subtree: true});
}"""


def test_700_words_in_a_600_word_box_survive_autosave_and_review_and_submit(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    log_in(page, "student", "lectio-student")
    attempt = start(page, quiz)
    box = page.locator("textarea[data-max-words='600']").first
    qid = box.get_attribute("id").removeprefix("q-").removesuffix("-input")
    page.evaluate(LIVE_LOG, f"q-{qid}-count-live")
    words = [f"w{i}" for i in range(700)]
    box.fill(" ".join(words[:590]))
    box.focus()
    page.keyboard.press("End")
    page.keyboard.type(" " + " ".join(words[590:]))  # typed across the limit
    counter = page.locator(f"#q-{qid}-count")
    expect(counter).to_have_text("700 words: over the limit of 600; shorten it to save it.")
    expect(page.locator(f"#q-{qid}-error")).to_contain_text("Keep your answer to 600 words")
    expect(page.locator("#save-status")).to_contain_text("What you wrote is kept")
    # The live region spoke once, on crossing the limit, not at every word typed.
    live = page.evaluate("window.__live")
    assert live == ["Over the word limit: 601 words: over the limit of 600; "
                    "shorten it to save it."], live
    assert page.locator(f"#q-{qid}-count-live").get_attribute("aria-live") == "polite"
    assert Response.objects.get(attempt=attempt, question_id=qid).answer is None

    # Leaving by a link warns that the refused answer is not saved (and stays on the page).
    dialogs: list[str] = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="My progress").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and "/attempts/" in page.url
    assert box.input_value() == " ".join(words)
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_load_state()
    assert dialogs == ["beforeunload"]  # posting the form itself asks nothing
    assert "/submit/" not in page.url
    kept = page.locator(f"#q-{qid}-input")
    assert kept.input_value() == " ".join(words)  # all 700 words, in order
    expect(page.locator("#form-errors")).to_contain_text("Keep your answer to 600 words")
    expect(page.locator("#form-errors")).to_be_focused()
    assert kept.get_attribute("aria-invalid") == "true"
    assert f"q-{qid}-error" in (page.locator(f"#question-{qid}").get_attribute(
        "aria-describedby") or "")
    assert_wcag(page)

    # Shortened to the limit, it saves, and the message goes away.
    kept.fill(" ".join(words[:600]))
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    expect(page.locator(f"#q-{qid}-error")).to_be_hidden()
    assert Response.objects.get(attempt=attempt, question_id=qid).answer == " ".join(words[:600])


def test_an_answer_under_the_minimum_is_warned_while_writing_and_before_submitting(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    log_in(page, "student", "lectio-student")
    start(page, quiz)
    box = page.locator("textarea[data-min-words]").first
    low = int(box.get_attribute("data-min-words"))
    qid = box.get_attribute("id").removeprefix("q-").removesuffix("-input")
    box.focus()
    page.keyboard.type("Anti-Americanism binds them, but only so far.")
    expect(page.locator(f"#q-{qid}-count")).to_have_text(
        f"7 words: under the minimum of {low}.")
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url("**/submit/")
    warning = page.locator(".alert-warning", has_text="under the minimum length")
    expect(warning).to_contain_text(f"7 words, at least {low} asked for")
    assert_wcag(page)


def _plausible(kind: str, public: dict):
    """Some answer of the right shape for a question of type `kind`."""
    first_passage = (public.get("passages") or [5])[0]
    if kind in ("single", "multiple"):
        choice = public["choices"][0]["id"]
        return choice if kind == "single" else [choice]
    if kind == "matching":
        return {str(p["index"]): public["options"][0] for p in public["prompts"]}
    if kind == "ordering":
        return [item["text"] for item in public["items"]]
    if kind == "evidence":
        return [first_passage]
    if kind == "twopart":
        return {"a": public["choices"][0]["id"],
                "b": [(public["part_b"].get("passages") or [5])[0]]}
    return {"truefalse": "true", "short": "INDOPACOM", "numeric": "2007",
            "open": "My essay on anti-Americanism " * 30}[kind]


def _answer_everything(attempt: Attempt) -> None:
    """Answer every question of `attempt` through the service, and submit it."""
    from django.utils import timezone

    from quizzes.taking import selectors, services

    now = timezone.now()
    for view in selectors.attempt_for_taking(attempt):
        services.response_save(attempt=attempt, question_id=view.question.pk,
                               raw_answer=_plausible(view.question.type, view.public),
                               version=1, now=now)
    services.attempt_submit(attempt=attempt, now=now)


@pytest.mark.parametrize("width", [1280, 320])
def test_results_show_the_students_own_answers_with_feedback_at_any_width(page, width):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    quiz.review_when = "after_submission"
    quiz.save()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "student", "lectio-student")
    attempt = start(page, quiz)
    _answer_everything(attempt)
    page.goto(f"/quizzes/attempts/{attempt.pk}/result/")
    items = page.locator("section.review-item")
    assert items.count() == quiz.questions.count()
    for index in range(items.count()):
        own = items.nth(index).locator(".own-answer")
        expect(own).to_contain_text("Your answer")
        expect(own).not_to_contain_text("No answer")
    assert "*INDOPACOM" not in page.content()
    expect(page.get_by_text("On your choice “").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_wcag(page)


def _timed_attempt(page, *, minutes_left: float) -> tuple[Quiz, Attempt]:
    """The student's attempt at the (30-minute) comprehension quiz, its deadline moved to
    `minutes_left` from now, and the page's clock installed at the real time."""
    from datetime import timedelta

    from django.utils import timezone

    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    log_in(page, "student", "lectio-student")
    attempt = start(page, quiz)
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now + timedelta(minutes=minutes_left))
    page.clock.install(time=now)
    page.reload()
    return quiz, attempt


def test_time_warnings_are_announced_politely_and_time_up_stops_editing(page):
    _quiz, attempt = _timed_attempt(page, minutes_left=6)
    warning = page.locator("#time-warning")
    assert warning.get_attribute("aria-live") == "polite"
    assert page.locator("#countdown").get_attribute("aria-live") is None  # not every second
    expect(warning).to_have_text("")
    page.clock.fast_forward("01:05")
    expect(warning).to_have_text("5 minutes left.")
    page.clock.fast_forward("04:00")
    expect(warning).to_have_text("1 minute left.")
    page.clock.fast_forward("00:50")
    expect(warning).to_contain_text("10 seconds left.")
    field = page.locator("fieldset[data-type=short] input[type=text]").first
    field.fill("INDOPACOM")
    page.clock.fast_forward("00:12")
    expect(warning).to_contain_text("Time is up. Your answers can no longer be changed")
    expect(page.locator("#countdown-value")).to_have_text("time is up")
    expect(field).to_be_disabled()
    assert page.locator("fieldset.question").count() == page.locator(
        "fieldset.question[disabled]").count()
    assert page.evaluate("document.querySelectorAll('fieldset.question "
                         ":is(input, select, textarea, button):enabled').length") == 0
    expect(page.get_by_role("button", name="Save answers")).to_be_hidden()
    # What was typed before time ran out was still sent, within the grace period.
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    qid = field.get_attribute("name").removeprefix("q-")
    assert Response.objects.get(attempt=attempt, question_id=qid).answer == "INDOPACOM"
    page.get_by_role("button", name="See your results").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/result/")
    assert_wcag(page)


def test_the_time_bar_stays_in_view_without_covering_content_at_320px(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.emulate_media(reduced_motion="reduce")  # Bootstrap scrolls smoothly otherwise
    _timed_attempt(page, minutes_left=20)
    bar = page.locator("#attempt-bar")
    first = page.locator("fieldset.question").first
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= first.bounding_box()["y"]
    page.keyboard.press("End")
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(200)
    box = bar.bounding_box()
    assert abs(box["y"]) < 1 and box["height"] < 640 / 4, box
    # Tabbing backwards and forwards, the focused control is never under the bar.
    page.locator("button[value=submit]").focus()
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        top = page.evaluate("document.activeElement.getBoundingClientRect().top")
        bottom = bar.bounding_box()["y"] + bar.bounding_box()["height"]
        assert top >= bottom - 1, (top, bottom, page.evaluate(
            "document.activeElement.outerHTML"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_quiz_page_shows_the_students_own_time_limit(page):
    from courses.models import Enrollment

    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    Enrollment.objects.filter(user__username="student").update(time_multiplier="1.5")
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    facts = page.locator("dl.reading-facts")
    expect(facts).to_contain_text("Your time limit")
    expect(facts).to_contain_text("45 minutes (with your extra time; the quiz's limit is "
                                  "30 minutes)")
    assert_wcag(page)


def test_after_submitting_the_result_has_a_clean_url_and_reload_submits_nothing(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="comprehension")
    log_in(page, "student", "lectio-student")
    attempt = start(page, quiz)
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url("**/submit/")
    page.get_by_role("button", name="Submit attempt").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/result/")
    with page.expect_request(lambda r: r.url.endswith("/result/")) as reload:
        page.reload()
    assert reload.value.method == "GET"  # a redirect after the POST: nothing resubmitted


def test_the_navbar_folds_on_phones_and_opens_by_keyboard(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 320, "height": 640})
    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="My progress")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My progress")).to_be_visible()
    assert_wcag(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(menu).to_be_hidden()
    expect(page.get_by_role("link", name="My progress")).to_be_visible()
    # The favicon is a static file linked from every page: no request for a missing one.
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).ok
    assert not any(url.endswith("/favicon.ico") for url in requests), requests


def test_the_reading_sits_beside_the_quiz_on_wide_screens_and_folds_inline_on_phones(page):
    call_command("load_demo")
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "student", "lectio-student")
    start(page, Quiz.objects.get(kind="comprehension"))
    panel = page.get_by_role("region", name="The reading")
    expect(panel).to_be_visible()
    expect(panel.locator("#rp-2")).to_contain_text("Passage 2")
    assert panel.get_attribute("tabindex") == "0"  # it scrolls on its own, by keyboard too
    toggle = page.locator("details.passage-toggle").first
    expect(toggle).to_be_hidden()
    assert_wcag(page)

    page.set_viewport_size({"width": 320, "height": 640})
    expect(panel).to_be_hidden()
    summary = page.locator("details.passage-toggle summary").first
    expect(summary).to_be_visible()
    number = summary.inner_text().removeprefix("Show passage ")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.passage-toggle").first).to_have_attribute("open", "")
    expect(page.locator("details.passage-toggle blockquote").first).to_be_visible()
    from courses.models import Passage

    text = Passage.objects.filter(order=int(number)).first().text
    expect(page.locator("details.passage-toggle blockquote").first).to_contain_text(text[:40])
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_wcag(page)


def test_the_countdown_follows_the_servers_clock_not_a_wrong_computer_clock(page):
    from datetime import timedelta

    from django.utils import timezone

    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    attempt = start(page, Quiz.objects.get(kind="comprehension"))
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now + timedelta(minutes=10))
    page.clock.install(time=now + timedelta(minutes=7))  # the computer is 7 minutes fast
    page.reload()
    expect(page.locator("#countdown-value")).to_contain_text("9 min")
    expect(page.locator("#time-warning")).to_have_text("")
