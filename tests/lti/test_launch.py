"""Resource link launches against the platform simulator: who is signed in, where they go,
and what an embedded session's cookies and headers allow."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiUser

from courses.models import Enrollment, Role
from lti.models import CourseLink, PlacedResource
from tests.factories import QuizFactory, UserFactory
from tests.lti.conftest import launch
from tests.lti.platform import INSTRUCTOR, LEARNER, TA

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(registration, platform, lesson):
    """The platform course opens the `lesson`'s course; link-1 opens the lesson."""
    from lti_tool.models import LtiContext, LtiResourceLink

    context = LtiContext.objects.create(deployment=registration.deployments.get(),
                                        id_on_platform=platform.context_id, title="History 101")
    CourseLink.objects.create(context=context, course=lesson.course)
    link = LtiResourceLink.objects.create(context=context, id_on_platform="link-1")
    PlacedResource.objects.create(resource_link=link, lesson=lesson)
    return context


def test_a_learner_is_created_enrolled_signed_in_and_sent_to_the_lesson(client, platform,
                                                                        linked, lesson):
    response = launch(client, platform, sub="learner-7")
    assert response.status_code == 302 and response["Location"] == lesson.get_absolute_url()
    lti_user = LtiUser.objects.get(sub="learner-7")
    user = lti_user.auth_user
    assert user.first_name == "Learner-7" and user.email == "learner-7@school.example"
    assert not user.has_usable_password()
    assert Enrollment.objects.get(user=user, course=lesson.course).role == Role.STUDENT
    page = client.get(lesson.get_absolute_url())
    assert page.status_code == 200 and page.wsgi_request.user == user


def test_a_second_launch_signs_in_the_same_account(client, platform, linked):
    launch(client, platform, sub="learner-7")
    client.logout()
    launch(client, platform, sub="learner-7")
    assert get_user_model().objects.filter(lti_users__sub="learner-7").count() == 1
    assert LtiUser.objects.filter(sub="learner-7").count() == 1


def test_matching_is_by_subject_never_by_email(client, platform, linked):
    existing = UserFactory(username="ada", email="learner-7@school.example")
    launch(client, platform, sub="learner-7")
    user = LtiUser.objects.get(sub="learner-7").auth_user
    assert user != existing and user.email == existing.email


@pytest.mark.parametrize(("roles", "expected"), [
    ([LEARNER], Role.STUDENT), ([TA], Role.ASSISTANT), ([INSTRUCTOR], Role.INSTRUCTOR)])
def test_the_launch_role_becomes_the_enrolment_role(client, platform, linked, lesson, roles,
                                                    expected):
    launch(client, platform, sub="someone", roles=roles)
    user = LtiUser.objects.get(sub="someone").auth_user
    assert Enrollment.objects.get(user=user, course=lesson.course).role == expected


def test_a_launch_raises_a_role_but_never_lowers_it(client, platform, linked, lesson):
    launch(client, platform, sub="someone", roles=[TA])
    client.logout()
    launch(client, platform, sub="someone", roles=[LEARNER])
    user = LtiUser.objects.get(sub="someone").auth_user
    assert Enrollment.objects.get(user=user, course=lesson.course).role == Role.ASSISTANT
    client.logout()
    launch(client, platform, sub="someone", roles=[INSTRUCTOR])
    assert Enrollment.objects.get(user=user, course=lesson.course).role == Role.INSTRUCTOR


def test_a_link_chosen_by_deep_linking_opens_its_quiz(client, platform, linked, lesson):
    quiz = QuizFactory(lesson=lesson)
    onward = launch(client, platform, resource_link="link-2",
                    custom={"lectio_quiz": str(quiz.pk)}, lineitem=platform.lineitem_url(4))
    assert onward["Location"] == quiz.get_absolute_url()
    placed = PlacedResource.objects.get(resource_link__id_on_platform="link-2")
    assert placed.quiz == quiz
    assert quiz.lti_line_items.get().line_item.url == platform.lineitem_url(4)


def test_custom_parameters_cannot_reach_another_courses_quiz(client, platform, linked,
                                                             other_course):
    from tests.factories import LessonFactory

    foreign = QuizFactory(lesson=LessonFactory(course=other_course))
    onward = launch(client, platform, resource_link="link-2",
                    custom={"lectio_quiz": str(foreign.pk)}, follow=True)
    assert onward.redirect_chain[-1][0] == linked.lectio_link.course.get_absolute_url()
    assert not PlacedResource.objects.filter(resource_link__id_on_platform="link-2").exists()


