"""The page a background job's starter watches, the status it polls, and its "Try again"."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .models import Job

logger = logging.getLogger(__name__)


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    # Someone else's job is not found rather than forbidden: its title names a course.
    if job.owner_id != request.user.pk and not request.user.is_superuser:
        raise Http404("No such job.")
    return job


@never_cache
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status, progress and result; the page polls job_status while it runs."""
    return render(request, "jobs/job_detail.html", {"job": _own_job(request, pk)})


@never_cache
@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _own_job(request, pk)
    return JsonResponse({"status": job.status, "label": job.get_status_display(),
                         "done": job.done, "total": job.total, "percent": job.percent,
                         "finished": job.finished, "result": job.result,
                         "retryable": job.retryable})


@require_POST
@login_required
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Enqueue a failed job again (its task is idempotent); anything else is left as it is
    and the page says why."""
    job = _own_job(request, pk)
    try:
        retried = services.job_retry(job=job)
    except ImportError:
        logger.exception("job %s: its task %r cannot be imported", job.pk, job.task_path)
        messages.error(request, "This job's work can no longer be started from here. Start "
                                "it again from where you started it, or ask a site admin.")
        return redirect(job)
    if retried:
        messages.success(request, "Started again.")
    elif job.status == Job.Status.DONE:
        messages.info(request, "This job has already finished, so there is nothing to try "
                               "again.")
    elif job.status == Job.Status.FAILED:  # one from before jobs remembered their task
        messages.info(request, "This job cannot be tried again from here. Start it again "
                               "from where you started it.")
    else:
        messages.info(request, "This job is already waiting or running: it was not started "
                               "a second time.")
    return redirect(job)
