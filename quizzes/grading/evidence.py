"""Passage picks: the passages that support a claim (``evidence``) and the evidence-based
two-part question (``twopart``, a single choice then passage picks).

Passage picks earn ``right picks / max(key size, picks made)``: every key passage found
counts, and picking more passages than the key holds divides the credit among the picks,
so a right passage plus one extra still earns something, guessing widely earns little, and
the credit is never below zero. ``public_data`` carries the rule as a sentence the student
sees (``rule``); it never carries the key or its size.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from .base import (
    AnswerError,
    Grade,
    QuestionSpec,
    QuestionType,
    _digits,
    _feedback,
    _grade_from_fraction,
    _is_full,
    _is_int,
    _nonblank,
    _number,
)
from .choice import (
    _check_shuffle,
    _check_single_choices,
    _choice_id,
    _public_choices,
    _single_correct_text,
)


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


def picks_fraction(key: Sequence[int], picks: Sequence[int] | None) -> float:
    """Credit in [0, 1] for ``picks`` against ``key``: right picks / max(key size, picks).

    All of the key and nothing else is 1; no picks, or no right pick, is 0; each extra
    pick beyond the key's size lowers the credit but never below 0.
    """
    if not picks:
        return 0.0
    key_set, picked = set(key), set(picks)
    return len(key_set & picked) / max(len(key_set), len(picked))


def _picks_fraction(config: Mapping[str, Any], picks: Sequence[int] | None) -> float:
    return picks_fraction(config["key"], picks)


# The sentence a student reads before picking. It must not depend on the key: the same
# words for every question, so they give nothing away.
PICKS_RULE = (
    "Scoring: each right passage you pick earns credit, shared out over the number of "
    "passages in the answer or the number you picked, whichever is larger. "
    "So extra picks lower your credit, but it never goes below zero."
)


def _public_picks(config: Mapping[str, Any]) -> dict:
    passages = config.get("passages")
    return {
        "max_picks": config.get("max_picks"),
        "passages": sorted(passages) if passages is not None else None,
        "rule": PICKS_RULE,
    }


def _passages_text(numbers: Sequence[int]) -> str:
    nums = [str(n) for n in sorted(numbers)]
    if len(nums) == 1:
        return f"Passage {nums[0]}"
    return f"Passages {', '.join(nums[:-1])} and {nums[-1]}"


DEPENDENCIES = ("none", "a_right", "a_credit")


def part_b_dependency(config: Mapping[str, Any]) -> str:
    """How part B's credit depends on part A: one of ``DEPENDENCIES`` (valid config)."""
    if "part_b_depends" in config:
        return config["part_b_depends"]
    return "a_right" if config.get("b_requires_a", False) else "none"


def _check_dependency(config: Mapping[str, Any]) -> list[str]:
    legacy = config.get("b_requires_a")
    if legacy is not None and not isinstance(legacy, bool):
        return ["“b_requires_a” must be true or false."]
    if "part_b_depends" not in config:
        return []
    depends = config["part_b_depends"]
    if depends not in DEPENDENCIES:
        return [
            "“part_b_depends” must be “none” (parts scored separately), “a_right” (Part B "
            "counts only when Part A is right) or “a_credit” (Part B scaled by Part A's credit)."
        ]
    if legacy is not None and (depends == "a_right") != legacy:
        return [
            f"“b_requires_a” ({str(legacy).lower()}) and “part_b_depends” (“{depends}”) "
            "disagree; keep only “part_b_depends”."
        ]
    return []


def _marks(points: float) -> str:
    shown = f"{points:.4f}".rstrip("0").rstrip(".")
    return f"{shown} mark" if shown == "1" else f"{shown} marks"


class Evidence(QuestionType):
    """Pick the passages that support a claim.  Config: ``claim`` (text), ``key`` (passage
    numbers), optional ``max_picks`` (at least the key's size) and ``passages`` (numbers
    that may be picked).

    Score = points * right picks / max(len(key), picks made); see ``picks_fraction``.
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
    ``part_a_weight`` (default 0.5) of the points, part B the rest; part A is scored like a
    single choice, part B like an evidence question (``picks_fraction``).

    ``part_b_depends`` (optional) ties part B's credit to part A, as in PARCC/SBAC EBSR
    items, where evidence for a wrong answer is not evidence:

    - ``"none"`` (default): the parts are scored independently;
    - ``"a_right"``: part B earns credit only when part A is fully right;
    - ``"a_credit"``: part B's credit is multiplied by part A's (a half-right part A
      halves part B).

    ``b_requires_a`` (older, still accepted): ``true`` means ``"a_right"``, ``false``
    ``"none"``; given with ``part_b_depends``, the two must agree.  ``public_data`` carries
    ``rule``, the sentence that tells the student how the parts are scored.
    """

    key = "twopart"
    label = "Two-part (evidence-based)"
    uses_choices = True
    config_keys = frozenset(
        {"part_b", "part_a_weight", "part_b_depends", "b_requires_a", "shuffle"}
    )

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
        errors.extend(_check_dependency(config))
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
        depends = part_b_dependency(spec.config)
        if depends == "a_right" and not _is_full(fraction_a):
            fraction_b = 0.0
        elif depends == "a_credit":
            fraction_b *= max(0.0, fraction_a)
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
            "rule": self._rule(spec),
        }

    def _rule(self, spec: QuestionSpec) -> str:
        points_a, points_b = self._part_points(spec)
        text = f"Part A is worth {_marks(points_a)} and Part B {_marks(points_b)}. "
        depends = part_b_dependency(spec.config)
        if depends == "a_right":
            text += "Part B counts only if your answer to Part A is right. "
        elif depends == "a_credit":
            text += "Part B counts in proportion to your credit on Part A. "
        return text + "Part B " + PICKS_RULE[0].lower() + PICKS_RULE[1:]

    def _correct_text(self, spec: QuestionSpec) -> str:
        part_a = _single_correct_text(spec.choices)
        part_b = _passages_text(spec.config["part_b"]["key"])
        return f"**Part A:** {part_a}\n\n**Part B:** {part_b}"
