"""Security settings that hold on every page: headers, CSP without inline script, throttled
log-in, CSRF on state-changing requests."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_csp_and_security_headers(client, student, lesson):
    client.force_login(student)
    response = client.get(lesson.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["login", "password_change"])
def test_no_page_has_inline_script_or_style(client, student, lesson, name):
    client.force_login(student)
    pages = [client.get(reverse(name)).content.decode(),
             client.get(lesson.get_absolute_url()).content.decode()]
    for page in pages:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert " style=" not in page and "<style" not in page
        assert not re.search(r"\son[a-z]+=", page)


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(client):
    UserFactory(username="victim")
    for _ in range(5):
        client.post(reverse("login"), {"username": "victim", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "victim", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed log-in attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in(client):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": PASSWORD})
    assert response.status_code == 302


def test_csrf_is_enforced_on_state_changing_requests(student, lesson):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student)
    url = reverse("courses:lesson-progress", args=[lesson.course.slug, lesson.slug])
    assert strict.post(url, {"seen": ["1"]}).status_code == 403
    assert strict.post(reverse("logout")).status_code == 403
