"""Forms for reading uploads, notes, reading-progress reports and class rosters."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .models import AnnotationKind, Audience, Course
from .roster import MAX_BYTES as ROSTER_MAX_BYTES


class ReadingUploadForm(forms.Form):
    file = forms.FileField(
        required=False, label="File",
        help_text="A .txt, .md, .html/.htm (a saved article page), .docx or text .pdf file.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.md,.markdown,.html,.htm,.docx,.pdf"}),
    )
    text = forms.CharField(required=False, label="Or paste the text",
                           widget=forms.Textarea(attrs={"rows": 6}))
    title = forms.CharField(required=False, max_length=300, label="Title (optional)",
                            help_text="Leave empty to use the title found in the text.")
    course = forms.ModelChoiceField(queryset=Course.objects.all(), required=False,
                                    label="Add as a lesson to (optional)")
    publish = forms.BooleanField(required=False, label="Publish the lesson to students")

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError("Choose a file or paste text (one of the two).")
        if upload and upload.size > settings.LECTIO_UPLOAD_MAX_BYTES:
            limit = settings.LECTIO_UPLOAD_MAX_BYTES / (1024 * 1024)
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{limit:g} MB.")
        return data

    def payload(self) -> tuple[bytes, str]:
        """The uploaded bytes and file name, or the pasted text as a UTF-8 text file."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted.txt"


class AnnotationForm(forms.Form):
    """A note on the exact words of a passage: the keyboard path to annotating."""

    passage = forms.TypedChoiceField(coerce=int, label="Passage")
    quote = forms.CharField(max_length=2000, label="Exact words from the passage",
                            help_text="Select words in the text to fill this in, or type "
                                      "them exactly.")
    occurrence = forms.IntegerField(min_value=1, initial=1, label="Which occurrence",
                                    help_text="1 unless the words appear more than once.")
    kind = forms.ChoiceField(choices=AnnotationKind.choices)
    title = forms.CharField(max_length=200, required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Note (Markdown)")
    audience = forms.ChoiceField(choices=Audience.choices, initial=Audience.EVERYONE)

    def __init__(self, *args, passage_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passage"].choices = [(n, f"Passage {n}")
                                          for n in range(1, passage_count + 1)]


MAX_INT32 = 2**31 - 1
# More than any reading has passages; a report past this is forged.
MAX_REPORTED_PASSAGES = 10_000


class PassageOrdersField(forms.Field):
    """A list of passage numbers: digit strings from form data, integers from JSON."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in (None, "", [], ()):
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError('"seen" must be a list of passage numbers.')
        if len(value) > MAX_REPORTED_PASSAGES:
            raise forms.ValidationError(
                f"A report names at most {MAX_REPORTED_PASSAGES:,} passages.")
        orders = []
        for item in value:
            if isinstance(item, str) and item.isascii() and item.isdigit() and len(item) <= 10:
                item = int(item)
            if isinstance(item, bool) or not isinstance(item, int) or not 0 < item <= MAX_INT32:
                raise forms.ValidationError('"seen" must list passage numbers (1, 2, ...).')
            orders.append(item)
        return orders


class ProgressReportForm(forms.Form):
    """One reading-progress report: the page's beacon (form data or JSON) or the no-JS
    "mark as read" form (`upto`: every passage up to that one)."""

    seen = PassageOrdersField(required=False)
    seconds = forms.IntegerField(required=False, min_value=0, max_value=MAX_INT32)
    upto = forms.IntegerField(required=False, min_value=1, max_value=MAX_INT32)


class RosterForm(forms.Form):
    file = forms.FileField(
        label="Roster (CSV)",
        help_text="First line: username, email, name, section (name and section optional; "
                  "commas, semicolons or tabs).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ROSTER_MAX_BYTES:
            raise forms.ValidationError(f"This file is {upload.size / (1024 * 1024):.1f} MB; "
                                        "the limit is 1 MB. Split the roster.")
        return upload
