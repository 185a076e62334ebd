"""Forms of the teaching pages: their errors are shown beside the fields they concern."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone


class AccommodationForm(forms.Form):
    """Extra time and attempts for one student, in every quiz of the course."""

    student = forms.TypedChoiceField(label="Student", coerce=int, error_messages={
        "invalid_choice": "Choose a student of this course."})
    time_multiplier = forms.DecimalField(
        label="Time multiplier (1 to 10)", min_value=Decimal("1"), max_value=Decimal("10"),
        max_digits=4, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": "Enter the time multiplier as a number, such as 1.5."})
    extra_attempts = forms.IntegerField(label="Extra attempts on every quiz", min_value=0,
                                        max_value=100)

    def __init__(self, *args, students=(), **kwargs):
        kwargs.setdefault("auto_id", "acc-%s")
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(e.pk, f"{e.user.get_full_name() or e.user.username}"
                                           f" ({e.user.username})") for e in students]


class ExtensionForm(forms.Form):
    """A later closing time for one student on one quiz (empty removes it)."""

    student = forms.TypedChoiceField(label="Student", coerce=int, error_messages={
        "invalid_choice": "Choose a student of this course."})
    quiz = forms.TypedChoiceField(label="Quiz", coerce=int, error_messages={
        "invalid_choice": "Choose a quiz of this course."})
    closes_at = forms.DateTimeField(
        label="Closes for this student (leave empty to remove)", required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": "Enter a date and time, such as 2026-05-01 17:00."})

    def __init__(self, *args, students=(), quizzes=(), **kwargs):
        kwargs.setdefault("auto_id", "ext-%s")
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [(e.pk, f"{e.user.get_full_name() or e.user.username}"
                                           f" ({e.user.username})") for e in students]
        self.fields["quiz"].choices = [(q.pk, q.title) for q in quizzes]

    def clean_closes_at(self):
        value = self.cleaned_data["closes_at"]
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value
