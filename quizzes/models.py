"""Quizzes, questions, attempts and responses (see the quizzes issue)."""
