"""The seed's critical-thinking quiz in a real browser: what a student sees while answering."""

import pytest
from django.core.management import call_command

from quizzes.models import Quiz
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_critical_quiz_shows_its_fact_sheets_and_evidence_rule_and_passes_axe(page):
    """The seed's critical-thinking quiz as a student meets it: the dated fact sheets sit
    with their questions, the passage pickers state the scoring rule, and axe passes."""
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start or continue").click()
    page.wait_for_url("**/attempts/**")
    sheets = page.locator("blockquote", has_text="Fact sheet")
    assert sheets.count() == 2
    assert "4 February 2022" in sheets.first.inner_text()
    assert page.get_by_text("Part B counts only if your answer to Part A is right.").is_visible()
    assert page.get_by_text("whichever is larger").first.is_visible()
    assert "ZQX" not in page.content() and "Anchor answer" not in page.content()
    assert_accessible(page)
