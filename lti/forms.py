"""Forms of the LTI pages: connecting a platform course, choosing what a link opens."""

from __future__ import annotations

from django import forms

NEW = "new"


class CourseConnectForm(forms.Form):
    """Open a platform course on one of the instructor's Lectio courses, or on a new one."""

    course = forms.ChoiceField(label="Lectio course", widget=forms.RadioSelect)
    title = forms.CharField(label="Title of the new course", max_length=200, required=False)

    def __init__(self, *args, courses, default_title: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = {str(c.pk): c for c in courses}
        self.fields["course"].choices = [
            *[(pk, f"{c.title} ({c.slug})") for pk, c in self.courses.items()],
            (NEW, "A new Lectio course"),
        ]
        self.fields["course"].initial = NEW if not courses else None
        self.fields["title"].initial = default_title

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("course") == NEW and not (cleaned.get("title") or "").strip():
            self.add_error("title", "Give the new course a title.")
        return cleaned

    def chosen_course(self):
        return self.courses.get(self.cleaned_data["course"])


class ResourceChoiceForm(forms.Form):
    """Pick lessons and quizzes of a course; `multiple` allows more than one."""

    def __init__(self, *args, items, multiple: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = dict(items)
        widget = forms.CheckboxSelectMultiple if multiple else forms.RadioSelect
        field = forms.MultipleChoiceField if multiple else forms.ChoiceField
        self.fields["items"] = field(
            label="Lessons and quizzes", widget=widget,
            choices=[(key, item["label"]) for key, item in items],
            error_messages={"required": "Choose at least one lesson or quiz."})

    def chosen(self) -> list[dict]:
        value = self.cleaned_data["items"]
        keys = value if isinstance(value, list) else [value]
        return [self.items[key] for key in keys]
