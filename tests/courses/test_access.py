"""Course pages: who sees what. Roles come from enrolment; staff are admins."""

import pytest
from django.urls import reverse

from courses.access import course_role

pytestmark = pytest.mark.django_db


def test_student_of_another_course_gets_403_on_course_and_lesson(client, outsider, lesson):
    client.force_login(outsider)
    assert client.get(lesson.course.get_absolute_url()).status_code == 403
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 403
    assert b"Passage 1" not in response.content


def test_a_lesson_that_does_not_exist_is_404_to_members_and_403_to_outsiders(
    client, student, outsider, lesson
):
    # An outsider learns nothing of what the course holds, not even which lessons it lacks.
    missing = reverse("courses:lesson-detail", args=[lesson.course.slug, "no-such-lesson"])
    client.force_login(student)
    assert client.get(missing).status_code == 404
    client.force_login(outsider)
    assert client.get(missing).status_code == 403
    assert client.get(reverse("courses:lesson-detail",
                              args=["no-such-course", lesson.slug])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, lesson):
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "assistant", "instructor", "admin_user"])
def test_members_and_admins_can_read_the_lesson(client, request, who, lesson):
    client.force_login(request.getfixturevalue(who))
    response = client.get(lesson.get_absolute_url())
    assert response.status_code == 200
    assert b"Passage 1: the fox runs." in response.content


def test_unpublished_lesson_is_invisible_to_students_but_not_instructors(
    client, student, instructor, lesson
):
    lesson.is_published = False
    lesson.save()
    client.force_login(student)
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert lesson.title not in client.get(lesson.course.get_absolute_url()).content.decode()
    client.force_login(instructor)
    assert client.get(lesson.get_absolute_url()).status_code == 200


def test_unpublished_course_is_invisible_to_students(client, student, instructor, course):
    course.is_published = False
    course.save()
    client.force_login(student)
    assert client.get(course.get_absolute_url()).status_code == 404
    assert course.title not in client.get(reverse("courses:course-list")).content.decode()
    client.force_login(instructor)
    assert course.title in client.get(reverse("courses:course-list")).content.decode()


def test_course_list_shows_only_my_courses(client, student, course, other_course):
    client.force_login(student)
    page = client.get(reverse("courses:course-list")).content.decode()
    assert course.title in page
    assert other_course.title not in page


def test_course_role_comes_from_enrolment(student, instructor, outsider, admin_user, course):
    assert course_role(student, course) == "student"
    assert course_role(instructor, course) == "instructor"
    assert course_role(outsider, course) is None
    assert course_role(admin_user, course) == "admin"


def test_403_page_is_friendly(client, outsider, course):
    client.force_login(outsider)
    response = client.get(course.get_absolute_url())
    assert b"Access denied" in response.content
