"""Password reset by email: the whole journey, the rate limit, and what the pages say."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = "/accounts/password/reset/"


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_login_page_links_to_reset_and_says_what_lectio_is(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Forgot password?</a>' in page
    assert "What is Lectio?" in page and "teaches from a reading" in page


def test_a_reset_email_leads_to_a_new_password_that_logs_in(client):
    UserFactory(username="ada", email="ada@example.com")
    response = client.post(RESET, {"email": "ada@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Reset your Lectio password"
    assert "(ada)" in message.body
    form_page = client.get(_link(message), follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "a-Long-new-passphrase-42", "new_password2": "a-Long-new-passphrase-42"})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    logged_in = client.post(reverse("login"), {"username": "ada",
                                               "password": "a-Long-new-passphrase-42"})
    assert logged_in.status_code == 302 and logged_in["Location"] == reverse("courses:course-list")


def test_a_used_reset_link_is_refused_with_a_way_forward(client):
    UserFactory(username="ada", email="ada@example.com")
    client.post(RESET, {"email": "ada@example.com"})
    link = _link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "a-Long-new-passphrase-42",
                          "new_password2": "a-Long-new-passphrase-42"})
    again = client.get(link, follow=True)
    assert b"Reset link not valid" in again.content
    assert reverse("password_reset").encode() in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(RESET, {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_accounts_without_a_password_get_no_reset_mail(client):
    user = UserFactory(username="lms-user", email="lms@example.com")
    user.set_unusable_password()
    user.save()
    client.post(RESET, {"email": "lms@example.com"})
    assert mail.outbox == []


def test_reset_requests_for_one_address_are_limited(client, settings):
    settings.LECTIO_RESET_LIMIT_PER_EMAIL = 2
    UserFactory(username="ada", email="ada@example.com")
    for _ in range(2):
        assert client.post(RESET, {"email": "ADA@example.com "}).status_code == 302
    limited = client.post(RESET, {"email": "ada@example.com"})
    assert limited.status_code == 429
    assert b"Too many password reset requests" in limited.content
    assert len(mail.outbox) == 2
    # Another address from the same client is still within the per-address limit.
    assert client.post(RESET, {"email": "someone-else@example.com"}).status_code == 302


def test_reset_requests_from_one_client_are_limited_across_addresses(client, settings):
    settings.LECTIO_RESET_LIMIT_PER_ADDRESS = 3
    UserFactory(username="ada", email="ada@example.com")
    for n in range(3):
        assert client.post(RESET, {"email": f"probe{n}@example.com"}).status_code == 302
    limited = client.post(RESET, {"email": "ada@example.com"})
    assert limited.status_code == 429
    assert mail.outbox == []
    # A different client address is counted on its own.
    other = client.post(RESET, {"email": "ada@example.com"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302 and len(mail.outbox) == 1


def test_a_bad_email_gets_a_message_and_sends_nothing(client):
    response = client.post(RESET, {"email": "not an address"})
    assert response.status_code == 200
    assert b"Enter a valid email address" in response.content
    assert mail.outbox == []
    assert get_user_model().objects.count() == 0
