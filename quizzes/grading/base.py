"""Question types and grading for Lectio quizzes.

PURE module: standard library only, no Django, no ORM.  The views/models turn database rows
into ``QuestionSpec`` values and store the canonical answers and ``Grade`` values this module
returns.

Each question type is one small class with five jobs:

1. ``check_config`` - list the problems in an author's question (``[]`` when valid);
2. ``normalise`` - turn the student's raw, JSON-like answer into a canonical JSON-serialisable
   answer, ``None`` for a blank answer, or raise ``AnswerError`` with a human message;
3. ``grade`` - score a canonical answer (or ``None``) as a ``Grade``;
4. feedback - the authored Markdown to show at review, carried in ``Grade.feedback``;
5. ``public_data`` - what the attempt page may see while the attempt is in progress.  It NEVER
   contains fractions, weights, accepted answers, the correct order or pairing, evidence keys,
   tolerances or per-choice feedback.

Passages are referred to by their 1-based order number in the reading.

Every method except ``check_config`` raises ``ConfigError`` when the spec is invalid, so a bad
question fails loudly instead of grading wrongly.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

from .match import (
    NumberError,
    compile_pattern,
    format_number,
    normalise_text,
    parse_number,
    pattern_can_match_something,
    pattern_matches,
    within_range,
    within_tolerance,
    word_count,
)

TYPE_KEYS = (
    "single",
    "multiple",
    "truefalse",
    "short",
    "numeric",
    "matching",
    "ordering",
    "evidence",
    "twopart",
    "open",
)
STATES = ("correct", "partial", "incorrect", "pending")
SHORT_MAX_CHARS = 1000
OPEN_MAX_CHARS = 20_000
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
    state: str  # "correct" | "partial" | "incorrect" | "pending"
    feedback: tuple[str, ...] = ()  # authored Markdown to show at review
    parts: tuple[Grade, ...] = ()  # twopart: (part A grade, part B grade)


class AnswerError(ValueError):
    """The answer is malformed (wrong shape, unknown choice id...). Human message."""


class ConfigError(ValueError):
    """The author's question config is invalid. Human message."""


# --- small helpers ---------------------------------------------------------------------------


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


def score_fraction(grade: Grade) -> float:
    """``grade.score / grade.max_score`` in [0, 1]; for a 0-point question 1.0 when the
    state is "correct", else 0.0."""
    if grade.max_score <= 0:
        return 1.0 if grade.state == "correct" else 0.0
    return min(1.0, max(0.0, grade.score / grade.max_score))


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


def _shuffled(items: Sequence[Any], rng: random.Random | None) -> list[Any]:
    result = list(items)
    if rng is not None:
        rng.shuffle(result)
    return result


def _content_rng(*parts: Any) -> random.Random:
    """A Random seeded from the question's content: stable, but unrelated to the answer."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return random.Random(int.from_bytes(hashlib.sha256(blob).digest()[:8], "big"))


def _md_escape(text: str) -> str:
    # Accepted short answers are plain text: a wildcard "*" must not turn into emphasis.
    for ch in "\\`*_[]<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _passages_text(numbers: Sequence[int]) -> str:
    nums = [str(n) for n in sorted(numbers)]
    if len(nums) == 1:
        return f"Passage {nums[0]}"
    return f"Passages {', '.join(nums[:-1])} and {nums[-1]}"


# --- base class ------------------------------------------------------------------------------


class QuestionType:
    """Base class; subclasses implement the ``_``-prefixed hooks.

    The public methods validate the spec first (raising ``ConfigError``), so hooks may assume
    a valid config.
    """

    key: ClassVar[str] = ""
    label: ClassVar[str] = ""
    auto_graded: ClassVar[bool] = True
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


# --- shared pieces: choices ------------------------------------------------------------------


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


# --- shared pieces: passage picks (evidence and twopart part B) ------------------------------


def _check_picks_config(config: Mapping[str, Any], where: str = "") -> list[str]:
    errors: list[str] = []
    key = config.get("key")
    key_ok = (
        isinstance(key, (list, tuple)) and bool(key) and all(_is_int(n) and n >= 1 for n in key)
    )
    if not key_ok:
        errors.append(f"{where}The key must list at least one passage number (1, 2, ...).")
    elif len(set(key)) != len(key):
        errors.append(f"{where}The key lists a passage twice.")
    passages = config.get("passages")
    if passages is not None:
        if not (
            isinstance(passages, (list, tuple))
            and passages
            and all(_is_int(n) and n >= 1 for n in passages)
        ):
            errors.append(f"{where}The allowed passages must be a list of passage numbers.")
        elif key_ok and not set(key) <= set(passages):
            errors.append(f"{where}Every key passage must be one of the allowed passages.")
    max_picks = config.get("max_picks")
    if max_picks is not None:
        if not _is_int(max_picks) or max_picks < 1:
            errors.append(f"{where}The maximum number of picks must be a whole number ≥ 1.")
        elif key_ok and max_picks < len(set(key)):
            errors.append(
                f"{where}The maximum number of picks ({max_picks}) is smaller than the key "
                f"({len(set(key))} passages), so full marks would be impossible."
            )
    return errors


def _digits(text: str) -> int | None:
    """A short run of ASCII digits as an int (browsers may post numbers as strings)."""
    text = text.strip()
    # The length cap keeps int() cheap and away from its 4300-digit ValueError.
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def _passage_number(value: Any) -> int | None:
    if _is_int(value):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return _digits(value)
    return None


def _normalise_picks(config: Mapping[str, Any], raw: Any) -> list[int] | None:
    """Sorted, deduplicated passage numbers; blank -> None; invalid -> AnswerError."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, (list, tuple)):
        raise AnswerError("Pick passages by number.")
    allowed = config.get("passages")
    picks: set[int] = set()
    for item in raw:
        number = _passage_number(item)
        if number is None or number < 1:
            raise AnswerError("Pick passages by their number (1, 2, ...).")
        if allowed is not None and number not in allowed:
            raise AnswerError(f"Passage {number} is not one of the passages you can pick.")
        picks.add(number)
    max_picks = config.get("max_picks")
    if max_picks is not None and len(picks) > max_picks:
        raise AnswerError(f"Pick at most {max_picks} passages (you picked {len(picks)}).")
    return sorted(picks) or None


