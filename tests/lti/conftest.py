"""Fixtures: a running platform simulator registered with Lectio, and a launch helper that
goes through the real OIDC login initiation and launch endpoints with Django's test client."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

from tests.lti.platform import Platform, new_key


@pytest.fixture
def platform():
    simulator = Platform().start()
    simulator.tool_launch_url = "http://testserver/lti/launch/"
    yield simulator
    simulator.stop()


@pytest.fixture
def registration(db, platform):
    registration = LtiRegistration.objects.create(
        name="Simulated LMS", issuer=platform.issuer, client_id=platform.client_id,
        auth_url=f"{platform.url}/auth", token_url=f"{platform.url}/token",
        keyset_url=f"{platform.url}/jwks")
    LtiDeployment.objects.create(registration=registration,
                                 deployment_id=platform.deployment_id, is_active=True)
    from lti_tool.models import Key

    Key.objects.create_from_jwk(new_key("lectio-tool-key"))  # Lectio's signing key
    return registration


def login_step(client, platform, *, secure: bool = False, **params):
    """The platform's login initiation; returns the query Lectio sent to /auth."""
    query = {"iss": platform.issuer, "login_hint": "hint", "client_id": platform.client_id,
             "target_link_uri": platform.tool_launch_url if not secure
             else platform.tool_launch_url.replace("http://", "https://"),
             "lti_deployment_id": platform.deployment_id, **params}
    response = client.get("/lti/login/", query, secure=secure)
    assert response.status_code == 302, response.content.decode()[:2000]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{platform.url}/auth"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def launch(client, platform, *, claims: dict | None = None, token: str | None = None,
           secure: bool = False, follow: bool = False, **claim_args):
    """A whole launch: login initiation, then the signed id_token posted with the state.
    `claims` overrides claims after they are built (nonce included); `token` replaces the
    signed token altogether."""
    auth = login_step(client, platform, secure=secure)
    body = platform.claims(nonce=auth["nonce"], **claim_args)
    body.update(claims or {})
    id_token = token or platform.sign(body)
    response = client.post("/lti/launch/", {"id_token": id_token, "state": auth["state"]},
                           secure=secure, follow=follow)
    response.auth = auth
    response.id_token = id_token
    return response
