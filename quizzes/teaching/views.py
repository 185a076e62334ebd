"""Instructor pages: grading queue and screen, release, override, regrade, gradebook, CSV.

Every view admits only the course's teaching staff (instructors, assistants) and admins.
"""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from courses import access
from courses.access import course_view
from courses.models import Lesson
from jobs.services import job_start

from .. import grading
from ..models import Question, Quiz, QuizExtension, Response, ScoreChange
from ..taking import services as taking
from . import analysis, selectors, services
from . import gradebook_csv as csv_layouts
from .forms import AccommodationForm, ExtensionForm
from .gradebook import gradebook_rows_html
from .tasks import question_regrade_task

ANON_KEY = "lectio_anonymous_grading"


class GradebookFilterForm(forms.Form):
    name = forms.CharField(required=False, max_length=150, label="Name")
    section = forms.CharField(required=False, max_length=50, label="Section")
    sort = forms.ChoiceField(required=False, choices=[("name", "name"),
                                                      ("average", "average")], label="Sort")


def _response_for_teacher(request: HttpRequest, pk: int) -> Response:
    response = get_object_or_404(
        Response.objects.select_related("attempt__user", "attempt__quiz__lesson__course",
                                        "attempt__quiz__lesson__reading", "question"),
        pk=pk,
    )
    access.check_course_access(request.user, response.attempt.quiz.lesson.course,
                               access.TEACHING)
    return response


@course_view(*access.TEACHING)
def grading_queue(request: HttpRequest, course, role: str) -> HttpResponse:
    if request.method == "POST":
        request.session[ANON_KEY] = request.POST.get("anonymous") == "on"
        return redirect(request.get_full_path())
    quizzes = selectors.course_quizzes(course)
    chosen = next((q for q in quizzes if str(q.pk) == request.GET.get("quiz")), None)
    queue = list(selectors.grading_queue(course, chosen))
    return render(request, "quizzes/grading_queue.html", {
        "course": course, "quizzes": quizzes, "chosen": chosen, "queue": queue,
        "anonymous": request.session.get(ANON_KEY, False),
        "can_release": role in access.AUTHORING,
    })


def _levels_from(request: HttpRequest, criteria) -> dict[int, int]:
    chosen = {}
    for criterion in criteria:
        value = request.POST.get(f"criterion-{criterion.pk}", "")
        if value.isdigit():
            chosen[criterion.pk] = int(value)
    return chosen


