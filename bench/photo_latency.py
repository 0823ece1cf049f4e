"""Benchmark: the caseworker presses "take photo" → the photo is in the caseworker's gallery.
p50/max over N photos (default 10), with where the time goes on the resident's phone.

    scripts/netns-run .venv/bin/python bench/photo_latency.py [--photos 10]

Production-like server (DEBUG off, SQLite, uvicorn in its own process) and headless Chromium on
loopback; the resident's camera is a 1280x720 y4m file (ffmpeg testsrc2). The staff page
timestamps the click and the moment the new gallery entry appears (MutationObserver); the
resident's page marks capture, hash and upload (performance marks of js/call-page.js) and the
upload's server time (Resource Timing). All clocks are `performance.timeOrigin + now()`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CHROMIUM_ARGS, prepare_env, resident_joins, run_django, server, staff_opens_call

STAFF_PROBE = """() => {
  window.__clicks = [];
  window.__arrived = [];
  document.getElementById('vc-photo-take').addEventListener('click',
    () => window.__clicks.push(performance.timeOrigin + performance.now()), true);
  new MutationObserver(() => {
    const count = document.querySelectorAll('#vc-gallery li.gallery__item').length;
    while (window.__arrived.length < count) window.__arrived.push(performance.timeOrigin + performance.now());
  }).observe(document.getElementById('vc-gallery'), { childList: true });
}"""
PHONE_MARKS = """() => {
  const marks = performance.getEntriesByType('mark').filter(m => m.name.startsWith('vc:photo-'));
  const out = [];
  let start = null;
  for (const m of marks) {
    if (m.name === 'vc:photo-start') { start = m.startTime; out.push({}); continue; }
    out[out.length - 1][m.name.slice(9)] = m.startTime - start;
  }
  performance.getEntriesByType('resource').filter(r => r.name.endsWith('/photos'))
    .forEach((r, i) => { if (out[i]) out[i].server = r.responseStart - r.requestStart; });
  return out;
}"""


def camera_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="vc-bench-cam-")) / "cam.y4m"
    source = ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=10"]
    output = ["-frames:v", "20", "-pix_fmt", "yuv420p", "-y", str(path)]
    subprocess.run(["ffmpeg", "-loglevel", "error", *source, *output], check=True)
    return path


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 1), "max": round(max(values), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = prepare_env("vc-bench-photo-")
    env["PHOTO_MAX_PER_VISIT"] = str(args.photos + 5)
    visit_id, token = run_django(
        env,
        "from videocontact.demo.data import ensure_demo\n"
        "from videocontact.visits.services import visit_create\n"
        "d = ensure_demo()\n"
        "visit, i = visit_create(process=d.processes['bijstand-aanvraag'], "
        "caseworker=d.users['medewerker'], resident_name='Bench Resident')\n"
        "print(visit.id, i.token)\n",
    )
    camera = camera_file()
    with server(env) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        phone = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera}"],
        )
        staff = browser.new_context(permissions=["camera", "microphone"]).new_page()
        resident = phone.new_context(
            permissions=["camera", "microphone"], viewport={"width": 390, "height": 844}
        ).new_page()
        staff_opens_call(staff, base, visit_id)
        resident_joins(resident, base, token, visit_id)
        staff.click("#vc-lobby button[data-action=admit]", timeout=20000)
        take = staff.locator("#vc-photo-take")
        staff.wait_for_function(
            "() => !document.getElementById('vc-photo-take').disabled", timeout=30000
        )
        staff.evaluate(STAFF_PROBE)
        items = staff.locator("#vc-gallery li.gallery__item")
        for n in range(1, args.photos + 1):
            take.click()
            items.nth(n - 1).wait_for(timeout=30000)
            staff.wait_for_timeout(300)
        clicks = staff.evaluate("window.__clicks")
        arrived = staff.evaluate("window.__arrived")
        phone_steps = resident.evaluate(PHONE_MARKS)
        browser.close()
        phone.close()

    click_to_gallery = [a - c for c, a in zip(clicks, arrived, strict=True)]
    print(
        json.dumps(
            {
                "photos": len(click_to_gallery),
                "click_to_gallery_ms": summary(click_to_gallery),
                "phone_capture_ms": summary([s["captured"] for s in phone_steps]),
                "phone_hash_ms": summary([s["hashed"] - s["captured"] for s in phone_steps]),
                "upload_server_ms": summary([s["server"] for s in phone_steps]),
                "phone_total_ms": summary([s["uploaded"] for s in phone_steps]),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
