"""Log-in: a bounded form, and django-axes throttling per account and per address.

django-axes compares one failure count with one limit (`AXES_FAILURE_LIMIT`), taking the largest
count over its lockout parameters. Lectio wants two limits: a few wrong passwords for one account
from one address, and more (a classroom shares an address) for all accounts from one address,
so a guesser who spreads tries over many accounts is throttled too.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.db.models import Sum

USERNAME_MAX = get_user_model()._meta.get_field("username").max_length


class BoundedUsernameMixin(forms.Form):
    # AuthenticationForm only sets the widget's maxlength, so a longer name still reached
    # authenticate() and django-axes, whose 255-character column answered it with a 500.
    username = UsernameField(
        max_length=USERNAME_MAX,
        widget=forms.TextInput(attrs={"autofocus": True}),
        error_messages={"max_length": f"A username has at most {USERNAME_MAX} characters."},
    )


class LoginForm(BoundedUsernameMixin, AuthenticationForm):
    """The site's log-in form. A wrong name or password is the form's error, not one
    field's: both fields are then marked invalid and described by that message (the element
    `login-errors` in templates/registration/login.html)."""

    def full_clean(self):
        super().full_clean()
        if self.non_field_errors():
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": "login-errors"})


class AdminLoginForm(BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's log-in form, with the same bound."""


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `LECTIO_PROXY_COUNT` trusted proxies the
    address the outermost of them saw (their X-Forwarded-For entries are appended on the right,
    so anything further left was written by the client and cannot be trusted)."""
    proxies = settings.LECTIO_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:45]
    return request.META.get("REMOTE_ADDR")


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with a separate, larger limit per address."""

    def get_failures(self, request, credentials=None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        counts = [qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
                  for qs in self.get_user_attempts(request, credentials)]
        limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.LECTIO_ADDRESS_FAILURE_LIMIT
        scaled = []
        for parameter, count in zip(parameters, counts, strict=True):
            if parameter == "ip_address":
                # Axes locks at `count >= AXES_FAILURE_LIMIT`; this reaches it exactly when the
                # address has had `address_limit` failures.
                count = count * limit // address_limit
            scaled.append(count)
        return max(scaled, default=0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A successful log-in clears that account's failures only: clearing the address's too
        # would let a guesser with one real account wipe the per-address count at will.
        parameters = get_lockout_parameters(request, credentials)
        deleted = 0
        for parameter, attempts in zip(
                parameters, self.filter_user_attempts(request, credentials), strict=True):
            if parameter != "ip_address":
                deleted += attempts.delete()[0]
        return deleted
