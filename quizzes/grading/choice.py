"""Choice questions: one answer (``single``), all that apply (``multiple``), true/false."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    _EPS,
    AnswerError,
    ChoiceSpec,
    Grade,
    QuestionSpec,
    QuestionType,
    _feedback,
    _grade_from_fraction,
    _is_full,
    _is_int,
    _nonblank,
    _number,
    _shuffled,
)


def _check_choice_list(choices: Sequence[ChoiceSpec], low: float, high: float) -> list[str]:
    errors: list[str] = []
    if len(choices) < 2:
        errors.append("Give at least two choices.")
    seen: set[str] = set()
    for n, choice in enumerate(choices, start=1):
        if not _nonblank(getattr(choice, "id", None)):
            errors.append(f"Choice {n} has no id.")
        elif choice.id in seen:
            errors.append(f"Choice {n} repeats the id {choice.id!r}.")
        else:
            seen.add(choice.id)
        if not _nonblank(getattr(choice, "text", None)):
            errors.append(f"Choice {n} has no text.")
        fraction = _number(getattr(choice, "fraction", None))
        if fraction is None or not low - _EPS <= fraction <= high + _EPS:
            errors.append(f"Choice {n}: the credit must be a number from {low:g} to {high:g}.")
        if not isinstance(getattr(choice, "feedback", ""), str):
            errors.append(f"Choice {n}: feedback must be text.")
    return errors


def _choice_id(spec: QuestionSpec, raw: Any) -> str | None:
    """Canonical chosen id: blank -> None; unknown -> AnswerError."""
    if raw is None:
        return None
    if _is_int(raw):
        raw = str(raw)
    if not isinstance(raw, str):
        raise AnswerError("Choose one of the options.")
    raw = raw.strip()
    if not raw:
        return None
    if raw not in {c.id for c in spec.choices}:
        raise AnswerError("That choice is not one of this question's options.")
    return raw


def _check_single_choices(choices: Sequence[ChoiceSpec]) -> list[str]:
    errors = _check_choice_list(choices, 0.0, 1.0)
    if not errors and not any(_is_full(c.fraction) for c in choices):
        errors.append("Mark one choice as fully correct (credit 1).")
    return errors


def _single_correct_text(choices: Sequence[ChoiceSpec]) -> str:
    right = [c.text for c in choices if _is_full(c.fraction)]
    return right[0] if len(right) == 1 else "Any of: " + "; ".join(right)


def _public_choices(spec: QuestionSpec, rng: random.Random | None) -> list[dict]:
    choices = [{"id": c.id, "text": c.text} for c in spec.choices]
    if spec.config.get("shuffle", True):
        choices = _shuffled(choices, rng)
    return choices


def _check_shuffle(config: Mapping[str, Any]) -> list[str]:
    if not isinstance(config.get("shuffle", True), bool):
        return ["“shuffle” must be true or false."]
    return []


class SingleChoice(QuestionType):
    """One answer from a list.  Fractions in [0, 1]; at least one choice is worth 1."""

    key = "single"
    label = "Multiple choice"
    uses_choices = True
    config_keys = frozenset({"shuffle"})

    def _check_choices(self, spec: QuestionSpec) -> list[str]:
        return _check_single_choices(spec.choices)

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        return _check_shuffle(config)

    def _normalise(self, spec: QuestionSpec, raw: Any) -> str | None:
        return _choice_id(spec, raw)

    def _grade(self, spec: QuestionSpec, answer: str) -> Grade:
        choice = next(c for c in spec.choices if c.id == answer)
        return _grade_from_fraction(float(choice.fraction), spec.points, _feedback(choice.feedback))

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {"choices": _public_choices(spec, rng)}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return _single_correct_text(spec.choices)


class MultipleResponse(QuestionType):
    """Tick all that apply.

    Each choice has a weight in [-1, 1]; the positive weights add up to 1.  Score =
    points * clamp(sum of chosen weights, 0, 1), so wrong ticks cost marks but the score
    never goes below zero.
    """

    key = "multiple"
    label = "Multiple response"
    uses_choices = True
    config_keys = frozenset({"shuffle"})

    def _check_choices(self, spec: QuestionSpec) -> list[str]:
        errors = _check_choice_list(spec.choices, -1.0, 1.0)
        if errors:
            return errors
        positive = sum(float(c.fraction) for c in spec.choices if c.fraction > 0)
        if positive <= 0:
            errors.append("Give at least one choice a positive weight.")
        elif abs(positive - 1.0) > 1e-4:
            # Above 1 would over-reward; below 1 would make full marks unreachable.
            errors.append(
                f"The positive weights must add up to 1 (100%); they add up to {positive:g}."
            )
        return errors

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        return _check_shuffle(config)

    def _normalise(self, spec: QuestionSpec, raw: Any) -> list[str] | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, (list, tuple)):
            raise AnswerError("Tick the options you choose.")
        chosen = {_choice_id(spec, item) for item in raw} - {None}
        # Canonical order is the author's order, so equal answers compare equal.
        return [c.id for c in spec.choices if c.id in chosen] or None

    def _salvage(self, spec: QuestionSpec, answer: Any) -> list[str] | None:
        if not isinstance(answer, (list, tuple)):
            return None
        chosen = {str(a) for a in answer if isinstance(a, str) or _is_int(a)}
        return [c.id for c in spec.choices if c.id in chosen] or None

    def _grade(self, spec: QuestionSpec, answer: list[str]) -> Grade:
        chosen = [c for c in spec.choices if c.id in set(answer)]
        total = sum(float(c.fraction) for c in chosen)
        return _grade_from_fraction(total, spec.points, _feedback(*(c.feedback for c in chosen)))

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {"choices": _public_choices(spec, rng)}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return "\n".join(f"- {c.text}" for c in spec.choices if c.fraction > 0)


class TrueFalse(QuestionType):
    """A statement that is true or false.  Config: ``answer`` (bool), optional
    ``feedback_true`` / ``feedback_false`` (shown to students who answered true / false)."""

    key = "truefalse"
    label = "True/false"
    config_keys = frozenset({"answer", "feedback_true", "feedback_false"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors = []
        if not isinstance(config.get("answer"), bool):
            errors.append("Say whether the statement is true or false.")
        for name in ("feedback_true", "feedback_false"):
            if not isinstance(config.get(name, ""), str):
                errors.append(f"“{name}” must be text.")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> bool | None:
        if raw is None or isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            word = raw.strip().casefold()
            if not word:
                return None
            if word in ("true", "false"):
                return word == "true"
        raise AnswerError("Answer true or false.")

    def _grade(self, spec: QuestionSpec, answer: bool) -> Grade:
        feedback = spec.config.get("feedback_true" if answer else "feedback_false", "")
        fraction = 1.0 if answer is spec.config["answer"] else 0.0
        return _grade_from_fraction(fraction, spec.points, _feedback(feedback))

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        # Fixed order: shuffling two options would only confuse.
        return {"options": [{"value": True, "label": "True"}, {"value": False, "label": "False"}]}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return "True" if spec.config["answer"] else "False"
