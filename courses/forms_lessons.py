"""Forms for building lessons from the reading library and for the library itself."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from .models import Course, Lesson
from .selectors_lessons import lesson_slug_problem, lesson_suggested_slug

MAX_OBJECTIVES = 20
OBJECTIVE_MAX = 300
PROMPT_MAX = 1000
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _lines(text: str, noun: str, longest: int) -> list[str]:
    """The non-blank lines of `text`, stripped; ValidationError when there are more than
    MAX_OBJECTIVES or one is longer than `longest` characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_OBJECTIVES:
        raise forms.ValidationError(f"Keep to {MAX_OBJECTIVES} {noun}s; this has {len(lines)}.")
    for number, line in enumerate(lines, start=1):
        if len(line) > longest:
            raise forms.ValidationError(
                f"{noun.capitalize()} {number} is {len(line)} characters long; keep each to "
                f"{longest}.")
    return lines


class LessonForm(forms.Form):
    """A lesson's settings. With `readings` it creates a lesson and asks which reading it
    teaches; without, it edits one (the reading and position are changed elsewhere)."""

    reading = forms.ModelChoiceField(
        queryset=None, label="Reading", empty_label="Choose a reading",
        help_text="The text the lesson teaches, from the reading library (its current "
                  "version).",
        error_messages={
            "required": "Choose the reading this lesson teaches.",
            "invalid_choice": "Choose a reading from your library; that one is not in it "
                              "(or has a newer version).",
        })
    title = forms.CharField(max_length=Lesson._meta.get_field("title").max_length,
                            error_messages={"required": "A lesson needs a title."})
    slug = forms.CharField(
        required=False, label="Address (slug)", max_length=Lesson._meta.get_field("slug")
        .max_length,
        help_text="The last part of the lesson's web address, made of lowercase letters, "
                  "numbers and hyphens. Leave it empty to make one from the title.")
    summary = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences shown under the title on the course page.")
    objectives = forms.CharField(
        required=False, label="Learning objectives", widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One per line, up to {MAX_OBJECTIVES}; students see them above the text. "
                  "For example: Explain why the two countries drew closer after 2014.")
    before_reading = forms.CharField(
        required=False, max_length=4000, label="Before you read",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A question students answer before reading (Markdown), shown above the "
                  "text.")
    discussion = forms.CharField(
        required=False, label="Discussion prompts", widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"One prompt per line (Markdown), up to {MAX_OBJECTIVES}; students see them "
                  "after the text.")
    available_from = forms.DateTimeField(
        required=False, label="Available from",
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": "Enter a date and time, like 2025-09-01 08:00."})
    is_published = forms.BooleanField(
        required=False, label="Published",
        help_text="Students see a published lesson from its opening date on; until then, "
                  "and while it is unpublished, only teaching staff see it.")

    def __init__(self, *args, course: Course, readings=None, lesson: Lesson | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.lesson = course, lesson
        if readings is None:
            del self.fields["reading"]
            self.fields["slug"].required = True
            self.fields["slug"].error_messages["required"] = "Give the lesson an address."
            self.fields["slug"].help_text = ("The last part of the lesson's web address. "
                                             "Changing it breaks links people saved.")
        else:
            self.fields["reading"].queryset = readings
        self.fields["available_from"].help_text = (
            "Students can open the lesson from this moment (time zone "
            f"{timezone.get_current_timezone_name()}). Leave it empty to open it as soon "
            "as it is published.")

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if slug:
            problem = lesson_slug_problem(self.course, slug, lesson=self.lesson)
            if problem:
                raise forms.ValidationError(problem)
        return slug

    def clean_objectives(self) -> list[str]:
        return _lines(self.cleaned_data["objectives"], "objective", OBJECTIVE_MAX)

    def clean_discussion(self) -> list[str]:
        return _lines(self.cleaned_data["discussion"], "prompt", PROMPT_MAX)

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("title") and "slug" not in self.errors:
            data["slug"] = lesson_suggested_slug(self.course, data["title"])
        return data

    def settings(self) -> dict:
        """The cleaned settings, as the lesson services take them."""
        names = ("title", "slug", "summary", "objectives", "before_reading", "discussion",
                 "available_from", "is_published")
        return {name: self.cleaned_data[name] for name in names}

    @staticmethod
    def initial_for(lesson: Lesson) -> dict:
        return {"title": lesson.title, "slug": lesson.slug, "summary": lesson.summary,
                "objectives": "\n".join(lesson.objectives or []),
                "before_reading": lesson.before_reading,
                "discussion": "\n".join(lesson.discussion or []),
                "available_from": lesson.available_from, "is_published": lesson.is_published}


USE_CHOICES = [("", "Any"), ("used", "Used by a lesson"),
               ("unused", "Not used by a lesson yet")]
SORT_CHOICES = [("title", "Title"), ("newest", "Newest first"),
                ("published", "Publication date")]


class LibraryFilterForm(forms.Form):
    """Search and filters of the reading library (a GET form)."""

    q = forms.CharField(required=False, max_length=200, label="Search",
                        widget=forms.TextInput(attrs={"type": "search"}),
                        help_text="Title, standfirst, source or author.")
    course = forms.ChoiceField(required=False, label="Course",
                               help_text="Readings its lessons use or that it was given.")
    use = forms.ChoiceField(required=False, choices=USE_CHOICES, label="Lessons")
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Order")

    def __init__(self, *args, courses: list[Course], **kwargs):
        super().__init__(*args, **kwargs)
        self._courses = {course.slug: course for course in courses}
        self.fields["course"].choices = [("", "All my courses")] + [
            (course.slug, course.title) for course in courses]
        self.fields["course"].error_messages["invalid_choice"] = (
            "Choose one of your courses.")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True  # a search changes nothing
        self.helper.attrs = {"role": "search", "aria-label": "Search the library"}
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-md-4"), Column("course", css_class="col-md-3"),
                Column("use", css_class="col-md-3"), Column("sort", css_class="col-md-2")),
            Submit("", "Show readings", css_class="btn-primary"),
        )

    def clean_course(self) -> Course | None:
        return self._courses.get(self.cleaned_data["course"])

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"q": data["q"].strip(), "course": data["course"], "use": data["use"],
                "sort": data["sort"] or "title"}


class CourseChoiceForm(forms.Form):
    """One course out of `courses`, by slug: where to make a reading available, or where
    to build a lesson from it."""

    course = forms.ChoiceField(label="Course", error_messages={
        "required": "Choose a course.",
        "invalid_choice": "Choose one of the courses listed.",
    })

    def __init__(self, *args, courses: list[Course], **kwargs):
        super().__init__(*args, **kwargs)
        self._courses = {course.slug: course for course in courses}
        self.fields["course"].choices = [(c.slug, c.title) for c in courses]

    def clean_course(self) -> Course:
        return self._courses[self.cleaned_data["course"]]
