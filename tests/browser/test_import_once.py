"""A double click on the lesson package form's Import button makes one lesson."""

import json
import time

import pytest

from courses.models import Lesson
from quizzes.interop import import_jobs
from quizzes.interop.package_services import lesson_export
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_interop import demo_lesson_and_second_course

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_click_on_import_makes_one_lesson(page, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    lesson, target = demo_lesson_and_second_course()
    package = tmp_path / "lesson.json"
    package.write_text(json.dumps(lesson_export(lesson=lesson)), encoding="utf-8")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    log_in(page, "instructor", "lectio-instructor")
    posts.clear()
    page.goto(f"/quizzes/course/{target.slug}/import-lesson/")
    page.get_by_label("Lesson package").set_input_files(str(package))
    real = import_jobs.package_services.lesson_import

    def slow(**kwargs):
        time.sleep(1)  # the first import is still running when the second click lands
        return real(**kwargs)

    monkeypatch.setattr(import_jobs.package_services, "lesson_import", slow)
    box = page.get_by_role("button", name="Import").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Chromium sends nothing for a click whose submission the next one replaces before it
    # left, so the second click comes once the first POST is on its way, as a slow
    # server's user double-clicks (the mouse itself, which waits for no navigation).
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    # Not wait_for_url: the first navigation, aborted by the second, would fail it.
    for _ in range(100):
        if "/courses/second/lessons/" in page.url:
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state()
    assert len(posts) == 2  # the browser did send the form twice
    [copy] = Lesson.objects.filter(course=target)
    assert page.url.endswith(copy.get_absolute_url())
    assert_accessible(page)
