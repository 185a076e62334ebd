"""Quiz authoring pages: who may do what, and what each page does with good and bad input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from quizzes.models import Question, Quiz
from quizzes.taking import services as taking
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory

from .test_quiz_form import VALID

pytestmark = pytest.mark.django_db


def _single(quiz, position):
    question = QuestionFactory(quiz=quiz, position=position, type="single",
                               config={"shuffle": False}, points=1,
                               prompt=f"Question text {position}")
    ChoiceFactory(question=question, text="Right", fraction=1)
    ChoiceFactory(question=question, text="Wrong", fraction=0)
    return question


@pytest.fixture
def quiz(lesson):
    quiz = QuizFactory(lesson=lesson, title="Reading check", is_published=False)
    for n in (1, 2, 3):
        _single(quiz, n)
    return quiz


def _state():
    return (list(Quiz.objects.order_by("pk").values_list("pk", "title", "is_published",
                                                        "pass_mark")),
            list(Question.objects.order_by("pk").values_list("pk", "position", "prompt")))


def test_instructor_creates_a_quiz_from_the_lesson(client, instructor, lesson):
    client.force_login(instructor)
    page = client.get(reverse("quizzes:quiz-list", args=[lesson.course.slug, lesson.slug]))
    assert reverse("quizzes:quiz-create", args=[lesson.course.slug, lesson.slug]).encode() \
        in page.content
    response = client.post(reverse("quizzes:quiz-create",
                                   args=[lesson.course.slug, lesson.slug]), VALID)
    quiz = Quiz.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes:quiz-questions", args=[quiz.pk])
    assert (quiz.title, quiz.lesson, quiz.is_published) == ("Check your reading", lesson,
                                                           False)


def test_invalid_settings_re_render_with_messages_and_change_nothing(client, instructor,
                                                                      quiz):
    client.force_login(instructor)
    before = _state()
    response = client.post(reverse("quizzes:quiz-edit", args=[quiz.pk]),
                           dict(VALID, closes_at="2026-08-01T08:00", pass_mark="140"))
    assert response.status_code == 200
    assert b"The quiz must close after it opens." in response.content
    assert b"The pass mark is a percentage from 0 to 100." in response.content
    assert _state() == before


def test_edit_saves_every_setting(client, instructor, quiz):
    client.force_login(instructor)
    response = client.post(reverse("quizzes:quiz-edit", args=[quiz.pk]),
                           dict(VALID, title="Renamed", attempts_allowed="4"))
    assert response.status_code == 302
    quiz.refresh_from_db()
    assert (quiz.title, quiz.attempts_allowed, quiz.time_limit_minutes) == ("Renamed", 4, 30)


def test_assistant_reads_every_authoring_page_but_cannot_change_anything(client, assistant,
                                                                         quiz):
    client.force_login(assistant)
    question = quiz.questions.first()
    for url in (reverse("quizzes:quiz-list", args=[quiz.lesson.course.slug,
                                                   quiz.lesson.slug]),
                reverse("quizzes:quiz-questions", args=[quiz.pk]),
                reverse("quizzes:quiz-edit", args=[quiz.pk]),
                reverse("quizzes:question-edit", args=[question.pk])):
        page = client.get(url)
        assert page.status_code == 200
        assert b"Move up" not in page.content and b"Save the" not in page.content
    settings = client.get(reverse("quizzes:quiz-edit", args=[quiz.pk])).content.decode()
    assert re.search(r'name="title"[^>]*disabled', settings)
    before = _state()
    for url, data in ((reverse("quizzes:quiz-edit", args=[quiz.pk]), VALID),
                      (reverse("quizzes:question-edit", args=[question.pk]),
                       {"prompt": "Changed", "points": "1"}),
                      (reverse("quizzes:quiz-publish", args=[quiz.pk]), {"publish": "1"}),
                      (reverse("quizzes:question-move", args=[question.pk]),
                       {"direction": "down"}),
                      (reverse("quizzes:quiz-duplicate", args=[quiz.pk]), {}),
                      (reverse("quizzes:quiz-delete", args=[quiz.pk]), {})):
        assert client.post(url, data).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("who", ["student", "outsider"])
def test_students_and_outsiders_get_403_everywhere(client, request, quiz, who):
    client.force_login(request.getfixturevalue(who))
    question = quiz.questions.first()
    before = _state()
    for name, args in (("quizzes:quiz-questions", [quiz.pk]), ("quizzes:quiz-edit", [quiz.pk]),
                       ("quizzes:question-edit", [question.pk]),
                       ("quizzes:question-add", [quiz.pk]),
                       ("quizzes:quiz-delete", [quiz.pk])):
        url = reverse(name, args=args)
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, VALID).status_code in (403, 404)
    assert _state() == before


def test_site_admin_authors_in_any_course(client, admin_user, quiz):
    client.force_login(admin_user)
    response = client.post(reverse("quizzes:quiz-edit", args=[quiz.pk]),
                           dict(VALID, title="By the admin"))
    assert response.status_code == 302
    assert Quiz.objects.get(pk=quiz.pk).title == "By the admin"


def test_move_down_comes_back_with_focus_on_the_moved_questions_button(client, instructor,
                                                                       quiz):
    client.force_login(instructor)
    first, second, _third = quiz.questions.order_by("position")
    response = client.post(reverse("quizzes:question-move", args=[first.pk]),
                           {"direction": "down"}, follow=True)
    assert list(quiz.questions.order_by("position").values_list("pk", flat=True))[:2] == [
        second.pk, first.pk]
    html = response.content.decode()
    focused = re.findall(r'<button[^>]*autofocus[^>]*>', html)
    assert len(focused) == 1 and 'value="down"' in focused[0]
    assert html.index(f'id="question-{first.pk}"') > html.index(f'id="question-{second.pk}"')


def test_moving_the_last_question_down_to_the_end_focuses_its_up_button(client, instructor,
                                                                        quiz):
    client.force_login(instructor)
    second = quiz.questions.get(position=2)
    response = client.post(reverse("quizzes:question-move", args=[second.pk]),
                           {"direction": "down"}, follow=True)
    focused = re.findall(r'<button[^>]*autofocus[^>]*>', response.content.decode())
    assert len(focused) == 1 and 'value="up"' in focused[0]


def test_publish_lists_the_problems_and_then_publishes(client, instructor, quiz):
    client.force_login(instructor)
    broken = QuestionFactory(quiz=quiz, position=4, type="truefalse", config={})
    url = reverse("quizzes:quiz-publish", args=[quiz.pk])
    response = client.post(url, {"publish": "1"}, follow=True)
    assert b"Question 4: Say whether the statement is true or false." in response.content
    assert not Quiz.objects.get(pk=quiz.pk).is_published
    broken.delete()
    client.post(url, {"publish": "1"})
    assert Quiz.objects.get(pk=quiz.pk).is_published


def test_delete_asks_first_then_deletes(client, instructor, quiz):
    client.force_login(instructor)
    url = reverse("quizzes:quiz-delete", args=[quiz.pk])
    page = client.get(url)
    assert b"with its 3 questions" in page.content and Quiz.objects.exists()
    client.post(url)
    assert not Quiz.objects.exists()


def test_delete_is_refused_with_a_message_when_students_attempted(client, instructor,
                                                                  student, quiz):
    taking.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client.force_login(instructor)
    url = reverse("quizzes:quiz-delete", args=[quiz.pk])
    assert b"cannot be deleted" in client.get(url).content
    response = client.post(url, follow=True)
    assert b"1 student attempt and their grades would be lost" in response.content
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def test_duplicate_button_makes_a_copy(client, instructor, quiz):
    client.force_login(instructor)
    response = client.post(reverse("quizzes:quiz-duplicate", args=[quiz.pk]))
    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert response["Location"] == reverse("quizzes:quiz-questions", args=[copy.pk])
    assert copy.questions.count() == 3


def test_markdown_preview_renders_through_the_sanitiser(client, instructor, quiz):
    client.force_login(instructor)
    url = reverse("quizzes:markdown-preview", args=[quiz.pk])
    response = client.post(url, {"text": "**bold** <script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"<strong>bold</strong>" in response.content and b"<script" not in response.content
    assert client.get(url).status_code == 405
    assert client.post(url, {"text": "x" * 20_001}).status_code == 413


def test_markdown_preview_needs_the_csrf_token(instructor, quiz):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    response = client.post(reverse("quizzes:markdown-preview", args=[quiz.pk]), {"text": "a"})
    assert response.status_code == 403


def test_every_editing_page_links_to_the_preview(client, instructor, quiz):
    client.force_login(instructor)
    preview = reverse("quizzes:quiz-detail", args=[quiz.pk]).encode()
    for url in (reverse("quizzes:quiz-questions", args=[quiz.pk]),
                reverse("quizzes:quiz-edit", args=[quiz.pk]),
                reverse("quizzes:question-add", args=[quiz.pk]) + "?type=single",
                reverse("quizzes:question-edit", args=[quiz.questions.first().pk])):
        assert preview in client.get(url).content, url


def test_links_from_the_lessons_page_and_the_quiz_page(client, instructor, quiz):
    client.force_login(instructor)
    lessons = client.get(reverse("courses:lesson-manage", args=[quiz.lesson.course.slug]))
    assert reverse("quizzes:quiz-list", args=[quiz.lesson.course.slug,
                                              quiz.lesson.slug]).encode() in lessons.content
    page = client.get(reverse("quizzes:quiz-detail", args=[quiz.pk]))
    assert reverse("quizzes:quiz-questions", args=[quiz.pk]).encode() in page.content
    assert reverse("quizzes:quiz-edit", args=[quiz.pk]).encode() in page.content


@pytest.mark.parametrize("size", [5, 100])
def test_authoring_pages_run_a_fixed_number_of_queries(client, instructor, lesson, size,
                                                       django_assert_max_num_queries):
    quiz = QuizFactory(lesson=lesson)
    questions = [_single(quiz, n) for n in range(1, size + 1)]
    for question in questions:
        question.cites.set(lesson.reading.passages.all()[:2])
    bank = QuizFactory(lesson=lesson)  # the question bank shows its questions too
    for n in range(1, size + 1):
        _single(bank, n)
    client.force_login(instructor)
    pages = (reverse("quizzes:quiz-questions", args=[quiz.pk]),
             reverse("quizzes:quiz-detail", args=[quiz.pk]),
             reverse("quizzes:quiz-list", args=[lesson.course.slug, lesson.slug]),
             reverse("quizzes:question-edit", args=[questions[-1].pk]),
             reverse("quizzes:question-copy", args=[quiz.pk]))
    for url in pages:
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
