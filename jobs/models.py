"""What a background task shows the person who started it: status, progress and result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One run of long work in the task worker (django-tasks), as its page shows it.

    The task itself is django-tasks' row; this one is Lectio's, so the page reads progress
    written while the task runs, and the task can be run again (it is idempotent) without
    losing what the person asked for: the row keeps the task's import path and its
    arguments, and a failed job is enqueued again on the same row (jobs.services.job_retry).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for a worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              blank=True, related_name="+", verbose_name=_("started by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    result = models.TextField(_("result"), blank=True)
    back_url = models.CharField(_("back to"), max_length=300, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # What to run again: the task's import path and its arguments less job_id (JSON, as
    # django-tasks requires). Empty for jobs started before jobs could be retried.
    task_path = models.CharField(_("task"), max_length=200, blank=True)
    task_kwargs = models.JSONField(_("task arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def retryable(self) -> bool:
        """Failed, and the row knows what to run again."""
        return self.status == self.Status.FAILED and bool(self.task_path)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


class SubmissionToken(models.Model):
    """A form's one-time token: issued with the form, used by the POST that acts on it, and
    kept with where that POST sent its sender, so the same form sent again (a double click,
    a reload, a second tab) does nothing more and goes where the first went.

    It is used inside the transaction doing the work, under a row lock (jobs.submissions):
    of two POSTs arriving at once, one waits for the other's commit and then finds it used.
    """

    token = models.CharField(_("token"), max_length=32, primary_key=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("owner"))
    purpose = models.CharField(_("purpose"), max_length=40)
    # Empty until a POST used the token; then the page that POST sent its sender to.
    result_url = models.CharField(_("sent to"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("submission token")
        verbose_name_plural = _("submission tokens")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.purpose} ({'used' if self.used else 'unused'})"

    @property
    def used(self) -> bool:
        return bool(self.result_url)
