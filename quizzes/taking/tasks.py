"""Quiz-taking work for the task worker."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .services import attempt_close_overdue


@task()
def attempts_close_overdue_task() -> int:
    """Submit every attempt past its deadline and grace; return how many. Idempotent: an
    attempt closed already is not overdue any more."""
    return attempt_close_overdue(now=timezone.now())
