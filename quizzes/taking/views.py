"""Quiz pages: thin views over services (writes) and selectors (reads)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.middleware import json_endpoint
from courses import access

from .. import grading
from ..models import Attempt, Quiz
from . import autosave, review, selectors, services


def _quiz_for(request: HttpRequest, pk: int) -> tuple[Quiz, str]:
    quiz = get_object_or_404(Quiz.objects.select_related("lesson__course"), pk=pk)
    role = access.check_course_access(request.user, quiz.lesson.course, access.EVERYONE)
    # A quiz opens with its lesson: not before the lesson's opening time.
    hidden = not quiz.is_published or not access.lesson_is_open(quiz.lesson, role,
                                                                timezone.now())
    if hidden and not access.can_see_unpublished(role):
        raise Http404("No such quiz.")
    return quiz, role


def _own_attempt(request: HttpRequest, pk: int) -> tuple[Attempt, str]:
    """The attempt if it is the viewer's own, or the viewer teaches its course; else 404."""
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__lesson__course", "quiz__lesson__reading"), pk=pk
    )
    role = access.check_course_access(request.user, attempt.quiz.lesson.course,
                                      access.EVERYONE)
    if attempt.user_id != request.user.pk and role not in access.TEACHING:
        raise Http404("No such attempt.")
    return attempt, role


@login_required
def quiz_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quiz, role = _quiz_for(request, pk)
    now = timezone.now()
    if request.method == "POST":
        try:
            attempt = services.attempt_start(quiz=quiz, user=request.user, now=now,
                                             preview=role in access.TEACHING)
        except services.QuizError as error:
            messages.error(request, str(error))
            return redirect(quiz)
        return redirect(attempt)
    attempts = list(quiz.attempts.filter(user=request.user).order_by("number"))
    used = sum(1 for a in attempts if not a.is_preview)
    return render(request, "quizzes/quiz_detail.html", {
        "my_minutes": services.personal_time_limit(
            quiz, services.accommodation_for(quiz, request.user)),
        "quiz": quiz, "role": role, "attempts": attempts, "now": now,
        "attempts_left": None if quiz.attempts_allowed is None
        else max(0, quiz.attempts_allowed - used),
        "question_count": quiz.questions.count(),
        "teaching": role in access.TEACHING,
        "can_change": role in (access.INSTRUCTOR, access.ADMIN),
        "key_seen": any(a.key_shown_at for a in attempts if not a.is_preview),
    })


def _close_if_overdue(attempt: Attempt, now) -> Attempt:
    if attempt.is_open and services.is_overdue(attempt, now):
        return services.attempt_submit(attempt=attempt, now=now)
    return attempt


def _answerable(request: HttpRequest, pk: int, now) -> Attempt | None:
    """The viewer's own open attempt, closing it first if overdue; None when the viewer
    should see the results instead (closed, or somebody else's attempt)."""
    attempt, _role = _own_attempt(request, pk)
    attempt = _close_if_overdue(attempt, now)
    if attempt.user_id != request.user.pk or not attempt.is_open:
        return None
    return attempt


@login_required
def attempt_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The attempt page. Without JavaScript its form posts every answer here to be saved."""
    now = timezone.now()
    attempt = _answerable(request, pk, now)
    if attempt is None:
        return redirect("quizzes:attempt-result", pk=pk)
    questions = selectors.attempt_for_taking(attempt)
    if request.method == "POST":
        refused = _save_form(request, attempt, questions, now)
        if None in refused:  # the attempt closed under the student: its result says why
            messages.error(request, refused[None])
            return redirect(attempt)
        if not refused:
            messages.success(request, "Your answers are saved.")
            if request.POST.get("next") == "submit":
                return redirect("quizzes:attempt-submit", pk=attempt.pk)
            return redirect(attempt)
        # A refused answer is shown again as the student wrote it, beside the reason: a
        # redirect would show the stored answer and lose what they typed (an essay over
        # its word limit, for one). The answers that were accepted are saved already.
        questions = selectors.attempt_for_taking(attempt)
        for view in questions:
            if view.question.pk in refused:
                view.error = refused[view.question.pk]
                raw = _form_answer(request, view)
                if isinstance(raw, str) or view.question.type == "ordering":
                    view.answer = raw
        return render(request, "quizzes/attempt_take.html",
                      _take_context(attempt, questions, now, refused=True), status=400)
    return render(request, "quizzes/attempt_take.html", _take_context(attempt, questions, now))


def _take_context(attempt: Attempt, questions, now, *, refused: bool = False) -> dict:
    passages = list(attempt.quiz.lesson.reading.passages.order_by("order"))
    return {
        "attempt": attempt, "quiz": attempt.quiz, "questions": questions, "now": now,
        "refused": [q for q in questions if q.error] if refused else [],
        "save_url": reverse("quizzes:response-save", args=[attempt.pk]),
        "passages": passages, "passage_map": {p.order: p for p in passages},
        "lesson_url": attempt.quiz.lesson.get_absolute_url(),
    }


def _form_answer(request: HttpRequest, view: selectors.QuestionView):
    """Read one question's answer from the no-JS form, in the shape the JSON API takes."""
    name = f"q-{view.question.pk}"
    qtype = view.question.type
    if qtype in ("multiple", "evidence"):
        return request.POST.getlist(name)
    if qtype == "twopart":
        return {"a": request.POST.get(name + "-a"), "b": request.POST.getlist(name + "-b")}
    if qtype == "matching":
        return {str(i): request.POST.get(f"{name}-{i}", "")
                for i in range(len(view.public.get("prompts", [])))}
    if qtype == "ordering":
        ranks = []
        for n in range(len(view.display_items)):
            rank = request.POST.get(f"{name}-{n}", "")
            text = request.POST.get(f"{name}-text-{n}", "")
            ranks.append((int(rank) if rank.isdigit() else 999, n, text))
        return [text for _, _, text in sorted(ranks)]
    return request.POST.get(name)


