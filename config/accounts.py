"""Password reset by email: Django's views, with a rate limit on the requests.

A reset request sends mail, so an open form is a way to flood someone's inbox or the mail
server. Requests are counted in the shared cache (every worker sees the same counts) per
client address and per email address; past either limit the form says so and sends nothing.
The message is the same whether or not an account has that address, so the limit reveals
nothing about who has an account.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.utils.crypto import salted_hmac

from .login import client_address

LIMITED_MESSAGE = ("Too many password reset requests have been made from here or for this "
                   "address. Please wait {minutes} minutes and try again, or ask your "
                   "instructor or a site admin for help.")


def _bump(key: str, window: int) -> int:
    """Count one more request under `key` in a fixed window of `window` seconds."""
    cache = caches[settings.LECTIO_SHARED_CACHE]
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window)
        return 1


def reset_allowed(*, client_address: str, email: str) -> bool:
    """Record one reset request and say whether it is within both limits.

    Keys are HMACs, so the cache never holds an address in clear text.
    """
    window = settings.LECTIO_RESET_WINDOW_SECONDS
    by_address = salted_hmac("lectio.reset.ip", client_address or "unknown").hexdigest()
    by_email = salted_hmac("lectio.reset.email", email.strip().casefold()).hexdigest()
    count_address = _bump(f"reset:ip:{by_address}", window)
    count_email = _bump(f"reset:email:{by_email}", window)
    return (count_address <= settings.LECTIO_RESET_LIMIT_PER_ADDRESS
            and count_email <= settings.LECTIO_RESET_LIMIT_PER_EMAIL)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; the view gives it the client's address to count requests by."""

    client_address = ""

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and not reset_allowed(client_address=self.client_address, email=email):
            minutes = max(1, settings.LECTIO_RESET_WINDOW_SECONDS // 60)
            raise auth_forms.ValidationError(LIMITED_MESSAGE.format(minutes=minutes),
                                             code="rate_limited")
        return cleaned


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        # The same client address the log-in throttle counts (trusted proxies only).
        form.client_address = client_address(self.request) or ""
        return form

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", code="rate_limited"):
            response.status_code = 429
        return response
