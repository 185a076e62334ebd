from django.urls import path

from . import views, views_notes, views_people, views_readings

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    # Before the course patterns, which would otherwise take "readings" for a course slug.
    path("readings/upload/", views_readings.reading_upload, name="reading-upload"),
    path("readings/upload/preview/", views_readings.reading_upload_preview,
         name="reading-upload-preview"),
    path("readings/upload/confirm/", views_readings.reading_upload_confirm,
         name="reading-upload-confirm"),
    path("readings/upload/cancel/", views_readings.reading_upload_cancel,
         name="reading-upload-cancel"),
    path("<slug:course_slug>/", views.course_detail, name="course-detail"),
    path("<slug:course_slug>/people/", views_people.people, name="people"),
    path("<slug:course_slug>/people/roster/", views_people.roster_preview,
         name="roster-preview"),
    path("<slug:course_slug>/people/<int:pk>/role/", views_people.enrollment_role,
         name="enrollment-role"),
    path("<slug:course_slug>/people/<int:pk>/remove/", views_people.enrollment_delete,
         name="enrollment-remove"),
    path("<slug:course_slug>/lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
    path("<slug:course_slug>/lessons/<slug:slug>/notes/", views_notes.note_create,
         name="note-create"),
    path("<slug:course_slug>/lessons/<slug:slug>/notes/<int:pk>/", views_notes.note_edit,
         name="note-edit"),
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
