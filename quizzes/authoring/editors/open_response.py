"""Editor for open responses: word limits and a model answer (what grading reads), plus the
rubric builder: criteria x levels, each a row with add / remove / move buttons that work
without JavaScript. A blank question starts with a 3 x 3 grid ready to fill in.

grading.open_response does not look at rubrics (a teacher marks with them), so the checks a
rubric needs to be usable at marking time live here: every criterion is named and has
levels, every level has a label and points, and the rubric can award something.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ObjectDoesNotExist

from .base import CriterionDraft, LevelDraft, RubricDraft, register
from .rows import RowForm, RowsEditor, RowSpec

TEXT_MAX = 5000
NAME_MAX = 200  # RubricCriterion.name
LABEL_MAX = 100  # RubricLevel.label
GRID = 3  # criteria and levels a new rubric offers


def _points_text(points: Decimal) -> str:
    text = f"{points:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class LevelRow(RowForm):
    blank_fields = ("label", "points", "description")
    required_messages = {"label": "Give this level a label, or empty the row.",
                         "points": "Give this level its points, or empty the row."}
    columns = {"label": "col-md-3", "points": "col-md-2", "description": "col-md-7"}

    label = forms.CharField(label="Level", required=False, max_length=LABEL_MAX,
                            widget=forms.TextInput(attrs={"placeholder": "e.g. Strong"}))
    points = forms.DecimalField(
        label="Points", required=False, min_value=0, max_digits=7, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any"}),
        error_messages={"min_value": "Points cannot be negative."})
    description = forms.CharField(
        label="What this level looks like", required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 1}))


class CriterionRow(RowForm):
    blank_fields = ("name", "description")
    columns = {"name": "col-md-4", "description": "col-md-8"}

    name = forms.CharField(label="Criterion", required=False, max_length=NAME_MAX,
                           widget=forms.TextInput(attrs={"placeholder": "e.g. Use of evidence"}))
    description = forms.CharField(
        label="What it assesses", required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 1}))


class AnchorRow(RowForm):
    """A sample answer at a named level, so two graders place an answer alike."""

    blank_fields = ("label", "answer", "why")
    required_messages = {"label": "Name the level this answer shows, or empty the row.",
                         "answer": "Write the sample answer, or empty the row."}
    columns = {"label": "col-md-3", "answer": "col-md-5", "why": "col-md-4"}

    label = forms.CharField(label="Level it shows", required=False, max_length=LABEL_MAX,
                            widget=forms.TextInput(attrs={"placeholder": "e.g. Developing"}))
    answer = forms.CharField(label="Sample answer", required=False, max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 2}))
    why = forms.CharField(label="Why it earns that level", required=False,
                          max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class OpenSettings(forms.Form):
    min_words = forms.IntegerField(
        label="Fewest words", required=False, min_value=0,
        help_text="Advice shown to the student; a shorter answer can still be submitted.")
    max_words = forms.IntegerField(
        label="Most words", required=False, min_value=0,
        help_text="Enforced: a longer answer is refused with a message. Empty: no limit.")
    model_answer = forms.CharField(
        label="Model answer (Markdown)", required=False, max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to graders, and to students at review when the review policy "
                  "shows answers.")
    rubric_title = forms.CharField(label="Rubric title", required=False, max_length=200,
                                   help_text="Optional, e.g. “Argument essay”.")


@register
class OpenResponseEditor(RowsEditor):
    """Word limits, model answer and a rubric (criteria x levels) for a teacher-marked
    answer."""

    type_key = "open"
    template_name = "quizzes/authoring/editors/open.html"
    settings_form = OpenSettings
    row_specs = {
        "criteria": RowSpec(
            CriterionRow, "criterion", movable=True, blank_rows=0, min_rows=GRID,
            max_rows=20,
            child=("levels", RowSpec(LevelRow, "level", movable=True, blank_rows=0,
                                     min_rows=GRID, max_rows=10))),
        "anchors": RowSpec(AnchorRow, "anchor answer", movable=True, blank_rows=1,
                           max_rows=10),
    }

    def initial_values(self) -> dict[str, Any]:
        config = self.question.config or {}
        values: dict[str, Any] = {"settings": {
            "min_words": config.get("min_words"), "max_words": config.get("max_words"),
            "model_answer": config.get("model_answer", "")},
            "anchors": [{"label": a.get("label", ""), "answer": a.get("answer", ""),
                         "why": a.get("why", "")} for a in config.get("anchors", [])]}
        try:
            rubric = self.question.rubric
        except ObjectDoesNotExist:
            return values
        values["settings"]["rubric_title"] = rubric.title
        values["criteria"] = [
            {"name": c.name, "description": c.description,
             "levels": [{"label": lv.label, "points": _points_text(lv.points),
                         "description": lv.description} for lv in c.levels.all()]}
            for c in rubric.criteria.prefetch_related("levels")
        ]
        return values

    def config(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        for name in ("min_words", "max_words"):
            if self.cleaned[name] is not None:
                config[name] = self.cleaned[name]
        if self.cleaned["model_answer"].strip():
            config["model_answer"] = self.cleaned["model_answer"].strip()
        anchors = []
        for row in self.rowsets["anchors"].filled():
            anchor = {"label": row.form.cleaned_data["label"].strip(),
                      "answer": row.form.cleaned_data["answer"].strip()}
            if row.form.cleaned_data["why"].strip():
                anchor["why"] = row.form.cleaned_data["why"].strip()
            anchors.append(anchor)
        if anchors:
            config["anchors"] = anchors
        return config

    def clean(self) -> None:
        criteria = self.rowsets["criteria"]
        for row in criteria.rows:
            levels = row.child.filled() if row.child else []
            if row.form.is_blank():
                if levels:
                    row.form.add_error("name", "Name this criterion, or empty its levels.")
                continue
            if not row.form.cleaned_data["name"].strip():
                row.form.add_error("name", "Name this criterion, or empty the row.")
            if not levels:
                row.form.add_error("name", "Give this criterion at least one level.")
            seen: set[str] = set()
            for level in levels:
                label = level.form.cleaned_data["label"].strip().casefold()
                if label in seen:
                    level.form.add_error("label", "Another level of this criterion has this "
                                                  "label; graders could not tell them apart.")
                seen.add(label)
        filled = [lv for row in criteria.filled() for lv in row.child.filled()]
        if filled and not any(lv.form.cleaned_data["points"] > 0 for lv in filled):
            criteria.errors.append("At least one level must be worth more than 0 points, "
                                   "or the rubric cannot award anything.")

    def rubric(self) -> RubricDraft | None:
        criteria = tuple(
            CriterionDraft(
                name=row.form.cleaned_data["name"].strip(),
                description=row.form.cleaned_data["description"].strip(),
                levels=tuple(
                    LevelDraft(label=lv.form.cleaned_data["label"].strip(),
                               points=lv.form.cleaned_data["points"],
                               description=lv.form.cleaned_data["description"].strip())
                    for lv in row.child.filled()))
            for row in self.rowsets["criteria"].filled()
        )
        if not criteria:
            return None
        return RubricDraft(title=self.cleaned["rubric_title"].strip(), criteria=criteria)

    def add_problems(self, messages: Sequence[str]) -> None:
        for message in messages:
            if "minimum number of words" in message:
                self.settings_error("min_words", message)
            elif "maximum number of words" in message:
                self.settings_error("max_words", message)
            elif "model answer" in message:
                self.settings_error("model_answer", message)
            elif message.startswith("Anchor answer"):
                self.rowsets["anchors"].errors.append(message)
            else:
                self.problems.append(message)
