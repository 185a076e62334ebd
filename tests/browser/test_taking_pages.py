"""Every student and instructor page at 320 px: no page wider than the screen, and axe on
the WCAG 2.0/2.1 A and AA and 2.2 AA rules, at that width and at a desktop width; on each,
every control Tab reaches shows a focus ring of 3:1, also in forced colours."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Annotation, Lesson
from quizzes.models import Attempt, Quiz, Response
from tests.browser.test_taking import _answer_everything, assert_wcag

pytestmark = pytest.mark.django_db(transaction=True)

LESSON = ("demo", "sino-russian-relations")

STUDENT_PAGES = {
    "course list": lambda o: reverse("courses:course-list"),
    "course": lambda o: reverse("courses:course-detail", args=["demo"]),
    "lesson": lambda o: reverse("courses:lesson-detail", args=LESSON),
    "quiz": lambda o: reverse("quizzes:quiz-detail", args=[o["comprehension"].pk]),
    "attempt": lambda o: reverse("quizzes:attempt", args=[o["open"].pk]),
    "submit": lambda o: reverse("quizzes:attempt-submit", args=[o["open"].pk]),
    "result": lambda o: reverse("quizzes:attempt-result", args=[o["closed"].pk]),
    "progress": lambda o: reverse("quizzes:dashboard"),
    "password": lambda o: reverse("password_change"),
}
INSTRUCTOR_PAGES = {
    "course list": lambda o: reverse("courses:course-list"),
    "course": lambda o: reverse("courses:course-detail", args=["demo"]),
    "lesson": lambda o: reverse("courses:lesson-detail", args=LESSON),
    "lessons": lambda o: reverse("courses:lesson-manage", args=["demo"]),
    "lesson settings": lambda o: reverse("courses:lesson-edit", args=LESSON),
    "new lesson": lambda o: reverse("courses:lesson-create", args=["demo"]),
    "readers": lambda o: reverse("courses:lesson-progress-report", args=LESSON),
    "people": lambda o: reverse("courses:people", args=["demo"]),
    "reading library": lambda o: reverse("courses:reading-library"),
    "reading": lambda o: reverse("courses:reading-detail", args=[o["lesson"].reading_id]),
    "quiz": lambda o: reverse("quizzes:quiz-detail", args=[o["critical"].pk]),
    "grading queue": lambda o: reverse("quizzes:grading-queue", args=["demo"]),
    "grading screen": lambda o: reverse("quizzes:response-grade", args=[o["essay"].pk]),
    "gradebook": lambda o: reverse("quizzes:gradebook", args=["demo"]),
    "score changes": lambda o: reverse("quizzes:audit-log", args=["demo"]),
    "student report": lambda o: reverse("quizzes:student-report",
                                        args=["demo", o["closed"].user_id]),
    "accommodations": lambda o: reverse("quizzes:accommodations", args=["demo"]),
    "item analysis": lambda o: reverse("quizzes:item-analysis", args=[o["comprehension"].pk]),
    "heatmap": lambda o: reverse("quizzes:lesson-heatmap", args=LESSON),
    "student's result": lambda o: reverse("quizzes:attempt-result", args=[o["closed"].pk]),
    "question import": lambda o: reverse("quizzes:question-import",
                                         args=[o["comprehension"].pk]),
    "lesson import": lambda o: reverse("quizzes:lesson-import", args=["demo"]),
    "quizzes of a lesson": lambda o: reverse("quizzes:quiz-list", args=LESSON),
    "quiz settings": lambda o: reverse("quizzes:quiz-edit", args=[o["comprehension"].pk]),
    "quiz questions": lambda o: reverse("quizzes:quiz-questions",
                                        args=[o["comprehension"].pk]),
    "question": lambda o: reverse("quizzes:question-edit", args=[o["essay"].question_id]),
    "LMS connection": lambda o: reverse("lti:course-lms", args=["demo"]),
    "grades in the LMS": lambda o: reverse("lti:quiz-passback", args=[o["critical"].pk]),
    "note": lambda o: reverse("courses:note-edit", args=[*LESSON, o["note"].pk]),
    "lesson from a reading": lambda o: reverse("courses:reading-new-lesson",
                                               args=[o["lesson"].reading_id]),
    "delete a lesson": lambda o: reverse("courses:lesson-delete", args=LESSON),
    "new quiz": lambda o: reverse("quizzes:quiz-create", args=LESSON),
    "delete a quiz": lambda o: reverse("quizzes:quiz-delete", args=[o["comprehension"].pk]),
    "new question": lambda o: reverse("quizzes:question-add", args=[o["comprehension"].pk]),
    "question bank": lambda o: reverse("quizzes:question-copy", args=[o["comprehension"].pk]),
    "delete a question": lambda o: reverse("quizzes:question-delete",
                                           args=[o["essay"].question_id]),
}
PAGES = ([("student", name) for name in STUDENT_PAGES]
         + [("instructor", name) for name in INSTRUCTOR_PAGES])


def _objects() -> dict:
    """The demo, with a student's graded-and-waiting critical-thinking attempt (an essay
    in the grading queue) and an open comprehension attempt."""
    call_command("load_demo")
    from django.contrib.auth import get_user_model

    from quizzes.taking import services

    student = get_user_model().objects.get(username="student")
    critical = Quiz.objects.get(kind="critical")
    comprehension = Quiz.objects.get(kind="comprehension")
    closed = services.attempt_start(quiz=critical, user=student, now=timezone.now())
    _answer_everything(closed)
    closed = Attempt.objects.get(pk=closed.pk)
    open_ = services.attempt_start(quiz=comprehension, user=student, now=timezone.now())
    return {"critical": critical, "comprehension": comprehension, "closed": closed,
            "open": open_, "lesson": Lesson.objects.get(slug=LESSON[1]),
            "note": Annotation.objects.order_by("pk").first(),
            "essay": Response.objects.filter(attempt=closed, question__type="open").first()}


def _sign_in(page, base_url: str, username: str) -> None:
    """Sign the browser in by session cookie (the login form has its own tests)."""
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


@pytest.mark.parametrize(("who", "name"), PAGES, ids=[f"{w}: {n}" for w, n in PAGES])
def test_page_fits_320px_and_passes_axe(page, live_server, who, name):
    objects = _objects()
    _sign_in(page, live_server.url, who)
    url = (STUDENT_PAGES if who == "student" else INSTRUCTOR_PAGES)[name](objects)
    page.set_viewport_size({"width": 320, "height": 640})
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    widest = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth, Array.from("
        "document.querySelectorAll('body *')).filter(el => el.getBoundingClientRect().right"
        " > window.innerWidth + 1 && !el.closest('.table-scroll, .visually-hidden'))"
        ".slice(0, 3).map(el => el.outerHTML.slice(0, 160))]")
    assert widest[0] <= widest[1], (url, widest)
    assert_wcag(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_wcag(page)
    # Every control reached by Tab shows a ring of 3:1, and a ring in forced colours.
    from tests.browser.test_taking_a11y import _check_rings  # it imports this module

    page.emulate_media(reduced_motion="reduce")  # measure the ring, not a transition
    _check_rings(page, [url], forced=False)
    page.emulate_media(forced_colors="active")
    _check_rings(page, [url], forced=True)
