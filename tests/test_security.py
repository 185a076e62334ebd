"""Security settings that hold on every page: headers, CSP without inline script, throttled
log-in, CSRF on state-changing requests."""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client, override_settings
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


def test_a_username_past_the_column_gets_a_form_error_not_a_500(client):
    # 100,000 characters reached django-axes' 255-character column (a 500 on PostgreSQL).
    response = client.post(reverse("login"), {"username": "x" * 100_000, "password": "wrong"})
    assert response.status_code == 200
    assert "A username has at most 150 characters." in response.content.decode()
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def test_the_admin_log_in_bounds_the_username_too(client):
    response = client.post(reverse("admin:login"), {"username": "x" * 100_000, "password": "w"})
    assert response.status_code == 200
    assert "A username has at most 150 characters." in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_wrong_passwords_spread_over_accounts_from_one_address_are_throttled(client):
    for n in range(5):
        UserFactory(username=f"target{n}")
    UserFactory(username="sixth")
    responses = [client.post(reverse("login"), {"username": f"target{n % 5}", "password": "x"})
                 for n in range(15)]
    # Three tries per account stay under the per-account limit; the address reaches its own.
    assert [r.status_code for r in responses[:14]] == [200] * 14
    assert responses[14].status_code == 429
    locked = client.post(reverse("login"), {"username": "sixth", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("login"), {"username": "sixth", "password": PASSWORD}
                      ).status_code == 302


def test_a_successful_log_in_does_not_clear_the_address_count(client):
    UserFactory(username="mine")
    for n in range(5):
        UserFactory(username=f"target{n}")
    for n in range(12):
        client.post(reverse("login"), {"username": f"target{n % 5}", "password": "x"})
    assert client.post(reverse("login"), {"username": "mine", "password": PASSWORD}
                       ).status_code == 302
    client.logout()
    statuses = [client.post(reverse("login"), {"username": f"target{n}", "password": "x"}
                            ).status_code for n in range(3)]
    assert statuses == [200, 200, 429]


@override_settings(LECTIO_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client):
    UserFactory(username="victim")
    for n in range(5):
        client.post(reverse("login"), {"username": "victim", "password": "x"},
                    HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 198.51.100.7")
    # Spoofed left-hand entries do not give the guesser a new address.
    locked = client.post(reverse("login"), {"username": "victim", "password": PASSWORD},
                         HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    assert locked.status_code == 429
    elsewhere = client.post(reverse("login"), {"username": "victim", "password": PASSWORD},
                            HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert elsewhere.status_code == 302
