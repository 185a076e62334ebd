"""Text with nothing to answer (``description``): instructions, a passage to read, a picture
that several questions refer to. Moodle calls it a description item."""

from __future__ import annotations

from typing import Any, ClassVar

from .base import Grade, QuestionSpec, QuestionType, _number


class Description(QuestionType):
    """Shown in the quiz like a question, but asks nothing and is worth nothing.

    Config: none. Points must be 0. Every answer normalises to ``None`` (there is no input to
    send), and grading always gives 0 of 0 with state "not_applicable", so a description
    never counts towards a score, a statistic or the grading queue.
    """

    key = "description"
    label = "Description (text only)"
    scored: ClassVar[bool] = False

    def check_config(self, spec: QuestionSpec) -> list[str]:
        errors = super().check_config(spec)
        points = _number(spec.points)
        if points is not None and points != 0:
            errors.append("A description asks nothing, so its points must be 0.")
        return errors

    def _normalise(self, spec: QuestionSpec, raw: Any) -> None:
        return None

    def _unanswered(self, spec: QuestionSpec) -> Grade:
        return Grade(0.0, 0.0, "not_applicable")
