"""What the consent page costs a resident on a slow phone connection, with a help video on it.

    scripts/netns-run .venv/bin/python bench/consent_page.py [--runs 5]

A production-like server (uvicorn, DEBUG off, collected and pre-compressed static files) with
the demo's help video (a 4-second WebM with a poster frame). Chromium opens the resident's link
under DevTools' "Fast 3G" profile (1.44 Mbit/s down, 562.5 ms round trip) and the figures are
the bytes received (all, and of the video itself) the time to the load event. "before" is
the same page as it was: `preload="metadata"` on the video (the HTML rewritten on the way in)
and uncompressed static files (`Accept-Encoding: identity`)."""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from harness import CHROMIUM_ARGS, prepare_env, run_django, server

FAST_3G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.44 * 1_000_000 / 8 * 0.9,
    "uploadThroughput": 675 * 1000 / 8 * 0.9,
}


def create_visit(env: dict[str, str]) -> tuple[str, str]:
    visit_id, token = run_django(
        env,
        "from videocontact.demo.data import ensure_demo\n"
        "from videocontact.guidance.demo import ensure_guidance_demo\n"
        "from videocontact.visits.services import visit_create\n"
        "d = ensure_demo()\n"
        "ensure_guidance_demo(with_video=True)\n"
        "v, i = visit_create(process=d.processes['bijstand-aanvraag'], "
        "caseworker=d.users['medewerker'], resident_name='Bench Resident')\n"
        "print(v.id, i.token)\n",
    )
    return visit_id, token


def load_once(browser: Any, base: str, token: str, *, before: bool) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/j/{token}")  # the link, unthrottled: the session, then the consent page
    consent_url = page.url
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    if before:
        cdp.send("Network.setExtraHTTPHeaders", {"headers": {"Accept-Encoding": "identity"}})

        def old_page(route: Any) -> None:
            response = route.fetch()
            body = response.text().replace('preload="none"', 'preload="metadata"')
            route.fulfill(response=response, body=body)

        page.route("**/consent", old_page)
    received: list[tuple[str, int]] = []  # (url, bytes on the wire)

    def finished(request: Any) -> None:
        sizes = request.sizes()
        received.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    page.on("requestfinished", finished)
    video_sent: list[int] = []  # a media request may stay open: count what the server sends
    page.on(
        "response",
        lambda r: (
            video_sent.append(int(r.headers.get("content-length", 0)))
            if r.url.endswith("/file")
            else None
        ),
    )
    started = time.monotonic()
    page.goto(consent_url, wait_until="load")
    loaded = time.monotonic() - started
    page.wait_for_timeout(4000)  # let a preload finish
    video = sum(video_sent)
    total = sum(n for url, n in received if not url.endswith("/file")) + video
    context.close()
    return {"load_s": loaded, "kb": total / 1000, "video_kb": video / 1000}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = prepare_env("vc-bench-consent-")
    _visit_id, token = create_visit(env)
    with server(env) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for label, before in (("before", True), ("now", False)):
            runs = [load_once(browser, base, token, before=before) for _ in range(args.runs)]
            print(
                f"{label:>6}: load {statistics.median(r['load_s'] for r in runs):.2f} s (median), "
                f"{statistics.median(r['kb'] for r in runs):.0f} KB received, "
                f"of which video {statistics.median(r['video_kb'] for r in runs):.0f} KB"
            )
        browser.close()


if __name__ == "__main__":
    main()
