"""The contract every type editor keeps. Django forms only: no ORM writes here.

A type editor is the type-specific part of the question form. The question view builds the
shared form (title, prompt, points, explanation, cited passages) and the editor for the
question's type from the same POST, and the save service (quizzes/authoring/services.py):

1. calls `editor.is_valid()` (field-level checks: numbers are numbers, rows are complete);
2. builds a `grading.QuestionSpec` from the shared points, `editor.config()` and
   `editor.choices()`, and runs `grading.check_config` on it: grading decides validity, in one
   place; each message goes back through `editor.add_problems(messages)`, which attaches it to
   the field it concerns (or to the editor's non-field errors);
3. only when both pass, writes the Question, its Choice rows and its Rubric in one transaction.

Editors never see answer keys they did not receive: `question` is the instructor's own row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from ...interop.drafts import ChoiceDraft


@dataclass(frozen=True)
class LevelDraft:
    label: str
    points: Decimal
    description: str = ""


@dataclass(frozen=True)
class CriterionDraft:
    name: str
    description: str = ""
    levels: tuple[LevelDraft, ...] = ()


@dataclass(frozen=True)
class RubricDraft:
    """What a Rubric with its criteria and levels holds, in order."""

    title: str = ""
    criteria: tuple[CriterionDraft, ...] = field(default_factory=tuple)


class TypeEditor:
    """Base class. Subclasses set `type_key` and `template_name` and implement the hooks.

    - `__init__(data=None, *, question=None, passages=(), prefix="type")`: `data` is the POST
      (None for a blank or initial form); `question` the saved Question being edited (None
      for a new one), from which initial values come; `passages` the lesson reading's Passage
      rows in order (evidence pickers show them; sentence picks need their text).
    - `template_name`: an include under templates/quizzes/authoring/editors/ rendered with
      `editor` in its context.
    """

    type_key: ClassVar[str] = ""
    template_name: ClassVar[str] = ""

    def __init__(self, data: Any = None, *, question: Any = None,
                 passages: Sequence[Any] = (), prefix: str = "type") -> None:
        self.data = data
        self.question = question
        self.passages = list(passages)
        self.prefix = prefix
        self.problems: list[str] = []  # non-field messages, shown above the editor
        # Set when the POST was one of the editor's own buttons (add, remove or move a row):
        # the editor has rearranged itself, is_valid() is False, and the view re-renders the
        # form instead of saving. Empty for a save.
        self.action = ""

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def is_valid(self) -> bool:
        """True when every field and row of the editor is well formed."""
        raise NotImplementedError

    def config(self) -> dict[str, Any]:
        """The Question.config to save (only the grading type's `config_keys`).
        Call after `is_valid()` returned True."""
        raise NotImplementedError

    def choices(self) -> list[ChoiceDraft]:
        """The Choice rows to save, in order; [] for types without choices."""
        return []

    def rubric(self) -> RubricDraft | None:
        """The rubric to save (open response); None means the question has none."""
        return None

    def add_problems(self, messages: Sequence[str]) -> None:
        """Attach grading's `check_config` messages to the fields they concern; the rest
        become non-field problems. Default: all non-field."""
        self.problems.extend(messages)


EDITORS: dict[str, type[TypeEditor]] = {}


def register(cls: type[TypeEditor]) -> type[TypeEditor]:
    """Class decorator: make `cls` the editor for its `type_key`."""
    if not cls.type_key or cls.type_key in EDITORS:
        raise ValueError(f"editor type key {cls.type_key!r} is empty or taken")
    EDITORS[cls.type_key] = cls
    return cls


def editor_for(type_key: str) -> type[TypeEditor]:
    """The editor class for a grading type key; KeyError for an unknown one."""
    return EDITORS[type_key]
