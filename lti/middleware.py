"""Lectio inside a platform's iframe, for the sessions that began with an LTI launch.

Browsers send a cookie to a page framed by another site only when it is `SameSite=None;
Secure`, and they show a page in a frame only when its headers allow the framing site.
Lectio keeps its strict defaults (`SameSite=Lax` cookies, `frame-ancestors 'none'`,
`X-Frame-Options: DENY`) for everyone else; a session begun by a verified launch gets, on
every response:

- its session and CSRF cookies with `SameSite=None; Secure` (over HTTPS only: a Secure
  cookie cannot be set over plain HTTP). CSRF protection is unchanged: POSTs still need
  Django's token, and Django still checks their Origin against Lectio's own.
- `Content-Security-Policy: frame-ancestors 'self'` plus the origins of the registered
  platform that launched it (lti/tool.py frame_origins), and no X-Frame-Options header
  (CSP's frame-ancestors replaces it in every current browser; old ones that only know
  X-Frame-Options could not allow one named site anyway).

The launch endpoints' own refusal pages carry `response.lti_frame_origins` (the registered
platforms) so a refused launch is explained inside the platform's frame.
"""

from __future__ import annotations

from django.conf import settings

from . import session as lti_session


def _embedded(request) -> bool:
    session = getattr(request, "session", None)
    try:
        return bool(session is not None and session.get(lti_session.EMBEDDED))
    except Exception:  # noqa: BLE001
        # A session that cannot be read (the database is down, and the view's 503 must
        # reach the browser as it is) is not an embedded one: the strict headers stay.
        return False


def _is_document(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


class EmbeddedCookiesMiddleware:
    """Before SessionMiddleware in MIDDLEWARE, so it sees the cookies set after it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        names = [name for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
                 if response.cookies.get(name) is not None
                 and response.cookies[name].value]
        if names and request.is_secure() and _embedded(request):
            for name in names:
                response.cookies[name]["samesite"] = "None"
                response.cookies[name]["secure"] = True
        return response


class EmbeddedFramingMiddleware:
    """After csp.middleware.CSPMiddleware in MIDDLEWARE, so the policy it builds includes
    the platform's origins."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        origins = getattr(response, "lti_frame_origins", None)
        # Only a document can be framed, and reading the session costs a query: a JSON
        # answer (an autosave refused before any query) must not pay for it.
        if origins is None and _is_document(response) and _embedded(request):
            origins = request.session.get(lti_session.FRAME_ORIGINS) or []
        if origins is not None:
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {}),
                                     "frame-ancestors": ["'self'", *origins]}
            response.xframe_options_exempt = True
        return response
