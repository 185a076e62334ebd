"""Authoring URLs, part of the `quizzes` namespace (quizzes/urls.py adds them)."""

from django.urls import path

from . import views, views_questions

urlpatterns = [
    path("course/<slug:course_slug>/lessons/<slug:slug>/quizzes/", views.quiz_list,
         name="quiz-list"),
    path("course/<slug:course_slug>/lessons/<slug:slug>/quizzes/new/", views.quiz_create,
         name="quiz-create"),
    path("<int:pk>/settings/", views.quiz_edit, name="quiz-edit"),
    path("<int:pk>/questions/", views.quiz_questions, name="quiz-questions"),
    path("<int:pk>/delete/", views.quiz_delete, name="quiz-delete"),
    path("<int:pk>/duplicate/", views.quiz_duplicate, name="quiz-duplicate"),
    path("<int:pk>/publish/", views.quiz_publish, name="quiz-publish"),
    path("<int:pk>/markdown-preview/", views.markdown_preview, name="markdown-preview"),
    path("<int:pk>/questions/new/", views_questions.question_add, name="question-add"),
    path("<int:pk>/questions/copy/", views_questions.question_copy, name="question-copy"),
    path("questions/<int:pk>/", views_questions.question_edit, name="question-edit"),
    path("questions/<int:pk>/move/", views.question_move, name="question-move"),
    path("questions/<int:pk>/delete/", views_questions.question_delete,
         name="question-delete"),
]
