from django.contrib import admin

from .models import Job, SubmissionToken


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "done", "total", "owner", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "result")
    readonly_fields = ("task_id", "task_path", "task_kwargs", "created_at", "updated_at")


@admin.register(SubmissionToken)
class SubmissionTokenAdmin(admin.ModelAdmin):
    list_display = ("purpose", "owner", "result_url", "created_at", "expires_at")
    list_filter = ("purpose",)
    readonly_fields = ("token", "created_at")
