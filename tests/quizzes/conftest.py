import pytest

from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory


@pytest.fixture
def quiz(lesson):
    """A quiz with a short-answer question (key ZQX-fox) and a single-choice question."""
    quiz = QuizFactory(lesson=lesson, time_limit_minutes=30, attempts_allowed=2)
    QuestionFactory(quiz=quiz, position=1)
    single = QuestionFactory(quiz=quiz, position=2, type="single", config={}, points=1)
    ChoiceFactory(question=single, text="Right", fraction=1, feedback="ZQX-right-feedback")
    ChoiceFactory(question=single, text="Wrong", fraction=0)
    return quiz
