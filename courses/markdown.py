"""The one place that turns untrusted Markdown into HTML a template may show unescaped."""

from __future__ import annotations

import threading
from functools import lru_cache

import markdown as md
from django.utils.safestring import SafeString, mark_safe

from .sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_html, sanitise_inline_html

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "render_markdown", "render_markdown_inline",
           "sanitise_html"]


_EXTENSIONS = ["extra", "sane_lists"]
_converters = threading.local()


def _to_html(text: str) -> str:
    """`markdown.markdown(text)` with this module's extensions, from one converter per
    thread: building a Markdown object and its extensions cost more than converting a short
    prompt (about 60 % of a 5,000-question import preview). reset() clears what a document
    leaves behind (footnotes, abbreviations, references), so no text sees another's."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = md.Markdown(extensions=_EXTENSIONS,
                                                        output_format="html")
    try:
        return converter.reset().convert(text)
    except Exception:
        _converters.markdown = None  # never reuse a converter left halfway through a text
        raise


@lru_cache(maxsize=4096)
def _markdown_to_safe_html(text: str) -> str:
    # Pure and deterministic, so caching by the source text is safe; a lesson page renders
    # the same few dozen note bodies on every request.
    return sanitise_html(_to_html(text))


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitised HTML; the result is safe to insert into any page."""
    return mark_safe(_markdown_to_safe_html(text or ""))  # noqa: S308 - sanitised by nh3


@lru_cache(maxsize=1024)
def _markdown_to_inline_html(text: str) -> str:
    return sanitise_inline_html(_to_html(text))


def render_markdown_inline(text: str | None) -> SafeString:
    """Render Markdown to sanitised inline HTML (emphasis, code; no blocks, no links)."""
    return mark_safe(_markdown_to_inline_html(text or ""))  # noqa: S308 - sanitised by nh3
