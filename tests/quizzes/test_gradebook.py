"""The gradebook rows are written in Python for speed: every text from people is escaped,
each cell shows the grade by the quiz's method linked to the attempt behind it, percentages
are rounded once, in SQL, the same way on both databases, and the CSV holds the same grades."""

from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Enrollment
from quizzes.models import Attempt
from quizzes.taking import services
from quizzes.teaching import services as teaching
from quizzes.teaching.gradebook import gradebook_rows_html
from quizzes.teaching.gradebook_csv import gradebook_csv_rows
from quizzes.teaching.selectors import gradebook
from tests.factories import QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '<img src=x onerror="alert(1)">&"\'{0}{}'


def _html(course) -> str:
    book = gradebook(course)
    return str(gradebook_rows_html(course.slug, book.rows, len(book.quizzes)))


def test_names_usernames_and_sections_are_escaped(course, lesson):
    user = UserFactory(username="evil", first_name=HOSTILE, last_name="<b>x</b>")
    Enrollment.objects.create(course=course, user=user, section=HOSTILE[:50])
    html = _html(course)
    assert "<img" not in html and "<b>" not in html and "onerror=\"" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;&#x27;{0}{}" in html


@pytest.mark.parametrize(("method", "expected", "which", "average"), [
    ("highest", "100.0%", 1, "100.0%"), ("first", "50.0%", 0, "50.0%"),
    ("latest", "0.0%", 2, "0.0%"), ("average", "50.0%", 2, "50.0%"),
])
def test_each_cell_is_the_grade_by_method_linked_to_its_attempt(student, lesson, method,
                                                                 expected, which, average):
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
    teaching.response_override(response=attempts[0].responses.get(),
                               score=Decimal("1"), reason="partly right",
                               user=student, now=now)
    html = _html(lesson.course)
    assert f'/quizzes/attempts/{attempts[which].pk}/result/">{expected}</a>' in html
    assert html.endswith(f"<td>{average}</td></tr>")
    book = gradebook(lesson.course)
    assert book.averages == [float(expected[:-1])]


def test_markers_and_an_unattempted_quiz(student, lesson):
    quiz = QuizFactory(lesson=lesson, attempts_allowed=None)
    QuizFactory(lesson=lesson, title="Untouched")
    QuestionFactory(quiz=quiz, points=2)
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    html = _html(lesson.course)
    assert (f'<td><a href="/quizzes/attempts/{attempt.pk}/result/">in progress</a></td>'
            "<td>not started</td><td>none yet</td></tr>") in html


@pytest.mark.parametrize(("score", "out_of", "expected"), [
    ("1", "3", "33.3%"), ("2", "3", "66.7%"), ("1", "16", "6.3%"), ("7", "9", "77.8%"),
    ("0.5", "2", "25.0%"), ("3", "0", "no score"), ("10", "10", "100.0%"),
])
def test_percent_rounds_to_one_decimal(student, lesson, score, out_of, expected):
    quiz = QuizFactory(lesson=lesson)
    now = timezone.now()
    Attempt.objects.create(quiz=quiz, user=student, number=1, status="graded", started_at=now,
                           score=Decimal(score), max_score=Decimal(out_of), question_order=[])
    assert f"/result/\">{expected}</a>" in _html(lesson.course)


@pytest.mark.parametrize(("score", "out_of", "percent"), [("1", "3", 33.3), ("10", "10", 100.0)])
def test_grades_are_ints_and_floats_as_the_database_driver_returns_them(
    student, lesson, score, out_of, percent
):
    # The grades' aggregate skips the ORM's int()/float() per value (selectors._AsFetched):
    # both databases' drivers must already hand back these types.
    quiz = QuizFactory(lesson=lesson)
    now = timezone.now()
    Attempt.objects.create(quiz=quiz, user=student, number=1, status="graded", started_at=now,
                           score=Decimal(score), max_score=Decimal(out_of), question_order=[])
    grade = gradebook(lesson.course).rows[0].grades[0]
    assert [type(value) for value in grade] == [int, int, int, int, float, int]
    assert grade[4] == percent


def test_an_empty_class_says_so(course):
    assert "No students match." in _html(course)


def test_csv_rows_hold_each_percent_by_method(student, classmate, lesson):
    first = QuizFactory(lesson=lesson, grading_method="first", title="One")
    average = QuizFactory(lesson=lesson, grading_method="average", title="Two")
    QuizFactory(lesson=lesson, title="Three")
    now = timezone.now()
    for quiz in (first, average):
        for number, score in ((1, "1"), (2, "3"), (3, None)):
            Attempt.objects.create(quiz=quiz, user=student, number=number, status="graded",
                                   started_at=now, score=score and Decimal(score),
                                   max_score=Decimal(4), question_order=[])
    rows = list(gradebook_csv_rows(lesson.course, batch=1))
    assert rows[0][5:] == ["One (%)", "Two (%)", "Three (%)"]
    assert [row[2] for row in rows[1:]] == ["stu", "classmate"]
    assert rows[1][5:] == ["25.0", "50.0", ""] and rows[2][5:] == ["", "", ""]
