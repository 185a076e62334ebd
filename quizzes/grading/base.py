"""What every question type shares: the specs, ``Grade``, the errors, the ``QuestionType``
base class and small helpers. Pure: standard library only."""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

# "not_applicable": a description item, which asks nothing and is worth nothing.
STATES = ("correct", "partial", "incorrect", "pending", "not_applicable")
_EPS = 1e-9


@dataclass(frozen=True)
class ChoiceSpec:
    """One option of a choice question (also part A of a two-part question)."""

    id: str  # stable id (the DB primary key as a string)
    text: str
    # single: 1.0 for the right one, 0 otherwise, partial credit in between.
    # multiple: weight in [-1, 1]; positive weights add up to 1.
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    """Everything grading needs to know about one question."""

    type: str
    points: float
    choices: tuple[ChoiceSpec, ...] = ()
    config: Mapping[str, Any] = field(default_factory=dict)  # type-specific


@dataclass(frozen=True)
class Grade:
    """The result of grading one answer."""

    score: float  # always 0 <= score <= points, rounded to 4 decimals
    max_score: float
    state: str  # "correct" | "partial" | "incorrect" | "pending" | "not_applicable"
    feedback: tuple[str, ...] = ()  # authored Markdown to show at review
    parts: tuple[Grade, ...] = ()  # twopart: (part A grade, part B grade)


class AnswerError(ValueError):
    """The answer is malformed (wrong shape, unknown choice id...). Human message."""


class ConfigError(ValueError):
    """The author's question config is invalid. Human message."""


def _number(value: Any) -> float | None:
    """``value`` as a finite float, or None when it is not a real number (bools excluded)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction)):
        return None
    try:
        result = float(value)
    except (OverflowError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _nonblank(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _is_full(fraction: float) -> bool:
    return fraction >= 1 - _EPS


def _clean_text(raw: str) -> str:
    # PostgreSQL text/jsonb cannot store NUL; nothing legitimate is lost by dropping it.
    return raw.replace("\x00", "").strip()


def _feedback(*texts: Any) -> tuple[str, ...]:
    return tuple(t for t in texts if isinstance(t, str) and t.strip())


def _score(points: float, fraction: float) -> float:
    points = float(points)  # points may arrive as a Decimal from a DecimalField
    score = round(points * fraction, 4)
    return min(max(score, 0.0), points)


def _grade_from_fraction(
    fraction: float,
    points: float,
    feedback: tuple[str, ...] = (),
    parts: tuple[Grade, ...] = (),
) -> Grade:
    """Grade worth ``fraction`` (clamped to [0, 1]) of ``points``.

    State: "correct" for full credit, "partial" when the rounded score is positive,
    "incorrect" otherwise.
    """
    if math.isnan(fraction):
        fraction = 0.0
    fraction = min(1.0, max(0.0, fraction))
    score = _score(points, fraction)
    if _is_full(fraction):
        state = "correct"
    elif score > 0:
        state = "partial"
    else:
        state = "incorrect"
    return Grade(score=score, max_score=float(points), state=state, feedback=feedback, parts=parts)


def score_fraction(grade: Grade) -> float:
    """``grade.score / grade.max_score`` in [0, 1]; for a 0-point question 1.0 when the
    state is "correct", else 0.0."""
    if grade.max_score <= 0:
        return 1.0 if grade.state == "correct" else 0.0
    return min(1.0, max(0.0, grade.score / grade.max_score))


def _shuffled(items: Sequence[Any], rng: random.Random | None) -> list[Any]:
    result = list(items)
    if rng is not None:
        rng.shuffle(result)
    return result


def _content_rng(*parts: Any) -> random.Random:
    """A Random seeded from the question's content: stable, but unrelated to the answer."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return random.Random(int.from_bytes(hashlib.sha256(blob).digest()[:8], "big"))


def _digits(text: str) -> int | None:
    """A short run of ASCII digits as an int (browsers may post numbers as strings)."""
    text = text.strip()
    # The length cap keeps int() cheap and away from its 4300-digit ValueError.
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