def _salvage_picks(raw: Any) -> list[int] | None:
    if not isinstance(raw, (list, tuple)):
        return None
    picks = {n for n in map(_passage_number, raw) if n is not None and n >= 1}
    return sorted(picks) or None


def _picks_fraction(config: Mapping[str, Any], picks: Sequence[int] | None) -> float:
    """(hits - wrong picks) / len(key), floored at 0: guessing every passage earns nothing."""
    if not picks:
        return 0.0
    key = set(config["key"])
    hits = len(key.intersection(picks))
    wrong = len(set(picks) - key)
    return max(0.0, (hits - wrong) / len(key))


def _public_picks(config: Mapping[str, Any]) -> dict:
    passages = config.get("passages")
    return {
        "max_picks": config.get("max_picks"),
        "passages": sorted(passages) if passages is not None else None,
    }


# --- the types -------------------------------------------------------------------------------


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
        full = [_md_escape(a["text"].strip()) for a in answers if _is_full(float(a["fraction"]))]
        if len(full) == 1:
            return full[0]
        return f"{full[0]} (also accepted: {', '.join(full[1:])})"


class Numeric(QuestionType):
    """A number.  Config: ``answers`` = [{"value", "tolerance"?} or {"min", "max"}, with
    "fraction" and optional "feedback"].  Bounds are inclusive; the best-scoring matching
    answer wins (the first listed on a tie)."""

    key = "numeric"
    label = "Numeric"
    config_keys = frozenset({"answers"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        answers = config.get("answers")
        if not isinstance(answers, (list, tuple)) or not answers:
            return ["Give at least one accepted answer."]
        errors: list[str] = []
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
            return _grade_from_fraction(0.0, spec.points)
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


class Matching(QuestionType):
    """Match each prompt to an answer.  Config: ``pairs`` = [{"prompt", "answer"}],
    optional ``distractors`` (extra wrong answers).  Answer: {"<prompt index>": "<answer
    text>"}.  Score = points * right pairs / pairs."""

    key = "matching"
    label = "Matching"
    config_keys = frozenset({"pairs", "distractors"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors: list[str] = []
        pairs = config.get("pairs")
        if not isinstance(pairs, (list, tuple)) or len(pairs) < 2:
            errors.append("Give at least two pairs to match.")
            pairs = pairs if isinstance(pairs, (list, tuple)) else []
        prompts: set[str] = set()
        for n, pair in enumerate(pairs, start=1):
            if not isinstance(pair, Mapping) or set(pair) != {"prompt", "answer"}:
                errors.append(f"Pair {n} must have a prompt and an answer.")
                continue
            if not (_nonblank(pair["prompt"]) and _nonblank(pair["answer"])):
                errors.append(f"Pair {n} must have a prompt and an answer.")
            elif pair["prompt"].strip() in prompts:
                errors.append(f"Pair {n} repeats the prompt “{pair['prompt'].strip()}”.")
            else:
                prompts.add(pair["prompt"].strip())
        distractors = config.get("distractors", [])
        if not isinstance(distractors, (list, tuple)) or not all(map(_nonblank, distractors)):
            errors.append("Distractors must be a list of non-empty texts.")
        return errors

    @staticmethod
    def _options(spec: QuestionSpec) -> list[str]:
        texts = [p["answer"].strip() for p in spec.config["pairs"]]
        texts += [d.strip() for d in spec.config.get("distractors", [])]
        return list(dict.fromkeys(texts))  # dedupe, keep first occurrence

    @staticmethod
    def _index(key: Any, size: int) -> int | None:
        if _is_int(key):
            index = key
        elif isinstance(key, str):
            index = _digits(key)
        else:
            return None
        return index if index is not None and 0 <= index < size else None

    def _normalise(self, spec: QuestionSpec, raw: Any) -> dict[str, str] | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, Mapping):
            raise AnswerError("Match each item to an answer.")
        options = set(self._options(spec))
        size = len(spec.config["pairs"])
        result: dict[int, str] = {}
        for key, value in raw.items():
            index = self._index(key, size)
            if index is None:
                raise AnswerError("That item is not part of this question.")
            if index in result:
                raise AnswerError("An item was answered twice.")
            if value is None or (isinstance(value, str) and not value.strip()):
                continue  # left blank: not answered, not an error
            if not isinstance(value, str) or value.strip() not in options:
                raise AnswerError("That answer is not one of the options.")
            result[index] = value.strip()
        return {str(i): result[i] for i in sorted(result)} or None

    def _salvage(self, spec: QuestionSpec, answer: Any) -> dict[str, str] | None:
        if not isinstance(answer, Mapping):
            return None
        options = set(self._options(spec))
        size = len(spec.config["pairs"])
        result: dict[int, str] = {}
        for key, value in answer.items():
            index = self._index(key, size)
            if index is not None and isinstance(value, str) and value.strip() in options:
                result.setdefault(index, value.strip())
        return {str(i): result[i] for i in sorted(result)} or None

    def _grade(self, spec: QuestionSpec, answer: Mapping[str, str]) -> Grade:
        pairs = spec.config["pairs"]
        right = sum(1 for i, p in enumerate(pairs) if answer.get(str(i)) == p["answer"].strip())
        return _grade_from_fraction(right / len(pairs), spec.points)

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        prompts = [{"index": i, "text": p["prompt"]} for i, p in enumerate(spec.config["pairs"])]
        options = self._options(spec)
        if rng is None:
            # Author order would line the answers up with their prompts; sort instead.
            options = sorted(options, key=str.casefold)
        else:
            prompts = _shuffled(prompts, rng)
            options = _shuffled(options, rng)
        return {"prompts": prompts, "options": options}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return "\n".join(f"- {p['prompt']} → {p['answer']}" for p in spec.config["pairs"])


class Ordering(QuestionType):
    """Put items in order.  Config: ``items`` in the CORRECT order (texts must be unique).

    Raw answer: the item TEXTS in the student's order (the attempt page never learns the
    items' true indices, since those would give the order away); a list of indices into
    ``items`` is accepted too and is the canonical form.  Must be a permutation.

    Scoring ("relative to the next item", as in Moodle's ordering question): each of the
    n - 1 adjacent pairs in the student's list earns credit when its second item is the one
    that directly follows the first in the correct order.  Score = points * right pairs /
    (n - 1).  Moving one item elsewhere costs at most 2 pairs; a reversed list scores 0.
    """

    key = "ordering"
    label = "Ordering"
    config_keys = frozenset({"items"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        items = config.get("items")
        if not isinstance(items, (list, tuple)) or len(items) < 2:
            return ["Give at least two items to put in order."]
        if not all(map(_nonblank, items)):
            return ["Every item needs text."]
        if len({i.strip() for i in items}) != len(items):
            return ["Two items have the same text; students could not tell them apart."]
        return []

    def _normalise(self, spec: QuestionSpec, raw: Any) -> list[int] | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, (list, tuple)):
            raise AnswerError("Put the items in order.")
        if not raw:
            return None
        items = [i.strip() for i in spec.config["items"]]
        if all(_is_int(x) for x in raw):
            order = list(raw)
        elif all(isinstance(x, str) for x in raw):
            lookup = {text: i for i, text in enumerate(items)}
            if any(x.strip() not in lookup for x in raw):
                raise AnswerError("That item is not part of this question.")
            order = [lookup[x.strip()] for x in raw]
        else:
            raise AnswerError("Put the items in order.")
        if sorted(order) != list(range(len(items))):
            raise AnswerError("Put every item in the list exactly once.")
        return order

    def _grade(self, spec: QuestionSpec, answer: list[int]) -> Grade:
        right = sum(1 for a, b in zip(answer, answer[1:], strict=False) if b == a + 1)
        return _grade_from_fraction(right / (len(answer) - 1), spec.points)

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        items = list(spec.config["items"])
        # Without an rng the author's order IS the answer, so shuffle from the content.
        order = _shuffled(range(len(items)), rng or _content_rng(items))
        if order == sorted(order):
            # Never present the solution: swapping two items is the cheapest fix.
            order[0], order[1] = order[1], order[0]
        return {"items": [{"text": items[i]} for i in order]}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return "\n".join(f"{n}. {item}" for n, item in enumerate(spec.config["items"], start=1))


class Evidence(QuestionType):
    """Pick the passages that support a claim.  Config: ``claim`` (text), ``key`` (passage
    numbers), optional ``max_picks`` and ``passages`` (numbers that may be picked).

    Score = points * max(0, (key passages picked - other passages picked) / len(key)).
    """

    key = "evidence"
    label = "Evidence"
    config_keys = frozenset({"claim", "key", "max_picks", "passages"})

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors = _check_picks_config(config)
        if not isinstance(config.get("claim", ""), str):
            errors.append("The claim must be text.")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> list[int] | None:
        return _normalise_picks(spec.config, raw)

    def _salvage(self, spec: QuestionSpec, answer: Any) -> list[int] | None:
        return _salvage_picks(answer)

    def _grade(self, spec: QuestionSpec, answer: list[int]) -> Grade:
        return _grade_from_fraction(_picks_fraction(spec.config, answer), spec.points)

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        return {"claim": spec.config.get("claim", ""), **_public_picks(spec.config)}

    def _correct_text(self, spec: QuestionSpec) -> str:
        return _passages_text(spec.config["key"])


class TwoPart(QuestionType):
    """Evidence-based selected response: part A is a single choice (``choices``), part B
    picks the passages that support it (``config["part_b"]`` = {"prompt", "key",
    "max_picks"?, "passages"?}).

    Answer: {"a": choice id or None, "b": [passage numbers]}.  Part A is worth
    ``part_a_weight`` (default 0.5) of the points, part B the rest; each part is scored like
    the single / evidence types.  With ``b_requires_a`` (default false), part B earns credit
    only when part A is fully right, as in PARCC/SBAC EBSR items.
    """

    key = "twopart"
    label = "Two-part (evidence-based)"
    uses_choices = True
    config_keys = frozenset({"part_b", "part_a_weight", "b_requires_a", "shuffle"})

    def _check_choices(self, spec: QuestionSpec) -> list[str]:
        return [f"Part A: {e}" for e in _check_single_choices(spec.choices)]

    def _check(self, config: Mapping[str, Any]) -> list[str]:
        errors = _check_shuffle(config)
        part_b = config.get("part_b")
        if not isinstance(part_b, Mapping):
            errors.append("Part B needs a prompt and a key.")
        else:
            extra = sorted(
                str(k) for k in part_b if k not in ("prompt", "key", "max_picks", "passages")
            )
            if extra:
                errors.append(f"Part B: unknown setting(s) {', '.join(extra)}.")
            if not _nonblank(part_b.get("prompt")):
                errors.append("Part B needs a prompt.")
            errors.extend(_check_picks_config(part_b, "Part B: "))
        weight = _number(config.get("part_a_weight", 0.5))
        if weight is None or not 0 < weight < 1:
            errors.append("Part A's weight must be a number between 0 and 1 (e.g. 0.5).")
        if not isinstance(config.get("b_requires_a", False), bool):
            errors.append("“b_requires_a” must be true or false.")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> dict | None:
        if raw is None or raw == "":
            return None
        if not isinstance(raw, Mapping) or not set(raw) <= {"a", "b"}:
            raise AnswerError("Answer part A and part B.")
        a = _choice_id(spec, raw.get("a"))
        b = _normalise_picks(spec.config["part_b"], raw.get("b"))
        if a is None and b is None:
            return None
        return {"a": a, "b": b or []}

    def _salvage(self, spec: QuestionSpec, answer: Any) -> dict | None:
        if not isinstance(answer, Mapping):
            return None
        a = answer.get("a")
        a = a if isinstance(a, str) and a in {c.id for c in spec.choices} else None
        b = _salvage_picks(answer.get("b"))
        return None if a is None and b is None else {"a": a, "b": b or []}

    def _part_points(self, spec: QuestionSpec) -> tuple[float, float]:
        # Round part A's share and give part B the rest, so the parts' maxima add up to
        # exactly the question's points.
        points = float(spec.points)
        points_a = round(points * float(spec.config.get("part_a_weight", 0.5)), 4)
        return points_a, round(points - points_a, 4)

    def _unanswered(self, spec: QuestionSpec) -> Grade:
        return self._grade(spec, {"a": None, "b": []})

    def _grade(self, spec: QuestionSpec, answer: Mapping[str, Any]) -> Grade:
        points_a, points_b = self._part_points(spec)
        choice = next((c for c in spec.choices if c.id == answer["a"]), None)
        fraction_a = float(choice.fraction) if choice else 0.0
        feedback = _feedback(choice.feedback) if choice else ()
        fraction_b = _picks_fraction(spec.config["part_b"], answer["b"])
        if spec.config.get("b_requires_a", False) and not _is_full(fraction_a):
            fraction_b = 0.0
        part_a = _grade_from_fraction(fraction_a, points_a, feedback)
        part_b = _grade_from_fraction(fraction_b, points_b)
        # The total is the sum of the parts as shown, so the review page adds up.
        score = min(float(spec.points), round(part_a.score + part_b.score, 4))
        if part_a.state == part_b.state == "correct":
            state = "correct"
        elif score > 0:
            state = "partial"
        else:
            state = "incorrect"
        return Grade(score, float(spec.points), state, feedback, (part_a, part_b))

    def _public(self, spec: QuestionSpec, rng: random.Random | None) -> dict:
        part_b = spec.config["part_b"]
        return {
            "choices": _public_choices(spec, rng),
            "part_b": {"prompt": part_b["prompt"], **_public_picks(part_b)},
        }

    def _correct_text(self, spec: QuestionSpec) -> str:
        part_a = _single_correct_text(spec.choices)
        part_b = _passages_text(spec.config["part_b"]["key"])
        return f"**Part A:** {part_a}\n\n**Part B:** {part_b}"


class OpenResponse(QuestionType):
    """Free text marked by a teacher.  Config: optional ``min_words``, ``max_words`` and
    ``model_answer`` (shown at review only).

    ``max_words`` is enforced (AnswerError); ``min_words`` is only advice shown to the
    student, so a short answer can still be submitted when time runs out.  An answered
    question grades as "pending" with score 0 until a teacher marks it (see
    ``manual_grade`` and ``rubric_total``).
    """

    key = "open"
    label = "Open response"
    auto_graded = False
    config_keys = frozenset({"min_words", "max_words", "model_answer"})

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
        return spec.config.get("model_answer", "")


TYPES: dict[str, QuestionType] = {
    t.key: t
    for t in (
        SingleChoice(),
        MultipleResponse(),
        TrueFalse(),
        ShortAnswer(),
        Numeric(),
        Matching(),
        Ordering(),
        Evidence(),
        TwoPart(),
        OpenResponse(),
    )
}
assert tuple(TYPES) == TYPE_KEYS  # import-time consistency check


def get_type(key: str) -> QuestionType:
    """The ``QuestionType`` for ``key``; ``ConfigError`` for an unknown key."""
    try:
        return TYPES[key]
    except (KeyError, TypeError):
        raise ConfigError(f"Unknown question type {key!r}.") from None


def check_config(spec: QuestionSpec) -> list[str]:
    """Problems with ``spec`` (including an unknown type); ``[]`` when valid."""
    try:
        return get_type(spec.type).check_config(spec)
    except ConfigError as exc:
        return [str(exc)]


def normalise(spec: QuestionSpec, raw: Any) -> Any:
    """``get_type(spec.type).normalise(spec, raw)``."""
    return get_type(spec.type).normalise(spec, raw)


def grade(spec: QuestionSpec, answer: Any) -> Grade:
    """Normalise then grade a raw or canonical answer.

    Raises ``AnswerError`` for a malformed answer (use ``get_type(...).grade`` to regrade a
    stored answer leniently) and ``ConfigError`` for an invalid spec.
    """
    question_type = get_type(spec.type)
    return question_type.grade(spec, question_type.normalise(spec, answer))


def public_data(spec: QuestionSpec, rng: random.Random | None = None) -> dict:
    """``get_type(spec.type).public_data(spec, rng)``."""
    return get_type(spec.type).public_data(spec, rng)
