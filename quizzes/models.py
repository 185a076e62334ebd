"""Quizzes, questions, choices, rubrics, attempts and responses.

Scoring lives in the `grading` package (pure); these models hold data and the invariants that
concurrent requests could otherwise break, as database constraints.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.models import Lesson, Passage

from .grading import TYPE_KEYS, TYPES


class QuizKind(models.TextChoices):
    COMPREHENSION = "comprehension", _("Comprehension")
    CRITICAL = "critical", _("Critical thinking")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LATEST = "latest", _("Latest attempt")
    FIRST = "first", _("First attempt")
    AVERAGE = "average", _("Average of attempts")


class ReviewWhen(models.TextChoices):
    """When a student may review a submitted attempt. "Closes" means closed for everyone:
    past the quiz's closing time, every personal extension and every attempt still being
    written (selectors.review_policy)."""

    AFTER_SUBMISSION = "after_submission", _("After each submitted attempt")
    AFTER_LAST_ATTEMPT = "after_last_attempt", _("Score after each attempt; the rest after "
                                                 "the last attempt or once the quiz closes")
    AFTER_CLOSE = "after_close", _("After the quiz closes for everyone")
    NEVER = "never", _("Never")


class Quiz(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="quizzes")
    kind = models.CharField(_("kind"), max_length=20, choices=QuizKind.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions (Markdown)"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=1)
    is_published = models.BooleanField(_("published"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), null=True,
                                                     blank=True)
    grace_seconds = models.PositiveIntegerField(_("grace period (seconds)"), default=60)
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty means unlimited.")
    )
    grading_method = models.CharField(_("grading method"), max_length=20,
                                      choices=GradingMethod.choices,
                                      default=GradingMethod.HIGHEST)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    review_when = models.CharField(_("review available"), max_length=20,
                                   choices=ReviewWhen.choices,
                                   default=ReviewWhen.AFTER_SUBMISSION)
    review_score = models.BooleanField(_("show score"), default=True)
    review_correctness = models.BooleanField(_("show correctness"), default=True)
    review_answers = models.BooleanField(
        _("show right answers"), default=True,
        help_text=_("A student who has been shown the right answers cannot start another "
                    "attempt."))
    review_explanations = models.BooleanField(_("show explanations"), default=True)
    pass_mark = models.PositiveIntegerField(_("pass mark (%)"), default=60)
    grades_released_at = models.DateTimeField(
        _("grades released"), null=True, blank=True,
        help_text=_("Until released, students see hand-graded answers as awaiting grading."),
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["lesson", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="quiz_pass_mark_pct"),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz-detail", kwargs={"pk": self.pk})


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"), default=1)
    type = models.CharField(
        _("type"), max_length=20, choices=[(key, TYPES[key].label) for key in TYPE_KEYS]
    )
    title = models.CharField(
        _("title"), max_length=255, blank=True,
        help_text=_("A short name for instructors, e.g. a GIFT ::title::; students do not see it."),
    )
    prompt = models.TextField(_("prompt (Markdown)"))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2,
                                 default=Decimal("1"))
    explanation = models.TextField(_("explanation (Markdown)"), blank=True)
    config = models.JSONField(_("type settings"), default=dict, blank=True)
    cites = models.ManyToManyField(Passage, blank=True, related_name="cited_by",
                                   verbose_name=_("cited passages"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "position", "pk"]
        constraints = [
            # A description (text only) is worth nothing; every other question is worth points.
            models.CheckConstraint(condition=Q(points__gt=0) | Q(type="description", points=0),
                                   name="question_points_positive"),
            models.CheckConstraint(condition=Q(type__in=TYPE_KEYS), name="question_type_valid"),
        ]

    def __str__(self) -> str:
        return f"Q{self.position} ({self.type})"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"), default=1)
    text = models.TextField(_("text"))
    fraction = models.DecimalField(
        _("credit"), max_digits=8, decimal_places=7, default=Decimal("0"),
        help_text=_("1 for a right answer; for multiple response a weight from -1 to 1."),
    )
    feedback = models.TextField(_("feedback (Markdown)"), blank=True)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(fraction__gte=-1) & Q(fraction__lte=1),
                                   name="choice_fraction_range"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Rubric(models.Model):
    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="rubric")
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.title or f"Rubric for {self.question}"


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["rubric", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class RubricLevel(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE,
                                  related_name="levels")
    position = models.PositiveIntegerField(_("position"), default=1)
    label = models.CharField(_("label"), max_length=100)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("rubric level")
        verbose_name_plural = _("rubric levels")
        ordering = ["criterion", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="rubric_level_points_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_GRADING = "needs_grading", _("Awaiting grading")
    GRADED = "graded", _("Graded")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="quiz_attempts")
    number = models.PositiveIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=20, choices=AttemptStatus.choices,
                              default=AttemptStatus.IN_PROGRESS)
    is_preview = models.BooleanField(_("preview"), default=False)
    seed = models.PositiveIntegerField(_("shuffle seed"), default=0)
    question_order = models.JSONField(_("question order"), default=list)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Set the first time the student's review of this attempt showed the right answers:
    # from then on they may not start another attempt at the quiz.
    key_shown_at = models.DateTimeField(_("right answers shown"), null=True, blank=True)
    closed_late = models.BooleanField(_("closed at the deadline"), default=False)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4, null=True,
                                blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=9, decimal_places=4,
                                    default=Decimal("0"))

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user"], condition=Q(status="in_progress"),
                name="attempt_one_in_progress",
            ),
            models.UniqueConstraint(fields=["quiz", "user", "number"],
                                    name="attempt_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="attempt_open_deadline")]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class Response(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="responses")
    answer = models.JSONField(_("answer"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    saved_at = models.DateTimeField(_("saved"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=4, null=True,
                                blank=True)
    state = models.CharField(_("state"), max_length=20, blank=True)
    feedback = models.JSONField(_("feedback"), default=list, blank=True)
    detail = models.JSONField(_("grading detail"), default=dict, blank=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    comment = models.TextField(_("grader's comment (Markdown)"), blank=True)
    overridden = models.BooleanField(_("score overridden"), default=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["attempt", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"],
                                    name="response_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question}"


class RubricScore(models.Model):
    """The level a grader picked for one rubric criterion on one response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="rubric_scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(RubricLevel, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("rubric score")
        verbose_name_plural = _("rubric scores")
        constraints = [
            models.UniqueConstraint(fields=["response", "criterion"],
                                    name="rubric_score_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.response} · {self.criterion}: {self.level}"


class ScoreChange(models.Model):
    """Audit log: every change to a response's score, by whom, when and why."""

    class Kind(models.TextChoices):
        GRADE = "grade", _("Graded by hand")
        OVERRIDE = "override", _("Override")
        REGRADE = "regrade", _("Regrade after a key change")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_score = models.DecimalField(_("old score"), max_digits=9, decimal_places=4, null=True,
                                    blank=True)
    new_score = models.DecimalField(_("new score"), max_digits=9, decimal_places=4, null=True,
                                    blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.response}: {self.old_score} -> {self.new_score}"


class QuizExtension(models.Model):
    """A later closing time for one student on one quiz (an accommodation)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="extensions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="quiz_extensions")
    closes_at = models.DateTimeField(_("closes for this student"))

    class Meta:
        verbose_name = _("quiz extension")
        verbose_name_plural = _("quiz extensions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="quiz_extension_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.quiz} until {self.closes_at}"
