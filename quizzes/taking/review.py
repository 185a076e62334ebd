"""The results page's read: each question with the student's own answer, and only what the
review policy releases (correctness, feedback, right answers, explanations, scores).

What the policy hides is never computed here, so no template can leak it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.text import Truncator

from courses.models import Passage

from .. import grading
from ..grading.match import format_number
from ..models import Attempt, Question, Response, RubricScore
from .selectors import ReviewPolicy, numbered_questions
from .services import question_spec

EXCERPT_WORDS = 25


@dataclass
class Picked:
    """One thing the student chose: a choice's text, a pair, a passage with its excerpt."""

    text: str
    right: bool | None = None      # only when the policy shows correctness and the key
    prompt: str = ""               # matching: the prompt this answer was given to
    passage: int | None = None     # evidence: the passage number


@dataclass
class Awarded:
    """A rubric criterion with the level the grader awarded."""

    criterion: str
    level: str
    points: Decimal | None         # None when the policy hides scores
    maximum: Decimal | None
    comment: str = ""


@dataclass
class ReviewItem:
    number: int
    question: Question
    response: Response | None
    awaiting: bool = False          # hand grading not done, or not released yet
    shown_score: Any = None         # the score the viewer may see, or None
    state: str = ""                 # correct/partial/incorrect, when correctness is shown
    text: str = ""                  # short, numeric, open: the answer as written
    picks: list[Picked] = field(default_factory=list)        # choices, pairs, order, passages
    part_b: list[Picked] = field(default_factory=list)       # two-part: the passages picked
    parts: list[tuple[str, float, float]] = field(default_factory=list)  # (part, score, max)
    feedback: list[tuple[str, str]] = field(default_factory=list)  # (what it is on, Markdown)
    right_text: str = ""
    explanation: str = ""
    comment: str = ""
    rubric: list[Awarded] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return bool(self.text or self.picks or self.part_b)

    @property
    def span_comments(self) -> list[dict]:
        if self.awaiting or not self.response:
            return []
        return (self.response.detail or {}).get("span_comments", [])


def _marks(policy: ReviewPolicy) -> bool:
    # A right/wrong mark on each thing picked tells both whether it was right and the key.
    return policy.answers and policy.correctness


def _excerpt(passages: dict[int, Passage], number: int) -> Picked:
    passage = passages.get(number)
    text = Truncator(passage.text).words(EXCERPT_WORDS) if passage else ""
    return Picked(text=text, passage=number)


def _choices(question: Question, chosen_ids, item: ReviewItem, policy: ReviewPolicy) -> None:
    """The chosen options in the order shown, with their feedback labelled by option."""
    chosen_ids = {str(c) for c in chosen_ids}
    for choice in question.choices.all():
        if str(choice.pk) not in chosen_ids:
            continue
        right = (choice.fraction > 0) if _marks(policy) else None
        item.picks.append(Picked(text=choice.text, right=right))
        if policy.correctness and choice.feedback.strip():
            item.feedback.append((f"On your choice “{choice.text}”", choice.feedback))


def _own_answer(item: ReviewItem, answer: Any, passages: dict[int, Passage],
                policy: ReviewPolicy) -> None:
    question, qtype = item.question, item.question.type
    config = question.config or {}
    if answer in (None, "", [], {}):
        return
    if qtype in ("single", "multiple"):
        _choices(question, answer if isinstance(answer, list) else [answer], item, policy)
    elif qtype == "twopart" and isinstance(answer, dict):
        _choices(question, [answer.get("a")], item, policy)
        item.part_b = [_excerpt(passages, n) for n in answer.get("b") or []]
    elif qtype == "truefalse":
        label = "True" if answer else "False"
        right = (answer == config.get("answer")) if _marks(policy) else None
        item.picks.append(Picked(text=label, right=right))
        note = config.get("feedback_true" if answer else "feedback_false", "")
        if policy.correctness and note.strip():
            item.feedback.append((f"On your answer “{label}”", note))
    elif qtype == "numeric":
        item.text = format_number(answer) if isinstance(answer, (int, float)) else str(answer)
    elif qtype in ("short", "open"):
        item.text = str(answer)
    elif qtype == "matching" and isinstance(answer, dict):
        for index, pair in enumerate(config.get("pairs", [])):
            given = answer.get(str(index), "")
            right = (given == pair["answer"].strip()) if _marks(policy) else None
            item.picks.append(Picked(text=given, right=right, prompt=pair["prompt"]))
    elif qtype == "ordering" and isinstance(answer, list):
        items = config.get("items", [])
        # No mark per item: ordering scores adjacent pairs, not places, so a mark per place
        # would contradict the score. The right order is the right answer, when shown.
        item.picks = [Picked(text=items[i]) for i in answer
                      if isinstance(i, int) and 0 <= i < len(items)]
    elif qtype == "evidence" and isinstance(answer, list):
        key = set(config.get("key", []))
        for number in answer:
            picked = _excerpt(passages, number)
            picked.right = (number in key) if _marks(policy) else None
            item.picks.append(picked)


