from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "status", "done", "total", "owner", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("title", "result")
    readonly_fields = ("task_id", "task_path", "task_kwargs", "created_at", "updated_at")
