"""Benchmark: captions audio on the server — an aiortc WebRTC participant against the socket.

    scripts/netns-run /tmp/aiortc-venv/bin/python bench/caption_aiortc.py [--seconds 20]

aiortc is not a dependency of the project (ADR 0008 keeps the socket): run this with a venv of
its own that also sees the project's packages (docs/performance.md has the commands).

Headless Chromium "speaks" looped Dutch (espeak-ng, with pauses, the same audio as
bench/caption_uplink.py) in 1 and in 4 pages at once — 4 is the room's limit — to a receiving
process that turns every speaker's audio into 16 kHz mono float32, as the captions socket does
before its VAD and recognition workers:

- socket (now): the page's own sender (static js/caption-audio.js: WebCodecs Opus, 100 ms per
  message) → a WebSocket server → `OpusStream` (src/videocontact/language/stt/opus.py, PyAV).
- aiortc: a page with one RTCPeerConnection sending its microphone track (Chromium's WebRTC
  Opus) → an aiortc answerer (ICE, DTLS, SRTP, RTP, jitter buffer, libopus through PyAV)
  → resampled 48 kHz stereo → 16 kHz mono, as a server-side caption participant would.

Each run gets a fresh receiving process; its CPU time (all threads) over the measured window is
divided by the seconds of audio it turned into samples. Printed per run: setup time from the
page's start to the first decoded audio at the receiver, CPU per second of audio (and the part
spent in Opus decoding + resampling, per thread), the receiver's memory (idle after imports, and
growth per speaker), the bytes on the loopback interface per speaker, and the load average.
Runs alternate socket/aiortc so that both see the same load. Only loopback is used: the aiortc
peer has no STUN/TURN servers and gathers 127.0.0.1 only, Chromium gets no ICE servers.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
STATIC = ROOT / "src/videocontact/static/videocontact"
RECEIVERS = ROOT / "bench/caption_receivers.py"
RATE = 16_000
PAGE = """<!doctype html><html lang="nl"><title>caption participant</title><script type="module">
import { startCaptionAudio } from "/js/caption-audio.js";
window.socket = async (url) => {
  window.vcCaptionCodec = "opus";
  window.sender = await startCaptionAudio({
    url, muted: () => false, onFail: () => { window.failed = true; },
  });
  return window.sender.codec;
};
window.rtc = async () => {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: true, noiseSuppression: true, channelCount: 1 },
  });
  const pc = new RTCPeerConnection({ iceServers: [] });
  window.pc = pc;
  stream.getTracks().forEach((track) => pc.addTrack(track, stream));
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== "complete") {
    await new Promise((done) => pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") done();
    }));
  }
  return pc.localDescription.sdp;
};
window.answer = (sdp) => window.pc.setRemoteDescription({ type: "answer", sdp });
</script></html>"""


def lo_bytes() -> int:
    for line in Path("/proc/net/dev").read_text().splitlines():
        if line.strip().startswith("lo:"):
            return int(line.split(":", 1)[1].split()[0])
    return 0


# --- the benchmark ---------------------------------------------------------------------------


class Child:
    def __init__(self, kind: str, port: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(RECEIVERS), kind, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.hello = self.read()

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        return json.loads(self.proc.stdout.readline())

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write('{"cmd": "quit"}\n')
        self.proc.stdin.flush()
        self.proc.wait(30)


def start_speaker(kind: str, page: Any, child: Child) -> tuple[float, str]:
    """Start one speaking page; returns its start time and what codec went to the receiver."""
    started = time.monotonic()
    if kind == "socket":
        return started, page.evaluate("url => window.socket(url)", child.hello["url"])
    offer = page.evaluate("() => window.rtc()")
    answer = child.ask({"cmd": "offer", "sdp": offer})["sdp"]
    page.evaluate("sdp => window.answer(sdp)", answer)
    codec = next(
        (line.split()[1] for line in answer.splitlines() if line.startswith("a=rtpmap:")), "?"
    )
    return started, codec


def run(browser: Any, base: str, kind: str, speakers: int, seconds: float) -> dict[str, Any]:
    load = os.getloadavg()[0]
    child = Child(kind, 18790)
    idle = child.hello
    pages = []
    try:
        starts, codecs = [], []
        for _ in range(speakers):
            page = browser.new_page()
            page.goto(base)
            page.wait_for_function("() => typeof window.rtc === 'function'")
            started, codec = start_speaker(kind, page, child)
            pages.append(page)
            starts.append(started)
            codecs.append(codec)
        deadline = time.monotonic() + 20
        while True:
            stats = child.ask({"cmd": "stats"})
            if len(stats["first"]) == speakers and 0.0 not in stats["first"]:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind}: no audio from a speaker within 20 s")
            time.sleep(0.05)
        setup = [first - start for first, start in zip(stats["first"], starts, strict=True)]
        time.sleep(1.0)  # past the first frames and the jitter buffer's start
        before, wire = child.ask({"cmd": "stats"}), lo_bytes()
        time.sleep(seconds)
        after, wire = child.ask({"cmd": "stats"}), lo_bytes() - wire
        offline = child.ask({"cmd": "offline"})["offline_ms_per_audio_s"]
    finally:
        for page in pages:
            page.close()
        child.close()
    audio = (after["samples"] - before["samples"]) / RATE
    wall = after["now"] - before["now"]
    cpu = after["cpu"] - before["cpu"]
    return {
        "path": kind,
        "speakers": speakers,
        "codec": ",".join(sorted(set(codecs))),
        "setup_ms": round(statistics.median(setup) * 1000),
        "audio_s": round(audio, 1),
        "wall_s": round(wall, 1),
        "cpu_ms_per_audio_s": round(cpu / audio * 1000, 2),
        "decode_ms_per_audio_s": round(
            (after["decode_cpu"] - before["decode_cpu"]) / audio * 1000, 2
        ),
        "offline_decode_ms_per_audio_s": offline,
        "cores_per_speaker": round(cpu / wall / speakers, 4),
        "rss_idle_mib": round(idle["rss_kib"] / 1024, 1),
        "rss_per_speaker_mib": round((after["rss_kib"] - idle["rss_kib"]) / 1024 / speakers, 2),
        "wire_kbit_s_per_speaker": round(wire * 8 / 1000 / wall / speakers, 1),
        "loadavg": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def speech_wav(directory: Path) -> Path:
    from caption_uplink import speech_wav as uplink_speech

    return uplink_speech(directory)


def static_server(port: int) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/":
                return super().do_GET()
            body = PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(STATIC))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def print_table(results: list[dict[str, Any]]) -> None:
    print(
        "| path | speakers | codec | setup → first audio | CPU per s of audio "
        "(of which decode+resample) | decode+resample alone | cores per speaker | RSS idle / + per speaker "
        "| loopback per speaker | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['path']} | {r['speakers']} | {r['codec']} | {r['setup_ms']} ms "
            f"| {r['cpu_ms_per_audio_s']} ms ({r['decode_ms_per_audio_s']} ms) "
            f"| {r['offline_decode_ms_per_audio_s']} ms "
            f"| {r['cores_per_speaker']} | {r['rss_idle_mib']} MiB / +{r['rss_per_speaker_mib']} MiB "
            f"| {r['wire_kbit_s_per_speaker']} kbit/s | {r['loadavg'][0]} to {r['loadavg'][1]} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--speakers", default="1,4", help="speakers per run, comma-separated")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    http_port = 18789
    httpd = static_server(http_port)
    results = []
    with tempfile.TemporaryDirectory() as directory, sync_playwright() as pw:
        wav = speech_wav(Path(directory))
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={wav}",
                "--allow-loopback-in-peer-connection",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        base = f"http://127.0.0.1:{http_port}/"
        for kind in ("socket", "aiortc"):  # warm-up, not reported: the first audio capture is slow
            run(browser, base, kind, 1, 1.0)
        for _ in range(args.rounds):
            for speakers in (int(n) for n in args.speakers.split(",")):
                for kind in ("socket", "aiortc"):
                    result = run(
                        browser, f"http://127.0.0.1:{http_port}/", kind, speakers, args.seconds
                    )
                    print(json.dumps(result), flush=True)
                    results.append(result)
        browser.close()
    httpd.shutdown()
    print(f"\n{args.seconds:.0f} s of looped Dutch speech per run\n")
    print_table(results)


if __name__ == "__main__":
    main()
