"""Start long work as a background task and record its progress for the page that shows it.

A task runs in `manage.py db_worker` (django-tasks' database backend), on any machine. Every
task given to `job_start` must be idempotent: the worker may run it again after a crash, and
a person may start the same work twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

from .models import Job

logger = logging.getLogger(__name__)


def job_start(*, task, kind: str, title: str, owner=None, back_url: str = "",
              kwargs: dict | None = None) -> Job:
    """Record a job and enqueue `task(job_id=..., **kwargs)`.

    The database backend writes the task's row in the caller's transaction, so a worker
    sees the task only once the job and everything the caller wrote are committed."""
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:200], back_url=back_url[:300],
                                 owner=owner if owner is not None and owner.is_authenticated
                                 else None)
        result = task.enqueue(job_id=job.pk, **(kwargs or {}))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_run(job_id: int, work: Callable[[Callable[[int, int], None]], str]) -> str:
    """Run `work(progress)` for job `job_id`, recording running, progress, the result text it
    returns, or failure (then re-raised, so the task's own row says failed too)."""
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        result = work(progress)
    except Exception:
        logger.exception("background job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            result="The work stopped with an error; nothing half-done was kept. Start it "
                   "again, or ask a site admin to look at the worker's log.")
        raise
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, result=result)
    return result
