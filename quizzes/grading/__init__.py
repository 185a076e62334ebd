"""Question types and grading for Lectio quizzes.

PURE package: standard library only, no Django, no ORM.  The views/models turn database rows
into ``QuestionSpec`` values and store the canonical answers and ``Grade`` values this package
returns.  ``from quizzes import grading; grading.grade(spec, answer)`` is the way in.

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

One module per type family: ``base`` (specs, ``Grade``, errors, the ``QuestionType`` base
class), ``choice`` (single, multiple, true/false), ``answers`` (short answer, numeric),
``arrange`` (matching, ordering), ``evidence`` (evidence, two-part), ``open_response`` (open
response, manual and rubric grades), ``description`` (text only, nothing to answer)
and ``match`` (text and number matching).  This module
holds the registry, in the order authors see the types.
"""

from __future__ import annotations

import random
from typing import Any

from .answers import SHORT_MAX_CHARS, Numeric, ShortAnswer
from .arrange import Matching, Ordering
from .base import (
    STATES,
    AnswerError,
    ChoiceSpec,
    ConfigError,
    Grade,
    QuestionSpec,
    QuestionType,
    score_fraction,
)
from .choice import MultipleResponse, SingleChoice, TrueFalse
from .description import Description
from .evidence import Evidence, TwoPart
from .open_response import OPEN_MAX_CHARS, OpenResponse, manual_grade, rubric_total

__all__ = [
    "OPEN_MAX_CHARS",
    "SHORT_MAX_CHARS",
    "STATES",
    "TYPES",
    "TYPE_KEYS",
    "AnswerError",
    "ChoiceSpec",
    "ConfigError",
    "Description",
    "Evidence",
    "Grade",
    "Matching",
    "MultipleResponse",
    "Numeric",
    "OpenResponse",
    "Ordering",
    "QuestionSpec",
    "QuestionType",
    "ShortAnswer",
    "SingleChoice",
    "TrueFalse",
    "TwoPart",
    "check_config",
    "get_type",
    "grade",
    "manual_grade",
    "normalise",
    "public_data",
    "rubric_total",
    "score_fraction",
]

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
    "description",
)
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
        Description(),
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
