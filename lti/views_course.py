"""Instructors' LMS pages: the course's connections with roster sync, and the grade
passback status of a quiz."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from courses import access
from courses.access import course_view
from quizzes.models import Quiz

from . import selectors
from .models import CourseLink
from .services_passback import passback_request, passback_retry
from .services_roster import RosterSyncError, roster_sync

INSTRUCTORS = (access.INSTRUCTOR, access.ADMIN)


@course_view(*INSTRUCTORS)
def course_lms(request: HttpRequest, course, role: str) -> HttpResponse:
    """Which LMS courses open this course, with roster sync, and the quizzes whose grades
    go to an LMS gradebook."""
    return render(request, "lti/course_lms.html", {
        "course": course, "links": selectors.course_lms_links(course),
        "quizzes": selectors.course_line_item_quizzes(course),
    })


@require_POST
@course_view(*INSTRUCTORS)
def roster_sync_view(request: HttpRequest, course, role: str) -> HttpResponse:
    link = get_object_or_404(CourseLink.objects.select_related(
        "context__deployment__registration", "course"), pk=request.POST.get("link") or 0,
        course=course) if str(request.POST.get("link", "")).isdigit() else None
    if link is None:
        messages.error(request, "Choose which LMS course to read the roster from.")
        return redirect("lti:course-lms", course_slug=course.slug)
    try:
        report = roster_sync(link=link, now=timezone.now())
    except RosterSyncError as exc:
        messages.error(request, f"Nothing changed. {exc}")
    else:
        messages.success(request, f"Roster of “{link.context}” synced: {report.summary()}")
        if report.enrolled:
            messages.info(request, "Enrolled: " + ", ".join(report.enrolled[:50])
                          + (" …" if len(report.enrolled) > 50 else ""))
        if report.promoted:
            messages.info(request, "Higher role: " + ", ".join(report.promoted[:50]))
    return redirect("lti:course-lms", course_slug=course.slug)


def _quiz_for_teaching(request: HttpRequest, pk: int, roles) -> tuple[Quiz, str]:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=pk)
    role = access.check_course_access(request.user, quiz.lesson.course, roles)
    return quiz, role


@login_required
def quiz_passback(request: HttpRequest, pk: int) -> HttpResponse:
    """Per student: the quiz grade and what the LMS gradebook has been sent."""
    quiz, role = _quiz_for_teaching(request, pk, access.TEACHING)
    return render(request, "lti/quiz_passback.html", {
        "quiz": quiz, "course": quiz.lesson.course, "role": role,
        "can_send": role in INSTRUCTORS, **selectors.quiz_passback_rows(quiz)})


@require_POST
@login_required
def quiz_passback_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue every released grade that is not on the LMS yet, and retry failed ones."""
    quiz, _ = _quiz_for_teaching(request, pk, INSTRUCTORS)
    if quiz.grades_released_at is None:
        messages.error(request, "Release the quiz's grades first: only released grades go to "
                                "the LMS.")
        return redirect("lti:quiz-passback", pk=quiz.pk)
    now = timezone.now()
    retried = passback_retry(quiz=quiz, now=now)
    queued = passback_request(quiz=quiz, now=now)
    messages.success(request, f"{len(set(queued))} grade{'s' if len(set(queued)) != 1 else ''} "
                              f"sent or queued ({retried} failed one{'s' if retried != 1 else ''}"
                              " tried again). The table shows how each went.")
    return redirect("lti:quiz-passback", pk=quiz.pk)
