"""An instructor enrols a roster and changes a role with the keyboard alone; axe on the way."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Enrollment, Role
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_instructor_enrols_a_roster_and_changes_a_role_by_keyboard(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo")
    roster = tmp_path / "roster.csv"
    roster.write_text("username,email,name,section\nnewkid,newkid@example.org,New Kid,B\n",
                      encoding="utf-8")
    log_in(page, "instructor", "lectio-instructor")
    page.goto("/courses/demo/")
    page.get_by_role("link", name="People and enrolment").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/")
    assert_accessible(page)
    page.get_by_label("Roster (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the roster").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/people/roster/")
    assert_accessible(page)
    page.get_by_role("button", name="Enrol 1 and apply 0 section changes").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Enrolled 1 student(s)")).to_be_visible()
    select = page.get_by_label("Role of newkid")
    select.focus()
    select.select_option("assistant")
    page.get_by_role("button", name="Change the role of newkid").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("newkid is now assistant")).to_be_visible()
    assert_accessible(page)
    assert Enrollment.objects.get(user__username="newkid").role == Role.ASSISTANT
