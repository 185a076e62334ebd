"""Authoring forms: a quiz's settings, the part every question shares, the question type
chooser and the question bank's picker. They validate input; services write."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.forms.models import model_to_dict
from django.utils import timezone

from .. import grading
from ..models import Question, Quiz
from .services import QUIZ_SETTINGS

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
MAX_TIME_LIMIT = 7 * 24 * 60      # a week, in minutes
MAX_GRACE = 3600                  # an hour, in seconds
PROMPT_MAX = 20_000
PREVIEW_MAX = PROMPT_MAX          # the live preview renders at most this much text


def _datetime_field(label: str, help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        required=False, label=label, help_text=help_text,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        error_messages={"invalid": "Enter a date and time, like 2025-09-01 08:00."})


class QuizForm(forms.ModelForm):
    """Every setting of a quiz, in groups, each with help text. Bound without an instance
    (the service applies the cleaned settings), so an invalid post never alters the quiz
    the page shows."""

    opens_at = _datetime_field("Opens", "")
    closes_at = _datetime_field("Closes", "")

    class Meta:
        model = Quiz
        fields = QUIZ_SETTINGS
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "kind": "Comprehension checks what the text says; critical thinking asks what "
                    "it means and whether it holds.",
            "title": "Students see it on the lesson page and in their grades.",
            "instructions": "Markdown, shown before a student starts.",
            "time_limit_minutes": f"Minutes from the start of an attempt, up to "
                                  f"{MAX_TIME_LIMIT} (a week). Leave empty for no limit.",
            "grace_seconds": f"Seconds after the time limit or the closing time in which a "
                             f"submission still counts (network delays), up to {MAX_GRACE}.",
            "attempts_allowed": "How many times each student may take the quiz. Leave empty "
                                "for unlimited.",
            "grading_method": "Which attempts make a student's grade when there are "
                              "several.",
            "shuffle_questions": "Each student gets the questions in their own order.",
            "shuffle_choices": "Each student gets the options of choice questions in their "
                               "own order (a question may opt out).",
            "review_when": "When students may look back at a submitted attempt.",
            "review_score": "Students see their score when they review.",
            "review_correctness": "Students see which answers were right or wrong.",
            "review_explanations": "Students see each question's explanation.",
            "pass_mark": "The percentage of the points a student needs to pass, from 0 to "
                         "100.",
        }
        error_messages = {
            "title": {"required": "Give the quiz a title."},
            "kind": {"required": "Choose the kind of quiz."},
            "pass_mark": {"required": "Give a pass mark from 0 to 100."},
            "grace_seconds": {"required": "Give a grace period in seconds (0 for none)."},
        }

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        self.fields["opens_at"].help_text = (
            f"Students may start from this moment (time zone {zone}). Leave empty to open "
            "with the lesson.")
        self.fields["closes_at"].help_text = (
            f"No attempt may start or be submitted after it, beyond the grace period "
            f"(time zone {zone}). Leave empty to never close.")
        if read_only:
            for field in self.fields.values():
                field.disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("The quiz", "kind", "title", "instructions"),
            Fieldset("When", "opens_at", "closes_at", "time_limit_minutes", "grace_seconds"),
            Fieldset("Attempts and grade", "attempts_allowed", "grading_method",
                     "pass_mark"),
            Fieldset("Order", "shuffle_questions", "shuffle_choices"),
            Fieldset("Review after an attempt", "review_when", "review_score",
                     "review_correctness", "review_answers", "review_explanations"),
        )

    @classmethod
    def for_quiz(cls, quiz: Quiz, data=None, **kwargs) -> QuizForm:
        return cls(data, initial=model_to_dict(quiz, fields=QUIZ_SETTINGS), **kwargs)

    def clean_time_limit_minutes(self):
        minutes = self.cleaned_data["time_limit_minutes"]
        if minutes is not None and not 1 <= minutes <= MAX_TIME_LIMIT:
            raise forms.ValidationError(
                f"A time limit is from 1 to {MAX_TIME_LIMIT} minutes; leave it empty for "
                "none.")
        return minutes

    def clean_grace_seconds(self):
        seconds = self.cleaned_data["grace_seconds"]
        if seconds is not None and seconds > MAX_GRACE:
            raise forms.ValidationError(
                f"Keep the grace period to {MAX_GRACE} seconds (an hour) or less.")
        return seconds

    def clean_attempts_allowed(self):
        attempts = self.cleaned_data["attempts_allowed"]
        if attempts is not None and attempts < 1:
            raise forms.ValidationError("Allow at least 1 attempt; leave it empty for "
                                        "unlimited.")
        return attempts

    def clean_pass_mark(self):
        mark = self.cleaned_data["pass_mark"]
        if mark is not None and mark > 100:
            raise forms.ValidationError("The pass mark is a percentage from 0 to 100.")
        return mark

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The quiz must close after it opens.")
        return data

    def settings(self) -> dict:
        """The cleaned settings, as the quiz services take them."""
        return {name: self.cleaned_data[name] for name in QUIZ_SETTINGS}


class QuestionForm(forms.Form):
    """What every question has, whatever its type: an instructors' title, the prompt and
    explanation in Markdown, its points, and the passages of the reading that hold its
    evidence (`passages` in order; a checkbox each)."""

    title = forms.CharField(
        required=False, max_length=Question._meta.get_field("title").max_length,
        help_text="A short name for instructors, e.g. “Main claim”; students do not see it.")
    prompt = forms.CharField(
        max_length=PROMPT_MAX, label="Question", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the student reads and answers, in Markdown (*italic*, **bold**, "
                  "lists, links).",
        error_messages={"required": "Write the question."})
    points = forms.DecimalField(
        min_value=Decimal("0"), max_value=Decimal("99999.99"), decimal_places=2,
        initial=Decimal("1"), help_text="The most a student can score on it.",
        error_messages={"required": "Give the question its points.",
                        "min_value": "Points cannot be negative.",
                        "max_value": "Keep the points under 100000.",
                        "max_decimal_places": "Use at most two decimal places.",
                        "invalid": "Points are a number, like 1 or 2.5."})
    explanation = forms.CharField(
        required=False, max_length=PROMPT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown shown at review (if the quiz shows explanations): why the "
                  "answer is right, with reference to the text.")
    cites = forms.MultipleChoiceField(
        required=False, label="Cited passages", widget=forms.CheckboxSelectMultiple,
        help_text="The passages that hold the evidence; the review and the heatmap link "
                  "to them.",
        error_messages={"invalid_choice": "Choose passages of this lesson's reading."})

    def __init__(self, *args, passages=(), scored: bool = True, read_only: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.passages, self.scored = list(passages), scored
        if not scored:  # a description: worth nothing (grading checks it is 0)
            self.fields["points"].initial = Decimal("0")
            self.fields["points"].help_text = "A description asks nothing: 0 points."
        self.fields["cites"].choices = [(str(p.pk), f"{p.order}") for p in self.passages]
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    @classmethod
    def for_question(cls, question: Question, data=None, **kwargs) -> QuestionForm:
        initial = {"title": question.title, "prompt": question.prompt,
                   "points": question.points, "explanation": question.explanation,
                   "cites": [str(p.pk) for p in question.cites.all()]}
        return cls(data, initial=initial, **kwargs)

    def clean_prompt(self) -> str:
        prompt = self.cleaned_data["prompt"].replace("\x00", "").strip()
        if not prompt:
            raise forms.ValidationError("Write the question.")
        return prompt

    def clean_points(self) -> Decimal:
        points = self.cleaned_data["points"]
        if self.scored and points <= 0:
            raise forms.ValidationError("Points must be more than 0.")
        return points

    def clean_cites(self) -> list:
        chosen = set(self.cleaned_data["cites"])
        return [p for p in self.passages if str(p.pk) in chosen]

    def passage_rows(self):
        """(passage, checked, excerpt) for the checkbox list, in reading order."""
        if self.is_bound:
            checked = set(self.data.getlist(self.add_prefix("cites"))) \
                if hasattr(self.data, "getlist") else set()
        else:
            checked = set(self.initial.get("cites", []))
        return [(p, str(p.pk) in checked, _excerpt(p.text)) for p in self.passages]


def _excerpt(text: str, words: int = 18) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# What each type asks of a student, for the type chooser (every grading type has one).
TYPE_HELP = {
    "single": "Pick one option; partial credit for near misses if you like.",
    "multiple": "Tick every option that applies; wrong ticks can cost points.",
    "truefalse": "Say whether a statement about the text is true or false.",
    "short": "Type a word or phrase, matched against your accepted answers.",
    "numeric": "Type a number, right within a tolerance or a range.",
    "matching": "Match each prompt to its answer, with wrong answers mixed in.",
    "ordering": "Put items (events, steps, arguments) in the right order.",
    "evidence": "Pick the passages of the reading that support a claim.",
    "twopart": "Answer a choice question, then pick the passages that support the answer.",
    "open": "Write an answer, graded by hand with your rubric.",
    "description": "Text with nothing to answer (instructions, context); worth 0 points.",
}


class TypeChoiceForm(forms.Form):
    """Which kind of question to add."""

    type = forms.ChoiceField(
        label="Type of question", widget=forms.RadioSelect,
        choices=[(key, grading.TYPES[key].label) for key in grading.TYPE_KEYS],
        error_messages={"required": "Choose a type of question.",
                        "invalid_choice": "Choose one of the types listed."})


class PreviewForm(forms.Form):
    """Markdown the live preview renders (capped, so it cannot be used to burn CPU)."""

    text = forms.CharField(required=False, max_length=PREVIEW_MAX, strip=False,
                           error_messages={"max_length": "Too long to preview."})
