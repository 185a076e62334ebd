"""Instructor pages for moving questions and lessons in and out: GIFT/Aiken import with a
preview, GIFT, Moodle XML and QTI export, lesson package export and import.

Only the course's instructors (and site admins) may use them: importing changes quizzes and
their keys, which assistants may not do, and exports carry every answer key.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from config.jsoninput import JSONInputError
from courses import access, uploads
from courses.access import course_view
from courses.ingest import IngestError
from courses.models import Lesson, PendingUpload
from jobs.submissions import SubmissionExpired, submission_issue

from .. import grading
from ..models import Quiz
from . import import_jobs, package_services, services
from .drafts import draft_spec
from .forms import LessonImportForm, QuestionImportForm

CHANGE_QUIZZES = (access.INSTRUCTOR, access.ADMIN)
PREVIEW_PAGE_SIZE = 50  # questions shown per page of an import's preview
ALREADY_IMPORTED = ("This file's questions had been imported already (a confirm sent twice, "
                    "or a page visited again), so nothing more was imported.")


def _session_key(quiz: Quiz) -> str:
    return f"lectio_question_import_{quiz.pk}"


def _quiz_for_instructor(request: HttpRequest, pk: int) -> Quiz:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=pk)
    access.check_course_access(request.user, quiz.lesson.course, CHANGE_QUIZZES)
    return quiz


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def question_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a GIFT, Aiken, Moodle XML or QTI file; it waits on the server while the
    instructor previews."""
    quiz = _quiz_for_instructor(request, pk)
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        chosen = form.cleaned_data["format"]
        fmt = services.format_guess(data, upload.name) if chosen == "auto" else chosen
        uploads.upload_discard(request.session.get(_session_key(quiz), {}).get("token", ""))
        request.session[_session_key(quiz)] = {
            "token": uploads.upload_stage(data=data, filename=upload.name, owner=request.user,
                                          kind=PendingUpload.Kind.QUESTIONS),
            "format": fmt, "filename": upload.name[:200],
        }
        return redirect("quizzes:question-import-preview", pk=quiz.pk)
    return render(request, "quizzes/question_import.html", {"quiz": quiz, "form": form})


def _upload_gone(request: HttpRequest, quiz: Quiz, staged: dict | None,
                 error: IngestError) -> HttpResponse:
    if staged and staged.get("job"):
        # Its import was started (a second confirm, a reload): the job's page has the outcome.
        return redirect("jobs:job-detail", pk=staged["job"])
    if staged and staged.get("imported"):
        messages.info(request, ALREADY_IMPORTED)
        return redirect(quiz)
    request.session.pop(_session_key(quiz), None)
    messages.error(request, str(error))
    return redirect("quizzes:question-import", pk=quiz.pk)


def _refused(request: HttpRequest, quiz: Quiz) -> HttpResponse:
    messages.error(request, "The file has problems, so nothing was imported. Fix the file, "
                   "or choose to import only the valid questions.")
    return redirect("quizzes:question-import-preview", pk=quiz.pk)


def _confirm_in_worker(request: HttpRequest, quiz: Quiz, staged: dict) -> HttpResponse:
    try:
        job = import_jobs.question_import_start(
            token=staged["token"], quiz=quiz, user=request.user, format=staged["format"],
            only_valid=request.POST.get("only_valid") == "on")
    except IngestError as error:
        return _upload_gone(request, quiz, staged, error)
    request.session[_session_key(quiz)] = {**staged, "job": job.pk}
    return redirect(job)


