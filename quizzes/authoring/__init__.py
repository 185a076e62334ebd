"""Authoring: instructors build quizzes and their questions in the app (issue 12).

`editors` holds one *type editor* per question type: the type-specific part of the question
form (choices, accepted answers, pairs, items, evidence keys, rubrics), never raw JSON. The
shared part of every question (title, prompt, points, explanation, cited passages), the quiz
forms, the services that save and copy, and the views live beside it.
"""
