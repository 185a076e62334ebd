"""Forms for instructors' imports: question files and lesson packages."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .services import FORMATS


def _check_size(upload) -> None:
    limit = settings.LECTIO_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
            f"{limit / (1024 * 1024):g} MB. Split it into smaller files.")


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label="Question file",
        help_text="A Moodle XML file (.xml), a QTI package from Canvas, Blackboard or D2L "
                  "(.zip), a Moodle GIFT file (.gift or .txt) or an Aiken file (.txt, UTF-8).",
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.zip,.gift,.txt"}),
    )
    format = forms.ChoiceField(
        choices=[("auto", "Find out from the file"), *FORMATS.items()], initial="auto",
        label="Format",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_size(upload)
        return upload


class LessonImportForm(forms.Form):
    file = forms.FileField(
        label="Lesson package",
        help_text="A .json file exported from Lectio with “Export lesson package”.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        _check_size(upload)
        return upload
