"""Authoring pages for questions: choose a type, the question form (shared fields plus the
type's editor), delete, and copy questions from the question bank.

The form posts back to itself for everything that is not a save: "Preview" renders the
Markdown server-side, and an editor's own buttons (add a row, remove one) rearrange the
editor; neither writes anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from courses import access
from courses.markdown import render_markdown

from .. import grading
from ..models import Question
from . import copying, selectors, services
from .editors import EDITORS
from .forms import PREVIEW_MAX, TYPE_HELP, QuestionForm, TypeChoiceForm
from .services_questions import question_save
from .views import questions_url, quiz_for, refuse_read_only


def _question_for(request: HttpRequest, pk: int, roles=access.TEACHING):
    question = get_object_or_404(
        Question.objects.select_related("quiz__lesson__course", "quiz__lesson__reading")
        .prefetch_related("cites"), pk=pk)
    role = access.check_course_access(request.user, question.quiz.lesson.course, roles)
    refuse_read_only(request, role)
    return question, role


def _is_save(request: HttpRequest, editor) -> bool:
    return (request.method == "POST" and "preview" not in request.POST
            and not getattr(editor, "action", ""))


def _previews(form: QuestionForm) -> dict:
    """The Markdown fields as students will see them (the same renderer as the student
    pages): what the "Preview" button shows without JavaScript, and the live preview's
    starting point."""
    return {name: render_markdown((form[name].value() or "")[:PREVIEW_MAX])
            for name in ("prompt", "explanation")}


def _editor(type_key: str, data, *, question=None, passages=()):
    cls = EDITORS.get(type_key)
    return cls(data, question=question, passages=passages) if cls else None


def _render(request, *, quiz, form, editor, type_key, question=None, can_author=True,
            answered=0, saved=False):
    return render(request, "quizzes/authoring/question_form.html", {
        "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson, "form": form,
        "editor": editor, "type_key": type_key, "type_label": grading.TYPES[type_key].label,
        "question": question, "can_author": can_author, "answered": answered,
        "saved": saved, "previews": _previews(form),
        "auto_graded": grading.TYPES[type_key].auto_graded,
    })


def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Without a type, the type chooser; with one, an empty question form of that type."""
    quiz, _role = quiz_for(request, pk, access.AUTHORING)
    chooser = TypeChoiceForm(request.POST if request.method == "POST" else request.GET
                             if "type" in request.GET else None)
    if not chooser.is_valid():
        return render(request, "quizzes/authoring/question_type.html", {
            "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson,
            "chooser": chooser,
            "types": [(grading.TYPES[key], TYPE_HELP.get(key, "")) for key in grading.TYPE_KEYS],
        }, status=400 if chooser.is_bound else 200)
    type_key = chooser.cleaned_data["type"]
    passages = selectors.reading_passages(quiz.lesson)
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, passages=passages, scored=grading.TYPES[type_key].scored)
    editor = _editor(type_key, data, passages=passages)
    if _is_save(request, editor):
        if editor is None:
            form.add_error(None, "This type of question cannot be written here yet.")
        else:
            question = question_save(quiz=quiz, form=form, editor=editor)
            if question is not None:
                messages.success(request, f"Added question {question.position}.")
                return redirect(questions_url(quiz, question))
    return _render(request, quiz=quiz, form=form, editor=editor, type_key=type_key)


def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The question form filled in from the saved question; read-only for assistants.
    When students' attempts already answered it, the page says so, and after a save
    offers the regrade."""
    question, role = _question_for(request, pk)
    quiz, can_author = question.quiz, role in access.AUTHORING
    passages = selectors.reading_passages(quiz.lesson)
    data = request.POST if request.method == "POST" else None
    form = QuestionForm.for_question(question, data, passages=passages,
                                     scored=grading.TYPES[question.type].scored,
                                     read_only=not can_author)
    editor = _editor(question.type, data, question=question, passages=passages)
    answered = selectors.question_answer_count(question)
    if can_author and _is_save(request, editor) and editor is not None:
        saved = question_save(quiz=quiz, form=form, editor=editor, question=question)
        if saved is not None:
            messages.success(request, f"Saved question {saved.position}.")
            if answered:
                return redirect(f"{reverse('quizzes:question-edit', args=[pk])}?saved=1")
            return redirect(questions_url(quiz, saved))
    return _render(request, quiz=quiz, form=form, editor=editor, type_key=question.type,
                   question=question, can_author=can_author, answered=answered,
                   saved=request.GET.get("saved") == "1")


def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first; delete on POST unless students' attempts hold answers to it."""
    question, _role = _question_for(request, pk, access.AUTHORING)
    quiz = question.quiz
    if request.method == "POST":
        try:
            services.question_delete(question=question)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(questions_url(quiz, question))
        messages.success(request, "Deleted the question.")
        return redirect(questions_url(quiz))
    return render(request, "quizzes/authoring/question_confirm_delete.html", {
        "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson,
        "question": question, "answered": selectors.question_answer_count(question),
    })


def question_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """The question bank: every other quiz of the courses the viewer teaches as instructor,
    with its questions to tick; copying appends deep copies to this quiz."""
    quiz, _role = quiz_for(request, pk, access.AUTHORING)
    bank = selectors.bank_quizzes(request.user, exclude=quiz)
    if request.method == "POST":
        chosen = [int(v) for v in request.POST.getlist("question") if v.isdigit()]
        try:
            result = copying.questions_copy(quiz=quiz, question_ids=chosen,
                                            allowed_quizzes=bank)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            count = len(result.questions)
            messages.success(request, f"Copied {count} question{'s' if count != 1 else ''} "
                                      "to the end of this quiz.")
            if result.dropped_cites:
                messages.info(request, f"{result.dropped_cites} of them cited passages of "
                                       "another reading; those citations were left out.")
            for reason in result.skipped:
                messages.warning(request, reason)
            return redirect(questions_url(quiz))
    return render(request, "quizzes/authoring/question_copy.html", {
        "quiz": quiz, "course": quiz.lesson.course, "lesson": quiz.lesson, "bank": bank,
    }, status=400 if request.method == "POST" else 200)
