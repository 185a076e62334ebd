"""The site admin's LTI setup: values to paste, Canvas's JSON, keys and their rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import Key

pytestmark = pytest.mark.django_db


def test_the_setup_page_shows_what_to_paste_into_canvas_and_moodle(client, admin_user,
                                                                   registration):
    client.force_login(admin_user)
    page = client.get("/lti/setup/").content.decode()
    for value in ("http://testserver/lti/login/", "http://testserver/lti/launch/",
                  "http://testserver/lti/jwks/", "http://testserver/lti/canvas.json",
                  "Initiate login URL", "Redirection URI(s)", "OpenID Connect Initiation Url",
                  registration.client_id, registration.issuer, "deployment-1",
                  f"http://testserver/lti/login/{registration.uuid}/"):
        assert value in page, value


def test_the_key_set_publishes_active_keys_only(client):
    assert Key.objects.count() == 0
    keys = client.get("/lti/jwks/").json()["keys"]
    assert len(keys) == 1 and keys[0]["alg"] == "RS256" and "d" not in keys[0]
    Key.objects.update(is_active=False)
    call_command("lti_rotate_keys")
    assert len(client.get("/lti/jwks/").json()["keys"]) == 1


def test_rotation_keeps_recent_keys_published_and_retires_old_ones():
    old = Key.objects.generate()
    Key.objects.filter(pk=old.pk).update(datetime_created=timezone.now() - timedelta(days=30))
    recent = Key.objects.generate()
    call_command("lti_rotate_keys")
    active = set(Key.objects.active().values_list("pk", flat=True))
    assert old.pk not in active and recent.pk in active and len(active) == 2
    newest = Key.objects.active().latest()
    assert newest.pk not in (old.pk, recent.pk)  # the new key signs from now on


def test_an_admin_rotates_from_the_setup_page_and_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/lti/setup/rotate-key/", follow=True)
    assert b"generated and now signs" in response.content
    assert Key.objects.count() == 1
    changelist = "/admin/lti_tool/key/"
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "rotate", "_selected_action": [Key.objects.get().pk]})
    assert Key.objects.count() == 2
    # Retiring every key is refused: something must keep signing.
    client.post(changelist, {"action": "retire",
                             "_selected_action": list(Key.objects.values_list("pk", flat=True))})
    assert Key.objects.active().count() == 2


def test_the_admin_never_shows_a_private_key(client, admin_user):
    key = Key.objects.generate()
    client.force_login(admin_user)
    page = client.get(f"/admin/lti_tool/key/{key.pk}/change/").content.decode()
    assert "PRIVATE KEY" not in page and "PUBLIC KEY" in page


def test_canvas_gets_a_developer_key_configuration(client):
    config = client.get("/lti/canvas.json").json()
    assert config["oidc_initiation_url"] == "http://testserver/lti/login/"
    assert config["target_link_uri"] == "http://testserver/lti/launch/"
    assert config["public_jwk_url"] == "http://testserver/lti/jwks/"
    placements = {p["placement"]: p for p in config["extensions"][0]["settings"]["placements"]}
    assert placements["link_selection"]["message_type"] == "LtiDeepLinkingRequest"
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in config["scopes"]


def test_registrations_and_deployments_are_managed_in_the_admin(client, admin_user,
                                                                registration):
    client.force_login(admin_user)
    page = client.get(f"/admin/lti_tool/ltiregistration/{registration.pk}/change/")
    assert page.status_code == 200 and b"deployment-1" in page.content
