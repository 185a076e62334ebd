"""The reading library, for teaching staff: the readings they may build lessons from, with
their versions and the lessons using them. Site admins see every reading and make readings
available to courses; instructors build lessons; assistants look.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import access, services_lessons
from .access import library_view
from .forms_lessons import CourseChoiceForm, LibraryFilterForm
from .models import Course
from .selectors_library import (
    library_entries,
    library_scope,
    library_search,
    visible_reading,
)

PAGE_SIZE = 20


@library_view
def reading_library(request: HttpRequest, role: str) -> HttpResponse:
    scope = library_scope(request.user, role)
    form = LibraryFilterForm(request.GET or None, courses=scope.courses)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    page = Paginator(library_search(request.user, scope, **filters), PAGE_SIZE) \
        .get_page(request.GET.get("page"))
    course = filters.get("course")
    return render(request, "courses/reading_library.html", {
        "form": form, "page": page, "scope": scope, "filtered": bool(form.is_bound),
        "entries": library_entries(scope, list(page.object_list)),
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                             on_ends=1),
        "for_course": course if course in scope.authoring else (
            scope.authoring[0] if len(scope.authoring) == 1 else None),
    })


def _visible_or_404(user, pk: int):
    reading = visible_reading(user, pk)
    if reading is None:
        raise Http404("No such reading in your library.")
    return reading


@library_view
def reading_detail(request: HttpRequest, role: str, pk: int) -> HttpResponse:
    """One reading with its versions, the lessons using them and its text."""
    reading = _visible_or_404(request.user, pk)
    scope = library_scope(request.user, role)
    entry = library_entries(scope, [reading])[0]
    return render(request, "courses/reading_detail.html", {
        "reading": reading, "entry": entry, "scope": scope,
        "passages": reading.passages.order_by("order"),
        "for_course": scope.authoring[0] if len(scope.authoring) == 1 else None,
    })


@library_view
def reading_new_lesson(request: HttpRequest, role: str, pk: int) -> HttpResponse:
    """Go to the new-lesson form of the chosen course with this reading chosen (the
    library's "make a lesson in..." form; it changes nothing)."""
    reading = _visible_or_404(request.user, pk)
    form = CourseChoiceForm(request.GET, courses=library_scope(request.user, role).authoring)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["course"]))
        return redirect("courses:reading-library")
    if not reading.is_current:
        messages.error(request, "That version has been corrected since; make the lesson "
                                "from the current one.")
        return redirect("courses:reading-detail", pk=reading.pk)
    course = form.cleaned_data["course"]
    return redirect(reverse("courses:lesson-create", args=[course.slug])
                    + f"?reading={reading.pk}")


def _admin_only(role: str) -> None:
    if role != access.ADMIN:
        raise PermissionDenied("Only site admins make readings available to courses.")


def _back(request: HttpRequest) -> HttpResponse:
    # Back to the library page the admin was on; `next` is only ever a path of our own.
    target = request.POST.get("next", "")
    if not (target.startswith(reverse("courses:reading-library"))
            and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = reverse("courses:reading-library")
    return redirect(target)


@require_POST
@library_view
def reading_attach(request: HttpRequest, role: str, pk: int) -> HttpResponse:
    _admin_only(role)
    reading = _visible_or_404(request.user, pk)
    form = CourseChoiceForm(request.POST, courses=list(Course.objects.order_by("title")))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["course"]))
        return _back(request)
    course = form.cleaned_data["course"]
    try:
        _link, created = services_lessons.reading_attach(reading=reading, course=course,
                                                         user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request)
    if created:
        messages.success(request, f"“{reading.title}” is now available in “{course.title}”: "
                                  "its instructors can make a lesson from it.")
    else:
        messages.info(request, f"“{reading.title}” was already available in "
                               f"“{course.title}”.")
    return _back(request)


@require_POST
@library_view
def reading_detach(request: HttpRequest, role: str, pk: int, course_slug: str) -> HttpResponse:
    _admin_only(role)
    reading = _visible_or_404(request.user, pk)
    course = get_object_or_404(Course, slug=course_slug)
    if services_lessons.reading_detach(reading=reading, course=course):
        messages.success(request, f"“{reading.title}” is no longer offered to "
                                  f"“{course.title}”; lessons already made from it stay.")
    else:
        messages.info(request, f"“{reading.title}” was not offered to “{course.title}”.")
    return _back(request)
