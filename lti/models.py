"""How platform objects (django-lti's LtiContext, LtiResourceLink, LtiLineItem, LtiUser) map
to Lectio's courses, lessons, quizzes and grades.

django-lti keeps the platform's side: registrations (issuer + client id), deployments, keys,
users (registration + subject), contexts, resource links and line items. These models add
the Lectio side of each link, and the state of every grade sent back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiContext, LtiLineItem, LtiResourceLink, LtiUser

from courses.models import Course, Lesson
from quizzes.models import Quiz


class CourseLink(models.Model):
    """The Lectio course that a platform's course (context) opens. Several platform courses
    (sections, terms) may open one Lectio course; one platform course opens one."""

    context = models.OneToOneField(LtiContext, on_delete=models.CASCADE,
                                   related_name="lectio_link", verbose_name=_("LMS course"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lti_links",
                               verbose_name=_("Lectio course"))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    roster_synced_at = models.DateTimeField(_("roster last synced"), null=True, blank=True)

    class Meta:
        verbose_name = _("LMS course link")
        verbose_name_plural = _("LMS course links")
        ordering = ["course", "pk"]

    def __str__(self) -> str:
        return f"{self.context} → {self.course}"


class PlacedResource(models.Model):
    """What a link placed in the platform (a resource link) opens: a lesson or a quiz."""

    resource_link = models.OneToOneField(LtiResourceLink, on_delete=models.CASCADE,
                                         related_name="lectio_target")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="lti_placements")
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)

    class Meta:
        verbose_name = _("placed link")
        verbose_name_plural = _("placed links")
        constraints = [
            models.CheckConstraint(
                condition=(Q(lesson__isnull=False, quiz__isnull=True)
                           | Q(lesson__isnull=True, quiz__isnull=False)),
                name="placed_resource_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_link} → {self.quiz or self.lesson}"

    @property
    def target(self):
        return self.quiz or self.lesson


class QuizLineItem(models.Model):
    """The platform gradebook column (AGS line item) that receives a quiz's grades."""

    line_item = models.OneToOneField(LtiLineItem, on_delete=models.CASCADE,
                                     related_name="lectio_quiz")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="lti_line_items")

    class Meta:
        verbose_name = _("quiz line item")
        verbose_name_plural = _("quiz line items")

    def __str__(self) -> str:
        return f"{self.quiz} → {self.line_item.url}"


class PassbackStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class GradePassback(models.Model):
    """One student's grade for one line item: what should be on the platform, what was sent
    last, and how sending went. `version` grows with every new grade to send, so a send that
    finishes after the grade changed again never marks the newer grade as sent."""

    line_item = models.ForeignKey(LtiLineItem, on_delete=models.CASCADE,
                                  related_name="passbacks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="grade_passbacks")
    lti_user = models.ForeignKey(LtiUser, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=PassbackStatus.choices,
                              default=PassbackStatus.PENDING)
    version = models.PositiveIntegerField(_("version"), default=1)
    score = models.DecimalField(_("score to send"), max_digits=9, decimal_places=4)
    score_maximum = models.DecimalField(_("maximum score"), max_digits=9, decimal_places=4)
    fully_graded = models.BooleanField(_("fully graded"), default=True)
    graded_at = models.DateTimeField(_("grade time"),
                                     help_text=_("The score's timestamp on the platform."))
    attempts = models.PositiveIntegerField(_("sending attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_tried_at = models.DateTimeField(_("last tried"), null=True, blank=True)
    sent_score = models.DecimalField(_("last sent score"), max_digits=9, decimal_places=4,
                                     null=True, blank=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("grade passback")
        verbose_name_plural = _("grade passbacks")
        ordering = ["line_item", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["line_item", "user"],
                                    name="passback_one_per_line_item_user"),
            models.CheckConstraint(condition=Q(status__in=PassbackStatus.values),
                                   name="passback_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "next_try_at"], name="passback_due")]

    def __str__(self) -> str:
        return f"{self.user} · {self.line_item}: {self.get_status_display()}"


class UsedNonce(models.Model):
    """Nonces of accepted launches. pylti1p3 checks that a nonce was issued, not that it is
    used once; the unique constraint makes a replayed id_token fail even when two copies
    arrive at once on two workers."""

    issuer = models.CharField(_("issuer"), max_length=255)
    nonce = models.CharField(_("nonce"), max_length=255)
    used_at = models.DateTimeField(_("used"), db_index=True)

    class Meta:
        verbose_name = _("used nonce")
        verbose_name_plural = _("used nonces")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="nonce_used_once"),
        ]

    def __str__(self) -> str:
        return self.nonce
