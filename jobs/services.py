"""Start long work as a background task and record its progress for the page that shows it.

A task runs in `manage.py db_worker` (django-tasks' database backend), on any machine. Every
task given to `job_start` must be idempotent: the worker may run it again after a crash, a
person may start the same work twice, and a failed job may be tried again from its page
(`job_retry`), which runs the same task with the same arguments on the same row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from .models import Job

logger = logging.getLogger(__name__)


def job_start(*, task, kind: str, title: str, owner=None, back_url: str = "",
              kwargs: dict | None = None) -> Job:
    """Record a job and enqueue `task(job_id=..., **kwargs)`; the job remembers both, so it
    can be tried again.

    The database backend writes the task's row in the caller's transaction, so a worker
    sees the task only once the job and everything the caller wrote are committed."""
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:200], back_url=back_url[:300],
                                 owner=owner if owner is not None and owner.is_authenticated
                                 else None,
                                 task_path=task.module_path, task_kwargs=kwargs or {})
        _enqueue(job, task)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job) -> bool:
    """Enqueue a failed job's task again, with the same arguments, on the same row: queued,
    no progress, no result. Returns False, and enqueues nothing, unless the job was failed
    and knows its task; of two requests at once (a double click) only one enqueues.

    Raises ImportError when the task's path no longer names a task; then the job is left
    failed, as it was."""
    with transaction.atomic():
        # The conditional UPDATE decides who enqueues: the second request finds the row no
        # longer failed (on PostgreSQL it waits for the first one's row lock to see that).
        claimed = _stamp(Job.objects.filter(pk=job.pk, status=Job.Status.FAILED)
                         .exclude(task_path=""),
                         status=Job.Status.QUEUED, done=0, total=0, result="")
        if claimed:
            _enqueue(job, _task(job.task_path))
    job.refresh_from_db()
    return bool(claimed)


def _stamp(jobs, **fields) -> int:
    """Update `jobs` with `fields` and the time of this change: QuerySet.update() leaves
    auto_now fields alone, and `updated_at` is how long a job has been silent (a confirm
    takes a job not heard of for a while for one whose worker died)."""
    return jobs.update(updated_at=timezone.now(), **fields)


def _task(path: str) -> Task:
    # By import path, so jobs never imports the apps whose work it runs.
    task = import_string(path)
    if not isinstance(task, Task):
        raise ImportError(f"{path} is not a task")
    return task


def _enqueue(job: Job, task: Task) -> None:
    result = task.enqueue(job_id=job.pk, **job.task_kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


class JobError(Exception):
    """Raised by a job's work to stop it with a message for the person who started it (a
    file that cannot be imported, a quiz deleted meanwhile): the job fails with that text
    instead of the general one, and nothing is logged as a crash."""


def job_record_done(job_id: int, *, result: str, done: int, total: int,
                    back_url: str | None = None) -> None:
    """Mark the job done with `result` (and point its page's way back at `back_url`, when
    given). Called inside the transaction that does the work, the work and its result commit
    together: a run killed in between leaves neither, and a run after the commit finds the
    job done and reports this result (see job_run)."""
    _stamp(Job.objects.filter(pk=job_id),
        status=Job.Status.DONE, done=done, total=total, result=result,
        **({"back_url": back_url[:300]} if back_url is not None else {}))


def job_run(job_id: int, work: Callable[..., str]) -> str:
    """Run `work(progress)` for job `job_id`, recording running, progress, the result text it
    returns, or failure (then re-raised, so the task's own row says failed too).

    `progress(done, total, note="")` records the counts and, with a note, a line the page
    shows while the work runs. A job already done is not run again: its result is returned,
    so a worker retrying a task that had finished changes nothing."""
    finished = Job.objects.filter(pk=job_id, status=Job.Status.DONE).values_list(
        "result", flat=True).first()
    if finished is not None:
        return finished
    _stamp(Job.objects.filter(pk=job_id), status=Job.Status.RUNNING, result="")

    def progress(done: int, total: int, note: str = "") -> None:
        _stamp(Job.objects.filter(pk=job_id), done=done, total=total,
               **({"result": note} if note else {}))

    try:
        result = work(progress)
    except JobError as error:
        logger.info("background job %s stopped: %s", job_id, error)
        _stamp(Job.objects.filter(pk=job_id), status=Job.Status.FAILED, result=str(error))
        raise
    except Exception:
        logger.exception("background job %s failed", job_id)
        _stamp(
            Job.objects.filter(pk=job_id), status=Job.Status.FAILED,
            result="The work stopped with an error; nothing half-done was kept. Try it "
                   "again, or ask a site admin to look at the worker's log.")
        raise
    _stamp(Job.objects.filter(pk=job_id), status=Job.Status.DONE, result=result)
    return result
