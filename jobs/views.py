"""The page a background job's starter watches, and the status it polls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from .models import Job


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
                         "finished": job.finished, "result": job.result})
