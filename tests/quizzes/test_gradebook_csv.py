"""Gradebook files that Canvas and Moodle import as they are, and a responses file that
reads as answers (choice texts, numbers) with formulas neutralised."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment, Role
from quizzes.models import Attempt, Response
from quizzes.teaching.gradebook_csv import csv_safe, gradebook_csv_rows
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


def _graded(quiz, user, score: str, out_of: str) -> Attempt:
    now = timezone.now()
    return Attempt.objects.create(quiz=quiz, user=user, number=1, status="graded",
                                  started_at=now, submitted_at=now, score=Decimal(score),
                                  max_score=Decimal(out_of), question_order=[])


@pytest.fixture
def book(course, lesson, student, classmate):
    Enrollment.objects.filter(user=student).update(section="Tuesday")
    student.first_name, student.last_name, student.email = "Ada", "Lovelace", "ada@example.org"
    student.save()
    essay = QuizFactory(lesson=lesson, title="Essay")
    QuestionFactory(quiz=essay, points=10)
    words = QuizFactory(lesson=lesson, title="=Words")
    QuestionFactory(quiz=words, points=2)
    QuestionFactory(quiz=words, points=1)
    _graded(essay, student, "7.5", "10")
    _graded(words, student, "2", "3")
    return course


def _rows(client, course, layout: str) -> list[list[str]]:
    response = client.get(reverse("quizzes:gradebook-csv", args=[course.slug]),
                          {"layout": layout})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="politics-gradebook-{layout}.csv"')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_canvas_layout_has_its_columns_a_points_possible_row_and_points(client, instructor,
                                                                       book):
    client.force_login(instructor)
    rows = _rows(client, book, "canvas")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Essay",
                       "'=Words"]
    assert rows[1] == ["Points Possible", "", "", "", "", "10", "3"]
    assert rows[2] == ["Lovelace, Ada", "", "", "stu", "Tuesday", "7.5", "2"]
    assert rows[3][1:] == ["", "", "classmate", "", "", ""]  # no grades yet: empty cells


def test_moodle_layout_matches_by_username_and_email_with_the_maximum_in_the_header(
        client, instructor, book):
    client.force_login(instructor)
    rows = _rows(client, book, "moodle")
    assert rows[0] == ["username", "email", "Essay (out of 10)", "'=Words (out of 3)"]
    assert rows[1] == ["stu", "ada@example.org", "7.5", "2"]


def test_default_layout_gives_percent_and_the_section(client, instructor, book):
    client.force_login(instructor)
    response = client.get(reverse("quizzes:gradebook-csv", args=[book.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][4:] == ["Section", "Essay (%)", "'=Words (%)"]
    assert rows[1][4:] == ["Tuesday", "75.0", "66.7"]


def test_an_unknown_layout_is_refused_with_the_choices(client, instructor, book):
    client.force_login(instructor)
    response = client.get(reverse("quizzes:gradebook-csv", args=[book.slug]),
                          {"layout": "blackboard"})
    assert response.status_code == 400
    assert "lectio, canvas, moodle" in response.content.decode()


def test_the_gradebook_page_offers_every_layout(client, instructor, book):
    client.force_login(instructor)
    page = client.get(reverse("quizzes:gradebook", args=[book.slug])).content.decode()
    for value in ('value="lectio"', 'value="canvas"', 'value="moodle"'):
        assert value in page


@pytest.mark.parametrize("students", [3, 30])
def test_canvas_export_runs_the_same_queries_for_any_class_size(
        course, lesson, students, django_assert_max_num_queries):
    quiz = QuizFactory(lesson=lesson)
    QuestionFactory(quiz=quiz, points=4)
    for n in range(students):
        user = UserFactory(username=f"s{n}")
        Enrollment.objects.create(course=course, user=user, role=Role.STUDENT)
        _graded(quiz, user, "1", "4")
    with django_assert_max_num_queries(6):
        rows = list(gradebook_csv_rows(course, layout="canvas"))
    assert len(rows) == students + 2


@pytest.mark.parametrize(("value", "written"), [
    (-5, "-5"), ("-5", "-5"), ("+3.5", "+3.5"), ("-1e3", "-1e3"), ("=1+1", "'=1+1"),
    ("-5+A1", "'-5+A1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("+", "'+"), ("plain", "plain"), (Decimal("-2.50"), "-2.50"), (None, ""),
])
def test_csv_cells_keep_numbers_and_neutralise_formulas(value, written):
    assert csv_safe(value) == written


def test_responses_file_writes_choice_texts_and_numbers(client, instructor, book, lesson,
                                                       student):
    quiz = QuizFactory(lesson=lesson, title="Mixed")
    single = QuestionFactory(quiz=quiz, position=1, type="single", config={})
    right = ChoiceFactory(question=single, text="=Moscow", fraction=1)
    many = QuestionFactory(quiz=quiz, position=2, type="multiple", config={})
    a, b = ChoiceFactory(question=many, text="Russia"), ChoiceFactory(question=many, text="China")
    number = QuestionFactory(quiz=quiz, position=3, type="numeric",
                             config={"answers": [{"value": -5, "fraction": 1}]})
    order = QuestionFactory(quiz=quiz, position=4, type="ordering",
                            config={"items": ["first", "second"]})
    attempt = _graded(quiz, student, "3", "4")
    for question, answer in ((single, str(right.pk)), (many, [str(a.pk), str(b.pk)]),
                             (number, -5), (order, [1, 0])):
        Response.objects.create(attempt=attempt, question=question, answer=answer,
                                score=Decimal(1), state="correct")
    client.force_login(instructor)
    response = client.get(reverse("quizzes:responses-csv", args=[book.slug]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    answers = {row[3]: row[5] for row in rows[1:] if row[1] == "Mixed"}
    assert answers == {"1": "'=Moscow", "2": "Russia; China", "3": "-5",
                       "4": "second; first"}


@pytest.mark.parametrize("students", [2, 20])
def test_responses_file_runs_the_same_queries_for_any_class_size(
        course, lesson, students, django_assert_max_num_queries):
    quiz = QuizFactory(lesson=lesson)
    single = QuestionFactory(quiz=quiz, type="single", config={})
    right = ChoiceFactory(question=single, text="Right", fraction=1)
    for n in range(students):
        user = UserFactory(username=f"r{n}")
        Enrollment.objects.create(course=course, user=user, role=Role.STUDENT)
        attempt = _graded(quiz, user, "1", "1")
        Response.objects.create(attempt=attempt, question=single, answer=str(right.pk),
                                score=Decimal(1), state="correct")
    from quizzes.teaching.gradebook_csv import responses_csv_rows

    with django_assert_max_num_queries(4):
        rows = list(responses_csv_rows(course))
    assert len(rows) == students + 1 and {row[5] for row in rows[1:]} == {"Right"}
