"""Authoring pages for quizzes: a lesson's quizzes, a quiz's settings and its questions,
duplicate, delete, publish, reorder, and the live Markdown preview.

Course instructors and site admins change things; assistants see the same pages read-only
(no form they could submit, and every POST refused); anyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from courses import access
from courses.access import course_view
from courses.markdown import render_markdown
from courses.models import Lesson
from courses.ordering import focus_after_move

from ..models import Question, Quiz
from . import copying, selectors, services
from .forms import PreviewForm, QuizForm


def quiz_for(request: HttpRequest, pk: int, roles=access.TEACHING) -> tuple[Quiz, str]:
    """The quiz with its lesson, course and reading, and the viewer's role in its course.
    403 for a role not in `roles`; a POST from anyone who may not author is refused too."""
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course", "lesson__reading"),
                             pk=pk)
    role = access.check_course_access(request.user, quiz.lesson.course, roles)
    refuse_read_only(request, role)
    return quiz, role


def refuse_read_only(request: HttpRequest, role: str) -> None:
    """Assistants see authoring pages but change nothing: refuse their POSTs."""
    if request.method == "POST" and role not in access.AUTHORING:
        raise PermissionDenied("Only the course's instructors change its quizzes.")


def questions_url(quiz: Quiz, question: Question | None = None, control: str = "") -> str:
    """The quiz's questions page; with `question`, its `control` ("up", "down" or "edit")
    focused, so a keyboard user carries on where they were. (No #fragment: a browser skips
    autofocus on a page opened at a fragment.)"""
    url = reverse("quizzes:quiz-questions", args=[quiz.pk])
    if question is None:
        return url
    return f"{url}?focus={question.pk}&on={control or 'edit'}"


def _lesson(course, slug: str) -> Lesson:
    lesson = Lesson.objects.select_related("reading").filter(course=course, slug=slug).first()
    if lesson is None:
        raise Http404("No such lesson.")
    lesson.course = course
    return lesson


@course_view(*access.TEACHING)
def quiz_list(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    """The lesson's quizzes, with what each holds and the controls to change them."""
    lesson = _lesson(course, slug)
    return render(request, "quizzes/authoring/quiz_list.html", {
        "course": course, "lesson": lesson, "quizzes": selectors.lesson_quizzes(lesson),
        "can_author": role in access.AUTHORING,
    })


@course_view(*access.AUTHORING)
def quiz_create(request: HttpRequest, course, role: str, slug: str) -> HttpResponse:
    lesson = _lesson(course, slug)
    form = QuizForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.quiz_create(lesson=lesson, **form.settings())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Quiz “{quiz.title}” created, not published yet. "
                                      "Add its questions.")
            return redirect(questions_url(quiz))
    return render(request, "quizzes/authoring/quiz_form.html", {
        "course": course, "lesson": lesson, "form": form, "creating": True,
        "can_author": True,
    })


def quiz_edit(request: HttpRequest, pk: int) -> HttpResponse:
    quiz, role = quiz_for(request, pk)
    can_author = role in access.AUTHORING
    form = QuizForm.for_quiz(quiz, request.POST or None, read_only=not can_author)
    if request.method == "POST" and form.is_valid():
        try:
            services.quiz_update(quiz=quiz, **form.settings())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved the settings of “{quiz.title}”.")
            return redirect(questions_url(quiz))
    return render(request, "quizzes/authoring/quiz_form.html", {
        "course": quiz.lesson.course, "lesson": quiz.lesson, "quiz": quiz, "form": form,
        "creating": False, "can_author": can_author,
    })


def quiz_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz's questions in order, what is wrong with any of them, and (for
    instructors) the controls to add, change, move, copy and publish."""
    quiz, role = quiz_for(request, pk)
    questions = selectors.quiz_questions(quiz)
    check = selectors.quiz_publish_check(questions)
    problems = {q.pk: selectors.question_problems(q) for q in questions}
    focus = request.GET.get("focus", "")
    focused = next((q for q in questions if str(q.pk) == focus), None)
    control = request.GET.get("on", "edit")
    if focused is not None:
        control = focus_after_move(control, focused.number, len(questions), "edit")
    students, previews = selectors.quiz_attempt_counts(quiz)
    return render(request, "quizzes/authoring/quiz_questions.html", {
        "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson,
        "questions": [(q, problems[q.pk]) for q in questions], "check": check,
        "can_author": role in access.AUTHORING, "student_attempts": students,
        "focus_pk": focused.pk if focused else None,
        "focus_on": "publish" if focus == "publish" else control,
    })


def quiz_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first, saying what goes; delete on POST unless students have attempts."""
    quiz, _role = quiz_for(request, pk, access.AUTHORING)
    list_url = reverse("quizzes:quiz-list", args=[quiz.lesson.course.slug, quiz.lesson.slug])
    if request.method == "POST":
        try:
            services.quiz_delete(quiz=quiz)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(questions_url(quiz))
        messages.success(request, f"Deleted the quiz “{quiz.title}”.")
        return redirect(list_url)
    students, previews = selectors.quiz_attempt_counts(quiz)
    return render(request, "quizzes/authoring/quiz_confirm_delete.html", {
        "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson,
        "students": students, "previews": previews,
        "question_count": quiz.questions.count(), "list_url": list_url,
    })


@require_POST
def quiz_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    quiz, _role = quiz_for(request, pk, access.AUTHORING)
    copy = copying.quiz_duplicate(quiz=quiz)
    messages.success(request, f"“{copy.title}” is a copy of “{quiz.title}” with all its "
                              "questions, not published yet. Change it freely: the original "
                              "stays as it was.")
    return redirect(questions_url(copy))


@require_POST
def quiz_publish(request: HttpRequest, pk: int) -> HttpResponse:
    quiz, _role = quiz_for(request, pk, access.AUTHORING)
    publish = request.POST.get("publish") == "1"
    try:
        services.quiz_set_published(quiz=quiz, published=publish)
    except ValidationError as error:
        messages.error(request, "The quiz cannot be published yet: "
                                + " ".join(error.messages))
    else:
        messages.success(request, f"“{quiz.title}” is now published." if publish else
                         f"“{quiz.title}” is unpublished: students no longer see it; their "
                         "attempts and grades are kept.")
    return redirect(f"{questions_url(quiz)}?focus=publish")


@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question.objects.select_related("quiz__lesson__course"),
                                 pk=pk)
    access.check_course_access(request.user, question.quiz.lesson.course, access.AUTHORING)
    direction = request.POST.get("direction", "")
    try:
        questions = services.question_move(question=question, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(questions_url(question.quiz))
    messages.success(request, f"Question {question.position} of {len(questions)} now "
                              f"(moved {direction}).")
    return redirect(questions_url(question.quiz, question, direction))


@require_POST
def markdown_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The sanitised HTML of posted Markdown, as students will see it (the same renderer
    as the quiz pages). 413 past the size cap."""
    quiz_for(request, pk, access.AUTHORING)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return HttpResponse("<p>Too long to preview.</p>", status=413)
    return HttpResponse(render_markdown(form.cleaned_data["text"]),
                        content_type="text/html; charset=utf-8")