def test_a_student_in_an_unconnected_course_is_told_to_wait(client, registration, platform):
    response = launch(client, platform, sub="learner-7")
    assert response.status_code == 409
    assert b"not set up for this course yet" in response.content


def test_an_instructor_connects_a_new_course_then_chooses_what_the_link_opens(
        client, registration, platform, lesson):
    assert launch(client, platform, sub="prof-1",
                  roles=[INSTRUCTOR])["Location"] == "/lti/connect/"
    page = client.get("/lti/connect/")
    assert b"Connect this course to Lectio" in page.content
    response = client.post("/lti/connect/", {"course": "new", "title": "History 101 (LMS)"})
    assert response.status_code == 302
    link = CourseLink.objects.get()
    assert link.course.title == "History 101 (LMS)"
    user = LtiUser.objects.get(sub="prof-1").auth_user
    assert Enrollment.objects.get(course=link.course, user=user).role == Role.INSTRUCTOR
    assert client.get("/lti/continue/")["Location"] == "/lti/link/"


def test_an_instructor_may_connect_only_a_course_they_teach(client, registration, platform,
                                                            lesson):
    launch(client, platform, sub="prof-1", roles=[INSTRUCTOR])
    page = client.get("/lti/connect/")
    assert lesson.course.title.encode() not in page.content  # they teach nothing yet
    response = client.post("/lti/connect/", {"course": str(lesson.course.pk), "title": ""})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not CourseLink.objects.exists()


def test_an_instructor_places_a_lesson_on_a_hand_made_link(client, platform, linked, lesson):
    assert launch(client, platform, sub="prof-1", roles=[INSTRUCTOR],
                  resource_link="link-9")["Location"] == "/lti/link/"
    page = client.get("/lti/link/")
    assert f"Lesson: {lesson.title}".encode() in page.content
    client.post("/lti/link/", {"items": f"lesson-{lesson.pk}"})
    assert PlacedResource.objects.get(resource_link__id_on_platform="link-9").lesson == lesson
    assert client.get("/lti/continue/")["Location"] == lesson.get_absolute_url()


def test_a_learner_cannot_choose_what_a_link_opens(client, platform, linked):
    launch(client, platform, sub="learner-7", resource_link="link-9")
    assert client.get("/lti/link/").status_code == 403
    assert client.post("/lti/connect/", {"course": "new", "title": "x"}).status_code == 403


def test_an_embedded_session_may_be_framed_by_its_platform_only(client, platform, linked,
                                                                lesson):
    outsider = client.get("/accounts/login/")
    assert "frame-ancestors 'none'" in outsider["Content-Security-Policy"]
    assert outsider["X-Frame-Options"] == "DENY"
    launch(client, platform, sub="learner-7")
    page = client.get(lesson.get_absolute_url())
    policy = page["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {platform.url}" in policy
    assert "X-Frame-Options" not in page


def test_over_https_an_embedded_sessions_cookies_are_samesite_none(client, platform, linked,
                                                                   settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = launch(client, platform, sub="learner-7", secure=True)
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["samesite"] == "None" and session_cookie["secure"] is True
    page = client.get(response["Location"], secure=True)
    assert page.status_code == 200
    csrf = page.cookies["csrftoken"]  # the lesson page's forms set it
    assert csrf["samesite"] == "None" and csrf["secure"] is True
    # An ordinary sign-in keeps Lax cookies.
    other = client.__class__()
    UserFactory(username="plain", password="pw-plain-123")
    login = other.post("/accounts/login/", {"username": "plain", "password": "pw-plain-123"},
                       secure=True)
    assert login.cookies["sessionid"]["samesite"] == "Lax"


def test_csrf_stays_enforced_in_an_embedded_session(platform, linked):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    launch(strict, platform, sub="prof-1", roles=[INSTRUCTOR], resource_link="link-9")
    response = strict.post("/lti/link/", {"items": "lesson-1"})
    assert response.status_code == 403
    assert not PlacedResource.objects.filter(resource_link__id_on_platform="link-9").exists()


@pytest.mark.parametrize("url", ["/lti/continue/", "/lti/connect/", "/lti/link/",
                                 "/lti/deep-link/"])
def test_launch_pages_need_a_sign_in_and_a_launch(client, url, student):
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client.force_login(student)
    response = client.get(url)
    assert response.status_code == 400 and b"Your LTI session has ended" in response.content
