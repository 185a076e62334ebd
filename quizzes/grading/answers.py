"""Typed answers: a word or phrase (``short``) and a number (``numeric``)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from .base import (
    _EPS,
    AnswerError,
    Grade,
    QuestionSpec,
    QuestionType,
    _clean_text,
    _feedback,
    _grade_from_fraction,
    _is_full,
    _nonblank,
    _number,
)
from .match import (
    WILDCARD,
    NumberError,
    compile_pattern,
    format_number,
    normalise_text,
    parse_number,
    pattern_can_match_something,
    pattern_matches,
    within_range,
    within_tolerance,
)

SHORT_MAX_CHARS = 1000


def _check_credit(item: Mapping[str, Any], n: int, errors: list[str]) -> bool:
    """Check an accepted answer's credit and feedback, adding messages to `errors`; True
    when it is worth full credit."""
    fraction = _number(item.get("fraction"))
    full = False
    if fraction is None or not 0 <= fraction <= 1 + _EPS:
        errors.append(f"Accepted answer {n}: the credit must be a number from 0 to 1.")
    elif _is_full(fraction):
        full = True
    if not isinstance(item.get("feedback", ""), str):
        errors.append(f"Accepted answer {n}: feedback must be text.")
    return full


def _md_escape(text: str) -> str:
    # Accepted short answers are plain text: a wildcard "*" must not turn into emphasis.
    for ch in "\\`*_[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _as_words(pattern: str) -> str:
    """An accepted answer as a student reads it, never as a pattern: a ``*`` at either end
    only allows more words around the answer, so it is dropped; one inside stands for the
    letters in between and is shown as an ellipsis ("Indo*Pacific" reads "Indo…Pacific")."""
    text = " ".join(pattern.split()).strip(WILDCARD + " ")
    while WILDCARD * 2 in text:
        text = text.replace(WILDCARD * 2, WILDCARD)
    return _md_escape(text).replace("\\" + WILDCARD, "…")


class ShortAnswer(QuestionType):
    """A word or phrase, matched against accepted answers after normalisation.

    Config: ``answers`` = [{"text", "fraction", "feedback"?}], ``case_sensitive`` (default
    false).  See ``quizzes.grading.match`` for the normalisation and the ``*`` wildcard.
    The best-scoring matching answer wins (the first listed on a tie); 0-credit answers may
    be listed to give feedback on common mistakes.
    """

    key = "short"
    label = "Short answer"
    config_keys = frozenset({"answers", "case_sensitive"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors: list[str] = []
        if not isinstance(config.get("case_sensitive", False), bool):
            errors.append("“case_sensitive” must be true or false.")
        answers = config.get("answers")
        if not isinstance(answers, (list, tuple)) or not answers:
            return [*errors, "Give at least one accepted answer."]
        full = False
        for n, item in enumerate(answers, start=1):
            if not isinstance(item, Mapping):
                errors.append(f"Accepted answer {n} is malformed.")
                continue
            extra = sorted(str(k) for k in item if k not in ("text", "fraction", "feedback"))
            if extra:
                errors.append(f"Accepted answer {n}: unknown setting(s) {', '.join(extra)}.")
            text = item.get("text")
            if not _nonblank(text):
                errors.append(f"Accepted answer {n} has no text.")
            elif len(text) > SHORT_MAX_CHARS:
                errors.append(f"Accepted answer {n} is longer than {SHORT_MAX_CHARS} characters.")
            elif not pattern_can_match_something(compile_pattern(text)):
                errors.append(f"Accepted answer {n} is only punctuation, so nothing can match it.")
            full = _check_credit(item, n, errors) or full
        if not errors and not full:
            errors.append("At least one accepted answer must be worth full credit (1).")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> str | None:
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise AnswerError("Type your answer as text.")
        text = _clean_text(raw)
        if len(text) > SHORT_MAX_CHARS:
            raise AnswerError(f"Keep your answer under {SHORT_MAX_CHARS} characters.")
        # The answer is stored as typed (trimmed); normalisation is only for matching.
        return text or None

    def _grade(self, spec: QuestionSpec, answer: str) -> Grade:
        case_sensitive = spec.config.get("case_sensitive", False)
        text = normalise_text(answer, case_sensitive)
        best: Mapping[str, Any] | None = None
        for item in spec.config["answers"]:
            if pattern_matches(compile_pattern(item["text"], case_sensitive), text) and (
                best is None or float(item["fraction"]) > float(best["fraction"])
            ):
                best = item
        if best is None:
            return _grade_from_fraction(0.0, spec.points)
        return _grade_from_fraction(
            float(best["fraction"]), spec.points, _feedback(best.get("feedback"))
        )

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {"max_length": SHORT_MAX_CHARS}

    def _correct_text(self, spec: QuestionSpec) -> str:
        answers = spec.config["answers"]
        full = list(dict.fromkeys(_as_words(a["text"]) for a in answers
                                  if _is_full(float(a["fraction"]))))
        if len(full) == 1:
            return full[0]
        return f"{full[0]} (also accepted: {', '.join(full[1:])})"


class Numeric(QuestionType):
    """A number.  Config: ``answers`` = [{"value", "tolerance"?} or {"min", "max"}, with
    "fraction" and optional "feedback"], and optional ``feedback_other`` (Markdown shown for
    a number that matches no accepted answer: Moodle's "any other answer").  Bounds are
    inclusive; the best-scoring matching answer wins (the first listed on a tie)."""

    key = "numeric"
    label = "Numeric"
    config_keys = frozenset({"answers", "feedback_other"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        answers = config.get("answers")
        if not isinstance(answers, (list, tuple)) or not answers:
            return ["Give at least one accepted answer."]
        errors: list[str] = []
        if not isinstance(config.get("feedback_other", ""), str):
            errors.append("The feedback for any other number must be text.")
        full = False
        allowed = {"value", "tolerance", "min", "max", "fraction", "feedback"}
        for n, item in enumerate(answers, start=1):
            if not isinstance(item, Mapping):
                errors.append(f"Accepted answer {n} is malformed.")
                continue
            extra = sorted(str(k) for k in item if k not in allowed)
            if extra:
                errors.append(f"Accepted answer {n}: unknown setting(s) {', '.join(extra)}.")
            has_value = "value" in item or "tolerance" in item
            has_range = "min" in item or "max" in item
            if has_value == has_range:
                errors.append(
                    f"Accepted answer {n}: give either a value (with an optional tolerance) "
                    "or a range (min and max)."
                )
            elif has_value:
                if _number(item.get("value")) is None:
                    errors.append(f"Accepted answer {n}: the value must be a number.")
                tolerance = _number(item.get("tolerance", 0))
                if tolerance is None or tolerance < 0:
                    errors.append(f"Accepted answer {n}: the tolerance must be 0 or more.")
            else:
                low, high = _number(item.get("min")), _number(item.get("max"))
                if low is None or high is None:
                    errors.append(f"Accepted answer {n}: min and max must both be numbers.")
                elif low > high:
                    errors.append(f"Accepted answer {n}: min is larger than max.")
            full = _check_credit(item, n, errors) or full
        if not errors and not full:
            errors.append("At least one accepted answer must be worth full credit (1).")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> int | float | None:
        try:
            return parse_number(raw)
        except NumberError as exc:
            raise AnswerError(str(exc)) from None

    @staticmethod
    def _matches(item: Mapping[str, Any], x: float) -> bool:
        if "value" in item:
            return within_tolerance(x, float(item["value"]), float(item.get("tolerance", 0)))
        return within_range(x, float(item["min"]), float(item["max"]))

    def _grade(self, spec: QuestionSpec, answer: float) -> Grade:
        best: Mapping[str, Any] | None = None
        for item in spec.config["answers"]:
            if self._matches(item, float(answer)) and (
                best is None or float(item["fraction"]) > float(best["fraction"])
            ):
                best = item
        if best is None:
            return _grade_from_fraction(0.0, spec.points,
                                        _feedback(spec.config.get("feedback_other")))
        return _grade_from_fraction(
            float(best["fraction"]), spec.points, _feedback(best.get("feedback"))
        )

    def _correct_text(self, spec: QuestionSpec) -> str:
        texts = []
        for item in spec.config["answers"]:
            if not _is_full(float(item["fraction"])):
                continue
            if "value" in item:
                text = format_number(item["value"])
                if float(item.get("tolerance", 0)) > 0:
                    text += f" ± {format_number(item['tolerance'])}"
            else:
                text = f"from {format_number(item['min'])} to {format_number(item['max'])}"
            texts.append(text)
        return " or ".join(texts)
