"""The lessons pages as instructors, assistants and students meet them: bad input comes
back with its message and changes nothing, every change is a POST with CSRF, and the page
runs a fixed number of queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseReading, Lesson, Role
from quizzes.taking import services as quiz_services
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    PassageFactory,
    QuestionFactory,
    QuizFactory,
    ReadingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(name, lesson_or_course, *more):
    course = getattr(lesson_or_course, "course", lesson_or_course)
    args = [course.slug] + ([lesson_or_course.slug] if hasattr(lesson_or_course, "course")
                            else []) + list(more)
    return reverse(f"courses:{name}", args=args)


@pytest.fixture
def attached(admin_user, course):
    """A reading a site admin uploaded and made available to the course."""
    reading = ReadingFactory(title="Attached Essay", created_by=admin_user)
    PassageFactory(reading=reading, order=1)
    CourseReading.objects.create(course=course, reading=reading, attached_by=admin_user)
    return reading


def test_the_course_page_links_its_teaching_staff_to_the_lessons(client, lesson, instructor,
                                                                 assistant, student):
    manage = f'href="{_url("lesson-manage", lesson.course)}"'.encode()
    for user, shown in ((instructor, b"Manage lessons"), (assistant, b"Lessons and readings")):
        client.force_login(user)
        page = client.get(lesson.course.get_absolute_url()).content
        assert manage in page and shown in page
    client.force_login(student)
    assert manage not in client.get(lesson.course.get_absolute_url()).content


def test_instructors_get_the_controls_and_assistants_a_read_only_list(client, lesson,
                                                                      instructor, assistant):
    client.force_login(instructor)
    page = client.get(_url("lesson-manage", lesson.course)).content.decode()
    assert "Move down<span class=\"visually-hidden\"> “The Fox”" in page
    assert _url("lesson-delete", lesson) in page
    client.force_login(assistant)
    page = client.get(_url("lesson-manage", lesson.course)).content.decode()
    assert "The Fox" in page
    assert "Move down" not in page and _url("lesson-delete", lesson) not in page
    assert client.post(_url("lesson-move", lesson), {"direction": "down"}).status_code == 403


def test_students_of_an_unpublished_course_get_404(client, lesson, student):
    lesson.course.is_published = False
    lesson.course.save()
    client.force_login(student)
    assert client.get(_url("lesson-manage", lesson.course)).status_code == 404


def test_an_instructor_who_uploaded_nothing_makes_a_lesson_from_an_attached_reading(
        client, lesson, instructor, attached):
    assert not instructor.is_staff
    client.force_login(instructor)
    form = client.get(_url("lesson-create", lesson.course) + f"?reading={attached.pk}")
    assert form.status_code == 200
    assert form.context["form"].initial == {"reading": attached.pk, "title": "Attached Essay",
                                            "slug": "attached-essay"}
    response = client.post(_url("lesson-create", lesson.course), {
        "reading": attached.pk, "title": "Attached Essay", "slug": "attached-essay",
        "objectives": "Summarise the argument.", "is_published": "on"})
    made = Lesson.objects.get(slug="attached-essay")
    assert response.status_code == 302
    assert response["Location"] == (f"{_url('lesson-manage', lesson.course)}?focus={made.pk}"
                                    "&on=title")
    assert (made.reading, made.position, made.is_published, made.objectives) == (
        attached, 2, True, ["Summarise the argument."])


def test_a_bad_new_lesson_comes_back_with_its_message_and_stores_nothing(client, lesson,
                                                                         instructor, attached):
    client.force_login(instructor)
    response = client.post(_url("lesson-create", lesson.course),
                           {"reading": attached.pk, "title": "X", "slug": "the-fox"})
    assert response.status_code == 200
    assert "“the-fox-2” is free" in response.content.decode()
    assert Lesson.objects.count() == 1


def test_an_instructor_cannot_use_a_reading_outside_their_library(client, lesson, instructor):
    elsewhere = LessonFactory(course=CourseFactory(), slug="elsewhere")
    client.force_login(instructor)
    response = client.post(_url("lesson-create", lesson.course),
                           {"reading": elsewhere.reading_id, "title": "Borrowed"})
    assert response.status_code == 200
    assert "not in it" in response.content.decode()
    assert not Lesson.objects.filter(course=lesson.course, title="Borrowed").exists()
    page = client.get(_url("lesson-create", lesson.course) + f"?reading={elsewhere.reading_id}")
    assert page.context["form"].initial == {}


def test_settings_are_saved_and_bad_ones_change_nothing(client, lesson, instructor):
    client.force_login(instructor)
    data = {"title": "The Fox, again", "slug": "fox", "summary": "", "objectives": "One\nTwo",
            "available_from": "2030-01-06T08:00"}
    assert client.post(_url("lesson-edit", lesson), data).status_code == 302
    lesson.refresh_from_db()
    assert (lesson.title, lesson.slug, lesson.objectives, lesson.is_published) == (
        "The Fox, again", "fox", ["One", "Two"], False)
    assert lesson.available_from.year == 2030
    response = client.post(_url("lesson-edit", lesson), {**data, "slug": "new",
                                                         "title": "Changed"})
    assert response.status_code == 200
    assert "kept for Lectio" in response.content.decode()
    lesson.refresh_from_db()
    assert (lesson.title, lesson.slug) == ("The Fox, again", "fox")


def test_an_old_address_after_a_rename_leads_back_to_the_list(client, lesson, instructor):
    client.force_login(instructor)
    response = client.get(reverse("courses:lesson-edit", args=[lesson.course.slug, "gone"]))
    assert response.status_code == 302 and response["Location"] == _url("lesson-manage",
                                                                         lesson.course)
    response = client.post(reverse("courses:lesson-move", args=[lesson.course.slug, "gone"]),
                           {"direction": "up"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert response.json() == {"error": "That lesson no longer exists."}


def test_moving_without_script_comes_back_with_the_moved_button_focused(client, lesson,
                                                                        instructor):
    second = LessonFactory(course=lesson.course, slug="second", title="Second", position=2)
    client.force_login(instructor)
    response = client.post(_url("lesson-move", second), {"direction": "up"}, follow=True)
    page = response.content.decode()
    assert "“Second” is now lesson 1 of 2." in page
    # It reached the top, so its "Move up" is disabled: its "Move down" has the focus.
    assert 'value="down" class="btn btn-sm btn-outline-secondary" ' \
           f'aria-describedby="position-{second.pk}" autofocus' in page
    assert list(Lesson.objects.order_by("position").values_list("slug", flat=True)) == [
        "second", "the-fox"]


def test_moving_from_the_script_answers_with_the_new_order(client, lesson, instructor):
    second = LessonFactory(course=lesson.course, slug="second", title="Second", position=2)
    client.force_login(instructor)
    response = client.post(_url("lesson-move", lesson), {"direction": "down"},
                           HTTP_ACCEPT="application/json")
    assert response.json() == {"order": [second.pk, lesson.pk], "position": 2,
                               "message": "“The Fox” is now lesson 2 of 2."}
    bad = client.post(_url("lesson-move", lesson), {"direction": "left"},
                      HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json() == {"error": "Move a lesson up or down."}


def test_changes_need_a_post_with_a_csrf_token(lesson, instructor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    for name in ("lesson-move", "lesson-publish"):
        assert client.get(_url(name, lesson)).status_code == 405
        assert client.post(_url(name, lesson), {"direction": "down",
                                                "publish": "0"}).status_code == 403
    assert client.post(_url("lesson-delete", lesson)).status_code == 403
    assert Lesson.objects.get(pk=lesson.pk).is_published


def test_unpublishing_and_publishing_from_the_list(client, lesson, instructor):
    client.force_login(instructor)
    response = client.post(_url("lesson-publish", lesson), {"publish": "0"}, follow=True)
    assert "students no longer see it" in response.content.decode()
    assert not Lesson.objects.get(pk=lesson.pk).is_published
    client.post(_url("lesson-publish", lesson), {"publish": "1"})
    assert Lesson.objects.get(pk=lesson.pk).is_published


def test_delete_asks_first_then_deletes(client, lesson, instructor):
    client.force_login(instructor)
    page = client.get(_url("lesson-delete", lesson)).content.decode()
    assert "Delete the lesson" in page and "stays in the reading library" in page
    assert Lesson.objects.filter(pk=lesson.pk).exists()
    response = client.post(_url("lesson-delete", lesson), follow=True)
    assert "Deleted the lesson “The Fox”" in response.content.decode()
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    again = client.post(_url("lesson-delete", lesson), follow=True)
    assert "already deleted" in again.content.decode()


def test_a_lesson_students_attempted_is_not_deleted_and_the_page_says_why(client, lesson,
                                                                         instructor, student):
    quiz = QuizFactory(lesson=lesson, title="Check")
    QuestionFactory(quiz=quiz)
    quiz_services.attempt_start(quiz=quiz, user=student, now=timezone.now())
    client.force_login(instructor)
    page = client.get(_url("lesson-delete", lesson)).content.decode()
    assert "1 student attempt at “Check”" in page and "Delete the lesson" not in page
    response = client.post(_url("lesson-delete", lesson), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Lesson.objects.filter(pk=lesson.pk).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_the_lessons_page_runs_a_fixed_number_of_queries(client, course, instructor, size,
                                                         django_assert_max_num_queries):
    for n in range(size):
        reading = ReadingFactory()
        for order in (1, 2):
            PassageFactory(reading=reading, order=order)
        lesson = LessonFactory(course=course, reading=reading, slug=f"l-{n}", position=n + 1)
        QuizFactory(lesson=lesson, title=f"Quiz of {n}", is_published=n % 2 == 0)
    client.force_login(instructor)
    # The signed-in session is read from the shared cache (cached_db sessions): one query on
    # the database cache table here, none with Redis; the user is a second.
    with django_assert_max_num_queries(5):
        response = client.get(_url("lesson-manage", course))
    page = response.content.decode()
    assert page.count('class="lesson-move') == size
    assert f"Comprehension: Quiz of {size - 1}" in page
    assert page.count("(not published)") == size // 2


def test_an_assistant_elsewhere_is_no_instructor_here(client, lesson):
    """An instructor's rights are per course: teaching one course gives none in another."""
    user = UserFactory()
    EnrollmentFactory(course=CourseFactory(), user=user, role=Role.INSTRUCTOR)
    EnrollmentFactory(course=lesson.course, user=user, role=Role.ASSISTANT)
    client.force_login(user)
    assert client.get(_url("lesson-create", lesson.course)).status_code == 403
    assert client.get(_url("lesson-manage", lesson.course)).status_code == 200
