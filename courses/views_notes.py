"""Teaching staff add, edit and delete the notes of a lesson."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import access, services, services_notes
from .access import course_view
from .forms import AnnotationForm
from .models import Annotation
from .views import _lesson_or_404


@require_POST
@course_view(*access.TEACHING)
def note_create(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    lesson = _lesson_or_404(course, slug, role)
    passages = {p.order: p for p in lesson.reading.passages.all()}
    form = AnnotationForm(request.POST, passage_count=len(passages))
    if form.is_valid():
        data = form.cleaned_data
        try:
            note = services.annotation_create(
                lesson=lesson, passage=passages[data["passage"]], quote=data["quote"],
                occurrence=data["occurrence"], kind=data["kind"], title=data["title"],
                body=data["body"], audience=data["audience"], depth=data["depth"],
                author=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Note added.")
            return redirect(lesson.get_absolute_url() + f"#ref-{note.pk}")
    else:
        messages.error(request, "The note was not added: " + "; ".join(
            f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    return redirect(lesson.get_absolute_url() + "#add-note")


@course_view(*access.TEACHING)
def note_edit(request: HttpRequest, course, role: str, slug: str, pk: int) -> HttpResponse:
    lesson = _lesson_or_404(course, slug, role)
    # The lesson of the URL, whose course access checked: a note of another lesson on the
    # same reading (another course's, perhaps) is not found here.
    note = get_object_or_404(Annotation.objects.select_related("passage"), pk=pk,
                             lesson=lesson, passage__reading_id=lesson.reading_id)
    count = lesson.reading.passages.count()
    if request.method == "POST" and request.POST.get("action") == "delete":
        note.delete()
        messages.success(request, "Note deleted.")
        return redirect(lesson.get_absolute_url())
    initial = {"passage": note.passage.order, "quote": note.quote, "occurrence":
               note.passage.text.count(note.quote, 0, note.start) + 1, "kind": note.kind,
               "title": note.title, "body": note.body, "audience": note.audience,
               "depth": note.depth}
    form = AnnotationForm(request.POST or None, initial=initial, passage_count=count)
    form.fields["passage"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services_notes.annotation_update(
                annotation=note, quote=data["quote"], occurrence=data["occurrence"],
                kind=data["kind"], title=data["title"], body=data["body"],
                audience=data["audience"], depth=data["depth"])
        except ValidationError as error:
            form.add_error("quote", " ".join(error.messages))
        else:
            messages.success(request, "Note saved.")
            return redirect(lesson.get_absolute_url() + f"#ref-{note.pk}")
    return render(request, "courses/note_edit.html",
                  {"course": course, "lesson": lesson, "note": note, "form": form})
