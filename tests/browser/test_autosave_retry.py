"""While the database restarts, autosave answers a JSON 503 with Retry-After
(tests/quizzes/test_autosave_outage.py); here the page, on getting one, says the answer is
not saved, keeps it, and sends it again until the server takes it."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz, Response
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

OUTAGE = {"status": 503, "headers": {"Retry-After": "5"}, "content_type": "application/json",
          "body": json.dumps({"error": "The database is briefly unavailable. Try again."})}


def test_a_503_from_autosave_is_retried_until_the_answer_is_saved(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    log_in(page, "student", "lectio-student", check=False)
    page.goto(quiz.get_absolute_url())
    page.get_by_role("button", name="Start or continue").click()
    page.wait_for_url("**/attempts/**")
    attempt = Attempt.objects.get(quiz=quiz, user__username="student", status="in_progress")

    refused: list[str] = []

    def database_down(route):
        # The first two saves meet the outage; later ones reach the real server.
        if len(refused) < 2:
            refused.append(route.request.post_data)
            route.fulfill(**OUTAGE)
        else:
            route.continue_()

    page.route("**/attempts/*/save", database_down)
    box = page.locator("textarea").first
    qid = box.get_attribute("id").removeprefix("q-").removesuffix("-input")
    box.fill("The harbour was quiet.")
    status = page.locator("#save-status")
    expect(status).to_contain_text("Retrying")
    expect(status).to_have_text("All changes saved.", timeout=15_000)
    assert len(refused) == 2
    assert all(json.loads(body)["answer"] == "The harbour was quiet." for body in refused)
    assert Response.objects.get(attempt=attempt, question_id=qid).answer == (
        "The harbour was quiet.")
