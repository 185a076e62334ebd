from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self) -> None:
        from courses.hooks import (
            register_course_links,
            register_lesson_extras,
            register_lesson_in_use,
            register_lesson_manage_links,
            register_lesson_page_column,
            register_reading_in_use,
        )

        from .hooks import (
            course_links,
            lesson_quiz_links,
            lesson_used_by_attempts,
            quiz_links,
            reading_used_by_attempts,
        )
        from .taking.selectors import QUIZ_STATES_COLUMN

        register_lesson_extras(quiz_links)
        register_lesson_page_column(QUIZ_STATES_COLUMN)
        register_course_links(course_links)
        register_reading_in_use(reading_used_by_attempts)
        register_lesson_in_use(lesson_used_by_attempts)
        register_lesson_manage_links(lesson_quiz_links)
