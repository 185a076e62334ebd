"""courses.markdown converts with one reused Markdown object per thread; what one text
defines (footnotes, abbreviations, link references) must never show up in the next."""

from __future__ import annotations

import threading

import markdown as md
from hypothesis import given, settings
from hypothesis import strategies as st

from courses import markdown as lectio_markdown

FOOTNOTE = "Claim.[^1]\n\n[^1]: The source, page 4."
ABBREVIATION = "The SCO met.\n\n*[SCO]: Shanghai Cooperation Organisation"
REFERENCE = "See [the report][r].\n\n[r]: https://example.org/report"
USES_ALL = "Another claim.[^1] The SCO again. See [the report][r]."
SAMPLES = [FOOTNOTE, ABBREVIATION, REFERENCE, USES_ALL, "| a | b |\n|---|---|\n| 1 | 2 |",
           "# Title {#anchor}\n\n1. one\n2. two", "Plain *text* with `code`.", ""]


def _fresh(text: str) -> str:
    return md.markdown(text, extensions=["extra", "sane_lists"], output_format="html")


def test_a_text_after_others_converts_as_if_it_were_the_first():
    for text in [*SAMPLES, *reversed(SAMPLES)]:
        assert lectio_markdown._to_html(text) == _fresh(text)
    # What the earlier texts defined stays theirs: no footnote, abbreviation or link here.
    html = lectio_markdown._to_html(USES_ALL)
    assert "footnote" not in html and "<abbr" not in html and "example.org" not in html


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SAMPLES) | st.text(
    alphabet=st.sampled_from("ab*_[]^:!#-|`1 \n"), max_size=60), max_size=6))
def test_any_sequence_of_texts_converts_each_as_a_fresh_converter_would(texts):
    for text in texts:
        assert lectio_markdown._to_html(text) == _fresh(text)


def test_each_thread_has_its_own_converter():
    seen = []

    def convert():
        lectio_markdown._to_html(FOOTNOTE)
        seen.append(id(lectio_markdown._converters.markdown))

    threads = [threading.Thread(target=convert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 2


def test_rendered_markdown_is_still_sanitised():
    html = lectio_markdown.render_markdown("<script>alert(1)</script>Hi [x](javascript:alert(1))")
    assert "<script" not in html and "javascript:" not in html
