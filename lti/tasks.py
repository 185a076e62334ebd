"""Grade passback in the task worker: the request that changed grades never waits for an LMS."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from .services_passback import passback_send_due


@task()
def passback_send_task(*, ids: list[int]) -> dict[str, int]:
    """Send the due grades among `ids`. Safe to run again: a grade already sent is no longer
    pending, and one changed since is sent at its newest version."""
    return passback_send_due(ids=ids, limit=settings.LECTIO_LTI_PASSBACK_SEND_AT_ONCE)
