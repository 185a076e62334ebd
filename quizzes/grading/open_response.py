"""Free text a teacher marks (``open``), and the grades a teacher gives: ``manual_grade`` and
``rubric_total``."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from .base import (
    AnswerError,
    Grade,
    QuestionSpec,
    QuestionType,
    _clean_text,
    _feedback,
    _is_int,
    _nonblank,
    _number,
    _score,
)
from .match import word_count

OPEN_MAX_CHARS = 20_000


def manual_grade(score: float, points: float, feedback: Iterable[str] = ()) -> Grade:
    """Grade for a human-assigned ``score`` (e.g. an open response after marking).

    ``score`` is clamped to [0, points] and rounded to 4 decimals; the state follows the same
    rules as automatic grades (a 0-point question counts as "correct").
    """
    points = float(points)
    value = _number(score)
    value = 0.0 if value is None else min(max(round(value, 4), 0.0), points)
    if points <= 0 or value >= points:
        state = "correct"
    elif value > 0:
        state = "partial"
    else:
        state = "incorrect"
    return Grade(value, points, state, _feedback(*feedback))


def rubric_total(
    chosen_points: Iterable[float], max_points: Iterable[float], points: float
) -> float:
    """Scale a rubric to the question's points.

    ``chosen_points[i]`` is the level awarded on criterion ``i`` and ``max_points[i]`` its
    maximum.  Each awarded value is first clamped to [0, its maximum] (a teacher cannot award
    more than a criterion is worth); the result is ``points * sum(chosen) / sum(max)``,
    clamped to [0, points] and rounded to 4 decimals.  An empty rubric or one whose maxima
    add up to 0 gives 0.0.  Raises ``ValueError`` if the two sequences differ in length or
    contain non-finite numbers.
    """
    chosen_raw = [_number(v) for v in chosen_points]
    maxima_raw = [_number(v) for v in max_points]
    if len(chosen_raw) != len(maxima_raw):
        raise ValueError("Each rubric criterion needs both an awarded and a maximum value.")
    chosen = [v for v in chosen_raw if v is not None]
    maxima = [max(v, 0.0) for v in maxima_raw if v is not None]
    if len(chosen) != len(chosen_raw) or len(maxima) != len(maxima_raw):
        raise ValueError("Rubric values must be finite numbers.")
    total_max = sum(maxima)
    if total_max <= 0:
        return 0.0
    total = sum(min(max(c, 0.0), m) for c, m in zip(chosen, maxima, strict=True))
    return _score(float(points), total / total_max)


class OpenResponse(QuestionType):
    """Free text marked by a teacher.  Config: optional ``min_words``, ``max_words``,
    ``model_answer`` and ``anchors``: sample answers at named levels, each
    ``{"label": "Developing (3 of 6)", "answer": text, "why": text?}``, so that two graders
    place an answer alike.  The model and anchor answers are what ``correct_answer_text``
    returns: graders see them while grading, students only at review when the policy shows
    answers.

    ``max_words`` is enforced (AnswerError); ``min_words`` is only advice shown to the
    student, so a short answer can still be submitted when time runs out.  An answered
    question grades as "pending" with score 0 until a teacher marks it (see
    ``manual_grade`` and ``rubric_total``).
    """

    key = "open"
    label = "Open response"
    auto_graded = False
    config_keys = frozenset({"min_words", "max_words", "model_answer", "anchors"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors = []
        low, high = config.get("min_words"), config.get("max_words")
        for name, value in (("minimum", low), ("maximum", high)):
            if value is not None and (not _is_int(value) or value < 0):
                errors.append(f"The {name} number of words must be a whole number ≥ 0.")
        if not errors and low is not None and high is not None and low > high:
            errors.append("The minimum number of words is larger than the maximum.")
        if not isinstance(config.get("model_answer", ""), str):
            errors.append("The model answer must be text.")
        errors.extend(_check_anchors(config.get("anchors", [])))
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise AnswerError("Type your answer as text.")
        text = _clean_text(raw)
        if len(text) > OPEN_MAX_CHARS:
            raise AnswerError(f"Keep your answer under {OPEN_MAX_CHARS:,} characters.")
        max_words = spec.config.get("max_words")
        if max_words is not None and word_count(text) > max_words:
            raise AnswerError(f"Keep your answer to {max_words} words (it has {word_count(text)}).")
        return text or None

    def _salvage(self, spec: QuestionSpec, answer: Any) -> str | None:
        if not isinstance(answer, str):
            return None
        return _clean_text(answer)[:OPEN_MAX_CHARS] or None

    def _grade(self, spec: QuestionSpec, answer: str) -> Grade:
        return Grade(0.0, float(spec.points), "pending")

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {
            "min_words": spec.config.get("min_words"),
            "max_words": spec.config.get("max_words"),
            "max_length": OPEN_MAX_CHARS,
        }

    def _correct_text(self, spec: QuestionSpec) -> str:
        parts = []
        model = spec.config.get("model_answer", "")
        if model.strip():
            parts.append(f"**Model answer.** {model}" if spec.config.get("anchors") else model)
        for anchor in spec.config.get("anchors", []):
            text = f"**Anchor answer: {anchor['label']}.** {anchor['answer']}"
            if anchor.get("why", "").strip():
                text += f"\n\n*Why:* {anchor['why']}"
            parts.append(text)
        return "\n\n".join(parts)


def _check_anchors(anchors: Any) -> list[str]:
    if not isinstance(anchors, (list, tuple)):
        return ["Anchor answers must be a list."]
    errors = []
    for n, anchor in enumerate(anchors, start=1):
        if not isinstance(anchor, Mapping) or not set(anchor) <= {"label", "answer", "why"}:
            errors.append(f"Anchor answer {n} needs a label, an answer and optionally why.")
        elif not (_nonblank(anchor.get("label")) and _nonblank(anchor.get("answer"))):
            errors.append(f"Anchor answer {n} needs a label and an answer.")
        elif not isinstance(anchor.get("why", ""), str):
            errors.append(f"Anchor answer {n}: “why” must be text.")
    return errors
