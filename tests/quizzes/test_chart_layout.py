"""Bar chart geometry (pure) and its template: proportional bars, escaped labels, a11y."""

from django.template.loader import render_to_string

from quizzes.teaching.chart_layout import LABEL_WIDTH, bar_chart


def test_bars_are_proportional_to_values():
    chart = bar_chart([("a", 10), ("b", 5), ("c", 0)], title="T", value_label="students",
                      chart_id="c1")
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert widths[0] == chart.width - LABEL_WIDTH - 70
    assert "highest: a with 10" in chart.description


def test_max_value_fixes_the_scale_and_percent_labels():
    chart = bar_chart([("Q1", 50)], title="T", value_label="mean score", chart_id="c2",
                      max_value=100, percent=True)
    assert chart.bars[0].text == "50%"
    assert chart.bars[0].width == (chart.width - LABEL_WIDTH - 70) / 2


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
