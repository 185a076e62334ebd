"""Baseline views for the benchmarks in bench/: the cheapest real Django work to compare with.

They are routed only when LECTIO_BENCH_ENDPOINTS=1, so production never exposes them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse


def bare_read(request: HttpRequest) -> HttpResponse:
    """One indexed row read (a user by primary key) and a tiny response."""
    user = get_user_model().objects.only("username").filter(pk=1).first()
    return HttpResponse(user.username if user else "-", content_type="text/plain")
