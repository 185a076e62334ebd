"""Template helpers shared by every page."""

from django import template

from courses.markdown import render_markdown, render_markdown_inline

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None):
    """Render Markdown through the nh3 sanitiser (the only route to unescaped HTML)."""
    return render_markdown(text)


@register.filter(name="markdown_inline")
def markdown_inline_filter(text: str | None):
    """Inline Markdown (emphasis, code) through nh3, for labels and legends."""
    return render_markdown_inline(text)


@register.filter
def percent(part: float | int | None, whole: float | int | None) -> int:
    """Whole-number percentage of part in whole, 0 when whole is empty."""
    if not whole:
        return 0
    return max(0, min(100, round(100 * (part or 0) / whole)))


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def timeuntil_minutes(end, start) -> int:
    """Whole minutes from `start` to `end` (0 when either is missing)."""
    if not end or not start:
        return 0
    return max(0, round((end - start).total_seconds() / 60))
