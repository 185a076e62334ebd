"""Teaching work too long for a request, run by the task worker (jobs.services)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from jobs.services import job_run

from ..models import Question
from . import services


@task()
def question_regrade_task(*, job_id: int, question_id: int, user_id: int | None) -> str:
    """Regrade every submitted response to the question (idempotent: safe to run again)."""

    def work(progress) -> str:
        question = Question.objects.get(pk=question_id)
        user = get_user_model().objects.filter(pk=user_id).first()
        changed = services.question_regrade(question=question, user=user, now=timezone.now(),
                                            progress=progress)
        return f"Regraded: {changed} score{'s' if changed != 1 else ''} changed."

    return job_run(job_id, work)
