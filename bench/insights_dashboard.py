"""Benchmark: building the insights dashboard (all figures, one period) on pilot-like data.

    PYTHONPATH=src .venv/bin/python bench/insights_dashboard.py [--copies 10] [--runs 5]

Makes a throw-away SQLite test database, loads the pilot's situation (29 invited staff, 20 users,
22 visits in four weeks, plus 3 staff and visits of another municipality) `--copies` times, moves
every pilot unit into one organisation, and times `dashboard()` (every figure of the page) for its
functional administrator over the four weeks, counting the database queries. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocontact.conf.test")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)

    from tests.insights.pilot import PILOT_PERIOD, build_pilot

    from videocontact.accounts.models import Membership, Role, Unit
    from videocontact.insights.selectors.dashboard import dashboard
    from videocontact.insights.selectors.scope import scope_for

    started = time.perf_counter()
    pilots = [build_pilot(n) for n in range(args.copies)]
    load_s = time.perf_counter() - started
    # One administrator who sees every copy's units (a large organisation's worth of data).
    big = pilots[0].admin
    first_org = pilots[0].organisation
    Unit.objects.filter(organisation__slug__startswith="pilotstad").update(organisation=first_org)
    Membership.objects.get_or_create(
        user=big, unit=pilots[0].units["Intake"], role=Role.FUNCTIONAL_ADMIN
    )
    scope = scope_for(big)
    assert scope is not None

    timings = []
    queries = 0
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            board = dashboard(scope, PILOT_PERIOD)
            timings.append((time.perf_counter() - t0) * 1000)
        queries = len(captured)
    print(
        json.dumps(
            {
                "units": len(scope.units),
                "invited_staff": board.adoption_total.invited,
                "visits": board.activity_total.visits,
                "dashboard_ms_median": round(statistics.median(timings), 1),
                "dashboard_ms_min": round(min(timings), 1),
                "dashboard_ms_max": round(max(timings), 1),
                "queries": queries,
                "load_s": round(load_s, 1),
                "loadavg": os.getloadavg()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
