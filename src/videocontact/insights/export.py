"""The dashboard's tables as CSV (one file, a `section` column) and XLSX (a sheet per section).
Texts that a spreadsheet would run as a formula are prefixed with an apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from videocontact.insights.selectors.dashboard import Dashboard

Row = list[Any]


def _safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _points(counts: dict[int, int]) -> list[int]:
    return [counts[3], counts[2], counts[1]]


def sections(board: Dashboard) -> Iterator[tuple[str, Row, list[Row]]]:
    """(section name, header, rows) — the same figures as the page."""
    total = _("Total")
    yield (
        "adoption",
        [_("Unit"), _("Invited"), _("Activated"), _("Logged in"), _("Used"), _("Used / invited %")],
        [
            [a.label or total, a.invited, a.activated, a.logged_in, a.used, a.percent]
            for a in [*board.adoption, board.adoption_total]
        ],
    )
    yield (
        "adoption_per_week",
        [_("Week"), _("Invited"), _("Activated"), _("Logged in"), _("Used"), _("Used / invited %")],
        [[w, a.invited, a.activated, a.logged_in, a.used, a.percent] for w, a in board.trend],
    )
    yield (
        "visits",
        [
            _("Process"),
            _("Visits"),
            _("Held"),
            _("Reached the call %"),
            _("No-shows"),
            _("Declined consent"),
            _("Cancelled"),
            _("Technical failure"),
            _("Average duration (minutes)"),
        ],
        [
            [
                a.label or total,
                a.visits,
                a.held,
                a.reached_percent,
                a.no_shows,
                a.declined,
                a.cancelled,
                a.tech_failures,
                a.average_minutes,
            ]
            for a in [*board.activity, board.activity_total]
        ],
    )
    yield (
        "held_per_week",
        [_("Process"), *board.week_labels],
        [[name, *counts] for name, counts in board.held_per_week],
    )
    yield (
        "ratings",
        [
            _("Unit"),
            _("Ratings"),
            _("Easy: good"),
            _("Easy: okay"),
            _("Easy: not good"),
            _("Appreciation: good"),
            _("Appreciation: okay"),
            _("Appreciation: not good"),
        ],
        [
            [r.label or total, r.count, *_points(r.ease), *_points(r.appreciation)]
            for r in [*board.ratings, board.ratings_total]
        ],
    )
    yield (
        "call_quality",
        [_("Date"), _("Process"), _("Quality score"), _("Caseworker's answer"), _("Problem")],
        [
            [
                timezone.localtime(q.fact.date).date().isoformat(),
                q.fact.process,
                q.score,
                q.reported,
                q.problem,
            ]
            for q in board.quality
        ],
    )
    yield (
        "savings",
        [
            _("Unit"),
            _("Visits held"),
            _("Hours saved"),
            _("Km saved"),
            _("Euro saved"),
            _("CO₂ saved (kg)"),
        ],
        [
            [s.label or total, s.visits, s.hours, float(s.km), float(s.euros), float(s.co2_kg)]
            for s in [*board.savings, board.savings_total]
        ],
    )


def to_csv(board: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Period"), board.period.first.isoformat(), board.period.last.isoformat()])
    for name, header, rows in sections(board):
        writer.writerow([])
        writer.writerow(["section", *map(_safe, header)])
        for row in rows:
            writer.writerow([name, *map(_safe, row)])
    return out.getvalue()


def to_xlsx(board: Dashboard) -> bytes:
    book = Workbook()
    first = True
    for name, header, rows in sections(board):
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = name[:31]
        sheet.append([_safe(h) for h in header])
        for row in rows:
            sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
