"""axe on the pages no journey passes through: password change, error pages, note editing."""

import pytest
from django.core.management import call_command

from courses.models import Annotation
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_remaining_pages_pass_axe(page):
    call_command("load_demo")
    log_in(page, "instructor", "lectio-instructor")
    page.goto("/accounts/password/")
    assert_accessible(page)
    page.goto("/courses/no-such-course/")
    assert "Page not found" in page.content()
    assert_accessible(page)
    note = Annotation.objects.order_by("pk").first()
    page.goto(f"/courses/demo/lessons/sino-russian-relations/notes/{note.pk}/")
    assert_accessible(page)
    page.context.clear_cookies()
    log_in(page, "student", "lectio-student")
    page.goto("/quizzes/course/demo/gradebook/")
    assert "Access denied" in page.content()
    assert_accessible(page)


def test_assistant_pages_pass_axe(page):
    from courses.models import Enrollment, Role

    call_command("load_demo")
    Enrollment.objects.filter(user__username="student2").update(role=Role.ASSISTANT)
    log_in(page, "student2", "lectio-student2")
    for url in ("/courses/demo/", "/courses/demo/lessons/sino-russian-relations/",
                "/quizzes/course/demo/grading/", "/quizzes/course/demo/gradebook/",
                "/courses/demo/lessons/sino-russian-relations/readers/",
                "/quizzes/course/demo/lessons/sino-russian-relations/heatmap/"):
        page.goto(url)
        assert_accessible(page)


def test_admin_site_pages_pass_axe(page):
    call_command("load_demo")
    log_in(page, "admin", "lectio-admin")
    for url in ("/admin/", "/admin/courses/reading/", "/admin/courses/reading/1/change/",
                "/admin/quizzes/quiz/"):
        page.goto(url)
        assert_accessible(page)


def test_password_reset_pages_pass_axe_and_work_by_keyboard(page):
    import re

    from django.core import mail

    call_command("load_demo")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="student").update(email="student@example.com")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot password?").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/password/reset/")
    assert_accessible(page)
    page.get_by_label("Email").fill("student@example.com")
    page.get_by_label("Email").press("Enter")
    page.wait_for_url("**/accounts/password/reset/sent/")
    assert_accessible(page)
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    assert_accessible(page)
    page.locator("#id_new_password1").fill("a-Long-new-passphrase-42")
    page.get_by_label("New password confirmation").fill("a-Long-new-passphrase-42")
    page.get_by_label("New password confirmation").press("Enter")
    page.wait_for_url("**/accounts/password/reset/complete/")
    assert_accessible(page)
    page.goto(link.group(1))
    assert "Reset link not valid" in page.content()
    assert_accessible(page)
