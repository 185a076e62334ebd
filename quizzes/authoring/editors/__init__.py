"""Type editors, one per question type, registered by the grading type key.

`editor_for(type_key)` gives the class; every grading type has exactly one (tests check it).
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import (
    EDITORS,
    CriterionDraft,
    LevelDraft,
    RubricDraft,
    TypeEditor,
    editor_for,
    register,
)

__all__ = ["EDITORS", "CriterionDraft", "LevelDraft", "RubricDraft", "TypeEditor",
           "editor_for", "register"]

# Each family module (choice.py, answers.py, ...) registers its editors on import; importing
# them all here means a new family needs no edit to this file.
for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")
