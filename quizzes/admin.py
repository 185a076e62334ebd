from django.contrib import admin

from .models import (
    Attempt,
    Choice,
    Question,
    Quiz,
    Response,
    Rubric,
    RubricCriterion,
    RubricLevel,
)


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["position", "type", "title", "prompt", "points", "explanation", "config", "cites"]
    filter_horizontal = ["cites"]
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "lesson", "time_limit_minutes", "attempts_allowed",
                    "is_published"]
    list_filter = ["kind", "is_published", "lesson__course"]
    search_fields = ["title", "instructions"]
    fieldsets = [
        (None, {"fields": ["lesson", "kind", "title", "instructions", "position",
                           "is_published"]}),
        ("Timing and attempts", {"fields": ["opens_at", "closes_at", "time_limit_minutes",
                                            "grace_seconds", "attempts_allowed",
                                            "grading_method", "pass_mark"]}),
        ("Presentation", {"fields": ["shuffle_questions", "shuffle_choices"]}),
        ("Review", {"fields": ["review_when", "review_score", "review_correctness",
                               "review_answers", "review_explanations"]}),
    ]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "quiz", "type", "points"]
    list_filter = ["type", "quiz"]
    search_fields = ["title", "prompt", "explanation"]
    filter_horizontal = ["cites"]
    inlines = [ChoiceInline]


class RubricLevelInline(admin.TabularInline):
    model = RubricLevel
    extra = 0


@admin.register(RubricCriterion)
class RubricCriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "rubric", "position"]
    search_fields = ["name"]
    inlines = [RubricLevelInline]


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 0
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["__str__", "question"]
    inlines = [RubricCriterionInline]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["question", "answer", "version", "saved_at", "score", "state"]
    readonly_fields = fields
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["user", "quiz", "number", "status", "score", "max_score", "started_at",
                    "submitted_at", "is_preview"]
    list_filter = ["status", "is_preview", "quiz"]
    search_fields = ["user__username", "quiz__title"]
    readonly_fields = ["started_at", "submitted_at", "deadline", "seed", "question_order"]
    inlines = [ResponseInline]