@login_required
def question_import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a summary of the file (questions by type, problems, the quiz they go to), every
    problem by line and the parsed questions 50 to a page (?page=N; a page that does not
    exist shows the first or the last); on confirm store every question of the file, in
    the request or, for a large file, in the task worker (the instructor goes to its job
    page).

    A file with problems imports nothing unless the instructor ticks "import only the valid
    questions". The confirm imports what the server read from its own copy of the file
    (parsed once, services.staged_file_parse): nothing the browser sends back is trusted.
    """
    quiz = _quiz_for_instructor(request, pk)
    staged = request.session.get(_session_key(quiz))
    action = request.POST.get("action") if request.method == "POST" else None
    only_valid = request.POST.get("only_valid") == "on"
    if action == "confirm" and staged and "questions" in staged and "imported" not in staged:
        # The counts the preview read from these same bytes decide, so a large file is read
        # again only by the task, not here.
        if staged["problems"] and not only_valid:
            return _refused(request, quiz)
        if import_jobs.runs_in_worker(questions=staged["questions"], size=staged["size"]):
            return _confirm_in_worker(request, quiz, staged)
    try:
        if not staged:
            raise IngestError("There is no upload waiting. Choose a file first.")
        data, _ = uploads.upload_load(staged["token"], owner=request.user)
    except IngestError as error:
        return _upload_gone(request, quiz, staged, error)
    parsed = services.staged_file_parse(token=staged["token"], data=data,
                                        format=staged["format"])
    if request.method == "POST":
        if action == "confirm":
            if parsed.problems and not only_valid:
                return _refused(request, quiz)
            if import_jobs.runs_in_worker(questions=len(parsed.questions), size=len(data)):
                return _confirm_in_worker(request, quiz, staged)  # no preview came first
            try:
                created = import_jobs.staged_questions_import(
                    token=staged["token"], quiz=quiz, user=request.user,
                    drafts=parsed.questions)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("quizzes:question-import-preview", pk=quiz.pk)
            if created is None:
                messages.info(request, ALREADY_IMPORTED)
            else:
                messages.success(request, f"Imported {len(created)} question"
                                 f"{'s' if len(created) != 1 else ''} into “{quiz.title}”.")
            # Kept so that this confirm sent again is told it was done (its upload is gone).
            request.session[_session_key(quiz)] = {**staged, "imported": True}
            return redirect(quiz)
        messages.info(request, "Import cancelled; nothing was stored.")
        uploads.upload_discard(staged["token"])
        request.session.pop(_session_key(quiz), None)
        return redirect("quizzes:question-import", pk=quiz.pk)
    counted = {**staged, "questions": len(parsed.questions), "problems": len(parsed.problems),
               "size": len(data)}
    if counted != staged:  # turning the pages of one file writes no session
        request.session[_session_key(quiz)] = counted
    # Only one page of questions is rendered (a prompt's Markdown was most of a large
    # bank's preview time); the summary and every problem cover the whole file.
    page = Paginator(parsed.questions, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"draft": d, "label": grading.TYPES[d.type].label,
             "answer": grading.get_type(d.type).correct_answer_text(draft_spec(d))}
            for d in page.object_list]
    return render(request, "quizzes/question_import_preview.html", {
        "quiz": quiz, "rows": rows, "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2,
                                                             on_ends=1),
        "total": len(parsed.questions), "by_type": services.question_type_counts(
            parsed.questions), "problems": parsed.problems, "notices": parsed.notices,
        "in_worker": import_jobs.runs_in_worker(questions=len(parsed.questions),
                                                size=len(data)),
        "format": services.FORMATS[staged["format"]], "filename": staged["filename"],
    })


@require_GET
@login_required
def quiz_export_moodle_xml(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz as a Moodle XML file; what it cannot express is named in a comment at its
    top."""
    quiz = _quiz_for_instructor(request, pk)
    text, _ = services.quiz_export_moodle_xml(quiz)
    response = HttpResponse(text, content_type="application/xml; charset=utf-8")
    return _attachment(response, f"{slugify(quiz.title) or 'quiz'}.moodle.xml")


@require_GET
@login_required
def quiz_export_qti(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz as a QTI 1.2 zip that Canvas imports; what QTI cannot express is named in
    a comment in its assessment file."""
    quiz = _quiz_for_instructor(request, pk)
    data, _ = services.quiz_export_qti(quiz)
    return _attachment(HttpResponse(data, content_type="application/zip"),
                       f"{slugify(quiz.title) or 'quiz'}.qti.zip")


@require_GET
@login_required
def quiz_export_gift(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz as a GIFT file; questions GIFT cannot express are named at its top."""
    quiz = _quiz_for_instructor(request, pk)
    text, _ = services.quiz_export_gift(quiz)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    return _attachment(response, f"{slugify(quiz.title) or 'quiz'}.gift")


@require_GET
@course_view(*CHANGE_QUIZZES)
def lesson_export(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """The lesson as one versioned JSON document: reading, notes, quizzes, rubrics."""
    lesson = get_object_or_404(Lesson, course=course, slug=slug)
    document = package_services.lesson_export(lesson=lesson)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    return _attachment(response, f"{lesson.slug}-{stamp}.lectio.json")


@course_view(*CHANGE_QUIZZES)
def lesson_import(request: HttpRequest, course, role: str) -> HttpResponse:
    """Upload a lesson package into this course; every problem is listed, nothing half-made.
    A large package is imported by the task worker: the instructor goes to its job page.
    The form imports once: sent again (a double click, a reload) it goes where it went."""
    form = LessonImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            done = import_jobs.lesson_import_submit(
                submission=request.POST.get("submission", ""), data=upload.read(),
                filename=upload.name, course=course, user=request.user)
        except JSONInputError as error:
            problems = [f"{error} Upload the .json file Lectio exported."]
        except ValidationError as error:
            problems = error.messages
        except SubmissionExpired as error:
            problems = [str(error)]
        else:
            if done.again:
                messages.info(request, "This form had been sent already, so nothing more "
                              "was imported: here is what the first sending did.")
            elif done.lesson is not None:
                messages.success(request, f"Imported the lesson “{done.lesson.title}” "
                                 "(unpublished until you publish it).")
            return redirect(done.url)
    # A new token for every form shown: one that failed was rolled back unused, but a
    # fresh one keeps the rule simple (each form shown imports at most once).
    return render(request, "quizzes/lesson_import.html", {
        "course": course, "form": form, "problems": problems,
        "submission": submission_issue(owner=request.user,
                                       purpose=import_jobs.LESSON_IMPORT),
    })