@login_required
def response_grade(request: HttpRequest, pk: int) -> HttpResponse:
    """The grading screen: question, rubric, cited passages, answer; save and next."""
    response = _response_for_teacher(request, pk)
    course = response.attempt.quiz.lesson.course
    queue_ids = list(selectors.grading_queue(course, response.attempt.quiz)
                     .values_list("pk", flat=True))
    rubric = getattr(response.question, "rubric", None)
    criteria = list(rubric.criteria.prefetch_related("levels")) if rubric else []
    if request.method == "POST":
        try:
            services.response_grade(
                response=response, levels=_levels_from(request, criteria),
                comment=request.POST.get("comment", ""), grader=request.user,
                now=timezone.now(),
                span_comments=[{"quote": request.POST.get("span_quote", ""),
                                "comment": request.POST.get("span_comment", "")}],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("quizzes:response-grade", pk=pk)
        saved = "Grade saved as a draft: students see it once you release the quiz's grades."
        remaining = [i for i in queue_ids if i != response.pk]
        if request.POST.get("go") == "previous" and request.POST.get("previous", "").isdigit():
            messages.success(request, saved + " Now showing the previous answer.")
            return redirect("quizzes:response-grade", pk=int(request.POST["previous"]))
        if remaining:
            later = [i for i in remaining if queue_ids.index(i) > queue_ids.index(pk)] \
                if pk in queue_ids else remaining
            messages.success(request, saved + f" Now showing the next answer: "
                             f"{len(remaining)} still waiting.")
            return redirect("quizzes:response-grade", pk=(later or remaining)[0])
        messages.success(request, saved + " No answers are left to grade.")
        return redirect(reverse("quizzes:grading-queue", args=[course.slug]))
    return _grading_screen(request, response, queue_ids, criteria)


def _grading_screen(request, response, queue_ids, criteria, *, override_error: str = "",
                    override_field: str = "", status: int = 200) -> HttpResponse:
    chosen = {s.criterion_id: s.level_id for s in response.rubric_scores.all()}
    index = queue_ids.index(response.pk) if response.pk in queue_ids else -1
    guide = grading.get_type(response.question.type).correct_answer_text(
        taking.question_spec(response.question))
    return render(request, "quizzes/response_grade.html", {
        "response": response, "course": response.attempt.quiz.lesson.course,
        "criteria": criteria, "chosen": chosen,
        "passages": response.question.cites.order_by("order"),
        "previous": queue_ids[index - 1] if index > 0 else None,
        "position": index + 1, "queue_length": len(queue_ids),
        "anonymous": request.session.get(ANON_KEY, False),
        "lesson_url": response.attempt.quiz.lesson.get_absolute_url(),
        "changes": response.changes.select_related("changed_by")[:20],
        "guide": guide,
        "override_error": override_error, "override_field": override_field,
        "override": request.POST if override_error else {},
    }, status=status)


@require_POST
@login_required
def response_override(request: HttpRequest, pk: int) -> HttpResponse:
    response = _response_for_teacher(request, pk)
    try:
        score = Decimal(request.POST.get("score", ""))
        services.response_override(response=response, score=score,
                                   reason=request.POST.get("reason", ""),
                                   user=request.user, now=timezone.now())
    except (InvalidOperation, ValidationError) as error:
        # Shown again, open, with the values and the message beside the score field.
        text = " ".join(error.messages) if isinstance(error, ValidationError) \
            else "Enter the new score as a number."
        queue_ids = list(selectors.grading_queue(response.attempt.quiz.lesson.course,
                                                 response.attempt.quiz)
                         .values_list("pk", flat=True))
        rubric = getattr(response.question, "rubric", None)
        criteria = list(rubric.criteria.prefetch_related("levels")) if rubric else []
        blank_reason = not isinstance(error, InvalidOperation) and \
            not request.POST.get("reason", "").strip()
        return _grading_screen(request, response, queue_ids, criteria, override_error=text,
                               override_field="reason" if blank_reason else "score",
                               status=400)
    messages.success(request, "Score overridden and logged.")
    return redirect("quizzes:response-grade", pk=pk)


@require_POST
@login_required
def question_regrade(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("quiz__lesson__course"), pk=pk)
    course = question.quiz.lesson.course
    access.check_course_access(request.user, course, access.AUTHORING)
    # Thousands of attempts can take longer than a request may: the worker regrades, and
    # the job's page shows its progress and result.
    job = job_start(task=question_regrade_task, kind="regrade",
                    title=f"Regrade question {question.position} of “{question.quiz.title}”",
                    owner=request.user,
                    back_url=reverse("quizzes:gradebook", args=[course.slug]),
                    kwargs={"question_id": question.pk, "user_id": request.user.pk})
    return redirect(job)


@require_POST
@login_required
def quiz_release(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=pk)
    access.check_course_access(request.user, quiz.lesson.course, access.AUTHORING)
    services.quiz_release_grades(quiz=quiz, now=timezone.now())
    messages.success(request, f"Grades for “{quiz.title}” are released to students.")
    return redirect(reverse("quizzes:grading-queue", args=[quiz.lesson.course.slug]))


@course_view(*access.TEACHING)
def gradebook(request: HttpRequest, course, role: str) -> HttpResponse:
    # The query string is outside input: a NUL byte (which PostgreSQL refuses in text) or an
    # over-long value is answered with a 400 naming the filter, and the filter is ignored.
    filters = GradebookFilterForm(request.GET)
    problems = [] if filters.is_valid() else [
        f"{filters.fields[field].label}: {' '.join(errors)}"
        for field, errors in filters.errors.items()]
    clean = filters.cleaned_data
    section, name = clean.get("section") or "", clean.get("name") or ""
    sort = clean.get("sort") or "name"
    book = selectors.gradebook(course, section=section, name=name, sort=sort)
    sections = sorted(course.enrollments.exclude(section="").order_by()
                      .values_list("section", flat=True).distinct())
    return render(request, "quizzes/gradebook.html", {
        "course": course, "quizzes": book.quizzes,
        "rows": gradebook_rows_html(course.slug, book.rows, len(book.quizzes)),
        "columns": list(zip(book.quizzes, book.averages, strict=True)),
        "section": section, "name": name, "sort": sort, "sections": sections,
        "problems": problems, "layouts": csv_layouts.LAYOUTS.items(),
    }, status=400 if problems else 200)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _stream_csv(rows, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in rows),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@course_view(*access.TEACHING)
def gradebook_csv(request: HttpRequest, course, role: str) -> HttpResponse:
    """The gradebook as CSV in the layout chosen on the gradebook page (?layout=canvas,
    moodle or lectio, the default); an unknown layout is a 400 with the choices."""
    layout = request.GET.get("layout", "lectio")
    if layout not in csv_layouts.LAYOUTS:
        return HttpResponse(f"Unknown layout; choose one of: {', '.join(csv_layouts.LAYOUTS)}.",
                            status=400, content_type="text/plain; charset=utf-8")
    suffix = "" if layout == "lectio" else f"-{layout}"
    return _stream_csv(csv_layouts.gradebook_csv_rows(course, layout=layout),
                       f"{slugify(course.slug)}-gradebook{suffix}.csv")


@course_view(*access.TEACHING)
def responses_csv(request: HttpRequest, course, role: str) -> StreamingHttpResponse:
    return _stream_csv(csv_layouts.responses_csv_rows(course),
                       f"{slugify(course.slug)}-responses.csv")


@course_view(*access.AUTHORING)
def audit_log(request: HttpRequest, course, role: str) -> HttpResponse:
    changes = (ScoreChange.objects.filter(response__attempt__quiz__lesson__course=course)
               .select_related("changed_by", "response__attempt__user",
                               "response__attempt__quiz", "response__question")[:500])
    return render(request, "quizzes/audit_log.html", {"course": course, "changes": changes})


@course_view(*access.AUTHORING)
def accommodations(request: HttpRequest, course, role: str) -> HttpResponse:
    """Per student: time multiplier and extra attempts; per quiz: a later closing time."""
    students = list(course.enrollments.filter(role=access.STUDENT).select_related("user")
                    .order_by("user__last_name", "user__username"))
    quizzes = selectors.course_quizzes(course)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    course_form = AccommodationForm(posted if action == "course" else None, students=students,
                                    initial={"time_multiplier": "1.5", "extra_attempts": 0})
    extension_form = ExtensionForm(posted if action == "extension" else None,
                                   students=students, quizzes=quizzes)
    form = course_form if action == "course" else extension_form if action else None
    if form is not None and form.is_valid():
        data = form.cleaned_data
        enrollment = next(e for e in students if e.pk == data["student"])
        try:
            if form is extension_form:
                quiz = next(q for q in quizzes if q.pk == data["quiz"])
                moved = taking.quiz_extension_set(quiz=quiz, user=enrollment.user,
                                                  closes_at=data["closes_at"])
            else:
                moved = taking.accommodation_set(enrollment=enrollment,
                                                 time_multiplier=data["time_multiplier"],
                                                 extra_attempts=data["extra_attempts"])
        except taking.QuizError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved. {moved} attempt{'s' if moved != 1 else ''} in "
                                      "progress got a new deadline.")
            return redirect("quizzes:accommodations", course_slug=course.slug)
    extensions = (QuizExtension.objects.filter(quiz__in=quizzes)
                  .select_related("quiz", "user").order_by("user__username"))
    # A refused form is shown again with its values and each error beside its field.
    return render(request, "quizzes/accommodations.html", {
        "course": course, "students": students, "quizzes": quizzes,
        "extensions": extensions, "course_form": course_form,
        "extension_form": extension_form,
    }, status=400 if form is not None else 200)


@login_required
def item_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=pk)
    role = access.check_course_access(request.user, quiz.lesson.course, access.TEACHING)
    return render(request, "quizzes/item_analysis.html", {
        "quiz": quiz, "course": quiz.lesson.course,
        "can_regrade": role in access.AUTHORING,
        "analysis": analysis.quiz_item_analysis(quiz),
    })


@course_view(*access.TEACHING)
def lesson_heatmap(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    lesson = get_object_or_404(Lesson.objects.select_related("reading"), course=course,
                               slug=slug)
    return render(request, "quizzes/lesson_heatmap.html", {
        "course": course, "lesson": lesson, "rows": analysis.lesson_heatmap(lesson),
    })


@course_view(*access.TEACHING)
def student_report(request: HttpRequest, course, role: str, user_id: int) -> HttpResponse:
    """For teaching staff: one student's attempts, answers, time spent and reading."""
    report = selectors.student_report(course, user_id)
    if report is None:
        raise Http404("No such student in this course.")
    return render(request, "quizzes/student_report.html", {"course": course,
                                                           "report": report})
