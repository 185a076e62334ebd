from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lti"
    verbose_name = _("LTI 1.3 (learning platforms)")

    def ready(self) -> None:
        from courses.hooks import register_course_links
        from quizzes.grade_events import register_grades_changed

        from .hooks import course_links
        from .services_passback import passback_on_grades_changed

        register_course_links(course_links)
        register_grades_changed(passback_on_grades_changed)
