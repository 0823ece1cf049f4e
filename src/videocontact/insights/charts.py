"""Small server-side SVG charts (no JavaScript, no inline style: colours come from classes in
insights.css). Each chart is an image with a title; the page shows its data table next to it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56
SERIES_CLASSES = ("chart__s1", "chart__s2", "chart__s3", "chart__s4")


def _nice_max(value: float) -> float:
    """The top of the axis: a number whose quarters are whole numbers (four grid steps)."""
    for top in (4, 8, 12, 16, 20, 40, 60, 80, 100, 200, 400, 600, 800, 1000, 2000, 4000):
        if value <= top:
            return top
    return float(4 * -(-value // 4))


def _axis(top: float, suffix: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
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


def column_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    top: float | None = None,
    suffix: str = "",
) -> SafeString:
    """Grouped columns: one group per category, one column per series."""
    values = [v or 0 for _, vs in series for v in vs]
    top = top or _nice_max(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    group_w = plot_w / max(1, len(categories))
    bar_w = max(2.0, group_w * 0.8 / max(1, len(series)))
    body = _axis(top, suffix)
    for ci, category in enumerate(categories):
        x0 = LEFT + ci * group_w + group_w * 0.1
        for si, (_, vs) in enumerate(series):
            value = vs[ci] or 0
            h = plot_h * min(value, top) / top
            css = SERIES_CLASSES[si % len(SERIES_CLASSES)]
            body.append(
                f'<rect class="{css}" x="{x0 + si * bar_w:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{h:.1f}"/>'
            )
        label = category if len(category) <= 18 else category[:17] + "…"
        body.append(
            f'<text class="chart__label" x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return _frame(chart_id, title, body, [name for name, _ in series])


def line_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    top: float | None = None,
    suffix: str = "",
) -> SafeString:
    """One line per series over the categories (weeks); a missing value breaks the line."""
    values = [v or 0 for _, vs in series for v in vs]
    top = top or _nice_max(max(values, default=0))
    inset = 36  # room for the first and last week's label
    plot_w = WIDTH - LEFT - RIGHT - 2 * inset
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(categories) - 1) if len(categories) > 1 else 0
    body = _axis(top, suffix)
    for ci, category in enumerate(categories):
        x = LEFT + inset + (ci * step if step else plot_w / 2)
        body.append(
            f'<text class="chart__label" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(category)}</text>'
        )
    for si, (_, vs) in enumerate(series):
        css = SERIES_CLASSES[si % len(SERIES_CLASSES)]
        points = []
        for ci, value in enumerate(vs):
            if value is None:
                continue
            x = LEFT + inset + (ci * step if step else plot_w / 2)
            y = TOP + plot_h - plot_h * min(value, top) / top
            points.append((x, y))
            body.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="4"/>')
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline class="chart__line {css}" points="{path}"/>')
    return _frame(chart_id, title, body, [name for name, _ in series])
