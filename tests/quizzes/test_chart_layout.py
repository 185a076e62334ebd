"""Bar chart geometry (pure) and its template: proportional bars, escaped labels, a11y."""

from django.template.loader import render_to_string

from quizzes.teaching.chart_layout import FONT, VALUE_WIDTH, WIDTH, bar_chart


def test_bars_are_proportional_to_values():
    chart = bar_chart([("a", 10), ("b", 5), ("c", 0)], title="T", value_label="students",
                      chart_id="c1")
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert widths[0] == chart.width - VALUE_WIDTH
    assert "highest: a with 10" in chart.description


def test_max_value_fixes_the_scale_and_percent_labels():
    chart = bar_chart([("Q1", 50)], title="T", value_label="mean score", chart_id="c2",
                      max_value=100, percent=True)
    assert chart.bars[0].text == "50%"
    assert chart.bars[0].width == (chart.width - VALUE_WIDTH) / 2


def test_empty_chart_says_so():
    assert bar_chart([], title="T", value_label="x", chart_id="c3").description == \
        "No data yet."


def test_template_escapes_hostile_labels_and_is_labelled():
    hostile = "<script>alert(1)</script>"
    chart = bar_chart([(hostile, 3)], title=hostile, value_label="x", chart_id="c4")
    svg = render_to_string("includes/bar_chart.html", {"chart": chart})
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'aria-labelledby="c4-title c4-desc"' in svg and 'role="img"' in svg
    assert "style=" not in svg


def test_labels_stay_at_least_12px_on_a_320px_screen_and_follow_forced_colours():
    chart = bar_chart([("Q1", 50), ("Q2", 75)], title="A long title " * 6, value_label="x",
                      chart_id="c5", max_value=100, percent=True)
    # 296 px of content at 320 px: the chart shrinks to it, its text with it.
    assert FONT * 296 / WIDTH >= 12
    assert all(bar.label_y < bar.y for bar in chart.bars)  # each label above its bar
    svg = render_to_string("includes/bar_chart.html", {"chart": chart})
    assert 'fill="#212529"' not in svg and svg.count('fill="currentColor"') == 4
    # The title is an HTML caption (it wraps), not SVG text that a narrow chart would cut.
    assert '<figcaption class="chart-title" id="c5-title">' in svg
