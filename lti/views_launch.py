"""The LTI endpoints a platform calls (login initiation, launch, keys) and the pages a
launch leads to (connect a course, choose what a link opens, deep linking).

The platform's endpoints are public and CSRF-exempt: a platform's POST carries no Django
CSRF token. They are verified cryptographically instead (pylti1p3: OIDC state cookie,
nonce, the platform's signature from its published keys, issuer, audience, deployment;
lti/tool.py and services.launch_accept add an expiry check, one-time nonces and refusing
unknown deployments). The pages after a launch are ordinary Lectio pages: signed in,
CSRF-protected POSTs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from lti_tool.models import Key, LtiRegistration
from pylti1p3.contrib.django import DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, OIDCException
from pylti1p3.lineitem import LineItem

from . import roles, selectors, services, tool
from . import session as lti_session
from .forms import CourseConnectForm, ResourceChoiceForm
from .keys import key_ensure
from .refusals import Refusal, refusal_for

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _posted(request: HttpRequest):
    """The form data of a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def refuse(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    """The styled refusal page; registered platforms may frame it, so the person sees why."""
    response = render(request, "lti/refusal.html", {"refusal": refusal},
                      status=refusal.status)
    origins: list[str] = []
    for registration in LtiRegistration.objects.active():
        for url in (registration.issuer, registration.auth_url):
            value = tool.origin(url)
            if value and value not in origins:
                origins.append(value)
    response.lti_frame_origins = origins
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys (JWKS) that platforms check Lectio's messages with."""
    key_ensure()
    return JsonResponse(Key.objects.as_jwks())


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def login_initiate(request: HttpRequest, registration_uuid=None) -> HttpResponse:
    """OIDC third-party login initiation: check the issuer and client id are registered,
    set the state cookie and send the browser to the platform's authorisation endpoint."""
    params = request.POST if request.method == "POST" else request.GET
    target = params.get("target_link_uri")
    if not target:
        return refuse(request, refusal_for("Missing target_link_uri"))
    if tool.origin(target) != tool.origin(request.build_absolute_uri("/")):
        # The platform may only send people back to Lectio itself.
        return refuse(request, refusal_for("Missing target_link_uri (not this site)"))
    key_ensure()
    try:
        oidc = DjangoOIDCLogin(request, tool.ToolConfig(registration_uuid),
                               launch_data_storage=tool.launch_storage())
        return oidc.redirect(target)
    except (OIDCException, LtiException) as exc:
        return refuse(request, refusal_for(str(exc)))


def _role_refusal(role: str | None, deep_link: bool) -> Refusal | None:
    if role is None:
        return Refusal(403, "Your role in this course has no place in Lectio",
                       "Lectio opens for learners, teaching assistants and instructors of a "
                       "course. The platform gave you none of these roles here.",
                       "Ask your instructor or the platform's administrator about your role.")
    if deep_link and role != roles.INSTRUCTOR:
        return Refusal(403, "Only instructors choose Lectio content",
                       "Placing a Lectio lesson or quiz in the course is for its instructors.",
                       "Ask an instructor of the course to add the link.")
    return None


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def launch(request: HttpRequest) -> HttpResponse:
    """The platform's signed launch: verify it, sign the person in and send them on."""
    if request.method != "POST":
        return refuse(request, Refusal(
            405, "Open Lectio from your course",
            "This address receives sign-ins from a learning platform; it is not a page.",
            "Open Lectio from the link in your course."))
    key_ensure()
    try:
        lti_launch = tool.launch_validate(request)
        if lti_launch.is_submission_review_launch or lti_launch.is_data_privacy_launch:
            return refuse(request, Refusal(400, "Lectio does not support this kind of link",
                                           "Submission review and data privacy launches are "
                                           "not supported yet."))
        deep_link = lti_launch.is_deep_link_launch
        refused = _role_refusal(roles.lectio_role(lti_launch.roles_claim), deep_link)
        if refused:
            return refuse(request, refused)
        user = services.launch_accept(lti_launch=lti_launch, now=timezone.now())
    except LtiException as exc:
        return refuse(request, refusal_for(str(exc)))
    login(request, user, backend=LOGIN_BACKEND)
    lti_session.remember(request.session, launch_id=lti_launch.get_launch_id(),
                         frame_origins=tool.frame_origins(lti_launch), deep_link=deep_link)
    return _onward(request, lti_launch)


def _current_launch(request: HttpRequest):
    launch_id = request.session.get(lti_session.LAUNCH_ID)
    if not launch_id:
        return None
    try:
        return tool.launch_restore(request, launch_id)
    except LtiException:
        return None


EXPIRED = Refusal(400, "Your LTI session has ended",
                  "This page continues a sign-in from a learning platform, and that sign-in "
                  "is over (it lasts a day) or happened in another browser.")


@never_cache
@login_required
def launch_continue(request: HttpRequest) -> HttpResponse:
    """Send a launched person where their link leads, once the course is connected."""
    lti_launch = _current_launch(request)
    if lti_launch is None:
        return refuse(request, EXPIRED)
    return _onward(request, lti_launch)


def _onward(request: HttpRequest, lti_launch) -> HttpResponse:
    route = services.launch_route(lti_launch=lti_launch, user=request.user)
    if route["course"] is None:
        if route["role"] == roles.INSTRUCTOR:
            return redirect("lti:course-connect")
        return render(request, "lti/not_connected.html", {"context": route["context"]},
                      status=409)
    if lti_launch.is_deep_link_launch:
        return redirect("lti:deep-link")
    if route["target"] is not None:
        return redirect(route["target"].get_absolute_url())
    if route["role"] == roles.INSTRUCTOR:
        return redirect("lti:link-choose")
    messages.info(request, "This link from your course does not open a particular lesson "
                           "yet, so here is the whole course.")
    return redirect(route["course"].get_absolute_url())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def course_connect(request: HttpRequest) -> HttpResponse:
    """An instructor opens their platform course on a Lectio course (theirs, or new)."""
    lti_launch = _current_launch(request)
    if lti_launch is None:
        return refuse(request, EXPIRED)
    context = lti_launch.context
    role = roles.lectio_role(lti_launch.roles_claim)
    if role != roles.INSTRUCTOR:
        return refuse(request, _role_refusal(None, deep_link=True) if role is None
                      else _role_refusal(role, deep_link=True))
    if hasattr(context, "lectio_link"):
        return redirect("lti:continue")
    form = CourseConnectForm(_posted(request), courses=selectors.courses_taught(request.user),
                             default_title=context.title or context.label or "")
    if request.method == "POST" and form.is_valid():
        try:
            link = services.course_link_create(
                context=context, course=form.chosen_course(), title=form.cleaned_data["title"],
                user=request.user, role=role)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"“{context.title or 'This course'}” now opens the Lectio "
                                      f"course “{link.course.title}”.")
            return redirect("lti:continue")
    return render(request, "lti/course_connect.html", {"form": form, "context": context})


