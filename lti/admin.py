"""Django admin for LTI: django-lti's registrations (with deployments) are registered by
django-lti itself; here the tool's keys, with generation and rotation, and Lectio's links."""

from __future__ import annotations

from django.contrib import admin, messages
from lti_tool.models import Key

from .keys import key_rotate
from .models import CourseLink, GradePassback, PlacedResource, QuizLineItem


@admin.register(Key)
class KeyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "is_active", "datetime_created"]
    list_filter = ["is_active"]
    readonly_fields = ["public_key", "datetime_created", "datetime_modified"]
    exclude = ["private_key"]  # never shown: it signs Lectio's messages
    actions = ["rotate", "retire"]

    def has_add_permission(self, request):
        return False  # keys are generated, never typed in: use the actions

    @admin.action(description="Generate a new signing key (and retire keys over a week old)")
    def rotate(self, request, queryset):
        new_key, retired = key_rotate(retire_after_days=7)
        self.message_user(request, f"New key {new_key} signs from now on; {retired} retired.",
                          messages.SUCCESS)

    @admin.action(description="Retire the selected keys (leave the published key set)")
    def retire(self, request, queryset):
        remaining = Key.objects.active().exclude(pk__in=queryset.values("pk")).count()
        if remaining == 0:
            self.message_user(request, "Keep at least one active key: generate a new one "
                                       "first.", messages.ERROR)
            return
        count = queryset.update(is_active=False)
        self.message_user(request, f"{count} key{'s' if count != 1 else ''} retired.",
                          messages.SUCCESS)


@admin.register(CourseLink)
class CourseLinkAdmin(admin.ModelAdmin):
    list_display = ["context", "course", "linked_by", "linked_at", "roster_synced_at"]
    search_fields = ["context__title", "course__title", "course__slug"]
    list_select_related = ["context", "course", "linked_by"]
    raw_id_fields = ["context", "course", "linked_by"]


@admin.register(PlacedResource)
class PlacedResourceAdmin(admin.ModelAdmin):
    list_display = ["resource_link", "lesson", "quiz", "placed_at"]
    list_select_related = ["resource_link", "lesson", "quiz"]
    raw_id_fields = ["resource_link", "lesson", "quiz"]


@admin.register(QuizLineItem)
class QuizLineItemAdmin(admin.ModelAdmin):
    list_display = ["quiz", "line_item"]
    list_select_related = ["quiz", "line_item"]
    raw_id_fields = ["quiz", "line_item"]


@admin.register(GradePassback)
class GradePassbackAdmin(admin.ModelAdmin):
    list_display = ["user", "line_item", "status", "score", "sent_score", "attempts",
                    "sent_at", "last_tried_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "line_item__label"]
    list_select_related = ["user", "line_item"]
    raw_id_fields = ["line_item", "user", "lti_user"]
