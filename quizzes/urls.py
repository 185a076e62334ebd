from django.urls import path

from .authoring.urls import urlpatterns as authoring_patterns
from .interop import views as interop
from .taking import views as taking
from .teaching import views as teaching

app_name = "quizzes"

urlpatterns = [
    path("dashboard/", taking.dashboard, name="dashboard"),
    path("<int:pk>/", taking.quiz_detail, name="quiz-detail"),
    path("attempts/<int:pk>/", taking.attempt_take, name="attempt"),
    path("attempts/<int:pk>/save", taking.response_save_api, name="response-save"),
    path("attempts/<int:pk>/submit/", taking.attempt_submit, name="attempt-submit"),
    path("attempts/<int:pk>/result/", taking.attempt_result, name="attempt-result"),
    # Teaching staff
    path("course/<slug:course_slug>/grading/", teaching.grading_queue,
         name="grading-queue"),
    path("course/<slug:course_slug>/gradebook/", teaching.gradebook, name="gradebook"),
    path("course/<slug:course_slug>/gradebook.csv", teaching.gradebook_csv,
         name="gradebook-csv"),
    path("course/<slug:course_slug>/responses.csv", teaching.responses_csv,
         name="responses-csv"),
    path("course/<slug:course_slug>/audit/", teaching.audit_log, name="audit-log"),
    path("course/<slug:course_slug>/students/<int:user_id>/", teaching.student_report,
         name="student-report"),
    path("course/<slug:course_slug>/accommodations/", teaching.accommodations,
         name="accommodations"),
    path("responses/<int:pk>/grade/", teaching.response_grade, name="response-grade"),
    path("responses/<int:pk>/override/", teaching.response_override,
         name="response-override"),
    path("questions/<int:pk>/regrade/", teaching.question_regrade,
         name="question-regrade"),
    path("<int:pk>/release/", teaching.quiz_release, name="quiz-release"),
    path("<int:pk>/analysis/", teaching.item_analysis, name="item-analysis"),
    # Moving questions and lessons in and out
    path("<int:pk>/import/", interop.question_import, name="question-import"),
    path("<int:pk>/import/preview/", interop.question_import_preview,
         name="question-import-preview"),
    path("<int:pk>/export.gift", interop.quiz_export_gift, name="quiz-export-gift"),
    path("<int:pk>/export.xml", interop.quiz_export_moodle_xml, name="quiz-export-moodle-xml"),
    path("<int:pk>/export.qti.zip", interop.quiz_export_qti, name="quiz-export-qti"),
    path("course/<slug:course_slug>/lessons/<slug:slug>/export.json",
         interop.lesson_export, name="lesson-export"),
    path("course/<slug:course_slug>/import-lesson/", interop.lesson_import,
         name="lesson-import"),
    path("course/<slug:course_slug>/lessons/<slug:slug>/heatmap/",
         teaching.lesson_heatmap, name="lesson-heatmap"),
]

# Instructors building quizzes and questions in the app
urlpatterns += authoring_patterns
