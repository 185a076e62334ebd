"""Courses, enrolment, readings with their passages and annotations, lessons, reading progress.

Invariants that two concurrent requests could break live in the database as constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:course-detail", kwargs={"course_slug": self.slug})


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    ASSISTANT = "assistant", _("Assistant")
    INSTRUCTOR = "instructor", _("Instructor")


class Enrollment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    section = models.CharField(_("section"), max_length=50, blank=True)
    # Accommodations: applied by the server to every timed quiz and attempt limit.
    time_multiplier = models.DecimalField(
        _("time multiplier"), max_digits=4, decimal_places=2, default=1,
        help_text=_("1.5 gives this student half as much time again on timed quizzes."),
    )
    extra_attempts = models.PositiveIntegerField(_("extra attempts"), default=0)
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="enrollment_one_per_course"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name="enrollment_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1) & Q(time_multiplier__lte=10),
                name="enrollment_time_multiplier_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course} ({self.get_role_display()})"


class Reading(models.Model):
    """One uploaded text. Once an attempt has used it, corrections make a new version."""

    title = models.CharField(_("title"), max_length=300)
    dek = models.TextField(_("dek"), blank=True, help_text=_("Standfirst under the title."))
    section = models.CharField(_("section"), max_length=200, blank=True)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    author_notes = models.JSONField(_("author notes"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    date_note = models.CharField(
        _("date note"), max_length=200, blank=True,
        help_text=_("What is known of the date when the exact day is not, e.g. “early 2021; "
                    "the exact date is not in this copy”."),
    )
    copy_note = models.TextField(
        _("about this copy"), blank=True,
        help_text=_("What readers should know about this copy of the text, e.g. that the "
                    "original's links were lost."),
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, db_index=True)
    word_count = models.PositiveIntegerField(_("words"), default=0)
    reading_minutes = models.PositiveIntegerField(_("reading time (minutes)"), default=1)
    readability_grade = models.FloatField(_("readability grade"), null=True, blank=True)
    original_file = models.FileField(_("original upload"), upload_to="readings/", blank=True)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    # Every version of a text names the first one, so the library finds a text's versions,
    # and who may use them, in one query instead of walking the chain.
    first_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("first version"),
        help_text=_("Empty on the first version itself."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["title", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def family_id(self) -> int:
        """The id every version of this text shares: that of its first version."""
        return self.first_version_id or self.pk

    @property
    def authors_display(self) -> str:
        names = list(self.authors or [])
        if len(names) <= 1:
            return "".join(names)
        return ", ".join(names[:-1]) + " and " + names[-1]


class PassageKind(models.TextChoices):
    PARAGRAPH = "paragraph", _("Paragraph")
    HEADING = "heading", _("Heading")
    QUOTE = "quote", _("Block quote")


class Passage(models.Model):
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="passages")
    order = models.PositiveIntegerField(_("order"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=PassageKind.choices, default=PassageKind.PARAGRAPH
    )
    text = models.TextField(_("text"))
    # Part of the lesson page's cache key: an edited passage must never be served stale.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["reading", "order"]
        constraints = [
            models.UniqueConstraint(fields=["reading", "order"], name="passage_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="passage_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reading} ¶{self.order}"

    @property
    def anchor(self) -> str:
        """The stable fragment id of this passage on the lesson page (`p-3`)."""
        return f"p-{self.order}"


class AnnotationKind(models.TextChoices):
    GLOSSARY = "glossary", _("Glossary")
    CONTEXT = "context", _("Context")
    COMMENTARY = "commentary", _("Commentary")
    PROMPT = "prompt", _("Question prompt")


class NoteDepth(models.TextChoices):
    """Core notes are what every reader needs; go-deeper ones wait behind a toggle, so the
    notes do not outweigh the reading."""

    CORE = "core", _("Core")
    DEEPER = "deeper", _("Go deeper")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    INSTRUCTORS = "instructors", _("Instructors only")


class Annotation(models.Model):
    """A note on a span of a passage, written for one lesson.

    A reading can be placed in lessons of several courses; each lesson has its own notes, so
    one course's staff never see, edit or delete another's, and students see only the notes
    of the lesson they read. The passage must belong to the lesson's reading (checked in
    `clean()` and the services: a constraint cannot reach across the two rows).

    The quoted text is stored with its offsets so the note can re-anchor by its quote when the
    passage is edited; the constraints guarantee the offsets describe exactly the quote.
    """

    lesson = models.ForeignKey(
        "Lesson", on_delete=models.CASCADE, related_name="annotations",
        verbose_name=_("lesson"),
    )
    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="annotations")
    kind = models.CharField(_("kind"), max_length=20, choices=AnnotationKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"))
    quote = models.TextField(_("quoted text"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    depth = models.CharField(
        _("depth"), max_length=10, choices=NoteDepth.choices, default=NoteDepth.CORE,
        help_text=_("Core notes show with the text; go-deeper notes behind a toggle."),
    )
    needs_review = models.BooleanField(
        _("needs review"), default=False,
        help_text=_("Set when the passage changed and the quote no longer matches."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ["passage__order", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="annotation_span_nonempty"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")),
                name="annotation_span_matches_quote",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AnnotationKind.values), name="annotation_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(depth__in=NoteDepth.values), name="annotation_depth_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title or self.quote[:40]}"

    @property
    def anchor(self) -> str:
        return f"note-{self.pk}"

    def clean(self) -> None:
        # The span must lie inside its passage and spell the quote; a database constraint
        # cannot reach across to the passage's text, so this is checked here and in the
        # service that creates annotations.
        if self.passage_id and self.lesson_id and (
                self.passage.reading_id != self.lesson.reading_id):
            raise ValidationError(
                {"passage": _("The passage must belong to the lesson's reading.")})
        if self.passage_id and self.quote:
            text = self.passage.text
            if self.end > len(text) or text[self.start : self.end] != self.quote:
                raise ValidationError(
                    {"quote": _("The quoted text must appear in the passage at these offsets.")}
                )


# Lesson addresses the lesson pages use for themselves (`lessons/new/`), so no lesson may
# take them as its slug.
RESERVED_LESSON_SLUGS = frozenset({"new"})


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    reading = models.ForeignKey(Reading, on_delete=models.PROTECT, related_name="lessons")
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=80)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    before_reading = models.TextField(
        _("before you read (Markdown)"), blank=True,
        help_text=_("A question for students to answer before they read."),
    )
    discussion = models.JSONField(
        _("discussion prompts"), default=list, blank=True,
        help_text=_("Prompts for discussion after reading, one Markdown text each."),
    )
    position = models.PositiveIntegerField(_("position"), default=1)
    is_published = models.BooleanField(_("published"), default=False)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique_in_course"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "courses:lesson-detail",
            kwargs={"course_slug": self.course.slug, "slug": self.slug},
        )


class CourseReading(models.Model):
    """A reading a site admin made available to a course, so that the course's instructors
    can build a lesson from it without having uploaded it themselves."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reading_links")
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="course_links")
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    attached_at = models.DateTimeField(_("made available"), auto_now_add=True)

    class Meta:
        verbose_name = _("reading available in a course")
        verbose_name_plural = _("readings available in courses")
        ordering = ["course__title", "reading__title"]
        constraints = [
            models.UniqueConstraint(fields=["course", "reading"],
                                    name="course_reading_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reading} in {self.course}"


class ReadingProgress(models.Model):
    """How far one person has read one lesson: the passages reached and the time spent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    passages_seen = models.JSONField(_("passages reached"), default=list, blank=True)
    furthest_passage = models.PositiveIntegerField(_("furthest passage"), default=0)
    seconds_spent = models.PositiveIntegerField(_("seconds spent"), default=0)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reading progress")
        verbose_name_plural = _("reading progress")
        ordering = ["lesson", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_one_per_lesson"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.lesson}"


class PendingUpload(models.Model):
    """An uploaded file waiting for its uploader to confirm the preview (a reading, a question
    bank, a roster), or for the task worker to import it (a large question bank or lesson
    package).

    The bytes live in the database, not in one server's folder, so the confirm can reach any
    app server, and a worker on any machine. A row is named by an unguessable token kept in
    the uploader's session, and rows past `expires_at` are deleted (courses.uploads). `job`
    is the background job importing it, so a second confirm finds that job instead of
    starting another.
    """

    class Kind(models.TextChoices):
        READING = "reading", _("reading")
        QUESTIONS = "questions", _("question bank")
        ROSTER = "roster", _("roster")
        LESSON_PACKAGE = "lesson_package", _("lesson package")

    token = models.CharField(_("token"), max_length=32, primary_key=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              blank=True, related_name="+", verbose_name=_("owner"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    data = models.BinaryField(_("bytes"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+", verbose_name=_("imported by"))

    class Meta:
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename}"
