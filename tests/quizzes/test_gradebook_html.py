"""The gradebook body is written in Python for speed: every text from people is escaped,
and each cell shows the grade by the quiz's method, linked to the attempt behind it."""

import pytest
from django.utils import timezone

from courses.models import Enrollment
from quizzes import services
from quizzes.gradebook_html import gradebook_body
from quizzes.selectors_teaching import gradebook
from tests.factories import QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">&"\''


def test_names_usernames_and_sections_are_escaped(course, lesson):
    user = UserFactory(username="evil", first_name=HOSTILE, last_name="<b>x</b>")
    Enrollment.objects.create(course=course, user=user, section=HOSTILE[:50])
    quizzes, rows, _ = gradebook(course)
    html = str(gradebook_body(course.slug, rows, len(quizzes)))
    assert "<img" not in html and "<b>" not in html and "onerror=\"" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;&#x27;" in html


@pytest.mark.parametrize(("method", "expected", "which"), [
    ("highest", "100.0%", 1), ("first", "50.0%", 0), ("latest", "0.0%", 2),
    ("average", "50.0%", 2),
])
def test_each_cell_is_the_grade_by_method_linked_to_its_attempt(student, lesson, method,
                                                                 expected, which):
    quiz = QuizFactory(lesson=lesson, grading_method=method, attempts_allowed=None)
    QuestionFactory(quiz=quiz, points=2)
    now = timezone.now()
    attempts = []
    for answer in ("half", "ZQX-fox", "wrong"):
        attempt = services.attempt_start(quiz=quiz, user=student, now=now)
        question = quiz.questions.get()
        services.response_save(attempt=attempt, question_id=question.pk,
                               raw_answer=answer, version=1, now=now)
        attempts.append(services.attempt_submit(attempt=attempt, now=now))
    # "half" earns nothing from the key: give it half marks by override, as a teacher would.
    from decimal import Decimal

    from quizzes import services_grading
    services_grading.response_override(response=attempts[0].responses.get(),
                                       score=Decimal("1"), reason="partly right",
                                       user=student, now=now)
    quizzes, rows, _ = gradebook(lesson.course)
    html = str(gradebook_body(lesson.course.slug, rows, len(quizzes)))
    assert f'/quizzes/attempts/{attempts[which].pk}/result/">{expected}</a>' in html


def test_an_empty_class_says_so(course):
    assert "No students match." in str(gradebook_body(course.slug, [], 3))