class QuestionType:
    """Base class; subclasses implement the ``_``-prefixed hooks.

    The public methods validate the spec first (raising ``ConfigError``), so hooks may assume
    a valid config.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    auto_graded: ClassVar[bool] = True
    # False for a type that is worth nothing (a description): its points are 0, not > 0.
    scored: ClassVar[bool] = True
    uses_choices: ClassVar[bool] = False
    config_keys: ClassVar[frozenset[str]] = frozenset()

    # public API

    def check_config(self, spec: QuestionSpec) -> list[str]:
        """Human-readable problems with ``spec``; ``[]`` when it is valid. Never raises."""
        errors: list[str] = []
        if spec.type != self.key:
            errors.append(f"This is a {self.label} question, not {spec.type!r}.")
        points = _number(spec.points)
        if points is None or points < 0:
            errors.append("Points must be a number of 0 or more.")
        elif round(points, 4) != points:
            # Scores are rounded to 4 decimals; full marks must be representable.
            errors.append("Points can have at most 4 decimal places.")
        if not isinstance(spec.config, Mapping):
            errors.append("The question settings are missing or malformed.")
            return errors
        unknown = sorted(str(k) for k in spec.config if k not in self.config_keys)
        if unknown:
            errors.append(f"Unknown setting(s) for a {self.label} question: {', '.join(unknown)}.")
        if self.uses_choices:
            errors.extend(self._check_choices(spec))
        elif spec.choices:
            errors.append(f"{self.label} questions have no choices.")
        errors.extend(self._check(spec.config))
        return errors

    def normalise(self, spec: QuestionSpec, raw: Any) -> Any:
        """Canonical JSON-serialisable form of ``raw``; ``None`` when blank/unanswered.

        Raises ``AnswerError`` (human message) for a malformed answer.  Idempotent:
        ``normalise(spec, normalise(spec, raw)) == normalise(spec, raw)``.
        """
        self._require_valid(spec)
        return self._normalise(spec, raw)

    def grade(self, spec: QuestionSpec, answer: Any) -> Grade:
        """Grade a canonical answer; ``None`` (unanswered) scores 0, "incorrect".

        Never raises for a bad answer: an answer stored before the author edited the
        question is re-normalised, and what no longer fits is ignored (unknown choice ids
        score nothing) rather than failing the whole attempt.
        """
        self._require_valid(spec)
        try:
            answer = self._normalise(spec, answer)
        except AnswerError:
            answer = self._salvage(spec, answer)
        if answer is None:
            return self._unanswered(spec)
        return self._grade(spec, answer)

    def public_data(self, spec: QuestionSpec, rng: random.Random | None = None) -> dict:
        """JSON-serialisable data the attempt page may see; contains no answer information.

        With ``rng``, choices/items/options are shuffled with it (seed it per attempt so the
        order is fixed within an attempt).
        """
        self._require_valid(spec)
        return {"type": self.key, **self._public(spec, rng)}

    def correct_answer_text(self, spec: QuestionSpec) -> str:
        """Human-readable right answer (Markdown) for the review page."""
        self._require_valid(spec)
        return self._correct_text(spec)

    # hooks

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        return []

    def _check_choices(self, spec: QuestionSpec) -> list[str]:
        return []

    def _normalise(self, spec: QuestionSpec, raw: Any) -> Any:
        raise NotImplementedError

    def _salvage(self, spec: QuestionSpec, answer: Any) -> Any:
        """Best-effort canonical answer from a stale/invalid stored one (None = unanswered)."""
        return None

    def _unanswered(self, spec: QuestionSpec) -> Grade:
        return Grade(0.0, float(spec.points), "incorrect")

    def _grade(self, spec: QuestionSpec, answer: Any) -> Grade:
        raise NotImplementedError

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return ""

    def _require_valid(self, spec: QuestionSpec) -> None:
        errors = self.check_config(spec)
        if errors:
            raise ConfigError(" ".join(errors))
