"""Launches Lectio must refuse: each gets a clear, styled 4xx page and changes nothing."""

from __future__ import annotations

import html
import time

import pytest
from django.contrib.auth import get_user_model
from lti_tool.models import LtiContext, LtiDeployment, LtiUser

from lti.models import UsedNonce
from tests.lti.conftest import launch, login_step
from tests.lti.platform import new_key

pytestmark = pytest.mark.django_db


def _nothing_created(users_before: int) -> None:
    assert get_user_model().objects.count() == users_before
    assert not LtiUser.objects.exists()
    assert not LtiContext.objects.exists()


def _styled(response, title: str, status: int) -> None:
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{html.escape(title)}</h1>" in page
    assert "Nothing was changed in Lectio." in page
    assert 'class="skip-link"' in page  # the site's own layout, not a bare error


def test_a_replayed_launch_is_refused_and_changes_nothing_more(client, platform,
                                                               registration):
    first = launch(client, platform, sub="learner-7")
    assert first.status_code in (302, 409)
    users = get_user_model().objects.count()
    client.logout()
    replay = client.post("/lti/launch/", {"id_token": first.id_token,
                                          "state": first.auth["state"]})
    _styled(replay, "This sign-in has already been used", 403)
    assert get_user_model().objects.count() == users
    assert UsedNonce.objects.count() == 1
    assert "_auth_user_id" not in client.session


def test_a_token_for_another_audience_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    response = launch(client, platform, claims={"aud": "some-other-tool"})
    _styled(response, "This learning platform is not registered with Lectio", 403)
    _nothing_created(users)


def test_a_token_naming_several_audiences_needs_azp(client, platform, registration):
    users = get_user_model().objects.count()
    response = launch(client, platform, claims={"aud": [platform.client_id, "other"]})
    _styled(response, "This learning platform is not registered with Lectio", 403)
    _nothing_created(users)


def test_an_expired_token_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    past = int(time.time()) - 3600
    response = launch(client, platform, claims={"iat": past - 300, "exp": past})
    _styled(response, "This sign-in has expired", 403)
    _nothing_created(users)


def test_a_token_without_expiry_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    auth = login_step(client, platform)
    body = platform.claims(nonce=auth["nonce"])
    del body["exp"]
    response = client.post("/lti/launch/", {"id_token": platform.sign(body),
                                            "state": auth["state"]})
    _styled(response, "This sign-in has expired", 403)
    _nothing_created(users)


def test_a_token_signed_with_another_key_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    auth = login_step(client, platform)
    forged = platform.sign(platform.claims(nonce=auth["nonce"]), key=new_key("attacker"),
                           kid="platform-key-1")
    response = client.post("/lti/launch/", {"id_token": forged, "state": auth["state"]})
    _styled(response, "This sign-in could not be verified", 403)
    _nothing_created(users)


def test_a_token_from_an_unknown_issuer_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    response = launch(client, platform, claims={"iss": "https://unknown.example"})
    _styled(response, "This learning platform is not registered with Lectio", 403)
    _nothing_created(users)


def test_login_initiation_from_an_unknown_client_is_refused(client, platform, registration):
    response = client.get("/lti/login/", {
        "iss": platform.issuer, "login_hint": "x", "client_id": "not-registered",
        "target_link_uri": platform.tool_launch_url})
    _styled(response, "This learning platform is not registered with Lectio", 403)


def test_login_initiation_may_only_return_to_lectio(client, platform, registration):
    response = client.get("/lti/login/", {
        "iss": platform.issuer, "login_hint": "x", "client_id": platform.client_id,
        "target_link_uri": "https://evil.example/launch"})
    assert response.status_code == 400


def test_an_unknown_deployment_is_refused_and_not_recorded(client, platform, registration):
    users = get_user_model().objects.count()
    response = launch(client, platform, claims={
        "https://purl.imsglobal.org/spec/lti/claim/deployment_id": "deployment-unknown"})
    _styled(response, "This deployment of Lectio is not registered", 403)
    _nothing_created(users)
    assert list(LtiDeployment.objects.values_list("deployment_id", flat=True)) == [
        platform.deployment_id]


def test_an_inactive_deployment_is_refused(client, platform, registration):
    LtiDeployment.objects.update(is_active=False)
    users = get_user_model().objects.count()
    response = launch(client, platform)
    _styled(response, "This deployment of Lectio is not registered", 403)
    _nothing_created(users)


def test_a_launch_without_the_state_cookie_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    auth = login_step(client, platform)
    client.cookies.clear()
    response = client.post("/lti/launch/", {
        "id_token": platform.sign(platform.claims(nonce=auth["nonce"])),
        "state": auth["state"]})
    _styled(response, "Your browser did not keep Lectio's sign-in cookie", 403)
    _nothing_created(users)


def test_a_nonce_lectio_never_issued_is_refused(client, platform, registration):
    users = get_user_model().objects.count()
    response = launch(client, platform, claims={"nonce": "made-up"})
    _styled(response, "This sign-in has already been used", 403)
    _nothing_created(users)


def test_a_mentor_gets_no_account(client, platform, registration):
    from tests.lti.platform import MENTOR

    users = get_user_model().objects.count()
    response = launch(client, platform, roles=[MENTOR])
    assert response.status_code == 403
    assert b"Your role in this course has no place in Lectio" in response.content
    _nothing_created(users)


def test_a_get_to_the_launch_url_explains_itself(client):
    response = client.get("/lti/launch/")
    assert response.status_code == 405 and b"Open Lectio from your course" in response.content


def test_garbage_is_refused_with_a_page_not_a_500(client, platform, registration):
    auth = login_step(client, platform)
    response = client.post("/lti/launch/", {"id_token": "not.a.jwt", "state": auth["state"]})
    assert response.status_code in (400, 403)
    assert b"Nothing was changed in Lectio." in response.content


def test_refusal_pages_may_be_framed_by_registered_platforms_only(client, platform,
                                                                  registration):
    response = launch(client, platform, claims={"aud": "some-other-tool"})
    assert f"frame-ancestors 'self' {platform.url}" in response["Content-Security-Policy"]
