"""Forms for reading uploads, notes, reading-progress reports and class rosters."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .models import AnnotationKind, Audience, Course, NoteDepth
from .roster import MAX_BYTES as ROSTER_MAX_BYTES


class ReadingUploadForm(forms.Form):
    """One of a file, pasted text or a web address, plus where the reading goes."""

    file = forms.FileField(
        required=False, label="File",
        help_text="A .txt, .md, .html/.htm (a saved article page), .docx or text .pdf file.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".txt,.md,.markdown,.html,.htm,.docx,.pdf"}),
    )
    text = forms.CharField(required=False, label="Or paste the text",
                           widget=forms.Textarea(attrs={"rows": 6}))
    url = forms.URLField(
        required=False, label="Or import from a web address", max_length=2000,
        assume_scheme="https",
        help_text="An article page, a text file, a PDF or a Word file on the public web.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )
    title = forms.CharField(required=False, max_length=300, label="Title (optional)",
                            help_text="Leave empty to use the title found in the text.")
    course = forms.ModelChoiceField(queryset=Course.objects.all(), required=False,
                                    label="Add as a lesson to (optional)")
    publish = forms.BooleanField(required=False, label="Publish the lesson to students")

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        given = [bool(upload), bool(text), bool(data.get("url"))]
        if sum(given) != 1 and not self.errors.get("url"):
            raise forms.ValidationError(
                "Choose a file, paste text or give a web address (one of the three).")
        if upload and upload.size > settings.LECTIO_UPLOAD_MAX_BYTES:
            limit = settings.LECTIO_UPLOAD_MAX_BYTES / (1024 * 1024)
            raise forms.ValidationError(
                f"This file is {upload.size / (1024 * 1024):.1f} MB; the limit is "
                f"{limit:g} MB.")
        return data

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url") or ""
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http:// and https:// addresses can be imported.")
        return url

    def payload(self) -> tuple[bytes, str]:
        """The uploaded bytes and file name, or the pasted text as a UTF-8 text file."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "pasted.txt"


def _no_controls(value: str) -> str:
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise forms.ValidationError("Remove the control characters from this field.")
    return value.strip()


class ReadingDetailsForm(forms.Form):
    """What the preview lets an admin correct before the reading is stored."""

    title = forms.CharField(max_length=300, label="Title",
                            error_messages={"required": "Give the reading a title."})
    dek = forms.CharField(required=False, max_length=1000, label="Dek (standfirst)",
                          widget=forms.Textarea(attrs={"rows": 2}))
    authors = forms.CharField(
        required=False, max_length=2000, label="Authors",
        help_text="One name per line.", widget=forms.Textarea(attrs={"rows": 2}))
    published_on = forms.DateField(
        required=False, label="Published on",
        help_text="The date the reading was first published, if known.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    source = forms.CharField(required=False, max_length=200, label="Source",
                             help_text="The publication or site, e.g. The Diplomat.")
    source_url = forms.URLField(required=False, max_length=200, label="Source URL",
                                assume_scheme="https")
    date_note = forms.CharField(
        required=False, max_length=200, label="What is known of the date",
        help_text="Shown beside the date, or instead of it when the day is not known, e.g. "
                  "early 2021; the exact date is not in this copy.")
    copy_note = forms.CharField(
        required=False, max_length=1000, label="About this copy",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What readers should know about this copy of the text, e.g. that the "
                  "original's links were lost.")

    def clean_title(self) -> str:
        title = _no_controls(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Give the reading a title.")
        return title

    def clean_dek(self) -> str:
        return _no_controls(self.cleaned_data.get("dek") or "")

    def clean_source(self) -> str:
        return _no_controls(self.cleaned_data.get("source") or "")

    def clean_date_note(self) -> str:
        return _no_controls(self.cleaned_data.get("date_note") or "")

    def clean_copy_note(self) -> str:
        return _no_controls(self.cleaned_data.get("copy_note") or "")

    def clean_authors(self) -> list[str]:
        names = [_no_controls(line) for line in
                 (self.cleaned_data.get("authors") or "").replace(";", "\n").splitlines()]
        names = [name for name in names if name]
        if len(names) > 20:
            raise forms.ValidationError("List at most 20 authors.")
        if any(len(name) > 200 for name in names):
            raise forms.ValidationError("Each author's name must be under 200 characters.")
        return names

    def clean_published_on(self):
        published = self.cleaned_data.get("published_on")
        if published is not None:
            from django.utils import timezone

            if published > timezone.localdate():
                raise forms.ValidationError("The publication date cannot be in the future.")
            if published.year < 1000:
                raise forms.ValidationError("Give the year in full, e.g. 2021.")
        return published

    def clean_source_url(self) -> str:
        url = self.cleaned_data.get("source_url") or ""
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("The source URL must start with http:// or https://.")
        return url


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
    depth = forms.ChoiceField(
        choices=NoteDepth.choices, initial=NoteDepth.CORE, required=False,
        help_text="Core notes show with the text; go-deeper notes wait behind a toggle.")

    def __init__(self, *args, passage_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["passage"].choices = [(n, f"Passage {n}")
                                          for n in range(1, passage_count + 1)]

    def clean_depth(self) -> str:
        # A form posted before the field existed (or by a script) means a core note.
        return self.cleaned_data.get("depth") or NoteDepth.CORE


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
