"""Arranging: match prompts to answers (``matching``), put items in order (``ordering``)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from .base import (
    AnswerError,
    Grade,
    QuestionSpec,
    QuestionType,
    _content_rng,
    _digits,
    _grade_from_fraction,
    _is_int,
    _nonblank,
    _shuffled,
)


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
