"""The dashboard's server-side SVG charts: one shape for columns and lines."""

from __future__ import annotations

import re

from videocontact.insights.charts import chart


def test_columns_one_bar_per_value_and_the_text_escaped() -> None:
    svg = chart(
        "c", "Units <b>", ["A & B", "C"], [("Invited", [4, 2]), ("Used", [2, None])], kind="columns"
    )
    assert svg.startswith('<svg class="chart" viewBox="0 0 640 260" role="img"')
    assert '<title id="c-title">Units &lt;b&gt;</title>' in svg
    assert "A &amp; B" in svg
    bars = re.findall(r'<rect class="chart__s(\d)" x="[\d.]+" y="[\d.]+" width', svg)
    # Two groups of two columns (a missing value is a column of height 0), then the legend's swatches.
    assert bars == ["1", "2", "1", "2", "1", "2"]
    assert 'height="188.0"' in svg  # 4 of an axis up to 4: the full plot height
    assert svg.count('class="chart__legend"') == 2


def test_a_long_category_is_cut_under_its_columns() -> None:
    svg = chart("c", "t", ["Een heel erg lange eenheidsnaam"], [("s", [1])], kind="columns")
    assert ">Een heel erg lang…</text>" in svg


def test_line_a_missing_value_breaks_the_line_and_high_values_are_cut_off() -> None:
    svg = chart(
        "l",
        "Trend",
        ["W1", "W2", "W3"],
        [("Used", [10, None, 150])],
        kind="line",
        top=100,
        suffix="%",
    )
    assert svg.count("<circle") == 2
    assert '<polyline class="chart__line chart__s1" points="80.0,185.2 592.0,16.0"/>' in svg
    assert ">100%</text>" in svg and ">W2</text>" in svg


def test_empty_charts_still_draw_an_axis() -> None:
    for kind in ("columns", "line"):
        svg = chart("e", "Empty", [], [], kind=kind)  # type: ignore[arg-type]
        assert svg.count('class="chart__grid"') == 5
