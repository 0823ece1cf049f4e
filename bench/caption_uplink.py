"""Benchmark: uplink of one captioned participant, Opus (WebCodecs) against 16 kHz PCM.

    scripts/netns-run .venv/bin/python bench/caption_uplink.py [--seconds 20]

Headless Chromium "speaks" Dutch (espeak-ng, looped by --use-file-for-fake-audio-capture, with
pauses as in a conversation) into the page's real sender (static js/caption-audio.js, the one
the call page uses) for N seconds per codec. A WebSocket server in this script counts what
arrives. Printed per codec: payload kbit/s and messages per second, and what the loopback
interface carried in that time (TCP/IP and WebSocket headers and ACKs included) — in the
loopback-only namespace nothing else uses it."""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import websockets
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src/videocontact/static/videocontact"
PAGE = """<!doctype html><html lang="nl"><title>uplink</title><script type="module">
import { startCaptionAudio } from "/js/caption-audio.js";
window.start = async (codec) => {
  window.vcCaptionCodec = codec;
  window.sender = await startCaptionAudio({
    url: "ws://127.0.0.1:%d/audio", muted: () => false, onFail: () => { window.failed = true; },
  });
  return window.sender.codec;
};
</script></html>"""


def lo_bytes() -> int:
    for line in Path("/proc/net/dev").read_text().splitlines():
        if line.strip().startswith("lo:"):
            return int(line.split(":", 1)[1].split()[0])
    return 0


def speech_wav(directory: Path) -> Path:
    text = "Ik woon in dit huis met mijn familie. De kinderen gaan hier naar school."
    speech = subprocess.run(
        ["espeak-ng", "-v", "nl", "-s", "140", "--stdout", text], capture_output=True, check=True
    ).stdout
    path = directory / "speech.wav"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y", "-i", "pipe:0", "-af", "apad=pad_dur=1.5"),
            *("-ar", "48000", "-ac", "1", str(path)),
        ],
        input=speech,
        check=True,
    )
    return path


class Counter:
    def __init__(self) -> None:
        self.bytes = self.messages = 0

    async def handler(self, ws: websockets.ServerConnection) -> None:
        async for message in ws:
            self.bytes += len(message)
            self.messages += 1


def serve_ws(counter: Counter, port: int, ready: threading.Event) -> None:
    async def main() -> None:
        async with websockets.serve(counter.handler, "127.0.0.1", port):
            ready.set()
            await asyncio.Future()

    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    ws_port, http_port = 18765, 18766
    counter = Counter()
    ready = threading.Event()
    threading.Thread(target=serve_ws, args=(counter, ws_port, ready), daemon=True).start()
    ready.wait(10)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/":
                body = (PAGE % ws_port).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(STATIC))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", http_port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    with tempfile.TemporaryDirectory() as directory, sync_playwright() as pw:
        wav = speech_wav(Path(directory))
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={wav}",
            ],
        )
        print(f"{args.seconds:.0f} s of looped Dutch speech per codec\n")
        print("| codec | payload | messages/s | on the wire (loopback) |")
        print("|---|---|---|---|")
        for codec in ("pcm", "opus"):
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{http_port}/")
            page.wait_for_function("() => typeof window.start === 'function'")
            used = page.evaluate("codec => window.start(codec)", codec)
            time.sleep(1.0)  # the socket is open and the encoder has started
            counter.bytes = counter.messages = 0
            wire, start = lo_bytes(), time.perf_counter()
            time.sleep(args.seconds)
            elapsed = time.perf_counter() - start
            wire = lo_bytes() - wire
            payload, messages = counter.bytes, counter.messages
            page.evaluate("() => window.sender.stop()")
            page.close()
            print(
                f"| {used} | {payload * 8 / 1000 / elapsed:.1f} kbit/s "
                f"| {messages / elapsed:.1f} | {wire * 8 / 1000 / elapsed:.1f} kbit/s |"
            )
        browser.close()
    httpd.shutdown()
    sys.exit(0)


if __name__ == "__main__":
    main()
