"""An instructor grades two open answers with the keyboard alone and releases the grades;
the student then sees the score and the comment. axe passes on every instructor page."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.models import Enrollment
from quizzes.models import Quiz
from quizzes.taking import services
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _submit_open_answers(username: str, quiz: Quiz) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=user, now=now)
    essay = quiz.questions.filter(type="open").order_by("position").first()
    services.response_save(attempt=attempt, question_id=essay.pk, version=1, now=now,
                           raw_answer=f"{username} argues that anti-Americanism is not enough.")
    services.attempt_submit(attempt=attempt, now=now)


def _tab_to(page, selector: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_instructor_grades_two_answers_by_keyboard_and_releases(page):
    call_command("load_demo")
    Enrollment.objects.filter(user__username="student2").update(section="B")
    quiz = Quiz.objects.get(kind="critical")
    # One open question per attempt keeps the walk short: two answers to grade in all.
    keep = quiz.questions.filter(type="open").order_by("position").first()
    quiz.questions.exclude(pk=keep.pk).delete()
    _submit_open_answers("student", quiz)
    _submit_open_answers("student2", quiz)

    log_in(page, "instructor", "lectio-instructor")
    page.goto("/courses/demo/")
    assert_accessible(page)
    page.goto("/quizzes/course/demo/grading/")
    assert_accessible(page)
    _tab_to(page, "a[href*='/grade/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for number in range(2):
        page.wait_for_url("**/grade/")
        assert_accessible(page)
        criteria = page.locator("#grade-form fieldset:has(input[type=radio])").count()
        for index in range(criteria):
            _tab_to(page, f"#grade-form fieldset:nth-of-type({index + 1}) input[type=radio]")
            page.keyboard.press("ArrowDown")  # second level
        _tab_to(page, "#comment")
        page.keyboard.type(f"Clear claim, comment {number + 1}.")
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")
    page.wait_for_url("**/grading/")
    assert "Nothing is waiting to be graded." in page.content()
    _tab_to(page, f"form[action='/quizzes/{quiz.pk}/release/'] button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "are released to students" in page.content()
    page.goto("/quizzes/course/demo/gradebook/")
    assert_accessible(page)
    page.goto("/quizzes/course/demo/audit/")
    assert_accessible(page)
    page.goto("/quizzes/course/demo/gradebook/")
    page.locator("table.gradebook tbody th a").first.click()
    page.wait_for_url("**/students/**")
    assert_accessible(page)
    page.goto("/quizzes/course/demo/accommodations/")
    assert_accessible(page)
    page.goto("/courses/demo/lessons/sino-russian-relations/readers/")
    assert_accessible(page)
    page.goto("/courses/demo/lessons/sino-russian-relations/")
    assert_accessible(page)  # the instructor's copy, with instructor-only notes
    page.goto(quiz.get_absolute_url())
    assert_accessible(page)
    page.goto(f"/quizzes/{quiz.pk}/analysis/")
    assert_accessible(page)
    page.goto("/quizzes/course/demo/lessons/sino-russian-relations/heatmap/")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, "student", "lectio-student")
    page.goto(quiz.get_absolute_url())
    page.get_by_role("link", name="Review attempt 1").click()
    assert_accessible(page)
    assert page.get_by_text("Your instructor's comment").is_visible()
    assert "Clear claim, comment" in page.content()
    assert "Awaiting grading" not in page.content()
