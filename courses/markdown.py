"""The one place that turns untrusted Markdown into HTML a template may show unescaped."""

from __future__ import annotations

from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "sup", "sub", "abbr", "cite", "q", "dl", "dt", "dd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


def sanitise_html(html: str) -> str:
    """Strip everything that could run or restyle the page: scripts, handlers, `javascript:`."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=4096)
def _markdown_to_safe_html(text: str) -> str:
    # Pure and deterministic, so caching by the source text is safe; a lesson page renders
    # the same few dozen note bodies on every request.
    html = md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return sanitise_html(html)


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown to sanitised HTML; the result is safe to insert into any page."""
    return mark_safe(_markdown_to_safe_html(text or ""))  # noqa: S308 - sanitised by nh3
