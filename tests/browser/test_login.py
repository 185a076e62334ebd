"""A student logs in with the keyboard and sees their courses; every page passes axe."""

import pytest

from courses.models import Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_student_logs_in_and_sees_only_their_courses(page):
    student = UserFactory(username="student", first_name="Sam", last_name="Student")
    EnrollmentFactory(user=student, course=CourseFactory(title="Reading World Politics"),
                      role=Role.STUDENT)
    CourseFactory(title="Somebody else's course")
    log_in(page, "student", PASSWORD)
    assert page.get_by_role("heading", name="My courses").is_visible()
    assert page.get_by_role("link", name="Reading World Politics").is_visible()
    assert page.get_by_text("Somebody else's course").count() == 0
    assert page.get_by_text("Sam Student").is_visible()
    assert_accessible(page)


def test_wrong_password_shows_a_clear_message(page):
    UserFactory(username="student")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("student")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_text("Please enter a correct username and password").is_visible()
    assert_accessible(page)


def test_skip_link_is_first_and_moves_focus_to_main(page):
    UserFactory(username="student")
    log_in(page, "student", PASSWORD)
    page.goto("/courses/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
