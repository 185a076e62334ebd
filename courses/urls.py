from django.urls import path

from . import views, views_lessons, views_library, views_notes, views_people, views_readings

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    # Before the course patterns, which would otherwise take "readings" for a course slug
    # (so no course can be called "readings").
    path("readings/upload/", views_readings.reading_upload, name="reading-upload"),
    path("readings/upload/preview/", views_readings.reading_upload_preview,
         name="reading-upload-preview"),
    path("readings/upload/confirm/", views_readings.reading_upload_confirm,
         name="reading-upload-confirm"),
    path("readings/upload/cancel/", views_readings.reading_upload_cancel,
         name="reading-upload-cancel"),
    path("readings/", views_library.reading_library, name="reading-library"),
    path("readings/<int:pk>/", views_library.reading_detail, name="reading-detail"),
    path("readings/<int:pk>/new-lesson/", views_library.reading_new_lesson,
         name="reading-new-lesson"),
    path("readings/<int:pk>/courses/", views_library.reading_attach, name="reading-attach"),
    path("readings/<int:pk>/courses/<slug:course_slug>/remove/",
         views_library.reading_detach, name="reading-detach"),
    path("<slug:course_slug>/", views.course_detail, name="course-detail"),
    path("<slug:course_slug>/people/", views_people.people, name="people"),
    path("<slug:course_slug>/people/roster/", views_people.roster_preview,
         name="roster-preview"),
    path("<slug:course_slug>/people/<int:pk>/role/", views_people.enrollment_role,
         name="enrollment-role"),
    path("<slug:course_slug>/people/<int:pk>/remove/", views_people.enrollment_delete,
         name="enrollment-remove"),
    path("<slug:course_slug>/lessons/", views_lessons.lesson_manage, name="lesson-manage"),
    # Before the lesson pattern: "new" is a reserved lesson slug (models.RESERVED_LESSON_SLUGS).
    path("<slug:course_slug>/lessons/new/", views_lessons.lesson_create, name="lesson-create"),
    path("<slug:course_slug>/lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
    path("<slug:course_slug>/lessons/<slug:slug>/settings/", views_lessons.lesson_edit,
         name="lesson-edit"),
    path("<slug:course_slug>/lessons/<slug:slug>/move/", views_lessons.lesson_move,
         name="lesson-move"),
    path("<slug:course_slug>/lessons/<slug:slug>/publish/", views_lessons.lesson_publish,
         name="lesson-publish"),
    path("<slug:course_slug>/lessons/<slug:slug>/delete/", views_lessons.lesson_delete,
         name="lesson-delete"),
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
