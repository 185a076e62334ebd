"""The attempt lifecycle, enforced on the server: start, save, deadline, submit, review."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from quizzes.models import Attempt, AttemptStatus, Response
from quizzes.taking import services

pytestmark = pytest.mark.django_db


def _questions(quiz):
    short, single = quiz.questions.order_by("position")
    return short, single


def test_only_one_attempt_in_progress_per_student(quiz, student):
    now = timezone.now()
    first = services.attempt_start(quiz=quiz, user=student, now=now)
    again = services.attempt_start(quiz=quiz, user=student, now=now)
    assert first.pk == again.pk
    assert Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).count() == 1


def test_database_refuses_a_second_open_attempt(quiz, student):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    services.attempt_start(quiz=quiz, user=student, now=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, user=student, number=2, started_at=now)


def test_save_versions_reject_a_stale_save(quiz, student):
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    short, _ = _questions(quiz)
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="new",
                           version=2, now=now)
    with pytest.raises(services.StaleSave) as stale:
        services.response_save(attempt=attempt, question_id=short.pk, raw_answer="old",
                               version=1, now=now)
    assert stale.value.current_version == 2
    assert Response.objects.get(attempt=attempt, question=short).answer == "new"


def test_saves_after_deadline_and_grace_are_refused_and_attempt_closes(quiz, student):
    start = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=start)
    short, _ = _questions(quiz)
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="zqx-fox",
                           version=1, now=start)
    within_grace = attempt.deadline + timedelta(seconds=30)
    services.response_save(attempt=attempt, question_id=short.pk, raw_answer="ZQX-fox!",
                           version=2, now=within_grace)
    too_late = attempt.deadline + timedelta(seconds=61)
    with pytest.raises(services.AttemptClosed):
        services.response_save(attempt=attempt, question_id=short.pk, raw_answer="x",
                               version=3, now=too_late)
    assert services.attempt_close_overdue(now=too_late) == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.closed_late and attempt.submitted_at == attempt.deadline
    assert attempt.score == 2  # the saved answer counted


def test_attempt_limit_is_enforced(quiz, student):
    now = timezone.now()
    for _ in range(2):
        attempt = services.attempt_start(quiz=quiz, user=student, now=now)
        services.attempt_submit(attempt=attempt, now=now)
    with pytest.raises(services.QuizError, match="all your attempts"):
        services.attempt_start(quiz=quiz, user=student, now=now)


def test_closed_quiz_cannot_be_started(quiz, student):
    now = timezone.now()
    quiz.closes_at = now - timedelta(minutes=1)
    quiz.save()
    with pytest.raises(services.QuizError, match="closed"):
        services.attempt_start(quiz=quiz, user=student, now=now)


def test_submit_twice_grades_once(quiz, student):
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    first = services.attempt_submit(attempt=attempt, now=now)
    second = services.attempt_submit(attempt=attempt, now=now + timedelta(minutes=5))
    assert first.submitted_at == second.submitted_at
    assert Attempt.objects.get().status == AttemptStatus.GRADED


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submits_give_one_graded_attempt(lesson, student):
    from tests.factories import QuestionFactory, QuizFactory

    quiz = QuizFactory(lesson=lesson)
    question = QuestionFactory(quiz=quiz)
    now = timezone.now()
    attempt = services.attempt_start(quiz=quiz, user=student, now=now)
    services.response_save(attempt=attempt, question_id=question.pk, raw_answer="zqx-fox",
                           version=1, now=now)
    results, errors = [], []
    barrier = threading.Barrier(10)

    def submit():
        try:
            barrier.wait()
            results.append(services.attempt_submit(attempt=attempt, now=timezone.now()))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r.submitted_at for r in results}) == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.score == 2


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", "3"), ("latest", "2"), ("first", "1"), ("average", "2")],
)
def test_quiz_grade_follows_the_grading_method(method, expected):
    from decimal import Decimal

    scores = [Decimal("1"), Decimal("3"), Decimal("2")]
    assert services.quiz_grade(method, scores) == Decimal(expected)
    assert services.quiz_grade(method, []) is None


def test_close_overdue_attempts_command(quiz, student, capsys):
    from django.core.management import call_command

    start = timezone.now() - timedelta(hours=2)
    services.attempt_start(quiz=quiz, user=student, now=start)
    call_command("close_overdue_attempts")
    assert "Closed 1 overdue attempt." in capsys.readouterr().out
    assert Attempt.objects.get().status == AttemptStatus.GRADED


def test_close_overdue_attempts_can_hand_the_work_to_the_task_worker(quiz, student, capsys,
                                                                      settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    services.attempt_start(quiz=quiz, user=student, now=timezone.now() - timedelta(hours=2))
    call_command("close_overdue_attempts", "--enqueue")
    assert "Queued task" in capsys.readouterr().out
    assert Attempt.objects.get().status == AttemptStatus.IN_PROGRESS  # the worker closes it
    task = DBTaskResult.objects.get()
    assert task.task_path == "quizzes.taking.tasks.attempts_close_overdue_task"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert task.task.call() == 1 and task.task.call() == 0  # run twice: closed once
    assert Attempt.objects.get().status == AttemptStatus.GRADED
