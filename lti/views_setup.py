"""The site admin's LTI setup page and Canvas's JSON configuration."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from lti_tool.models import Key, LtiRegistration

from .keys import key_ensure, key_rotate


def staff_only(view):
    """Site admins only; everyone else gets 403, anonymous visitors the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only site admins set up LTI.")
        return view(request, *args, **kwargs)

    return wrapper


SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


def tool_urls(request: HttpRequest) -> dict[str, str]:
    """The absolute URLs a platform needs, built from this request's host."""
    def absolute(name: str) -> str:
        return request.build_absolute_uri(reverse(name))

    return {
        "login": absolute("lti:login"),
        "launch": absolute("lti:launch"),
        "deep_link": absolute("lti:launch"),
        "jwks": absolute("lti:jwks"),
        "canvas_config": absolute("lti:canvas-config"),
        "domain": request.get_host(),
        "tool_url": request.build_absolute_uri("/"),
    }


@staff_only
@require_GET
def setup(request: HttpRequest) -> HttpResponse:
    """What to paste into Canvas and Moodle, the registrations, and the tool's keys."""
    key_ensure()
    registrations = list(LtiRegistration.objects.prefetch_related("deployments")
                         .order_by("name"))
    for registration in registrations:
        registration.login_with_uuid = request.build_absolute_uri(
            reverse("lti:login-registration", args=[registration.uuid]))
    return render(request, "lti/setup.html", {
        "urls": tool_urls(request), "registrations": registrations, "scopes": SCOPES,
        "keys": list(Key.objects.order_by("-datetime_created")),
    })


@staff_only
@require_POST
def setup_rotate_key(request: HttpRequest) -> HttpResponse:
    """Generate a new signing key; keys older than a week leave the key set."""
    new_key, retired = key_rotate(retire_after_days=7)
    messages.success(request, f"New key {new_key} generated and now signs Lectio's messages. "
                              f"{retired} older key{'s' if retired != 1 else ''} retired.")
    return redirect("lti:setup")


@require_GET
def canvas_config(request: HttpRequest) -> JsonResponse:
    """Canvas's LTI 1.3 developer key configuration ("Enter URL" or "Paste JSON")."""
    urls = tool_urls(request)
    placements = [
        {"placement": "link_selection", "message_type": "LtiDeepLinkingRequest",
         "target_link_uri": urls["launch"], "text": "Lectio lesson or quiz"},
        {"placement": "assignment_selection", "message_type": "LtiDeepLinkingRequest",
         "target_link_uri": urls["launch"], "text": "Lectio quiz"},
        {"placement": "course_navigation", "message_type": "LtiResourceLinkRequest",
         "target_link_uri": urls["launch"], "text": "Lectio", "default": "disabled"},
    ]
    return JsonResponse({
        "title": "Lectio",
        "description": "Teach from a reading: annotated lessons and quizzes graded on the "
                       "server, with grades sent to the Canvas gradebook.",
        "oidc_initiation_url": urls["login"],
        "target_link_uri": urls["launch"],
        "public_jwk_url": urls["jwks"],
        "scopes": SCOPES,
        "extensions": [{
            "domain": urls["domain"], "tool_id": "lectio", "platform": "canvas.instructure.com",
            "privacy_level": "public",
            "settings": {"text": "Lectio", "placements": placements},
        }],
        "custom_fields": {"canvas_course_id": "$Canvas.course.id"},
    })
