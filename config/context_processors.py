"""Template context shared by every page."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

# The navigation's links: none takes an argument, so they are the same for every request.
_NAV = {
    "course_list": "courses:course-list",
    "dashboard": "quizzes:dashboard",
    "reading_upload": "courses:reading-upload",
    "admin": "admin:index",
    "password_change": "password_change",
    "logout": "logout",
    "login": "login",
}


@lru_cache(maxsize=16)
def _nav_urls(prefix: str, urlconf) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in _NAV.items()}


def nav(request) -> dict:
    """`nav`: the navigation's URLs, reversed once per script prefix and URLconf rather
    than five times on every page."""
    return {"nav": _nav_urls(get_script_prefix(), get_urlconf())}
