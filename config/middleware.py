"""Answer "the database is unavailable" as what it is: a 503 with Retry-After, not a 500.

While PostgreSQL restarts (or a failover moves it), connecting or querying raises Django's
OperationalError or InterfaceError. Those are not bugs in the request, and a client that
waits a few seconds will succeed, so they get 503 Service Unavailable with Retry-After:
JSON for the JSON endpoints (the autosave page retries on a 5xx and says it is retrying),
a plain page otherwise. Other database errors (integrity, data) are still 500s: they are
defects to fix, not outages to wait out.
"""

from __future__ import annotations

import logging

import redis
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


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.lectio_json_endpoint = getattr(view_func, "json_endpoint", False)

    def process_exception(self, request, exception):
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
