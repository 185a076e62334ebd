"""System checks for settings that must never reach production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def url_fetch_allows_no_private_networks(app_configs, **kwargs) -> list[Error]:
    """The URL import's private-address exemption exists for tests only."""
    if getattr(settings, "LECTIO_URL_FETCH_ALLOWED_NETWORKS", ()):
        return [Error(
            "LECTIO_URL_FETCH_ALLOWED_NETWORKS is set: reading imports could fetch from "
            f"{', '.join(settings.LECTIO_URL_FETCH_ALLOWED_NETWORKS)}.",
            hint="Leave it empty outside the test suite.",
            id="courses.E001",
        )]
    return []
