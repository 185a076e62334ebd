"""Lectio's own 404 and 500 pages while debugging (`make run`).

With DEBUG on, Django answers an unknown address or a crash with its technical pages. Those
help whoever is changing the code, but the demo is mostly run by people trying Lectio, for
whom "Page not found" with a link back is the right answer. This middleware, installed only
when DEBUG is on and `LECTIO_DJANGO_DEBUG_PAGES` is off (config/settings/base.py), answers:

- an address no URL pattern matches (and that a trailing slash would not fix) with 404.html;
- a view's `Http404` with 404.html;
- a view's unexpected exception with 500.html, after logging the traceback to the console
  under `django.request`, as Django would, so nothing is hidden from the developer.

Without DEBUG the middleware is not installed: Django's own handler404/handler500 apply.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, get_urlconf, resolve

from . import views

logger = logging.getLogger("django.request")


def _resolves(path: str) -> bool:
    try:
        resolve(path, get_urlconf())
    except Resolver404:
        return False
    return True


class FriendlyErrorsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not _resolves(path) and not (
            settings.APPEND_SLASH and not path.endswith("/") and _resolves(path + "/")
        ):
            return views.page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, Http404):
            return views.page_not_found(request)
        if isinstance(exception, (PermissionDenied, BadRequest, SuspiciousOperation)):
            return None  # Django answers these with 403/400 itself, debugging or not
        logger.error("Internal Server Error: %s", request.path, exc_info=exception,
                     extra={"status_code": 500, "request": request})
        return views.server_error(request)
