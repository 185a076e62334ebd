"""Lessons from the reading library, by keyboard alone: an admin makes a reading available
to the demo course, its instructor (not staff, uploading nothing) makes a lesson from it and
moves it, with and without the page's script; axe on every page on the way."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import CourseReading, Enrollment, Lesson, Role
from courses.services import PassageInput, reading_create
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def essay(db):
    call_command("load_demo")
    return reading_create(
        title="The Quiet Strait", content_hash="essay-hash", word_count=12,
        reading_minutes=1, authors=["Jo March"], source="The Review",
        passages=[PassageInput("paragraph", "Ships pass the strait at night."),
                  PassageInput("paragraph", "Nobody counts them any more.")])


def _press(page, role: str, name: str) -> None:
    target = page.get_by_role(role, name=name)
    target.focus()
    page.keyboard.press("Enter")


def _type(page, label: str, text: str) -> None:
    # Crispy marks a required field's label with an asterisk.
    field = page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\*?\s*$"))
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent").strip()


def test_admin_shares_a_reading_and_the_instructor_builds_and_moves_a_lesson(page, essay):
    log_in(page, "admin", "lectio-admin")
    _press(page, "link", "Reading library")
    page.wait_for_url("**/courses/readings/")
    assert_accessible(page)
    entry = page.locator("article", has=page.get_by_role("heading", name="The Quiet Strait"))
    select = entry.get_by_label("Make it available to")
    select.focus()
    select.select_option("demo")
    _press(page, "button", "Make available “The Quiet Strait” to the chosen course")
    expect(page.get_by_text("“The Quiet Strait” is now available in")).to_be_visible()
    assert CourseReading.objects.filter(reading=essay, course__slug="demo").exists()
    page.context.clear_cookies()

    log_in(page, "instructor", "lectio-instructor")
    page.goto("/courses/demo/")
    _press(page, "link", "Manage lessons")
    page.wait_for_url("**/courses/demo/lessons/")
    assert_accessible(page)
    _press(page, "link", "Reading library")
    page.wait_for_url("**/courses/readings/?course=demo")
    assert_accessible(page)
    _press(page, "link", "Make a lesson in Reading World Politics from “The Quiet Strait”")
    page.wait_for_url("**/courses/demo/lessons/new/?reading=*")
    assert_accessible(page)
    expect(page.get_by_label("Address (slug)")).to_have_value("the-quiet-strait")
    _type(page, "Title", "Night Traffic")
    expect(page.get_by_label("Address (slug)")).to_have_value("night-traffic")
    _type(page, "Learning objectives", "Say who counts the ships.")
    page.get_by_label("Published").focus()
    page.keyboard.press("Space")
    _press(page, "button", "Create the lesson")
    page.wait_for_url("**/courses/demo/lessons/?focus=*")
    expect(page.get_by_text("Lesson “Night Traffic” created as lesson 2.")).to_be_visible()
    assert _focused_text(page) == "Night Traffic"
    assert_accessible(page)

    # With the script: focus stays on the pressed button and the move is announced.
    # Tab order in the row: the lesson's title, its reading, its quiz authoring link, then
    # the buttons.
    page.keyboard.press("Tab")
    assert _focused_text(page) == "The Quiet Strait"
    page.keyboard.press("Tab")
    assert _focused_text(page) == "Build and change quizzes"
    page.keyboard.press("Tab")
    assert _focused_text(page) == "Move up “Night Traffic”"
    page.keyboard.press("Enter")
    expect(page.locator("#lesson-live")).to_have_text("“Night Traffic” is now lesson 1 of 2.")
    expect(page.locator("#lesson-table tbody tr").first).to_contain_text("Night Traffic")
    # At the top its "Move up" is disabled, so the focus went to its "Move down".
    assert _focused_text(page) == "Move down “Night Traffic”"
    assert list(Lesson.objects.filter(course__slug="demo").order_by("position")
                .values_list("slug", flat=True)) == ["night-traffic", "sino-russian-relations"]
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#lesson-live")).to_have_text("“Night Traffic” is now lesson 2 of 2.")
    assert _focused_text(page) == "Move up “Night Traffic”"
    lesson = Lesson.objects.get(slug="night-traffic")
    assert (lesson.reading, lesson.position, lesson.is_published, lesson.objectives) == (
        essay, 2, True, ["Say who counts the ships."])

    # The settings and delete pages, by keyboard.
    _press(page, "link", "Settings of “Night Traffic”")
    page.wait_for_url("**/night-traffic/settings/")
    assert_accessible(page)
    _type(page, "Address (slug)", "new")
    _press(page, "button", "Save the settings")
    expect(page.get_by_text("“new” is kept for Lectio's own pages")).to_be_visible()
    assert_accessible(page)
    assert Lesson.objects.get(pk=lesson.pk).slug == "night-traffic"
    page.goto("/courses/demo/lessons/night-traffic/delete/")
    assert_accessible(page)
    _press(page, "button", "Delete the lesson")
    expect(page.get_by_text("Deleted the lesson “Night Traffic”.")).to_be_visible()
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_without_script_a_move_reloads_with_the_moved_button_focused(browser, live_server,
                                                                    essay):
    Lesson.objects.create(course=Lesson.objects.get().course, reading=essay,
                          title="Second", slug="second", position=2)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "instructor", "lectio-instructor", check=False)
        page.goto("/courses/demo/lessons/")
        _press(page, "button", "Move up “Second”")
        page.wait_for_url("**/courses/demo/lessons/?focus=*")
        expect(page.get_by_text("“Second” is now lesson 1 of 2.")).to_be_visible()
        assert _focused_text(page) == "Move down “Second”"
        assert Lesson.objects.get(slug="second").position == 1
    finally:
        context.close()


def test_assistant_and_library_pages_pass_axe(page, essay):
    Enrollment.objects.filter(user__username="student2").update(role=Role.ASSISTANT)
    log_in(page, "student2", "lectio-student2")
    for url in ("/courses/demo/lessons/", "/courses/readings/",
                f"/courses/readings/{Lesson.objects.get().reading_id}/"):
        page.goto(url)
        assert_accessible(page)
    page.context.clear_cookies()
    # A student's attempt keeps the seed lesson: its delete page explains instead.
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from quizzes.models import Quiz
    from quizzes.taking import services

    quiz = Quiz.objects.filter(lesson__slug="sino-russian-relations").first()
    services.attempt_start(quiz=quiz, user=get_user_model().objects.get(username="student"),
                           now=timezone.now())
    log_in(page, "admin", "lectio-admin")
    for url in ("/courses/readings/?q=strait", f"/courses/readings/{essay.pk}/",
                "/courses/demo/lessons/new/",
                "/courses/demo/lessons/sino-russian-relations/delete/"):
        page.goto(url)
        assert_accessible(page)
    expect(page.get_by_text("This lesson cannot be deleted")).to_be_visible()


def test_a_scheduled_lesson_passes_axe_for_its_students(page, essay):
    from datetime import timedelta

    from django.utils import timezone

    Lesson.objects.update(available_from=timezone.now() + timedelta(days=2))
    log_in(page, "student", "lectio-student")
    page.goto("/courses/demo/")
    expect(page.get_by_text("Opens ")).to_be_visible()
    assert_accessible(page)
    page.goto(Lesson.objects.get().get_absolute_url())
    expect(page.get_by_role("heading", name="This lesson is not open yet")).to_be_visible()
    assert_accessible(page)
