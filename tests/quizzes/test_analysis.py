"""Item analysis and the passage heatmap: right numbers, fixed query counts, teachers only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Role
from courses.services import reading_progress_record
from quizzes.taking import services
from tests.factories import (
    ChoiceFactory,
    EnrollmentFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _class(lesson, size):
    """`size` students; the first half answer both questions right, the rest wrong."""
    quiz = QuizFactory(lesson=lesson, title="Check")
    short = QuestionFactory(quiz=quiz, position=1)
    short.cites.set([lesson.reading.passages.get(order=2)])
    single = QuestionFactory(quiz=quiz, position=2, type="single", config={}, points=1)
    single.cites.set([lesson.reading.passages.get(order=3)])
    right = ChoiceFactory(question=single, text="Right", fraction=1)
    wrong = ChoiceFactory(question=single, text="Wrong", fraction=0)
    now = timezone.now()
    for i in range(size):
        user = UserFactory(username=f"c{size}-{i}")
        EnrollmentFactory(course=lesson.course, user=user, role=Role.STUDENT)
        good = i < size // 2
        attempt = services.attempt_start(quiz=quiz, user=user, now=now)
        services.response_save(attempt=attempt, question_id=short.pk, version=1, now=now,
                               raw_answer="zqx-fox" if good or i % 3 == 0 else "nope")
        services.response_save(attempt=attempt, question_id=single.pk, version=1, now=now,
                               raw_answer=str((right if good else wrong).pk))
        services.attempt_submit(attempt=attempt, now=now)
        reading_progress_record(user=user, lesson=lesson, seen=[1, 2] if i % 2 else [1, 2, 3])
    return quiz, short, single


@pytest.mark.parametrize("size", [10, 40])
def test_item_analysis_numbers_and_query_count(client, instructor, lesson, size,
                                               django_assert_max_num_queries):
    quiz, short, single = _class(lesson, size)
    client.force_login(instructor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("quizzes:item-analysis", args=[quiz.pk])).content.decode()
    assert f"{size} graded attempts" in page
    assert "Right: " + str(size // 2) in page and "Wrong: " + str(size - size // 2) in page
    assert "50%" in page  # facility of the single-choice question
    assert "<svg" in page and 'role="img"' in page


@pytest.mark.parametrize("size", [10, 40])
def test_heatmap_shades_passages_by_citing_questions(client, instructor, lesson, size,
                                                     django_assert_max_num_queries):
    _class(lesson, size)
    client.force_login(instructor)
    url = reverse("quizzes:lesson-heatmap", args=[lesson.course.slug, lesson.slug])
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "class score on citing questions 50%" in page  # passage 3, the single choice
    assert "no question cites it" in page  # passage 1
    assert f"{size // 2} stopped reading here" in page  # odd students stopped at passage 2


def test_students_cannot_see_analysis_or_heatmap(client, student, lesson):
    quiz = QuizFactory(lesson=lesson)
    client.force_login(student)
    assert client.get(reverse("quizzes:item-analysis", args=[quiz.pk])).status_code == 403
    url = reverse("quizzes:lesson-heatmap", args=[lesson.course.slug, lesson.slug])
    assert client.get(url).status_code == 403
