"""quizzes/taking/autosave.py: the autosave's SQL loads the same rows the ORM would.

Every id differs from every other here (extra rows are made first), so a value loaded into
the wrong field cannot pass by coincidence.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from courses.models import Role
from quizzes.models import Attempt, Response
from quizzes.taking import autosave, services
from tests.factories import (
    ChoiceFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(course, student, lesson):
    for n in range(3):  # push every sequence apart
        UserFactory(username=f"filler{n}")
        CourseFactory()
    LessonFactory(course=course, slug="another")
    QuizFactory(lesson=lesson)
    quiz = QuizFactory(lesson=lesson, grace_seconds=45, time_limit_minutes=20)
    QuestionFactory(quiz=quiz, position=1)
    single = QuestionFactory(quiz=quiz, position=2, type="single", config={}, points=3)
    ChoiceFactory(question=single, text="Second", position=2, fraction=0, feedback="no")
    ChoiceFactory(question=single, text="First", position=1, fraction=1, feedback="yes")
    attempt = services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    return attempt, single


def test_current_answer_loads_the_response_and_everything_the_save_checks(started, student,
                                                                        course):
    attempt, single = started
    response = autosave.current_answer(attempt.pk, single.pk, student)
    orm = Response.objects.select_related("attempt__quiz__lesson__course", "question").get(
        attempt=attempt, question=single)
    assert response.pk == orm.pk
    assert (response.answer, response.version, response.saved_at) == (
        orm.answer, orm.version, orm.saved_at)
    loaded, expected = response.attempt, orm.attempt
    assert (loaded.pk, loaded.user_id, loaded.quiz_id, loaded.status, loaded.deadline) == (
        expected.pk, expected.user_id, expected.quiz_id, expected.status, expected.deadline)
    assert loaded.user_id == student.pk
    assert (loaded.quiz.pk, loaded.quiz.lesson_id, loaded.quiz.grace_seconds) == (
        expected.quiz.pk, expected.quiz.lesson_id, 45)
    assert loaded.quiz.lesson.course_id == course.pk
    assert (loaded.quiz.lesson.course.slug, loaded.quiz.lesson.course.is_published) == (
        course.slug, course.is_published)
    question = response.question
    assert (question.pk, question.type, question.points, question.config) == (
        single.pk, "single", Decimal("3.00"), {})
    assert response.member_role == Role.STUDENT


def test_current_answer_gives_the_callers_own_role_or_none(started, course):
    attempt, single = started
    stranger = UserFactory(username="stranger")
    assistant = UserFactory(username="helper")
    EnrollmentFactory(course=course, user=assistant, role=Role.ASSISTANT)
    assert autosave.current_answer(attempt.pk, single.pk, stranger).member_role is None
    assert autosave.current_answer(attempt.pk, single.pk, assistant).member_role == (
        Role.ASSISTANT)
    assert autosave.current_answer(attempt.pk, single.pk, None).member_role is None
    assert autosave.current_answer(attempt.pk, single.pk + 1000, None) is None


def test_choices_come_in_their_order_with_every_field(started):
    _, single = started
    choices = autosave.choices_of(single)
    assert [(c.text, c.position, c.fraction, c.feedback, c.question_id) for c in choices] == [
        ("First", 1, Decimal("1.000"), "yes", single.pk),
        ("Second", 2, Decimal("0.000"), "no", single.pk),
    ]
    assert [c.pk for c in choices] == [c.pk for c in single.choices.all()]


def test_store_answer_writes_what_the_orm_reads_back(started, student):
    attempt, single = started
    now = timezone.now()
    response = autosave.current_answer(attempt.pk, single.pk, student)
    assert autosave.store_answer(response, answer={"picked": ["7"], "note": "é ✓"}, version=4,
                                 saved_at=now, open_after=now - timedelta(minutes=1))
    stored = Response.objects.get(pk=response.pk)
    assert (stored.answer, stored.version, stored.saved_at) == (
        {"picked": ["7"], "note": "é ✓"}, 4, now)
    assert (response.version, response.saved_at) == (4, now)


def test_store_answer_writes_nothing_over_a_newer_version(started, student):
    attempt, single = started
    now = timezone.now()
    response = autosave.current_answer(attempt.pk, single.pk, student)
    Response.objects.filter(pk=response.pk).update(version=5, answer="kept")
    for version in (4, 5):
        assert not autosave.store_answer(response, answer="lost", version=version,
                                         saved_at=now, open_after=now)
    assert Response.objects.get(pk=response.pk).answer == "kept"
    assert autosave.store_answer(response, answer="newest", version=6, saved_at=now,
                                 open_after=now)
    assert Response.objects.get(pk=response.pk).answer == "newest"


def test_store_answer_writes_nothing_once_the_attempt_is_closed_or_overdue(started, student):
    attempt, single = started
    now = timezone.now()
    response = autosave.current_answer(attempt.pk, single.pk, student)
    # The deadline has passed, grace included: the caller asks for no deadline before now.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now - timedelta(seconds=1))
    assert not autosave.store_answer(response, answer="late", version=1, saved_at=now,
                                     open_after=now)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=now, status="graded")
    assert not autosave.store_answer(response, answer="after", version=1, saved_at=now,
                                     open_after=now)
    assert Response.objects.get(pk=response.pk).version == 0
    Attempt.objects.filter(pk=attempt.pk).update(status="in_progress", deadline=None)
    assert autosave.store_answer(response, answer="in time", version=1, saved_at=now,
                                 open_after=now)


@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_a_submit_holding_the_attempt_and_then_writes_nothing(started,
                                                                             student):
    """PostgreSQL: the write locks the attempt first, so a submit in progress finishes
    (grading what was there) before the save looks, and the save then finds it closed."""
    if not connection.features.has_select_for_update:
        pytest.skip("row locks need PostgreSQL: set DATABASE_URL")
    attempt, single = started
    now = timezone.now()
    response = autosave.current_answer(attempt.pk, single.pk, student)
    locked, release = threading.Event(), threading.Event()

    def submit_slowly():
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)
                locked.set()
                release.wait(10)
                Attempt.objects.filter(pk=attempt.pk).update(status="graded")
        finally:
            connections.close_all()

    submitter = threading.Thread(target=submit_slowly)
    submitter.start()
    assert locked.wait(10)
    result = {}

    def save():
        try:
            result["written"] = autosave.store_answer(response, answer="racing", version=1,
                                                      saved_at=now, open_after=now)
        finally:
            connections.close_all()  # else the test database cannot be dropped afterwards

    saver = threading.Thread(target=save)
    saver.start()
    saver.join(1)
    assert saver.is_alive()  # waiting for the submit's lock on the attempt
    release.set()
    submitter.join(10)
    saver.join(10)
    assert result == {"written": False}
    assert Response.objects.get(pk=response.pk).version == 0


def test_the_saves_read_brings_the_same_choices_as_the_orm(started, student):
    attempt, single = started
    response = autosave.current_answer(attempt.pk, single.pk, student)
    brought = autosave.choices_of(response.question)
    assert [(c.pk, c.text, c.fraction, c.feedback) for c in brought] == [
        (c.pk, c.text, c.fraction, c.feedback) for c in single.choices.all()]
    assert [c.text for c in brought] == ["First", "Second"]
    assert services.question_spec(response.question, brought) == services.question_spec(
        single)
