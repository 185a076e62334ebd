"""A course's lessons, for its teaching staff: the list in order, and for instructors (and
site admins) creating a lesson from the reading library, its settings, moving it up or
down, publishing and deleting. Assistants see the list read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import access, selectors_lessons, services_lessons
from .access import course_view
from .forms_lessons import LessonForm
from .hooks import lesson_manage_links
from .models import Lesson
from .ordering import focus_after_move
from .selectors_library import current_readings


def _manage_url(course, lesson: Lesson | None = None, control: str = "") -> str:
    """The lessons page; with `lesson`, its `control` (a move direction, "publish" or
    "title") focused, so a keyboard user carries on where they were. (No #fragment: a
    browser skips autofocus on a page opened at a fragment.)"""
    url = reverse("courses:lesson-manage", args=[course.slug])
    if lesson is None:
        return url
    return f"{url}?focus={lesson.pk}&on={control or 'title'}"


def _lesson(course, slug: str) -> Lesson | None:
    lesson = Lesson.objects.select_related("reading").filter(course=course, slug=slug).first()
    if lesson is not None:
        lesson.course = course
    return lesson


def _gone(request: HttpRequest, course) -> HttpResponse:
    messages.error(request, "That lesson no longer exists, or its address changed. Here "
                            "are the course's lessons as they are now.")
    return redirect(_manage_url(course))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@course_view(*access.TEACHING)
def lesson_manage(request: HttpRequest, course, role: str) -> HttpResponse:
    """Every lesson of the course in order; instructors get the controls to change them."""
    lessons = selectors_lessons.lessons_for_manage(course)
    links: dict[int, list] = {}
    for lesson_id, link in lesson_manage_links(lessons, request.user, role):
        links.setdefault(lesson_id, []).append(link)
    for lesson in lessons:
        lesson.manage_links = links.get(lesson.pk, [])
    focus = request.GET.get("focus", "")
    focused = next((lsn for lsn in lessons if str(lsn.pk) == focus), None)
    control = request.GET.get("on", "title")
    if focused is not None:
        control = focus_after_move(control, focused.number, len(lessons), "title")
    return render(request, "courses/lesson_manage.html", {
        "course": course, "role": role, "can_author": role in access.AUTHORING,
        "lessons": lessons, "focus_pk": focused.pk if focused else None,
        "focus_on": control if role in access.AUTHORING else "title",
    })


@course_view(*access.AUTHORING)
def lesson_create(request: HttpRequest, course, role: str) -> HttpResponse:
    """Make a lesson of the course from a reading in the library (`?reading=` preselects
    it and suggests its title and address)."""
    readings = current_readings(request.user).order_by("title", "pk")
    initial = {}
    chosen = request.GET.get("reading", "")
    reading = readings.filter(pk=chosen).first() if chosen.isdigit() else None
    if reading is not None:
        initial = {"reading": reading.pk, "title": reading.title,
                   "slug": selectors_lessons.lesson_suggested_slug(course, reading.title)}
    form = LessonForm(request.POST or None, course=course, readings=readings,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services_lessons.lesson_create(
                course=course, reading=form.cleaned_data["reading"], **form.settings())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Lesson “{lesson.title}” created as lesson "
                                      f"{lesson.position}"
                                      f"{'' if lesson.is_published else ', not published'}.")
            return redirect(_manage_url(course, lesson))
    if request.method == "POST":
        reading = form.cleaned_data.get("reading")
    return render(request, "courses/lesson_form.html", {
        "course": course, "form": form, "reading": reading, "creating": True,
    })


@course_view(*access.AUTHORING)
def lesson_edit(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    lesson = _lesson(course, slug)
    if lesson is None:
        return _gone(request, course)
    form = LessonForm(request.POST or None, course=course, lesson=lesson,
                      initial=LessonForm.initial_for(lesson))
    if request.method == "POST" and form.is_valid():
        try:
            services_lessons.lesson_update(lesson=lesson, **form.settings())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the settings of “{lesson.title}”.")
            return redirect(_manage_url(course, lesson))
    return render(request, "courses/lesson_form.html", {
        "course": course, "form": form, "lesson": lesson, "reading": lesson.reading,
        "creating": False,
    })


@require_POST
@course_view(*access.AUTHORING)
def lesson_move(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """Move the lesson one place up or down. The page's script asks for JSON (the new order
    and a sentence to announce) and keeps focus on the button; without it, the page comes
    back with the moved lesson's button focused."""
    lesson = _lesson(course, slug)
    direction = request.POST.get("direction", "")
    if lesson is None:
        if _wants_json(request):
            return JsonResponse({"error": "That lesson no longer exists."}, status=404)
        return _gone(request, course)
    try:
        lessons = services_lessons.lesson_move(lesson=lesson, direction=direction)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        messages.error(request, " ".join(error.messages))
        return redirect(_manage_url(course))
    message = f"“{lesson.title}” is now lesson {lesson.position} of {len(lessons)}."
    if _wants_json(request):
        return JsonResponse({"order": [other.pk for other in lessons],
                             "position": lesson.position, "message": message})
    messages.success(request, message)
    return redirect(_manage_url(course, lesson, direction))


@require_POST
@course_view(*access.AUTHORING)
def lesson_publish(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    lesson = _lesson(course, slug)
    if lesson is None:
        return _gone(request, course)
    publish = request.POST.get("publish") == "1"
    services_lessons.lesson_set_published(lesson=lesson, published=publish)
    messages.success(request, f"“{lesson.title}” is now published." if publish else
                     f"“{lesson.title}” is unpublished: students no longer see it; their "
                     "progress and grades are kept.")
    return redirect(_manage_url(course, lesson, "publish"))


@course_view(*access.AUTHORING)
def lesson_delete(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """Ask first; delete on POST, unless a student's attempt uses the lesson."""
    lesson = _lesson(course, slug)
    if lesson is None:
        if request.method == "POST":
            messages.info(request, "That lesson was already deleted.")
            return redirect(_manage_url(course))
        return _gone(request, course)
    if request.method == "POST":
        try:
            services_lessons.lesson_delete(lesson=lesson)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_manage_url(course, lesson))
        messages.success(request, f"Deleted the lesson “{lesson.title}”. Its reading stays "
                                  "in the library.")
        return redirect(_manage_url(course))
    return render(request, "courses/lesson_confirm_delete.html", {
        "course": course, "lesson": lesson,
        "uses": selectors_lessons.lesson_uses(lesson),
        "readers": lesson.progress.count(),
    })
