"""Questions on their way in or out of Lectio: the shape every importer produces and every
exporter reads (GIFT, Aiken, lesson packages). Pure: no ORM.

A draft holds exactly what a saved Question holds (type, prompt, points, explanation, config,
choices), so "export then import gives the same questions" is draft equality. Where a
question came from (its line) is kept beside it and does not take part in equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import grading


@dataclass(frozen=True)
class ChoiceDraft:
    text: str
    fraction: float  # as on Choice: 1 right, 0 wrong; multiple response weights in [-1, 1]
    feedback: str = ""


@dataclass(frozen=True)
class QuestionDraft:
    type: str  # a key of grading.TYPES
    prompt: str  # Markdown (HTML from an import is already sanitised)
    points: float = 1.0
    title: str = ""
    explanation: str = ""  # Markdown, shown at review
    config: dict[str, Any] = field(default_factory=dict)
    choices: tuple[ChoiceDraft, ...] = ()
    line: int = field(default=0, compare=False)  # first line in the source file


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input, where it is, and which question it concerns."""

    line: int
    message: str
    title: str = ""

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "The file"
        about = f" (question “{self.title}”)" if self.title else ""
        return f"{where}{about}: {self.message}"


@dataclass
class ParseResult:
    """What an importer read: the valid questions and every problem, in file order.

    ``notices`` are things the instructor should know that do not stop a question from
    being imported (a second answer block ignored, an image that will not show)."""

    questions: list[QuestionDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def category_notice(line: int, category: str) -> Problem:
    """The notice for a Moodle question category (GIFT's ``$CATEGORY:``, Moodle XML's
    category question): Lectio has none, so its questions simply follow in file order."""
    # "$course$/top/Unit 1" names "Unit 1" in the course's question bank.
    name = re.sub(r"^\$\w+\$/(top/)?", "", category.strip())
    return Problem(line, f"Category “{name}”: Lectio has no question categories, so the "
                         "questions after it go into this quiz in file order.")


def draft_spec(draft: QuestionDraft) -> grading.QuestionSpec:
    """The grading view of a draft; choice ids are their 1-based positions."""
    return grading.QuestionSpec(
        type=draft.type,
        points=draft.points,
        choices=tuple(grading.ChoiceSpec(id=str(n), text=c.text, fraction=c.fraction,
                                         feedback=c.feedback)
                      for n, c in enumerate(draft.choices, start=1)),
        config=draft.config,
    )


def draft_problems(draft: QuestionDraft) -> list[str]:
    """Why Lectio could not store `draft` as a question; [] when it can."""
    errors = [] if draft.prompt.strip() else ["The question has no text."]
    scored = draft.type not in grading.TYPES or grading.TYPES[draft.type].scored
    if scored and draft.points <= 0:
        errors.append("Points must be more than 0.")
    return errors + grading.check_config(draft_spec(draft))


def decode_upload(data: bytes, *, max_bytes: int, too_big: str, not_utf8: str) -> str | Problem:
    """An uploaded question file's text (UTF-8, a byte order mark removed), or the Problem
    that stops it: `too_big` (line 0) past `max_bytes`, `not_utf8` at the line of the first
    byte that is not UTF-8."""
    if len(data) > max_bytes:
        return Problem(0, too_big)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Everything before the bad byte decodes; count its lines as the parsers do.
        before = data[: error.start].decode("utf-8-sig")
        return Problem(before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1,
                       not_utf8)
