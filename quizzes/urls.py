from django.urls import path

from . import views, views_interop, views_teaching

app_name = "quizzes"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.quiz_detail, name="quiz-detail"),
    path("attempts/<int:pk>/", views.attempt_take, name="attempt"),
    path("attempts/<int:pk>/save", views.response_save_api, name="response-save"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt-submit"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="attempt-result"),
    # Teaching staff
    path("course/<slug:course_slug>/grading/", views_teaching.grading_queue,
         name="grading-queue"),
    path("course/<slug:course_slug>/gradebook/", views_teaching.gradebook, name="gradebook"),
    path("course/<slug:course_slug>/gradebook.csv", views_teaching.gradebook_csv,
         name="gradebook-csv"),
    path("course/<slug:course_slug>/responses.csv", views_teaching.responses_csv,
         name="responses-csv"),
    path("course/<slug:course_slug>/audit/", views_teaching.audit_log, name="audit-log"),
    path("course/<slug:course_slug>/students/<int:user_id>/", views_teaching.student_report,
         name="student-report"),
    path("course/<slug:course_slug>/accommodations/", views_teaching.accommodations,
         name="accommodations"),
    path("responses/<int:pk>/grade/", views_teaching.response_grade, name="response-grade"),
    path("responses/<int:pk>/override/", views_teaching.response_override,
         name="response-override"),
    path("questions/<int:pk>/regrade/", views_teaching.question_regrade,
         name="question-regrade"),
    path("<int:pk>/release/", views_teaching.quiz_release, name="quiz-release"),
    path("<int:pk>/analysis/", views_teaching.item_analysis, name="item-analysis"),
    # Moving questions and lessons in and out
    path("<int:pk>/import/", views_interop.question_import, name="question-import"),
    path("<int:pk>/import/preview/", views_interop.question_import_preview,
         name="question-import-preview"),
    path("<int:pk>/export.gift", views_interop.quiz_export_gift, name="quiz-export-gift"),
    path("course/<slug:course_slug>/lessons/<slug:slug>/export.json",
         views_interop.lesson_export, name="lesson-export"),
    path("course/<slug:course_slug>/import-lesson/", views_interop.lesson_import,
         name="lesson-import"),
    path("course/<slug:course_slug>/lessons/<slug:slug>/heatmap/",
         views_teaching.lesson_heatmap, name="lesson-heatmap"),
]
