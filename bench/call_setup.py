"""Benchmark: resident call page → first remote video frame, and bytes on first load.

Runs a production-like server (DEBUG off, collected + compressed static files, SQLite) and
headless Chromium, both on loopback. Run inside a loopback-only namespace:

    scripts/netns-run .venv/bin/python bench/call_setup.py [--runs 10]

Scenario: the caseworker is in the call; the resident, already admitted, opens the call page
(a fresh page each run). In the same run, alternating with it, the floor: a minimal raw-WebRTC
page (bench/floor/: camera, one RTCPeerConnection, offer/answer over a BroadcastChannel, no
server, no framework) in the same browser with the same flags. The product's figure is reported
as a ratio to the floor (goal: median within 1.2x), since this machine is shared and noisy. Time runs from navigation start to the first decoded remote frame
(requestVideoFrameCallback), measured in the page. Bytes are the compressed transfer sizes of
the document and every sub-resource on a cold cache.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    CHROMIUM_ARGS,
    prepare_env,
    resident_joins,
    run_django,
    server,
    staff_opens_call,
)

FLOOR_DIR = Path(__file__).resolve().parent / "floor"
FIRST_FRAME_PROBE = """
window.__firstFrame = null;
new MutationObserver(() => {
  for (const v of document.querySelectorAll('video.remote')) {
    if (v.__probe) continue;
    v.__probe = true;
    v.requestVideoFrameCallback(() => { window.__firstFrame ??= performance.now(); });
  }
}).observe(document, { childList: true, subtree: true });
"""
MARKS_JS = """() => Object.fromEntries(
  [...performance.getEntriesByType('mark')].map(m => [m.name, Math.round(m.startTime)])
    .concat([['domContentLoaded', Math.round(performance.getEntriesByType('navigation')[0]
      .domContentLoadedEventEnd)]]))"""
BYTES_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  return { document: nav.transferSize, resources: res.map(r => [r.name, r.transferSize]) };
}"""


def create_visit(env: dict[str, str]) -> tuple[str, str]:
    visit_id, token = run_django(
        env,
        "from videocontact.demo.data import ensure_demo\n"
        "from videocontact.visits.services import visit_create\n"
        "d = ensure_demo()\n"
        "v, i = visit_create(process=d.processes['bijstand-aanvraag'], "
        "caseworker=d.users['medewerker'], resident_name='Bench Resident')\n"
        "print(v.id, i.token)\n",
    )
    return visit_id, token


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def floor_server() -> Iterator[str]:
    """bench/floor/ on a loopback port (its own origin, so BroadcastChannel joins its pages)."""
    handler = functools.partial(QuietHandler, directory=str(FLOOR_DIR))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def floor_runs(browser: Any, runs: int) -> list[float]:
    with floor_server() as base:
        context = browser.new_context(permissions=["camera", "microphone"])
        caller = context.new_page()
        caller.goto(f"{base}/index.html?role=caller")
        caller.wait_for_function("() => window.__ready === true", timeout=20000)
        timings = []
        for _ in range(runs):
            page = context.new_page()
            page.goto(f"{base}/index.html?role=answer")
            page.wait_for_function("() => typeof window.__firstFrame === 'number'", timeout=20000)
            timings.append(page.evaluate("window.__firstFrame"))
            page.close()
            time.sleep(0.3)
        context.close()
        return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = prepare_env("vc-bench-")
    visit_id, token = create_visit(env)
    with server(env) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        staff = browser.new_context(permissions=["camera", "microphone"])
        resident = browser.new_context(
            permissions=["camera", "microphone"], viewport={"width": 390, "height": 844}
        )
        resident.add_init_script(FIRST_FRAME_PROBE)
        sp = staff.new_page()
        staff_opens_call(sp, base, visit_id)
        rp = resident.new_page()
        resident_joins(rp, base, token, visit_id)
        sp.click("#vc-lobby button[data-action=admit]", timeout=15000)
        rp.wait_for_function("() => window.__firstFrame !== null", timeout=20000)
        rp.close()

        timings = []
        marks = []
        for _ in range(args.runs):
            page = resident.new_page()
            page.goto(f"{base}/v/{visit_id}/call")
            page.wait_for_function("() => window.__firstFrame !== null", timeout=20000)
            timings.append(page.evaluate("window.__firstFrame"))
            marks.append(page.evaluate(MARKS_JS))
            page.close()
            time.sleep(0.3)

        floor_timings = floor_runs(browser, args.runs)
        cold = browser.new_context(permissions=["camera", "microphone"])
        cold.add_cookies(resident.cookies())
        page = cold.new_page()
        page.goto(f"{base}/v/{visit_id}/call")
        page.wait_for_load_state("networkidle")
        sizes = page.evaluate(BYTES_JS)
        browser.close()

    phases = sorted({k for m in marks for k in m})
    breakdown = {k: round(statistics.median([m[k] for m in marks if k in m])) for k in phases}
    total = sizes["document"] + sum(size for _, size in sizes["resources"])
    result = {
        "runs": len(timings),
        "first_remote_frame_ms": {
            "median": round(statistics.median(timings)),
            "min": round(min(timings)),
            "max": round(max(timings)),
        },
        "floor_first_remote_frame_ms": {
            "median": round(statistics.median(floor_timings)),
            "min": round(min(floor_timings)),
            "max": round(max(floor_timings)),
        },
        "ratio_to_floor": round(statistics.median(timings) / statistics.median(floor_timings), 2),
        "median_phase_ms": dict(sorted(breakdown.items(), key=lambda kv: kv[1])),
        "first_load_bytes": {
            "total": total,
            "document": sizes["document"],
            "resources": {Path(n).name: s for n, s in sizes["resources"]},
        },
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
