"""Small server-side SVG charts (no JavaScript, no inline style: colours come from classes in
insights.css). Each chart is an image with a title; the page shows its data table next to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56
PLOT_H = HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_H  # the y of 0
SERIES_CLASSES = ("chart__s1", "chart__s2", "chart__s3", "chart__s4")
Series = Sequence[tuple[str, Sequence[float | None]]]  # (name, one value per category)


def _nice_max(value: float) -> float:
    """The top of the axis: a number whose quarters are whole numbers (four grid steps)."""
    for top in (4, 8, 12, 16, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000, 2000, 4000):
        if value <= top:
            return top
    return float(4 * -(-value // 4))


def _axis(top: float, suffix: str) -> list[str]:
    parts = []
    for i in range(5):
        value = top * i / 4
        y = BASELINE - PLOT_H * i / 4
        label = f"{value:g}{suffix}"
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart__tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
        )
    return parts


def _frame(chart_id: str, title: str, body: list[str], legend: Sequence[str]) -> SafeString:
    items = []
    x = LEFT
    for i, name in enumerate(legend):
        css = SERIES_CLASSES[i % len(SERIES_CLASSES)]
        items.append(
            f'<rect class="{css}" x="{x}" y="{HEIGHT - 16}" width="10" height="10"/>'
            f'<text class="chart__legend" x="{x + 14}" y="{HEIGHT - 7}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    svg = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        + "".join(body)
        + "".join(items)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  every text in it went through escape()


ChartKind = Literal["columns", "line"]


def chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Series,
    *,
    kind: ChartKind,
    top: float | None = None,
    suffix: str = "",
) -> SafeString:
    """A chart of the series over the categories, with an axis from 0 to `top` and a legend.
    `columns`: grouped columns, one group per category, one column per series. `line`: one line
    per series over the categories (weeks); a missing value breaks the line."""
    values = [v or 0 for _, vs in series for v in vs]
    top = top or _nice_max(max(values, default=0))
    draw = _columns if kind == "columns" else _lines
    body = _axis(top, suffix) + draw(categories, series, top)
    return _frame(chart_id, title, body, [name for name, _ in series])


def _scaled(value: float, top: float) -> float:
    """A value's height in the plot: 0 at the bottom, `top` at the top (higher ones are cut off)."""
    return PLOT_H * min(value, top) / top


def _label(x: float, text: str) -> str:
    return (
        f'<text class="chart__label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
        f'text-anchor="middle">{escape(text)}</text>'
    )


def _columns(categories: Sequence[str], series: Series, top: float) -> list[str]:
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / max(1, len(categories))
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    body = []
    for ci, category in enumerate(categories):
        x0 = LEFT + ci * group_w + group_w * 0.1
        for si, (_, vs) in enumerate(series):
            h = _scaled(vs[ci] or 0, top)
            body.append(
                f'<rect class="{SERIES_CLASSES[si % len(SERIES_CLASSES)]}" x="{x0 + si * bar_w:.1f}" '
                f'y="{BASELINE - h:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}"/>'
            )
        body.append(
            _label(x0 + group_w * 0.4, category if len(category) <= 18 else category[:17] + "…")
        )
    return body


def _lines(categories: Sequence[str], series: Series, top: float) -> list[str]:
    inset = 36  # room for the first and last week's label
    plot_w = WIDTH - LEFT - RIGHT - 2 * inset
    step = plot_w / max(1, len(categories) - 1) if len(categories) > 1 else 0
    xs = [LEFT + inset + (ci * step if step else plot_w / 2) for ci in range(len(categories))]
    body = [_label(x, category) for x, category in zip(xs, categories, strict=True)]
    for si, (_, vs) in enumerate(series):
        css = SERIES_CLASSES[si % len(SERIES_CLASSES)]
        points = [
            (xs[ci], BASELINE - _scaled(value, top))
            for ci, value in enumerate(vs)
            if value is not None
        ]
        body += [f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>' for x, y in points]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline class="chart__line {css}" points="{path}"/>')
    return body
