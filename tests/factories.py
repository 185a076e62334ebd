"""factory_boy factories for the tests."""

from __future__ import annotations

import hashlib

import factory
from django.contrib.auth import get_user_model

from courses.models import (
    Annotation,
    Course,
    Enrollment,
    Lesson,
    Passage,
    Reading,
    Role,
)

PASSWORD = "pw-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    is_published = True


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.STUDENT


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    title = factory.Sequence(lambda n: f"Reading {n}")
    content_hash = factory.Sequence(lambda n: hashlib.sha256(str(n).encode()).hexdigest())
    word_count = 100
    reading_minutes = 1
    authors = factory.LazyFunction(lambda: ["Ann Author"])


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    reading = factory.SubFactory(ReadingFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "The quick brown fox jumps over the lazy dog near the river bank."


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    passage = factory.SubFactory(PassageFactory)
    # The lesson showing the passage's reading (the first, if several do), or a new one.
    lesson = factory.LazyAttribute(
        lambda a: a.passage.reading.lessons.order_by("pk").first()
        or LessonFactory(reading=a.passage.reading))
    kind = "glossary"
    title = "Fox"
    body = "A small *wild* canine."
    quote = "fox"
    start = factory.LazyAttribute(lambda a: a.passage.text.find(a.quote))
    end = factory.LazyAttribute(lambda a: a.start + len(a.quote))


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    reading = factory.SubFactory(ReadingFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    is_published = True
    objectives = factory.LazyFunction(lambda: ["Understand the text."])


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Quiz"

    lesson = factory.SubFactory(LessonFactory)
    kind = "comprehension"
    title = factory.Sequence(lambda n: f"Quiz {n}")
    shuffle_choices = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Question"

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n + 1)
    type = "short"
    prompt = "Which animal runs?"
    points = 2
    config = factory.LazyFunction(
        lambda: {"answers": [{"text": "ZQX-fox", "fraction": 1.0}], "case_sensitive": False}
    )


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Choice"

    question = factory.SubFactory(QuestionFactory, type="single", config={})
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Choice {n}")
    fraction = 0
