"""Row locks during saves and submits cover the student's own rows, never the shared ones.

A FOR UPDATE over a join (select_related, or a Meta.ordering that reaches other tables)
also locks the quiz, lesson and course rows every student shares, so one slow submit would
stall the whole class's autosaves. PostgreSQL only: SQLite has no row locks to check.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from quizzes.taking import services
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                       reason="row locks need PostgreSQL: set DATABASE_URL"),
    pytest.mark.django_db(transaction=True),
]


def _hold_shared_rows(quiz, ready: threading.Event, release: threading.Event):
    """In a connection of its own, lock the quiz, lesson and course rows until released."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT 1 FROM quizzes_quiz WHERE id = %s FOR UPDATE", [quiz.pk])
            cursor.execute("SELECT 1 FROM courses_lesson WHERE id = %s FOR UPDATE",
                           [quiz.lesson_id])
            cursor.execute("SELECT 1 FROM courses_course WHERE id = %s FOR UPDATE",
                           [quiz.lesson.course_id])
            ready.set()
            release.wait(30)
            cursor.execute("ROLLBACK")
    finally:
        connections.close_all()


def test_save_and_submit_go_ahead_while_shared_rows_are_locked(quiz):
    student = UserFactory()
    EnrollmentFactory(course=quiz.lesson.course, user=student, role="student")
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    question = quiz.questions.order_by("position").first()

    ready, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_shared_rows, args=(quiz, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with connection.cursor() as cursor:
            # Fail fast instead of hanging if a lock reaches a shared row.
            cursor.execute("SET lock_timeout = '2s'")
        saved = services.response_save(attempt=attempt, question_id=question.pk,
                                       raw_answer="ZQX-fox", version=1, now=now)
        submitted = services.attempt_submit(attempt=attempt, now=now)
        changed = services.accommodations_apply(user=student,
                                                course_id=quiz.lesson.course_id)
    finally:
        release.set()
        holder.join(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert saved.version == 1
    assert submitted.status == "graded"
    assert submitted.score == 2
    assert changed == 0
