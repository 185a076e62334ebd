"""The one place that turns untrusted Markdown into HTML a template may show unescaped."""

from __future__ import annotations

from functools import lru_cache

import markdown as md
from django.utils.safestring import SafeString, mark_safe

from .sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_html, sanitise_inline_html

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "render_markdown", "render_markdown_inline",
           "sanitise_html"]


@lru_cache(maxsize=4096)
def _markdown_to_safe_html(text: str) -> str:
    # Pure and deterministic, so caching by the source text is safe; a lesson page renders
    # the same few dozen note bodies on every request.
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return sanitise_html(html)


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitised HTML; the result is safe to insert into any page."""
    return mark_safe(_markdown_to_safe_html(text or ""))  # noqa: S308 - sanitised by nh3


@lru_cache(maxsize=1024)
def _markdown_to_inline_html(text: str) -> str:
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return sanitise_inline_html(html)


def render_markdown_inline(text: str | None) -> SafeString:
    """Render Markdown to sanitised inline HTML (emphasis, code; no blocks, no links)."""
    return mark_safe(_markdown_to_inline_html(text or ""))  # noqa: S308 - sanitised by nh3
