"""Pages rendered once and filled in on each request.

A page that is the same for many readers except for a few values (the reader's name, the
CSRF token, their progress) is rendered once per cache key with an unguessable marker in
place of each of those values, cut at the markers and cached; each request then joins the
pieces with its own values. The lesson page spent most of its CPU in the template engine
before this (bench/bench_lesson.py).

What a shell may never bake in, it fills itself: the CSRF token, flash messages and the
signed-in reader's name in the navigation (base.html reads `slot.messages` when a shell
renders it). Every other value is escaped unless it is already
safe HTML, so a slot cannot inject markup a template would have escaped.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import conditional_escape

from config.context_processors import display_name

# New in every process and never shown to anyone, so no text in a reading can imitate one.
_TOKEN = secrets.token_hex(12)
_MARKER = re.compile(rf"lectio-slot-{_TOKEN}-([a-z_]+)")
SHELL_TIMEOUT = 24 * 3600


def _marker(name: str) -> str:
    return f"lectio-slot-{_TOKEN}-{name}"


def render_shell(request: HttpRequest, template_name: str, *, key: str,
                 context: Mapping, slots: Mapping[str, str]) -> HttpResponse:
    """`template_name` rendered with `context`, where `slot.<name>` holds the place of
    `slots[name]`, answered from the cached shell when one exists.

    The caller promises that, apart from the slots, the page depends only on `key` and on
    what this function adds to it: the view that renders it and whether the reader is staff
    (the navigation's links).
    """
    user = request.user
    values = {
        **slots,
        "csrf_token": get_token(request),
        "user_name": display_name(user),
        "messages": _messages_html(request),
    }
    shell_key = (f"lectio:shell:{request.resolver_match.view_name}:"
                 f"{'staff' if user.is_staff else 'member'}:{key}")
    pieces = caches["fragments"].get(shell_key)
    if pieces is None:
        markers = {name: _marker(name) for name in values}
        # The CSRF tag and the navigation read these names, whatever the page's own slots.
        html = render_to_string(template_name, {
            **context, "slot": markers, "csrf_token": markers["csrf_token"],
            "user_name": markers["user_name"],
        }, request=request)
        # re.split with one group: text, slot name, text, slot name, ..., text.
        pieces = _MARKER.split(html)
        caches["fragments"].set(shell_key, pieces, timeout=SHELL_TIMEOUT)
    filled = {name: conditional_escape(value) for name, value in values.items()}
    return HttpResponse("".join(
        filled[piece] if index % 2 else piece for index, piece in enumerate(pieces)))


def _messages_html(request: HttpRequest) -> str:
    messages = get_messages(request)
    if not messages:
        return ""
    return render_to_string("includes/messages.html", {"messages": messages})
