"""Rubrics reach the student: shown on open questions while they write, and with the levels
awarded once grades are released; until then the score is not a percentage of points
nobody has graded."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Attempt, Quiz
from quizzes.teaching.services import quiz_release_grades, response_grade
from tests.browser.test_taking import _answer_everything, assert_wcag, log_in, start

pytestmark = pytest.mark.django_db(transaction=True)


def test_rubrics_while_writing_then_the_levels_awarded_after_release(page):
    call_command("load_demo")
    quiz = Quiz.objects.get(kind="critical")
    quiz.review_when = "after_submission"
    quiz.save()
    essays = [q for q in quiz.questions.order_by("position") if q.type == "open"
              and hasattr(q, "rubric")]
    assert essays  # the seed quiz promises its rubrics
    log_in(page, "student", "lectio-student")
    attempt = start(page, quiz)
    for question in essays:
        rubric = page.locator(f"#question-{question.pk} details.rubric")
        expect(rubric).to_be_visible()
        expect(rubric.locator("summary")).to_contain_text("How this answer is graded")
        for criterion in question.rubric.criteria.all():
            expect(rubric).to_contain_text(criterion.name)
    assert_wcag(page)

    _answer_everything(attempt)
    page.goto(f"/quizzes/attempts/{attempt.pk}/result/")
    score = page.locator("#score")
    expect(score).to_contain_text("Score so far")
    assert "%" not in score.inner_text()

    instructor = quiz.lesson.course.enrollments.get(role="instructor").user
    awarded = {}
    for response in Attempt.objects.get(pk=attempt.pk).responses.filter(
            question__in=essays).select_related("question"):
        levels = {}
        for criterion in response.question.rubric.criteria.all():
            top = criterion.levels.order_by("-points").first()
            levels[criterion.pk] = top.pk
            awarded[criterion.name] = top.label
        response_grade(response=response, levels=levels, comment="Well argued.",
                       grader=instructor, now=timezone.now())
    page.reload()
    # Graded but not released: a draft grade, so no levels and no final score yet.
    expect(page.locator("#score")).to_contain_text("Score so far")
    expect(page.locator("table.rubric-awarded")).to_have_count(0)
    quiz_release_grades(quiz=quiz, now=timezone.now())
    page.reload()
    expect(page.locator("#score")).not_to_contain_text("Score so far")
    expect(page.locator("table.rubric-awarded")).to_have_count(len(essays))
    for name, label in awarded.items():
        row = page.locator("table.rubric-awarded tr", has_text=name).first
        expect(row).to_contain_text(label)
    expect(page.get_by_text("Well argued.").first).to_be_visible()
    assert_wcag(page)
