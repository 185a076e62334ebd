"""The course's people, for its instructors: enrol a CSV roster through a preview, change a
role, remove someone. Assistants may not change enrolment, so these pages are closed to them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import access, uploads
from .access import course_view
from .forms import RosterForm
from .ingest import IngestError
from .models import Enrollment, PendingUpload, Role
from .roster import roster_parse
from .services_people import (
    enrollment_remove,
    enrollment_set_role,
    roster_apply,
    roster_plan,
)

CHANGE_ENROLMENT = access.AUTHORING
SESSION_KEY = "lectio_roster_{}"


@course_view(*CHANGE_ENROLMENT)
def people(request: HttpRequest, course, role: str) -> HttpResponse:
    """Everyone in the course, with role and removal controls and the roster upload."""
    form = RosterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        key = SESSION_KEY.format(course.pk)
        uploads.upload_discard(request.session.get(key, ""))
        request.session[key] = uploads.upload_stage(
            data=form.cleaned_data["file"].read(), filename=form.cleaned_data["file"].name,
            owner=request.user, kind=PendingUpload.Kind.ROSTER)
        return redirect("courses:roster-preview", course_slug=course.slug)
    enrolments = (Enrollment.objects.filter(course=course).select_related("user")
                  .order_by("role", "user__last_name", "user__first_name", "user__username"))
    return render(request, "courses/people.html", {
        "course": course, "form": form, "enrolments": enrolments, "roles": Role.choices,
    })


@course_view(*CHANGE_ENROLMENT)
def roster_preview(request: HttpRequest, course, role: str) -> HttpResponse:
    """What the staged roster would change, and every problem by line; store on confirm.

    The roster is read again from the server's copy on confirm, and checked again against
    the accounts as they are then.
    """
    key = SESSION_KEY.format(course.pk)
    try:
        data, filename = uploads.upload_load(request.session.get(key, ""), owner=request.user)
    except IngestError:
        request.session.pop(key, None)
        messages.error(request, "There is no roster waiting. Choose the file again.")
        return redirect("courses:people", course_slug=course.slug)
    roster = roster_parse(data)
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            try:
                plan = roster_apply(course=course, roster=roster)
            except ValidationError as error:
                for message in error.messages[:20]:
                    messages.error(request, message)
                return redirect("courses:roster-preview", course_slug=course.slug)
            messages.success(request, f"Enrolled {len(plan.new_accounts) + len(plan.enrolments)}"
                             f" student(s), {len(plan.new_accounts)} of them new accounts; "
                             f"{len(plan.section_changes)} section(s) changed.")
        else:
            messages.info(request, "Roster cancelled; nothing changed.")
        uploads.upload_discard(request.session.pop(key, ""))
        return redirect("courses:people", course_slug=course.slug)
    return render(request, "courses/roster_preview.html", {
        "course": course, "plan": roster_plan(course=course, roster=roster),
        "filename": filename,
    })


def _enrolment(course, pk: int) -> Enrollment:
    return get_object_or_404(Enrollment.objects.select_related("user"), course=course, pk=pk)


@require_POST
@course_view(*CHANGE_ENROLMENT)
def enrollment_role(request: HttpRequest, course, role: str, pk: int) -> HttpResponse:
    enrolment = _enrolment(course, pk)
    try:
        enrollment_set_role(enrollment=enrolment, role=request.POST.get("role", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{enrolment.user.get_username()} is now "
                         f"{Role(request.POST['role']).label.lower()}.")
    return redirect("courses:people", course_slug=course.slug)


@require_POST
@course_view(*CHANGE_ENROLMENT)
def enrollment_delete(request: HttpRequest, course, role: str, pk: int) -> HttpResponse:
    enrolment = Enrollment.objects.filter(course=course, pk=pk).select_related("user").first()
    if enrolment is None:
        messages.info(request, "That person was already removed.")
        return redirect("courses:people", course_slug=course.slug)
    try:
        enrollment_remove(enrollment=enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed {enrolment.user.get_username()} from the course. "
                         "Their attempts and grades are kept and come back if they are "
                         "enrolled again.")
    return redirect("courses:people", course_slug=course.slug)
