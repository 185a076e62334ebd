"""An instructor imports GIFT and Moodle XML files through the preview by keyboard, exports
the quiz in every format, downloads the gradebook for Canvas, and moves the seed lesson into
another course as a package; axe on every page on the way."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from courses.demo import DEMO_COURSE_SLUG
from courses.models import Course, Enrollment, Lesson, Role
from quizzes.models import Quiz
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)

GIFT = """::Munich:: In which year did Putin speak at the Munich Security Conference? {#2007}

::S-400:: [html]<b>Which</b> country bought the S-400 from Russia? {=India ~Japan ~Brazil}

::Broken:: This answer block never closes {=yes ~no
"""


def test_instructor_imports_gift_by_keyboard_and_exports(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    quiz = Quiz.objects.filter(kind="comprehension").get()
    before = quiz.questions.count()
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT, encoding="utf-8")
    log_in(page, "instructor", "lectio-instructor")
    page.goto(quiz.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Import questions from a Moodle XML, QTI (Canvas), GIFT or "
                                   "Aiken file").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/")
    assert_accessible(page)
    page.get_by_label("Question file").set_input_files(str(bank))
    page.get_by_role("button", name="Read and preview").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/")
    assert_accessible(page)
    assert page.get_by_text("Line 5").is_visible()
    # A file with a problem imports nothing unless the instructor says so.
    page.get_by_role("button", name="Import 2 questions").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/")
    assert quiz.questions.count() == before
    page.get_by_label("Import only the 2 valid questions").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Import 2 questions").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{quiz.get_absolute_url()}")
    assert page.get_by_text("Imported 2 questions").is_visible()
    assert quiz.questions.count() == before + 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Export the questions as a GIFT file").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert "::Munich::" in exported and "=India" in exported
    with page.expect_download() as download:
        page.get_by_role("link", name="Export the questions as Moodle XML").click()
    assert "<text>Munich</text>" in download.value.path().read_text(encoding="utf-8")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export the questions as a QTI package for Canvas").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert "imsmanifest.xml" in archive.namelist()


def test_instructor_imports_moodle_xml_and_a_student_sees_the_description(page, settings,
                                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    quiz = Quiz.objects.filter(kind="comprehension").get()
    bank = Path(__file__).parent.parent / "quizzes" / "files" / "moodle_bank.xml"
    log_in(page, "instructor", "lectio-instructor")
    page.goto(f"/quizzes/{quiz.pk}/import/")
    page.get_by_label("Question file").set_input_files(str(bank))
    page.get_by_role("button", name="Read and preview").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/preview/")
    assert page.get_by_role("heading", name="Worth knowing before you import").is_visible()
    assert page.get_by_text("Cloze (embedded answers) questions cannot be imported").is_visible()
    assert_accessible(page)
    page.get_by_label("Import only the 9 valid questions").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Import 9 questions").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{quiz.get_absolute_url()}")
    page.get_by_role("button", name="Preview as a student").click()
    page.wait_for_url("**/attempts/**")
    description = page.get_by_role("region", name="Information")
    assert description.get_by_text("Read passages 3 to 5 first.").is_visible()
    assert page.get_by_role("img", name="A map with one city marked").count() == 1
    assert_accessible(page)
    page.goto(page.url.rstrip("/") + "/submit/")
    page.get_by_role("button", name="Submit").last.click()
    page.wait_for_url("**/result/")
    assert page.get_by_role("region", name="Information").get_by_text(
        "Read passages 3 to 5 first.").is_visible()
    assert_accessible(page)


def test_gradebook_downloads_in_the_canvas_layout_by_keyboard(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    course = Course.objects.get(slug=DEMO_COURSE_SLUG)
    log_in(page, "instructor", "lectio-instructor")
    page.goto(f"/quizzes/course/{course.slug}/gradebook/")
    assert_accessible(page)
    page.get_by_label("Layout").select_option("canvas")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").focus()
        page.keyboard.press("Enter")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1][0] == "Points Possible"


def demo_lesson_and_second_course() -> tuple[Lesson, Course]:
    """The demo (loaded here) with its seed lesson, and a second course that the demo's
    instructor teaches too: where that lesson can be moved or imported."""
    call_command("load_demo")
    lesson = Lesson.objects.get(slug="sino-russian-relations")
    target = Course.objects.create(title="Second course", slug="second", is_published=True)
    instructor = Enrollment.objects.get(user__username="instructor", course=lesson.course).user
    Enrollment.objects.create(course=target, user=instructor, role=Role.INSTRUCTOR)
    return lesson, target


def test_instructor_moves_a_lesson_to_another_course(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lesson, target = demo_lesson_and_second_course()
    log_in(page, "instructor", "lectio-instructor")
    page.goto(lesson.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Export this lesson as a package").click()
    package = tmp_path / "lesson.json"
    download.value.save_as(package)
    assert json.loads(package.read_text(encoding="utf-8"))["lesson"]["title"] == lesson.title
    page.goto(target.get_absolute_url())
    page.get_by_role("link", name="Import a lesson package").click()
    assert_accessible(page)
    page.get_by_label("Lesson package").set_input_files(str(package))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/courses/second/lessons/**")
    assert_accessible(page)
    copy = Lesson.objects.get(course=target)
    assert copy.reading.passages.count() == lesson.reading.passages.count()
    assert Quiz.objects.filter(lesson=copy).count() == Quiz.objects.filter(lesson=lesson).count()
