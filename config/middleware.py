"""Answer "the database is unavailable" as what it is: a 503 with Retry-After, not a 500.

While PostgreSQL restarts (or a failover moves it), connecting or querying raises Django's
OperationalError or InterfaceError. Those are not bugs in the request, and a client that
waits a few seconds will succeed, so they get 503 Service Unavailable with Retry-After:
JSON for the JSON endpoints (the autosave page retries on a 5xx and says it is retrying),
a plain page otherwise. Other database errors (integrity, data) are still 500s: they are
defects to fix, not outages to wait out.

With REDIS_URL, sessions and page parts are in Redis, and its ConnectionError and
TimeoutError are the same kind of outage. A session is saved after the view, by the session
middleware, where a view's exception handling no longer applies: `SessionMiddleware` below
answers a save that cannot reach the cache with the same 503 (config/sessions.py refuses it
before anything is written), and the 500 handler does for any other middleware
(config/views.py), so no outage ends in a 500.
"""

from __future__ import annotations

import logging

import redis
from django.contrib.sessions import middleware as sessions
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# With REDIS_URL the sessions and page parts are in Redis: while it restarts, the same.
UNAVAILABLE = (OperationalError, InterfaceError, redis.ConnectionError, redis.TimeoutError)


def json_endpoint(view):
    """Mark `view` as answering JSON, so its errors are answered in JSON too."""
    view.json_endpoint = True
    return view


def unavailable_response(request, exception: BaseException) -> HttpResponse | None:
    """The 503 with Retry-After that answers `exception` if it is an outage (JSON for a
    JSON endpoint, the plain 503 page otherwise), or None for any other exception."""
    if not isinstance(exception, UNAVAILABLE):
        return None
    log.warning("Database unavailable for %s %s: %s", request.method, request.path,
                exception)
    if getattr(request, "lectio_json_endpoint", False):
        response = JsonResponse(
            {"error": "The server cannot reach its database for a moment, so this "
                      "may not have been saved. Trying again in a few seconds will work."},
            status=503)
    else:
        # No context processors: they would ask the unavailable database for the user.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.lectio_json_endpoint = getattr(view_func, "json_endpoint", False)

    def process_exception(self, request, exception):
        return unavailable_response(request, exception)


class SessionMiddleware(sessions.SessionMiddleware):
    """Django's, except that a session that cannot be saved for an outage answers 503.

    The view's response is dropped with its cookies: it may say "signed in" or "saved"
    about a change whose session was not stored."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except UNAVAILABLE as exception:
            return unavailable_response(request, exception)
