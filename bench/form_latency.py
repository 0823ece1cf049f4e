"""Benchmark: a keystroke in the resident's questionnaire → the text visible on the caseworker's
screen. p50/p99 over N edits (default 500).

    scripts/netns-run .venv/bin/python bench/form_latency.py [--edits 500]

Production-like server (DEBUG off, compressed static files, SQLite, uvicorn) and headless
Chromium on loopback. The resident types into a text question at a human pace (one key every
~60 ms, with backspaces so values stay short). Each keystroke is timestamped in the resident's
page at its `input` event; the caseworker's page timestamps every change of the answer's text
(MutationObserver). Both use `performance.timeOrigin + performance.now()` (one machine clock).
A keystroke counts as visible at the first caseworker update showing its value or a later one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (
    CHROMIUM_ARGS,
    prepare_env,
    resident_joins,
    run_django,
    server,
    staff_opens_call,
)

QUESTION = "naam"
DEFINITION = {
    "schema_version": 1,
    "code": "bench-form",
    "title": {"nl": "Bench", "en": "Bench"},
    "languages": {"nl": "source", "en": "reviewed"},
    "sections": [
        {
            "id": "s",
            "title": {"nl": "Deel", "en": "Part"},
            "questions": [
                {
                    "id": QUESTION,
                    "type": "long_text",
                    "max_length": 4000,
                    "label": {"nl": "Uw verhaal", "en": "Your story"},
                }
            ],
        }
    ],
}
RESIDENT_PROBE = """
window.__edits = [];
document.addEventListener('input', (e) => {
  window.__edits.push([performance.timeOrigin + performance.now(), e.target.value]);
}, true);
"""
STAFF_PROBE = """(question) => {
  window.__seen = [];
  const root = document.getElementById('vc-form-staff-view');
  const read = () => {
    const dd = root.querySelector(`[data-question="${question}"] dd`);
    return dd ? dd.textContent : null;
  };
  let last = read();
  new MutationObserver(() => {
    const now = performance.timeOrigin + performance.now();
    const value = read();
    if (value !== last) { last = value; window.__seen.push([now, value]); }
  }).observe(root, { childList: true, subtree: true, characterData: true });
}"""


def create_visit(env: dict[str, str]) -> tuple[str, str]:
    """A visit whose process starts the one-question benchmark template."""
    visit_id, token = run_django(
        env,
        "from videocontact.demo.data import ensure_demo\n"
        "from videocontact.questionnaires.models import QuestionnaireTemplate\n"
        "from videocontact.questionnaires.services import template_import\n"
        "from videocontact.visits.services import visit_create\n"
        "d = ensure_demo()\n"
        "p = d.processes['bijstand-aanvraag']\n"
        "QuestionnaireTemplate.objects.filter(process=p).update(is_default=False)\n"
        f"v = template_import(process=p, data=json.loads({json.dumps(json.dumps(DEFINITION))}))\n"
        "QuestionnaireTemplate.objects.filter(pk=v.template_id).update(is_default=True)\n"
        "visit, i = visit_create(process=p, caseworker=d.users['medewerker'], "
        "resident_name='Bench Resident')\n"
        "print(visit.id, i.token)\n",
    )
    return visit_id, token


def keystrokes(count: int) -> list[str]:
    """Type up to 30 characters, delete back to 5, repeat: every key is one edit."""
    keys: list[str] = []
    length = 0
    growing = True
    while len(keys) < count:
        if growing:
            keys.append("abcdefghij"[length % 10])
            length += 1
            growing = length < 30
        else:
            keys.append("Backspace")
            length -= 1
            growing = length <= 5
    return keys


def latencies(edits: list[list], seen: list[list]) -> list[float]:
    result = []
    for index, (t0, _value) in enumerate(edits):
        later_values = {value for _, value in edits[index:]}
        hit = next((t for t, value in seen if t >= t0 and value in later_values), None)
        if hit is not None:
            result.append(hit - t0)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--pace-ms", type=int, default=60)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = prepare_env("vc-bench-form-")
    visit_id, token = create_visit(env)
    with server(env) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        staff = browser.new_context(permissions=["camera", "microphone"]).new_page()
        resident_context = browser.new_context(
            permissions=["camera", "microphone"], viewport={"width": 390, "height": 844}
        )
        resident_context.add_init_script(RESIDENT_PROBE)
        resident = resident_context.new_page()
        staff_opens_call(staff, base, visit_id)
        resident_joins(resident, base, token, visit_id)
        staff.click("#vc-lobby button[data-action=admit]", timeout=20000)
        staff.click("#vc-form-start", timeout=20000)
        field = resident.locator(f'#vc-form [data-question="{QUESTION}"] textarea')
        field.wait_for(state="visible", timeout=20000)
        staff.locator(f'#vc-form-staff-view [data-question="{QUESTION}"]').wait_for(timeout=20000)
        staff.evaluate(STAFF_PROBE, QUESTION)
        field.click()
        for key in keystrokes(args.edits):
            resident.keyboard.press(key)
            time.sleep(args.pace_ms / 1000)
        time.sleep(1.0)
        edits = resident.evaluate("window.__edits")
        seen = staff.evaluate("window.__seen")
        browser.close()

    values = sorted(latencies(edits, seen))
    quantiles = statistics.quantiles(values, n=100, method="inclusive")
    print(
        json.dumps(
            {
                "edits": len(edits),
                "measured": len(values),
                "pace_ms": args.pace_ms,
                "latency_ms": {
                    "p50": round(statistics.median(values), 1),
                    "p99": round(quantiles[98], 1),
                    "max": round(values[-1], 1),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
