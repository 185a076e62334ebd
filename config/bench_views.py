"""Baseline views for the benchmarks in bench/: the cheapest real Django work to compare with.

They are routed only when LECTIO_BENCH_ENDPOINTS=1, so production never exposes them.
"""

from __future__ import annotations

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def bare_read(request: HttpRequest) -> HttpResponse:
    """One indexed row read (a user by primary key) and a tiny response."""
    user = get_user_model().objects.only("username").filter(pk=1).first()
    return HttpResponse(user.username if user else "-", content_type="text/plain")


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """One INSERT (an auth group with a unique name) and a tiny JSON response."""
    group = Group.objects.create(name=f"bench-{uuid.uuid4().hex}")
    return JsonResponse({"id": group.pk})
