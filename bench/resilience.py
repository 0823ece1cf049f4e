"""Benchmark: how a call survives outages, a path change, server and Redis kills.

Runs the browser tests that measure it (tests/e2e/test_outage.py, test_restart.py) with the long
outages switched on, and prints the figures they report. Run inside a loopback-only namespace:

    scripts/netns-run .venv/bin/python bench/resilience.py [--outages 5,15,30,60] [--runs 1]

Figures: seconds from the media path coming back to video decoding again on both pages; the path
change (direct path blocked, TURN on 127.0.0.2 stays); a server kill -9 and restart (socket back
after the server answers, longest gap between remote video frames); a ghost sweep.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE = re.compile(r"^(outage \d+s|path change|resident|staff|ghost swept).*$")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outages", default="5,15,30,60")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    env = dict(os.environ, E2E_OUTAGES=args.outages, VENV=os.environ.get("VENV", ".venv"))
    failed = 0
    for run in range(1, args.runs + 1):
        proc = subprocess.run(
            [
                str(ROOT / "scripts" / "e2e"),
                "-s",
                "-p",
                "no:cacheprovider",
                "tests/e2e/test_outage.py",
                "tests/e2e/test_restart.py",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        failed += proc.returncode != 0
        print(f"--- run {run} (exit {proc.returncode})")
        for line in proc.stdout.splitlines():
            if FIGURE.match(line.strip()):
                print(line.strip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
