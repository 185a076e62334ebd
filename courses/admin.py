from django.contrib import admin, messages

from .models import Annotation, Course, Enrollment, Lesson, Passage, Reading, ReadingProgress
from .services_notes import passage_update


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["user"]


class LessonInline(admin.TabularInline):
    model = Lesson
    extra = 0
    fields = ["position", "title", "slug", "reading", "is_published"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_published", "created_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline, EnrollmentInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "role", "section", "created_at"]
    list_filter = ["role", "course"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "course__title"]
    raw_id_fields = ["user"]


class PassageInline(admin.StackedInline):
    model = Passage
    extra = 0
    fields = ["order", "kind", "text"]
    show_change_link = True


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "word_count", "readability_grade", "created_at"]
    list_filter = ["source", "created_at"]
    search_fields = ["title", "dek", "source", "content_hash"]
    readonly_fields = ["content_hash", "word_count", "reading_minutes", "readability_grade",
                       "original_file", "previous_version", "created_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["title", "dek", "section", "authors", "author_notes"]}),
        ("Source", {"fields": ["source", "source_url", "published_on", "date_note",
                               "licence", "copy_note"]}),
        ("Computed", {"fields": readonly_fields}),
    ]
    inlines = [PassageInline]

    def save_formset(self, request, form, formset, change):
        # Edited passage text goes through the service that re-anchors notes (and versions
        # a reading that attempts already used); everything else saves as usual.
        if formset.model is not Passage:
            return super().save_formset(request, form, formset, change)
        edited = [f for f in formset.forms
                  if f.instance.pk and "text" in f.changed_data and f not in formset.deleted_forms]
        for passage_form in edited:
            stored = Passage.objects.get(pk=passage_form.instance.pk)
            _passage, flagged = passage_update(passage=stored,
                                               text=passage_form.cleaned_data["text"])
            _report(self, request, flagged)
        formset.forms = [f for f in formset.forms if f not in edited]
        return super().save_formset(request, form, formset, change)


def _report(model_admin, request, flagged) -> None:
    if flagged:
        model_admin.message_user(
            request, f"{len(flagged)} note(s) no longer match the edited text and are "
                     "flagged for review.", level=messages.WARNING)


class AnnotationInline(admin.StackedInline):
    model = Annotation
    extra = 0
    fields = ["lesson", "kind", "title", "quote", "start", "end", "body", "audience",
              "depth", "needs_review"]
    raw_id_fields = ["lesson"]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["reading", "order", "kind", "text"]
    list_filter = ["kind", "reading"]
    search_fields = ["text", "reading__title"]
    inlines = [AnnotationInline]

    def save_model(self, request, obj, form, change):
        if change and "text" in form.changed_data:
            stored = Passage.objects.get(pk=obj.pk)
            passage, flagged = passage_update(passage=stored, text=obj.text)
            if passage.kind != obj.kind:
                passage.kind = obj.kind
                passage.save(update_fields=["kind"])
            _report(self, request, flagged)
            return
        super().save_model(request, obj, form, change)


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "quote", "lesson", "passage", "audience", "depth",
                    "needs_review"]
    list_filter = ["kind", "audience", "depth", "needs_review", "lesson__course"]
    search_fields = ["title", "quote", "body", "lesson__title"]
    raw_id_fields = ["lesson", "passage", "author"]
    list_select_related = ["lesson", "passage__reading"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "reading", "position", "is_published"]
    list_filter = ["is_published", "course"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["course"]
    raw_id_fields = ["reading"]


@admin.register(ReadingProgress)
class ReadingProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "lesson", "furthest_passage", "seconds_spent", "completed_at"]
    list_filter = ["lesson__course", "completed_at"]
    search_fields = ["user__username", "lesson__title"]
    raw_id_fields = ["user", "lesson"]
