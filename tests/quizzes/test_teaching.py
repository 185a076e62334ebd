"""Instructors: grading by rubric, release, override with audit, regrade, gradebook, CSV."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Role
from quizzes.models import (
    AttemptStatus,
    Response,
    Rubric,
    RubricCriterion,
    RubricLevel,
    ScoreChange,
)
from quizzes.taking import services
from quizzes.teaching import services as teaching
from tests.factories import EnrollmentFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def essay_quiz(lesson):
    quiz = QuizFactory(lesson=lesson, title="Essay quiz")
    QuestionFactory(quiz=quiz, position=1, points=2)  # short answer, key ZQX-fox
    essay = QuestionFactory(quiz=quiz, position=2, type="open", config={}, points=4,
                            prompt="Explain.")
    rubric = Rubric.objects.create(question=essay)
    for c in range(2):
        criterion = RubricCriterion.objects.create(rubric=rubric, position=c, name=f"Crit {c}")
        for points in range(3):
            RubricLevel.objects.create(criterion=criterion, position=points,
                                       label=f"L{points}", points=points)
    return quiz


def _submitted(quiz, user, essay_text="My essay about the fox."):
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=user, now=now)
    short, essay = quiz.questions.order_by("position")
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="zqx-fox",
                           version=1, now=now)
    services.response_save(attempt=attempt, question_id=essay.pk, raw_answer=essay_text,
                           version=1, now=now)
    return services.attempt_submit(attempt=attempt, now=now)


def _levels(question, picks):
    return {c.pk: c.levels.get(points=p).pk
            for c, p in zip(question.rubric.criteria.order_by("position"), picks, strict=True)}


def test_rubric_grade_scales_to_points_completes_the_attempt_and_is_logged(
    essay_quiz, student, instructor
):
    attempt = _submitted(essay_quiz, student)
    assert attempt.status == AttemptStatus.NEEDS_GRADING
    essay = essay_quiz.questions.get(type="open")
    response = Response.objects.get(attempt=attempt, question=essay)
    teaching.response_grade(response=response, levels=_levels(essay, [2, 1]),
                            comment="Good", grader=instructor, now=timezone.now())
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.score == Decimal("5")  # 2 (short) + 4 * 3/4
    change = ScoreChange.objects.get()
    assert change.kind == "grade" and change.new_score == Decimal("3")


def test_grading_needs_a_level_for_every_criterion(essay_quiz, student, instructor):
    from django.core.exceptions import ValidationError

    attempt = _submitted(essay_quiz, student)
    essay = essay_quiz.questions.get(type="open")
    response = Response.objects.get(attempt=attempt, question=essay)
    first = essay.rubric.criteria.order_by("position").first()
    with pytest.raises(ValidationError):
        teaching.response_grade(
            response=response, levels={first.pk: first.levels.first().pk}, comment="",
            grader=instructor, now=timezone.now())
    assert not ScoreChange.objects.exists()


def test_student_sees_awaiting_grading_until_release(client, essay_quiz, student, instructor):
    attempt = _submitted(essay_quiz, student)
    essay = essay_quiz.questions.get(type="open")
    response = Response.objects.get(attempt=attempt, question=essay)
    teaching.response_grade(response=response, levels=_levels(essay, [2, 2]),
                            comment="SECRET-DRAFT-COMMENT", grader=instructor,
                            now=timezone.now())
    client.force_login(student)
    url = reverse("quizzes:attempt-result", args=[attempt.pk])
    page = client.get(url).content.decode()
    assert "Awaiting grading" in page and "SECRET-DRAFT-COMMENT" not in page
    assert "Score so far: 2 of the 2 points marked. 4 more points await grading" in page
    client.force_login(instructor)
    client.post(reverse("quizzes:quiz-release", args=[essay_quiz.pk]))
    client.force_login(student)
    page = client.get(url).content.decode()
    assert "SECRET-DRAFT-COMMENT" in page and "Score: 6 / 6" in page


def test_grading_screen_save_and_next_walks_the_queue(client, essay_quiz, student, classmate,
                                                       instructor):
    _submitted(essay_quiz, student)
    _submitted(essay_quiz, classmate)
    essay = essay_quiz.questions.get(type="open")
    first, second = Response.objects.filter(question=essay).order_by("attempt__submitted_at",
                                                                     "attempt_id")
    client.force_login(instructor)
    queue = client.get(reverse("quizzes:grading-queue", args=[essay_quiz.lesson.course.slug]))
    assert "2 answers waiting" in queue.content.decode()
    data = {f"criterion-{c}": lv for c, lv in _levels(essay, [1, 1]).items()}
    response = client.post(reverse("quizzes:response-grade", args=[first.pk]),
                           {**data, "comment": "ok", "go": "next"})
    assert response["Location"] == reverse("quizzes:response-grade", args=[second.pk])


def test_override_needs_a_reason_and_is_audited(client, essay_quiz, student, instructor):
    attempt = _submitted(essay_quiz, student)
    short = essay_quiz.questions.get(position=1)
    response = Response.objects.get(attempt=attempt, question=short)
    client.force_login(instructor)
    url = reverse("quizzes:response-override", args=[response.pk])
    client.post(url, {"score": "1", "reason": ""})
    assert not ScoreChange.objects.exists()
    client.post(url, {"score": "1", "reason": "Spelling accepted"})
    change = ScoreChange.objects.get()
    assert (change.old_score, change.new_score, change.reason) == (
        Decimal("2"), Decimal("1"), "Spelling accepted")


def test_regrade_after_key_change_is_idempotent_and_keeps_overrides(essay_quiz, student,
                                                                   classmate, instructor):
    first = _submitted(essay_quiz, student, "a")
    second = _submitted(essay_quiz, classmate, "b")
    short = essay_quiz.questions.get(position=1)
    # Both students answered "vixen", which the first key did not accept.
    Response.objects.filter(question=short).update(answer="vixen")
    teaching.question_regrade(question=short, user=instructor, now=timezone.now())
    short.config = {"answers": [{"text": "ZQX-fox", "fraction": 1.0},
                                {"text": "vixen", "fraction": 1.0}]}
    short.save()
    override = Response.objects.get(attempt=second, question=short)
    teaching.response_override(response=override, score=Decimal("0.5"),
                               reason="Late", user=instructor, now=timezone.now())
    changed = teaching.question_regrade(question=short, user=instructor,
                                        now=timezone.now())
    assert changed == 1
    assert teaching.question_regrade(question=short, user=instructor,
                                     now=timezone.now()) == 0
    assert Response.objects.get(attempt=first, question=short).score == Decimal("2")
    assert Response.objects.get(attempt=second, question=short).score == Decimal("0.5")


def test_students_and_outsiders_cannot_use_teaching_pages(client, student, outsider, course):
    for user in (student, outsider):
        client.force_login(user)
        for name in ("grading-queue", "gradebook", "gradebook-csv", "responses-csv"):
            assert client.get(reverse(f"quizzes:{name}", args=[course.slug])).status_code == 403


@pytest.mark.parametrize("students", [10, 60])
def test_gradebook_query_count_does_not_grow(client, essay_quiz, instructor, students,
                                             django_assert_max_num_queries):
    course = essay_quiz.lesson.course
    for i in range(students):
        user = UserFactory(username=f"s{i}")
        EnrollmentFactory(course=course, user=user, role=Role.STUDENT)
        _submitted(essay_quiz, user)
    client.force_login(instructor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("quizzes:gradebook", args=[course.slug]))
    assert page.content.decode().count(">awaiting grading</a>") == students
    with django_assert_max_num_queries(12):
        queue = client.get(reverse("quizzes:grading-queue", args=[course.slug]))
    assert f"{students} answers waiting" in queue.content.decode()


def test_gradebook_csv_neutralises_formulas_and_names_the_file(client, essay_quiz, instructor):
    course = essay_quiz.lesson.course
    evil = UserFactory(username="evil", first_name="=HYPERLINK(\"x\")", last_name="@SUM(1)")
    EnrollmentFactory(course=course, user=evil, role=Role.STUDENT)
    _submitted(essay_quiz, evil, "=cmd|' /C calc'!A0")
    client.force_login(instructor)
    response = client.get(reverse("quizzes:gradebook-csv", args=[course.slug]))
    assert 'filename="politics-gradebook.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["First name", "Last name", "Username", "Email address"]
    evil_row = next(r for r in rows if r[2] == "evil")
    assert evil_row[0].startswith("'=") and evil_row[1].startswith("'@")
    responses = client.get(reverse("quizzes:responses-csv", args=[course.slug]))
    text = b"".join(responses.streaming_content).decode()
    assert "'=cmd" in text and "\n=cmd" not in text


def test_time_multiplier_applies_at_once_to_an_attempt_in_progress(client, quiz, student,
                                                                   instructor):
    from courses.models import Enrollment

    quiz.time_limit_minutes = 20
    quiz.save()
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    assert attempt.deadline == now + timezone.timedelta(minutes=20)
    enrollment = Enrollment.objects.get(user=student, course=quiz.lesson.course)
    client.force_login(instructor)
    client.post(reverse("quizzes:accommodations", args=[quiz.lesson.course.slug]),
                {"action": "course", "student": enrollment.pk, "time_multiplier": "1.5",
                 "extra_attempts": "1"})
    attempt.refresh_from_db()
    assert attempt.deadline == now + timezone.timedelta(minutes=30)


def test_extra_attempts_and_personal_extension(quiz, student):
    from courses.models import Enrollment

    now = timezone.now()
    quiz.attempts_allowed = 1
    quiz.closes_at = now + timezone.timedelta(hours=1)
    quiz.save()
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=student, now=now),
                            now=now)
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=student, now=now)
    enrollment = Enrollment.objects.get(user=student, course=quiz.lesson.course)
    services.accommodation_set(enrollment=enrollment, time_multiplier=Decimal("1"),
                               extra_attempts=1)
    services.attempt_submit(attempt=services.attempt_start(quiz=quiz, user=student, now=now),
                            now=now)
    later = now + timezone.timedelta(hours=2)
    enrollment.extra_attempts = 5
    enrollment.save()
    with pytest.raises(services.QuizError, match="closed"):
        services.attempt_start(quiz=quiz, user=student, now=later)
    services.quiz_extension_set(quiz=quiz, user=student,
                                closes_at=now + timezone.timedelta(hours=3))
    attempt = services.attempt_start(quiz=quiz, user=student, now=later)
    # The 30-minute time limit ends before the extended closing time.
    assert attempt.deadline == later + timezone.timedelta(minutes=30)


def test_student_report_shows_attempts_answers_time_and_reading(client, essay_quiz, student,
                                                                 instructor):
    from courses.services import reading_progress_record

    _submitted(essay_quiz, student, "A PARTICULAR ESSAY")
    reading_progress_record(user=student, lesson=essay_quiz.lesson, seen=[1, 2, 3],
                            seconds=180)
    client.force_login(instructor)
    url = reverse("quizzes:student-report", args=[essay_quiz.lesson.course.slug, student.pk])
    page = client.get(url).content.decode()
    assert "A PARTICULAR ESSAY" in page and "Essay quiz, attempt 1" in page
    assert "100%" in page and "3 min" in page
    other = reverse("quizzes:student-report", args=[essay_quiz.lesson.course.slug,
                                                   instructor.pk])
    assert client.get(other).status_code == 404
