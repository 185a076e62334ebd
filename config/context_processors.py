"""Template context shared by every page."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

# The navigation's links: none takes an argument, so they are the same for every request.
_NAV = {
    "course_list": "courses:course-list",
    "dashboard": "quizzes:dashboard",
    "reading_upload": "courses:reading-upload",
    "reading_library": "courses:reading-library",
    "admin": "admin:index",
    "password_change": "password_change",
    "logout": "logout",
    "login": "login",
}


@lru_cache(maxsize=16)
def _nav_urls(prefix: str, urlconf) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in _NAV.items()}


def display_name(user) -> str:
    """The name the navigation shows for a signed-in user: the full name, else the
    username."""
    return user.get_full_name() or user.get_username()


def nav(request) -> dict:
    """`nav`: the navigation's URLs, reversed once per script prefix and URLconf rather
    than five times on every page; `user_name`: the signed-in user's display name, worked
    out only if the page shows it."""
    return {"nav": _nav_urls(get_script_prefix(), get_urlconf()),
            "user_name": lambda: display_name(request.user)}
