from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.quiz_detail, name="quiz-detail"),
    path("attempts/<int:pk>/", views.attempt_take, name="attempt"),
    path("attempts/<int:pk>/save", views.response_save_api, name="response-save"),
    path("attempts/<int:pk>/submit/", views.attempt_submit, name="attempt-submit"),
    path("attempts/<int:pk>/result/", views.attempt_result, name="attempt-result"),
]
