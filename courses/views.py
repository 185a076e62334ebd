"""Course pages: thin views that check access, call one selector or service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.jsoninput import JSONInputError, loads_bounded
from config.middleware import json_endpoint

from . import access, selectors, services
from .access import course_view
from .forms import AnnotationForm, ProgressReportForm
from .hooks import course_links, lesson_extras
from .rendering import lesson_next_html
from .shell import render_shell


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    courses = list(selectors.course_list_for_user(request.user))
    roles = selectors.course_roles_for_user(request.user, courses)
    for course in courses:
        course.my_role = roles.get(course.pk)
    return render(request, "courses/course_list.html", {"courses": courses})


@course_view()
def course_detail(request: HttpRequest, course, role: str) -> HttpResponse:
    lessons = selectors.lessons_for_course(course, request.user, role)
    return render(
        request,
        "courses/course_detail.html",
        {"course": course, "role": role, "lessons": lessons,
         "teaching": role in access.TEACHING, "now": timezone.now(),
         "links": course_links(course, request.user, role)},
    )


def _lesson_or_404(course, slug: str, role: str):
    lesson = selectors.lesson_for_course(course, slug, role)
    if lesson is None:
        raise Http404("No such lesson.")
    lesson.course = course  # already fetched; saves a query wherever the lesson links itself
    return lesson


@login_required
def lesson_detail(request: HttpRequest, course_slug: str, slug: str) -> HttpResponse:
    # Not a @course_view: the selector reads the course and the reader's role in the same
    # query as the lesson, and applies the same access check.
    try:
        page = selectors.lesson_page(request.user, course_slug, slug)
    except access.LessonNotOpen as closed:
        return render(request, "courses/lesson_not_open.html",
                      {"course_slug": course_slug, "opens_at": closed.opens_at}, status=403)
    page.extras = lesson_extras(page.lesson, request.user, page.role)
    teaching = page.role in access.TEACHING
    return render_shell(
        request, "courses/lesson_detail.html", key=page.version_key,
        context={"course": page.course, "role": page.role, "page": page,
                 "lesson": page.lesson, "teaching": teaching,
                 "note_form": (AnnotationForm(passage_count=page.passage_count)
                               if teaching else None)},
        slots={"progress": page.progress_text,
               "extras": lesson_next_html(page.extras)},
    )


# A beacon names a few passages; a whole long reading is well under this.
PROGRESS_MAX_BYTES = 64 * 1024


@json_endpoint
@require_POST
@course_view()
def lesson_progress(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """Record passages reached. Accepts the page's beacon (form data or JSON) and the no-JS
    "mark as read" form, which marks every passage up to the one given."""
    lesson = _lesson_or_404(course, slug, role)
    if request.content_type == "application/json":
        try:
            payload = loads_bounded(request.body or b"{}", max_bytes=PROGRESS_MAX_BYTES,
                                    max_depth=3)
        except JSONInputError as error:
            return JsonResponse({"error": f"{error} Send JSON like {{\"seen\": [1, 2]}}."},
                                status=400)
        if not isinstance(payload, dict):
            return JsonResponse({"error": "Send JSON like {\"seen\": [1, 2]}."}, status=400)
        form = ProgressReportForm(payload)
    else:
        form = ProgressReportForm(request.POST)
    if not form.is_valid():
        problems = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return JsonResponse({"error": "; ".join(problems)}, status=400)
    report = form.cleaned_data
    progress = services.reading_progress_record(
        user=request.user, lesson=lesson, seen=report["seen"],
        seconds=report["seconds"] or 0, upto=report["upto"],
    )
    if report["upto"]:
        messages.success(request, "Progress saved.")
        anchor = min(report["upto"], progress.furthest_passage)
        return redirect(lesson.get_absolute_url() + f"#p-{anchor}")
    return JsonResponse(
        {"seen": progress.passages_seen, "complete": progress.completed_at is not None}
    )


@course_view(*access.TEACHING)
def lesson_progress_report(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """For teaching staff: how far each student has read the lesson."""
    lesson = _lesson_or_404(course, slug, role)
    return render(request, "courses/lesson_progress_report.html", {
        "course": course, "lesson": lesson,
        "rows": selectors.lesson_progress_report(lesson),
    })
