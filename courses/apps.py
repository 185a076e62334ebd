from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Courses and readings")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
