"""LTI in a real browser: a platform simulator (tests/lti/platform.py) frames Lectio, signs
its launches and receives deep links; every LTI page passes axe and works by keyboard."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import (
    Key,
    LtiContext,
    LtiDeployment,
    LtiLineItem,
    LtiRegistration,
    LtiResourceLink,
    LtiUser,
)

from courses.models import Course, Lesson
from lti.models import CourseLink, GradePassback, PlacedResource, QuizLineItem
from tests.browser.conftest import assert_accessible, log_in
from tests.lti.platform import Platform, new_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def platform(live_server):
    # "localhost" like the live server: another origin (port), the same site, so the test
    # needs no HTTPS; frame-ancestors still has to name the platform's origin.
    simulator = Platform(host="localhost").start()
    simulator.tool_launch_url = f"{live_server.url}/lti/launch/"
    call_command("load_demo")
    registration = LtiRegistration.objects.create(
        name="Simulated LMS", issuer=simulator.issuer, client_id=simulator.client_id,
        auth_url=f"{simulator.url}/auth", token_url=f"{simulator.url}/token",
        keyset_url=f"{simulator.url}/jwks")
    LtiDeployment.objects.create(registration=registration,
                                 deployment_id=simulator.deployment_id, is_active=True)
    Key.objects.create_from_jwk(new_key("lectio-tool-key"))
    simulator.registration = registration
    yield simulator
    simulator.stop()


def _connect_demo(platform) -> LtiContext:
    context, _ = LtiContext.objects.get_or_create(
        deployment=platform.registration.deployments.get(), id_on_platform=platform.context_id,
        defaults={"title": platform.context_title})
    CourseLink.objects.create(context=context, course=Course.objects.get(slug="demo"))
    return context


def _start(platform, live_server, **hint) -> str:
    return f"{platform.url}/start?" + urlencode(
        {"login_url": f"{live_server.url}/lti/login/", **hint})


def _launch(page, url: str, lands_on: str) -> None:
    """Follow a launch's five hops (platform, login, platform, launch, Lectio's page)."""
    page.goto(url, wait_until="commit")
    page.wait_for_url(lands_on, timeout=30_000)
    page.wait_for_load_state()


def test_a_student_opens_a_lesson_inside_the_platforms_frame(page, platform, live_server):
    context = _connect_demo(platform)
    link = LtiResourceLink.objects.create(context=context, id_on_platform="link-1")
    lesson = Lesson.objects.get(slug="sino-russian-relations")
    PlacedResource.objects.create(resource_link=link, lesson=lesson)
    frame_url = f"{platform.url}/frame?" + urlencode(
        {"login_url": f"{live_server.url}/lti/login/", "sub": "student-9"})
    page.goto(frame_url)
    frame = page.frame_locator("#tool")
    frame.get_by_role("heading", level=1, name=lesson.title).wait_for(timeout=30_000)
    assert LtiUser.objects.get(sub="student-9").auth_user.enrollments.get().role == "student"


def test_an_instructor_places_a_quiz_by_deep_linking_with_the_keyboard(page, platform,
                                                                      live_server):
    _connect_demo(platform)
    quiz = Lesson.objects.get(slug="sino-russian-relations").quizzes.order_by("pk").first()
    _launch(page, _start(platform, live_server, sub="prof-9", role="instructor",
                         message_type="LtiDeepLinkingRequest"), "**/lti/deep-link/")
    assert_accessible(page)
    box = page.get_by_label(f"{quiz.get_kind_display()} quiz: {quiz.title}", exact=False)
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_role("button", name="Add to the course").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Deep link received").wait_for()
    received = [r for r in platform.received if r.path == "/deep-link-return"]
    assert len(received) == 1 and received[0].form()["JWT"].count(".") == 2


def test_lti_pages_pass_axe(page, platform, live_server):
    # A platform course not connected yet: the instructor's connect page, the student's wait.
    _launch(page, _start(platform, live_server, sub="prof-8", role="instructor"),
            "**/lti/connect/")
    assert_accessible(page)
    page.context.clear_cookies()
    _launch(page, _start(platform, live_server, sub="student-8"), "**/lti/launch/")
    page.get_by_text("not set up for this course yet").first.wait_for()
    assert_accessible(page)
    # A connected course and a link that opens nothing yet: the instructor chooses.
    page.context.clear_cookies()
    _connect_demo(platform)
    _launch(page, _start(platform, live_server, sub="prof-8", role="instructor",
                         resource_link="unplaced"), "**/lti/link/")
    assert_accessible(page)
    # A refusal.
    page.goto("/lti/launch/")
    assert "Open Lectio from your course" in page.content()
    assert_accessible(page)
    # The admin's setup page, the course's LMS page and a quiz's passback status.
    page.context.clear_cookies()
    quiz = Lesson.objects.get(slug="sino-russian-relations").quizzes.order_by("pk").first()
    quiz.grades_released_at = timezone.now()
    quiz.save()
    context = LtiContext.objects.get()
    line_item = LtiLineItem.objects.create(context=context, url=platform.lineitem_url(1),
                                           maximum_score=10, label=quiz.title)
    QuizLineItem.objects.create(line_item=line_item, quiz=quiz)
    from django.contrib.auth import get_user_model

    for n, (username, status) in enumerate((("student", "sent"), ("student2", "failed"))):
        user = get_user_model().objects.get(username=username)
        lti_user = LtiUser.objects.create(registration=platform.registration, sub=f"s-{n}",
                                          auth_user=user)
        GradePassback.objects.create(line_item=line_item, user=user, lti_user=lti_user,
                                     status=status, score=7, score_maximum=10,
                                     graded_at=timezone.now(), attempts=2, sent_score=7,
                                     sent_at=timezone.now(),
                                     last_error="HTTP 500 from the LMS" if n else "")
    log_in(page, "admin", "lectio-admin")
    for url in ("/lti/setup/", "/lti/course/demo/", f"/lti/quiz/{quiz.pk}/grades/"):
        page.goto(url)
        assert_accessible(page)
    assert "HTTP 500 from the LMS" in page.content()
    assert json.loads(page.request.get("/lti/jwks/").text())["keys"]
