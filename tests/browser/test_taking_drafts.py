"""No lost writing across a reload: an essay refused for its length comes back in the same
tab, refused again with its reason, until the student shortens it; a newer save from
elsewhere wins over it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Quiz, Response
from quizzes.taking import services
from tests.browser.test_taking import assert_wcag, log_in, start

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = [f"w{i}" for i in range(700)]


def _refused_essay(page):
    """The student's attempt at the critical quiz with 700 words typed into its 600-word
    box and refused by autosave; the box and its question id."""
    call_command("load_demo")
    log_in(page, "student", "lectio-student")
    attempt = start(page, Quiz.objects.get(kind="critical"))
    box = page.locator("textarea[data-max-words='600']").first
    qid = box.get_attribute("id").removeprefix("q-").removesuffix("-input")
    box.fill(" ".join(WORDS))
    expect(page.locator(f"#q-{qid}-error")).to_contain_text("Keep your answer to 600 words")
    page.on("dialog", lambda dialog: dialog.accept())  # leave despite the warning
    return attempt, box, qid


def test_a_refused_essay_comes_back_after_a_reload_with_its_reason(page):
    attempt, box, qid = _refused_essay(page)
    page.reload()
    page.wait_for_load_state()
    assert box.input_value() == " ".join(WORDS)  # all 700 words, in order
    expect(page.locator(f"#q-{qid}-count")).to_have_text(
        "700 words: over the limit of 600; shorten it to save it.")
    expect(page.locator(f"#q-{qid}-error")).to_contain_text("Keep your answer to 600 words")
    expect(page.locator("#save-status")).to_contain_text("What you wrote is kept")
    assert Response.objects.get(attempt=attempt, question_id=qid).answer is None
    assert_wcag(page)

    # Shortened, it saves; the kept copy goes, so the next reload shows the saved answer.
    box.fill(" ".join(WORDS[:600]))
    expect(page.locator("#save-status")).to_contain_text("All changes saved")
    page.reload()
    page.wait_for_load_state()
    assert box.input_value() == " ".join(WORDS[:600])
    assert page.evaluate("window.sessionStorage.length") == 0
    expect(page.locator(f"#q-{qid}-error")).to_be_hidden()


def test_a_newer_save_from_elsewhere_wins_over_the_refused_copy(page):
    attempt, box, qid = _refused_essay(page)
    # Another tab saves a shorter essay meanwhile: the server holds a newer version.
    services.response_save(attempt=attempt, question_id=int(qid),
                           raw_answer="Written in another tab.", version=99,
                           now=timezone.now())
    page.reload()
    page.wait_for_load_state()
    assert box.input_value() == "Written in another tab."
    assert page.evaluate("window.sessionStorage.length") == 0
    page.wait_for_timeout(1200)  # longer than the autosave debounce: nothing was sent
    assert Response.objects.get(attempt=attempt, question_id=qid).answer == \
        "Written in another tab."
