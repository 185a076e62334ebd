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