def _save_form(request, attempt, questions, now) -> dict[int | None, str]:
    """Save every changed answer of the no-JS form. Returns why answers were refused, by
    question id (None: the attempt itself is closed, and nothing was saved after that)."""
    refused: dict[int | None, str] = {}
    for view in questions:
        raw = _form_answer(request, view)
        if raw == view.answer:
            continue
        try:
            services.response_save(attempt=attempt, question_id=view.question.pk,
                                   raw_answer=raw, version=view.version + 1, now=now)
        except grading.AnswerError as error:
            refused[view.question.pk] = f"Not saved: {error}"
        except services.StaleSave:
            refused[view.question.pk] = ("Not saved: this answer was changed in another "
                                         "tab or window since this page was loaded.")
        except services.AttemptClosed as error:
            return {None: str(error)}
    return refused


@json_endpoint
@require_POST
def response_save_api(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave: {"question": id, "answer": ..., "version": n} -> 200, 400, 403, 409 or 410.

    The body's shape and size are checked first, before the session is read or anything
    else touches the database: a 400 for a malformed body says nothing about the attempt.
    Access (the student's own attempt, in a course they still belong to) is then checked by
    the service in the same read that fetches the answer.
    """
    try:
        question_id, version, raw = autosave.save_request(request.body)
    except autosave.SaveInputError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        response = services.response_save(attempt=pk, question_id=question_id,
                                           raw_answer=raw, version=version,
                                           now=timezone.now(), user=request.user)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    except grading.AnswerError as error:
        return JsonResponse({"error": str(error)}, status=400)
    except services.StaleSave as stale:
        return JsonResponse({"error": str(stale), "version": stale.current_version},
                            status=409)
    except services.AttemptClosed as error:
        return JsonResponse({"error": str(error)}, status=410)
    return JsonResponse({"question": question_id, "version": response.version,
                         "saved_at": response.saved_at.isoformat()})


@login_required
def attempt_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET lists unanswered questions; POST submits (idempotent)."""
    now = timezone.now()
    attempt = _answerable(request, pk, now)
    if attempt is None:
        return redirect("quizzes:attempt-result", pk=pk)
    if request.method == "POST":
        services.attempt_submit(attempt=attempt, now=now)
        messages.success(request, "Your attempt is submitted.")
        return redirect("quizzes:attempt-result", pk=attempt.pk)
    # Descriptions (number 0) ask nothing, so they are never "unanswered".
    questions = [q for q in selectors.attempt_for_taking(attempt) if q.number]
    return render(request, "quizzes/attempt_submit.html", {
        "attempt": attempt, "quiz": attempt.quiz,
        "unanswered": [q for q in questions if not q.answered], "total": len(questions),
        "short": [q for q in questions if q.under_minimum],
    })


@login_required
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    attempt, role = _own_attempt(request, pk)
    now = timezone.now()
    attempt = _close_if_overdue(attempt, now)
    if attempt.is_open:
        return redirect(attempt)
    policy = selectors.review_policy(attempt.quiz, attempt, now, role)
    if policy.answers and role not in access.TEACHING:
        services.attempt_key_shown(attempt=attempt, now=now)
    released = attempt.quiz.grades_released_at is not None or role in access.TEACHING
    items = review.attempt_for_review(attempt, policy=policy, released=released)
    waiting = [i for i in items if i.awaiting]
    # A score while answers await grading counts only what is marked, and says how much is
    # still to come: a percentage of points nobody has graded yet would mislead.
    marked = [i for i in items if not i.awaiting]
    score = (sum((i.response.score or 0 for i in marked if i.response), Decimal(0))
             if waiting or not released else attempt.score)
    percent = float(score or 0) / float(attempt.max_score) * 100 if attempt.max_score else 0
    return render(request, "quizzes/attempt_result.html", {
        "attempt": attempt, "quiz": attempt.quiz, "policy": policy,
        "items": items if policy.anything else [], "score": score, "waiting": bool(waiting),
        "marked": sum((i.question.points for i in marked), Decimal(0)),
        "pending": sum((i.question.points for i in waiting), Decimal(0)),
        "percent": round(percent), "passed": percent >= attempt.quiz.pass_mark,
        "lesson_url": attempt.quiz.lesson.get_absolute_url(),
    })


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/dashboard.html",
                  {"courses": selectors.student_dashboard(request.user)})