def _rubric(response: Response, policy: ReviewPolicy) -> list[Awarded]:
    awarded = []
    for score in response.rubric_scores.all():
        levels = list(score.criterion.levels.all())
        top = max((level.points for level in levels), default=None)
        awarded.append(Awarded(score.criterion.name, score.level.label,
                               score.level.points if policy.score else None,
                               top if policy.score else None, score.comment))
    return awarded


def _passages_wanted(responses) -> set[int]:
    """The passage numbers that evidence picks and two-part Part B answers name."""
    numbers: set[int] = set()
    for response in responses:
        answer = response.answer
        if isinstance(answer, dict):
            answer = answer.get("b")
        if isinstance(answer, list):
            numbers.update(n for n in answer if isinstance(n, int))
    return numbers


def _passages_picked(attempt: Attempt, responses: dict[int, Response]) -> dict[int, Passage]:
    numbers = _passages_wanted(responses.values())
    if not numbers:
        return {}
    return {p.order: p for p in Passage.objects.filter(
        reading_id=attempt.quiz.lesson.reading_id, order__in=numbers)}


def attempt_for_review(attempt: Attempt, *, policy: ReviewPolicy,
                       released: bool = True) -> list[ReviewItem]:
    """Every question of a closed attempt with the student's own answer and what `policy`
    releases, in a fixed number of queries however many questions and answers.

    Hand-given scores, rubric levels and comments count as `awaiting` until the quiz's grades
    are released (`released`), so a draft grade never reaches the student."""
    responses = {r.question_id: r for r in attempt.responses.prefetch_related(
        Prefetch("rubric_scores", RubricScore.objects.select_related("criterion", "level")
                 .prefetch_related("criterion__levels")
                 .order_by("criterion__position", "criterion__pk")))}
    questions = {q.pk: q for q in Question.objects.filter(quiz=attempt.quiz_id)
                 .prefetch_related("choices", "cites")}
    passages = _passages_picked(attempt, responses)
    items = []
    order = [questions[pk] for pk in attempt.question_order if pk in questions]
    for number, question in numbered_questions(order):
        pk = question.pk
        spec = question_spec(question)
        qtype = grading.get_type(spec.type)
        response = responses.get(pk)
        hand = not qtype.auto_graded
        awaiting = hand and (response is None or response.graded_at is None or not released)
        item = ReviewItem(number, question, response, awaiting)
        if response is not None and not awaiting:
            item.shown_score = response.score if policy.score else None
            item.state = response.state if policy.correctness else ""
            item.comment = response.comment
            if hand and (policy.score or policy.correctness):
                item.rubric = _rubric(response, policy)
            if policy.score and spec.type == "twopart":
                item.parts = [(name, part["score"], part["max"]) for name, part in
                              zip(("Part A", "Part B"), (response.detail or {}).get(
                                  "parts", []), strict=False)]
        _own_answer(item, response.answer if response else None, passages, policy)
        if policy.correctness and not awaiting and response is not None and \
                spec.type not in ("single", "multiple", "twopart", "truefalse"):
            item.feedback += [("Feedback", text) for text in response.feedback or []]
        if policy.answers:
            item.right_text = qtype.correct_answer_text(spec)
        if policy.explanations:
            item.explanation = question.explanation
        items.append(item)
    return items


# Teaching staff see everything a machine marked; explanations are theirs already.
STAFF_POLICY = ReviewPolicy(score=True, correctness=True, answers=True)


def answers_for_staff(attempts: list[Attempt]) -> dict[int, ReviewItem]:
    """Each response of `attempts` (prefetched with `responses__question` and `quiz__lesson`)
    as the results page renders the student's own answer: choice texts, matches, order,
    passage excerpts, both parts, with right/wrong marks; keyed by response id. Two queries
    (choices, passages) however many attempts and responses."""
    responses = [r for attempt in attempts for r in attempt.responses.all()]
    # Every response holds its own copy of its question: each copy gets the choices, from
    # one query.
    prefetch_related_objects([r.question for r in responses], "choices")
    picked: dict[int, dict[int, Passage]] = {}
    for attempt in attempts:
        numbers = _passages_wanted(attempt.responses.all())
        if numbers:
            picked.setdefault(attempt.quiz.lesson.reading_id, {}).update(dict.fromkeys(numbers))
    passages: dict[int, dict[int, Passage]] = {reading: {} for reading in picked}
    if picked:
        for passage in Passage.objects.filter(
                reading_id__in=picked, order__in={n for ns in picked.values() for n in ns}):
            passages[passage.reading_id][passage.order] = passage
    shown = {}
    for attempt in attempts:
        own = passages.get(attempt.quiz.lesson.reading_id, {})
        for response in attempt.responses.all():
            item = ReviewItem(response.question.position, response.question, response)
            _own_answer(item, response.answer, own, STAFF_POLICY)
            shown[response.pk] = item
    return shown