def _routed(request: HttpRequest):
    """The current launch and where it leads, for the pages that need a connected course
    and an instructor; or a response refusing."""
    lti_launch = _current_launch(request)
    if lti_launch is None:
        return None, None, refuse(request, EXPIRED)
    route = services.launch_route(lti_launch=lti_launch, user=request.user)
    if route["course"] is None:
        return None, None, redirect("lti:continue")
    if route["role"] != roles.INSTRUCTOR:
        return None, None, refuse(request, _role_refusal(route["role"], deep_link=True))
    return lti_launch, route, None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def link_choose(request: HttpRequest) -> HttpResponse:
    """For a link placed in the platform by hand: the instructor chooses what it opens."""
    lti_launch, route, refused = _routed(request)
    if refused:
        return refused
    if route["resource_link"] is None:
        return redirect("lti:continue")
    items = selectors.placeable_items(route["course"])
    form = ResourceChoiceForm(_posted(request), items=items, multiple=False)
    if request.method == "POST" and form.is_valid():
        item = form.chosen()[0]
        services.resource_place(
            resource_link=route["resource_link"], course=route["course"],
            lesson=item["object"] if item["kind"] == "lesson" else None,
            quiz=item["object"] if item["kind"] == "quiz" else None)
        messages.success(request, f"This link now opens “{item['title']}”.")
        return redirect("lti:continue")
    return render(request, "lti/link_choose.html", {"form": form, "course": route["course"],
                                                     "items": items})


def deep_link_resources(request: HttpRequest, chosen: list[dict]) -> list[DeepLinkResource]:
    """Content items for the chosen lessons and quizzes: LTI resource links back to Lectio's
    launch URL, naming their target in custom parameters; a quiz with a line item."""
    launch_url = request.build_absolute_uri(reverse("lti:launch"))
    resources = []
    for item in chosen:
        target = item["object"]
        resource = (DeepLinkResource().set_url(launch_url).set_title(item["title"])
                    .set_custom_params({f"lectio_{item['kind']}": str(target.pk)}))
        if item["kind"] == "quiz":
            resource.set_lineitem(
                LineItem().set_score_maximum(float(services.quiz_points(target)) or 1.0)
                .set_label(target.title).set_resource_id(services.quiz_resource_id(target))
                .set_tag("lectio-quiz"))
        resources.append(resource)
    return resources


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    """Deep linking: the instructor picks lessons or quizzes; Lectio returns them to the
    platform as signed LtiResourceLink content items."""
    lti_launch, route, refused = _routed(request)
    if refused:
        return refused
    if not lti_launch.is_deep_link_launch:
        return refuse(request, EXPIRED)
    settings_claim = lti_launch.get_claim(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings") or {}
    multiple = str(settings_claim.get("accept_multiple", "true")).lower() != "false"
    items = selectors.placeable_items(route["course"])
    form = ResourceChoiceForm(_posted(request), items=items, multiple=multiple)
    if request.method == "POST" and form.is_valid():
        resources = deep_link_resources(request, form.chosen())
        deep = lti_launch.get_message_launch().get_deep_link()
        return_url = settings_claim["deep_link_return_url"]
        response = render(request, "lti/deep_link_return.html", {
            "jwt": deep.get_response_jwt(resources), "return_url": return_url,
            "chosen": form.chosen()})
        # The form posts to the platform: allow that one origin as a form action.
        response._csp_update = {"form-action": [tool.origin(return_url)]}
        return response
    return render(request, "lti/deep_link.html", {
        "form": form, "course": route["course"], "items": items, "multiple": multiple,
        "platform_title": settings_claim.get("title", "")})
