"""Review policy: when a student may see the right answers, and what seeing them costs.

"After the quiz closes" means after the last deadline that applies to anyone still allowed
to attempt it; a student who has seen the key never starts another attempt.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Role
from quizzes.models import Attempt, QuizExtension
from quizzes.taking import services
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submit(client, quiz):
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    attempt = Attempt.objects.filter(quiz=quiz).latest("pk")
    client.post(reverse("quizzes:attempt-submit", args=[attempt.pk]))
    return attempt


def _result(client, attempt) -> str:
    return client.get(reverse("quizzes:attempt-result", args=[attempt.pk])).content.decode()


def _close(quiz, ago=timedelta(minutes=5)):
    quiz.opens_at = timezone.now() - timedelta(days=2)
    quiz.closes_at = timezone.now() - ago
    quiz.save()


@pytest.fixture
def after_close(quiz):
    quiz.review_when = "after_close"
    quiz.time_limit_minutes = None
    quiz.save()
    return quiz


def test_a_personal_extension_keeps_the_key_from_everyone_until_it_ends(
        client, student, classmate, after_close):
    quiz = after_close
    client.force_login(classmate)
    theirs = _submit(client, quiz)
    client.force_login(student)
    mine = _submit(client, quiz)
    _close(quiz)
    QuizExtension.objects.create(quiz=quiz, user=student,
                                 closes_at=timezone.now() + timedelta(hours=1))
    # The quiz's own closing time has passed, but the student with the extension may still
    # start another attempt: neither they nor their classmate sees the key.
    assert "ZQX-fox" not in _result(client, mine)
    client.force_login(classmate)
    assert "ZQX-fox" not in _result(client, theirs)
    QuizExtension.objects.filter(user=student).update(
        closes_at=timezone.now() - timedelta(seconds=1))
    assert "ZQX-fox" in _result(client, theirs)


def test_an_attempt_still_being_written_keeps_the_key_back(client, student, classmate,
                                                           after_close):
    quiz = after_close
    client.force_login(classmate)
    theirs = _submit(client, quiz)
    # The student started under an extension that has since ended; their deadline plus
    # the grace period is still ahead.
    now = timezone.now()
    writing = services.attempt_start(quiz=quiz, user=student, now=now)
    _close(quiz, ago=timedelta(seconds=10))
    Attempt.objects.filter(pk=writing.pk).update(deadline=now)
    assert "ZQX-fox" not in _result(client, theirs)
    Attempt.objects.filter(pk=writing.pk).update(
        deadline=now - timedelta(seconds=quiz.grace_seconds + 1))
    assert "ZQX-fox" in _result(client, theirs)


def test_a_student_who_saw_the_key_cannot_start_another_attempt(client, student, quiz):
    quiz.attempts_allowed = 3
    quiz.save()
    client.force_login(student)
    first = _submit(client, quiz)
    assert "ZQX-fox" in _result(client, first)  # after submission, with right answers
    assert Attempt.objects.get(pk=first.pk).key_shown_at is not None
    response = client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]), follow=True)
    assert "You have seen the right answers" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1
    with pytest.raises(services.QuizError):
        services.attempt_start(quiz=quiz, user=student, now=timezone.now())


def test_a_review_without_right_answers_leaves_the_other_attempts(client, student, quiz):
    quiz.review_answers = False
    quiz.save()
    client.force_login(student)
    first = _submit(client, quiz)
    assert "ZQX-fox" not in _result(client, first)
    assert Attempt.objects.get(pk=first.pk).key_shown_at is None
    client.post(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    assert Attempt.objects.filter(quiz=quiz).count() == 2


def test_teaching_staff_reviewing_do_not_use_up_the_students_attempts(client, student,
                                                                      instructor, quiz):
    client.force_login(student)
    quiz.review_when = "never"
    quiz.save()
    first = _submit(client, quiz)
    client.force_login(instructor)
    assert "ZQX-fox" in _result(client, first)
    assert Attempt.objects.get(pk=first.pk).key_shown_at is None


def test_after_the_last_attempt_shows_the_key_only_when_none_is_left(client, student, quiz):
    quiz.review_when = "after_last_attempt"
    quiz.attempts_allowed = 2
    quiz.save()
    client.force_login(student)
    first = _submit(client, quiz)
    page = _result(client, first)
    assert "ZQX-fox" not in page and "Right answer" not in page
    assert "Score:" in page and "after your last attempt" in page
    second = _submit(client, quiz)
    assert "ZQX-fox" in _result(client, second) and "ZQX-fox" in _result(client, first)


def test_an_extra_attempt_accommodation_delays_the_key(client, student, quiz):
    quiz.review_when = "after_last_attempt"
    quiz.attempts_allowed = 1
    quiz.save()
    student.enrollments.update(extra_attempts=1)
    client.force_login(student)
    first = _submit(client, quiz)
    assert "ZQX-fox" not in _result(client, first)
    second = _submit(client, quiz)
    assert second.number == 2 and "ZQX-fox" in _result(client, second)


def test_after_the_last_attempt_also_opens_once_the_quiz_closed_for_everyone(
        client, student, quiz):
    quiz.review_when = "after_last_attempt"
    quiz.attempts_allowed = 3
    quiz.time_limit_minutes = None
    quiz.save()
    client.force_login(student)
    first = _submit(client, quiz)
    assert "ZQX-fox" not in _result(client, first)
    _close(quiz)
    assert "ZQX-fox" in _result(client, first)


def test_the_unlimited_quiz_with_after_close_and_no_closing_time_never_shows_the_key(
        client, student, after_close):
    other = UserFactory(username="late")
    EnrollmentFactory(course=after_close.lesson.course, user=other, role=Role.STUDENT)
    client.force_login(student)
    attempt = _submit(client, after_close)
    assert "ZQX-fox" not in _result(client, attempt)
