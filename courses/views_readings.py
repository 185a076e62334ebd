"""Admins upload readings (a file, pasted text or a web address): preview what the cleaning
found and removed, correct the title, dek, authors, date and source, then confirm."""

from __future__ import annotations

from dataclasses import asdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import uploads
from .forms import ReadingDetailsForm, ReadingUploadForm
from .ingest import IngestError
from .models import Course

SESSION_KEY = "lectio_reading_upload"


def staff_only(view):
    """Site admins only; everyone else gets 403, anonymous visitors the login page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied("Only site admins can upload readings.")
        return view(request, *args, **kwargs)

    return wrapper


def _duplicate_message(request: HttpRequest, existing) -> None:
    url = reverse("admin:courses_reading_change", args=[existing.pk])
    messages.warning(request, f"This text is already in Lectio as “{existing.title}” "
                              f"(reading {existing.pk}, {url}). Nothing was stored.")


def _payload(form: ReadingUploadForm) -> tuple[bytes, str, str]:
    """(bytes, file name, source URL) of what the form names; IngestError on a refused URL."""
    url = form.cleaned_data.get("url")
    if url:
        fetched = uploads.upload_fetch(url=url)
        return fetched.data, fetched.filename, fetched.url
    data, filename = form.payload()
    return data, filename, ""


@staff_only
def reading_upload(request: HttpRequest) -> HttpResponse:
    form = ReadingUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data, filename, source_url = _payload(form)
            cleaned = uploads.upload_clean(data=data, filename=filename)
        except IngestError as error:
            form.add_error(None, str(error))
        else:
            existing = uploads.reading_find_duplicate(cleaned.content_hash)
            if existing is not None:
                _duplicate_message(request, existing)
                return render(request, "courses/reading_upload.html",
                              {"form": form, "duplicate": existing})
            course = form.cleaned_data.get("course")
            request.session[SESSION_KEY] = {
                "token": uploads.upload_stage(data=data, filename=filename, owner=request.user),
                "title": form.cleaned_data.get("title", ""),
                "source_url": source_url,
                "course": course.pk if course else None,
                "publish": bool(form.cleaned_data.get("publish")),
            }
            return redirect("courses:reading-upload-preview")
    return render(request, "courses/reading_upload.html", {"form": form})


def _staged(request: HttpRequest):
    staged = request.session.get(SESSION_KEY)
    if not staged:
        raise IngestError("There is no upload waiting. Upload a reading first.")
    data, filename = uploads.upload_load(staged["token"], owner=request.user)
    return staged, data, uploads.upload_clean(data=data, filename=filename)


def _details_form(staged: dict, cleaned, posted=None) -> ReadingDetailsForm:
    """The preview's form, filled with what ingest found; on confirm, each posted field
    replaces what was found (a field left out of the post keeps it)."""
    found = uploads.details_found(cleaned, title=staged.get("title", ""),
                                  source_url=staged.get("source_url", ""))
    initial = {**asdict(found), "authors": "\n".join(found.authors),
               "published_on": found.published_on.isoformat() if found.published_on else ""}
    if posted is None:
        return ReadingDetailsForm(initial=initial)
    fields = ReadingDetailsForm.base_fields
    return ReadingDetailsForm({**initial, **{k: posted[k] for k in posted if k in fields}})


def _preview(request: HttpRequest, staged: dict, cleaned,
             form: ReadingDetailsForm) -> HttpResponse:
    course = Course.objects.filter(pk=staged["course"]).first() if staged["course"] else None
    return render(request, "courses/reading_upload_preview.html", {
        "cleaned": cleaned, "form": form, "course": course, "publish": staged["publish"],
        "title": form["title"].value() or cleaned.title,
    })


@staff_only
def reading_upload_preview(request: HttpRequest) -> HttpResponse:
    try:
        staged, _data, cleaned = _staged(request)
    except IngestError as error:
        messages.error(request, str(error))
        return redirect("courses:reading-upload")
    return _preview(request, staged, cleaned, _details_form(staged, cleaned))


@require_POST
@staff_only
def reading_upload_confirm(request: HttpRequest) -> HttpResponse:
    try:
        staged, data, cleaned = _staged(request)
    except IngestError as error:
        messages.error(request, str(error))
        return redirect("courses:reading-upload")
    form = _details_form(staged, cleaned, request.POST)
    if not form.is_valid():
        # Nothing stored; the upload stays staged so the admin can fix the fields.
        return _preview(request, staged, cleaned, form)
    existing = uploads.reading_find_duplicate(cleaned.content_hash)
    if existing is not None:
        _duplicate_message(request, existing)
    else:
        course = Course.objects.filter(pk=staged["course"]).first() if staged["course"] \
            else None
        details = uploads.ReadingDetails(**{**form.cleaned_data,
                                            "authors": tuple(form.cleaned_data["authors"])})
        reading = uploads.reading_publish_upload(
            cleaned=cleaned, data=data, details=details, course=course,
            publish=staged["publish"], user=request.user)
        messages.success(request, f"Stored “{reading.title}” with "
                                  f"{len(cleaned.passages)} passages.")
    uploads.upload_discard(staged["token"])
    del request.session[SESSION_KEY]
    return redirect("courses:reading-upload")


@require_POST
@staff_only
def reading_upload_cancel(request: HttpRequest) -> HttpResponse:
    staged = request.session.pop(SESSION_KEY, None)
    if staged:
        uploads.upload_discard(staged["token"])
    messages.info(request, "Upload cancelled; nothing was stored.")
    return redirect("courses:reading-upload")
