from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("<slug:course_slug>/", views.course_detail, name="course-detail"),
    path("<slug:course_slug>/lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
    path(
        "<slug:course_slug>/lessons/<slug:slug>/readers/",
        views.lesson_progress_report,
        name="lesson-progress-report",
    ),
    path(
        "<slug:course_slug>/lessons/<slug:slug>/progress/",
        views.lesson_progress,
        name="lesson-progress",
    ),
]
