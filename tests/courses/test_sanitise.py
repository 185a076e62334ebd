"""The one HTML policy (courses/sanitise.py): pictures yes, code and data: links never."""

from __future__ import annotations

import pytest

from courses.markdown import render_markdown
from courses.sanitise import sanitise_html


@pytest.mark.parametrize("src", ["https://example.org/a.png", "http://example.org/a.png",
                                 "data:image/png;base64,iVBORw0KGgo="])
def test_images_with_a_web_or_inline_raster_address_are_kept(src):
    assert sanitise_html(f'<img src="{src}" alt="A">') == f'<img src="{src}" alt="A">'


@pytest.mark.parametrize("src", ["javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zz4=",
                                 "data:text/html,<script>alert(1)</script>",
                                 "@@PLUGINFILE@@/a.png", "/relative.png", "java\tscript:x"])
def test_other_image_addresses_are_dropped(src):
    assert sanitise_html(f'<img src="{src}" alt="A" onerror="alert(1)">') == '<img alt="A">'


@pytest.mark.parametrize("href", ["data:text/html,<script>alert(1)</script>",
                                  " DATA:text/html,x", "javascript:alert(1)"])
def test_links_never_keep_a_data_or_script_address(href):
    assert "href" not in sanitise_html(f'<a href="{href}">x</a>')


def test_markdown_images_render_as_pictures():
    assert str(render_markdown("![A map](https://example.org/map.png)")) == (
        '<p><img alt="A map" src="https://example.org/map.png"></p>')


@pytest.mark.django_db
def test_pages_may_show_https_and_inline_pictures_and_nothing_else(client, student, lesson):
    client.force_login(student)
    policy = client.get(lesson.get_absolute_url())["Content-Security-Policy"]
    sources = next(d for d in policy.split(";") if d.strip().startswith("img-src")).split()
    assert sorted(sources[1:]) == sorted(["'self'", "data:", "https:"])
