"""Capacity benchmark: N concurrent rooms of real WebSocket clients (not browsers).

    scripts/netns-run .venv/bin/python bench/room_load.py --rooms 100,250,500 --duration 60

Per room a caseworker and a resident connect with real sessions, the caseworker admits the
resident from the waiting room, starts the questionnaire, and then, as in a call:
- each side sends a `signal` (an ICE candidate) to the other every `--signal-every` seconds;
  the candidate carries the send time, so the receiver measures the relay latency;
- each socket pings every 20 s (as room.js does);
- the resident types an answer at human speed (a `form-answer` every 1.5 s);
Server: uvicorn (`--workers`) with the Redis channel layer (a private redis-server started here)
and PostgreSQL (its unix socket, database `--db`, dropped and made again), DEBUG off. Reports, per
step: relay p50/p99, form-answer echo p50/p99, frames, errors, the server processes' CPU (% of one core) and memory.

The load generator runs on the same 2-core machine as the server: its own CPU is reported too,
so the figures are a lower bound of what a separate client machine would show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_server import (
    cpu_seconds,
    env_for,
    prepare,
    rss_mb,
    server_pids,
    start_redis,
    start_server,
    stop_server,
)

PING_EVERY = 20.0
TYPE_EVERY = 1.5


@dataclass
class Stop:
    """When the rooms stop: set once every room has joined (the window measures steady state)."""

    at: float = float("inf")


@dataclass
class Stats:
    relay_ms: list[float] = field(default_factory=list)
    answer_ms: list[float] = field(default_factory=list)
    frames_in: int = 0
    frames_out: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    joined: int = 0

    def error(self, code: str) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1


class Peer:
    """One socket of a room: reads frames, answers nothing, measures what it receives."""

    def __init__(self, url: str, cookie: str, stats: Stats) -> None:
        self.url, self.cookie, self.stats = url, cookie, stats
        self.ws: Any = None
        self.peer_id = ""
        self.other = ""
        self.events: dict[str, asyncio.Event] = {}
        self.form: dict[str, Any] = {}
        self.sent_answers: dict[str, float] = {}

    def event(self, name: str) -> asyncio.Event:
        return self.events.setdefault(name, asyncio.Event())

    async def connect(self) -> None:
        headers = {"Cookie": f"vc_session={self.cookie}", "Origin": "http://127.0.0.1"}
        self.ws = await websockets.connect(self.url, additional_headers=headers, max_size=2**22)
        self.reader = asyncio.create_task(self.read())

    async def send(self, frame: dict[str, Any]) -> None:
        if self.ws.close_code is not None:
            return  # the server closed it (counted once, by the reader); the room carries on
        self.stats.frames_out += 1
        try:
            await self.ws.send(json.dumps(frame, separators=(",", ":")))
        except websockets.ConnectionClosed:
            return

    async def read(self) -> None:
        try:
            async for text in self.ws:
                self.stats.frames_in += 1
                self.on_frame(json.loads(text))
        except websockets.ConnectionClosed as exc:
            self.stats.error(f"closed:{exc.rcvd.code if exc.rcvd else 'no-frame'}")

    def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "welcome":
            self.peer_id = frame["self"]["peerId"]
        elif kind == "presence":
            others = [p["peerId"] for p in frame["peers"] if p["peerId"] != self.peer_id]
            if others:
                self.other = others[0]
                self.event("paired").set()
        elif kind == "signal":
            sent = int(frame["candidate"]["usernameFragment"])
            self.stats.relay_ms.append((time.perf_counter_ns() - sent) / 1e6)
        elif kind == "form-state":
            self.form = frame
            self.event("form").set()
        elif kind == "form-answer":
            self.form.setdefault("answers", {})[frame["question"]] = frame
            started = self.sent_answers.pop(frame["question"] + str(frame["value"]), None)
            if started is not None:
                self.stats.answer_ms.append((time.perf_counter() - started) * 1000)
        elif kind == "form-rejected" and frame.get("current"):
            self.form.setdefault("answers", {})[frame["question"]] = frame["current"]
        elif kind == "error":
            self.stats.error(frame.get("code", "?"))
        self.event(str(kind)).set()


async def room(
    base: str, staff_cookie: str, visit: str, cookie: str, pid: str, stats: Stats, stop: Stop
) -> None:
    url = f"{base}/ws/visits/{visit}/"
    staff, resident = Peer(url, staff_cookie, stats), Peer(url, cookie, stats)
    try:
        await staff.connect()
        await staff.event("welcome").wait()
        await resident.connect()
        await resident.event("welcome").wait()
        await staff.send({"type": "admit", "participant": pid})
        await asyncio.wait_for(resident.event("paired").wait(), 30)
        await asyncio.wait_for(staff.event("paired").wait(), 30)
        await staff.send({"type": "form-start"})
        await asyncio.wait_for(resident.event("form").wait(), 30)
    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
        stats.error(f"join:{type(exc).__name__}")
        return
    stats.joined += 1
    question = next(
        q["id"]
        for section in resident.form["definition"]["sections"]
        for q in section["questions"]
        if q.get("type") in ("short_text", "long_text")
    )
    await asyncio.gather(
        signalling(staff, stop),
        signalling(resident, stop),
        pinging(staff, stop),
        pinging(resident, stop),
        typing(resident, question, stop),
    )
    for peer in (staff, resident):
        await peer.ws.close()


async def signalling(peer: Peer, stop: Stop) -> None:
    await asyncio.sleep(random.uniform(0, ARGS.signal_every))
    while time.monotonic() < stop.at:
        candidate = {
            "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 9 typ host",
            "sdpMid": "0",
            "sdpMLineIndex": 0,
            "usernameFragment": str(time.perf_counter_ns()),
        }
        await peer.send({"type": "signal", "to": peer.other, "candidate": candidate})
        await asyncio.sleep(ARGS.signal_every)


async def pinging(peer: Peer, stop: Stop) -> None:
    await asyncio.sleep(random.uniform(0, PING_EVERY))
    while time.monotonic() < stop.at:
        await peer.send({"type": "ping"})
        await asyncio.sleep(PING_EVERY)


async def typing(peer: Peer, question: str, stop: Stop) -> None:
    text = ""
    while time.monotonic() < stop.at:
        await asyncio.sleep(TYPE_EVERY)
        text = (text + random.choice("abcdefgh "))[-60:]
        base = int(peer.form.get("answers", {}).get(question, {}).get("version", 0))
        peer.sent_answers[question + text] = time.perf_counter()
        await peer.send({"type": "form-answer", "question": question, "value": text, "base": base})


async def lag_probe(stop: Stop, lags: list[float]) -> None:
    """The floor of this run: how late a 10 ms timer fires in the load generator's own event loop.
    On a shared machine a p99 near 50 ms means the machine, not the server, sets the figure
    (the relay latency is measured in this loop too)."""
    while time.monotonic() < stop.at:
        t0 = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append((time.perf_counter() - t0) * 1000 - 10)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def profile(pid: int, rooms: int) -> subprocess.Popen[bytes] | None:
    """py-spy samples the server for the measured window (collapsed stacks: bench/profile_top.py)."""
    if not ARGS.profile:
        return None
    out = Path(ARGS.profile) / f"rooms-{rooms}.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    cmd = [spy, "record", "-p", str(pid), "--format", "raw"]
    cmd += ["-d", str(int(ARGS.duration)), "-r", "50", "--nonblocking", "-o", str(out)]
    return subprocess.Popen(cmd + (["--subprocesses"] if ARGS.workers > 1 else []))


async def step(
    base: str, staff: str, room_data: list[list[str]], pids: list[int]
) -> dict[str, Any]:
    rooms = len(room_data)
    stats = Stats()
    ramp = max(5.0, rooms / ARGS.join_rate)
    stop = Stop()
    tasks = []
    for visit, cookie, pid in room_data:
        tasks.append(asyncio.create_task(room(base, staff, visit, cookie, pid, stats, stop)))
        await asyncio.sleep(ramp / rooms)
    settled = time.monotonic() + 120
    while stats.joined + sum(stats.errors.values()) < rooms and time.monotonic() < settled:
        await asyncio.sleep(0.2)  # on a loaded machine joining takes longer than the ramp
    await asyncio.sleep(2)  # the last joins' presence and form frames
    stop.at = time.monotonic() + ARGS.duration
    stats.relay_ms.clear()
    stats.answer_ms.clear()
    lags: list[float] = []
    tasks.append(asyncio.create_task(lag_probe(stop, lags)))
    spy = profile(pids[0], rooms)
    cpu0, me0, t0 = cpu_seconds(pids), time.process_time(), time.monotonic()
    load0 = os.getloadavg()[0]
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - t0
    if spy is not None:
        spy.wait(30)
    server_cpu = 100 * (cpu_seconds(pids) - cpu0) / elapsed
    rss = rss_mb(pids)
    return {
        "rooms": rooms,
        "joined": stats.joined,
        "relay_p50_ms": round(pct(stats.relay_ms, 0.50), 1),
        "relay_p99_ms": round(pct(stats.relay_ms, 0.99), 1),
        "answer_p50_ms": round(pct(stats.answer_ms, 0.50), 1),
        "answer_p99_ms": round(pct(stats.answer_ms, 0.99), 1),
        "relays": len(stats.relay_ms),
        "client_loop_lag_p50_p99_ms": [round(pct(lags, 0.5), 1), round(pct(lags, 0.99), 1)],
        "server_cpu_pct": round(server_cpu, 1),
        "server_cpu_pct_per_100_rooms": round(server_cpu * 100 / rooms, 1),
        "client_cpu_pct": round(100 * (time.process_time() - me0) / elapsed, 1),
        "server_rss_mb": round(rss, 1),
        # the machine is shared: the 1-minute load average at the start and end of the window
        "loadavg_1m": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "errors": stats.errors,
    }


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up the server and Redis
    steps = [int(n) for n in ARGS.rooms.split(",")]
    env = env_for(ARGS.db, ARGS.layer)
    redis = start_redis()
    server = None
    try:
        # Every step gets visits of its own: an earlier step's residents are admitted already.
        setup = prepare(env, sum(steps), ARGS.db)
        offset = 0
        port = 8765
        results = []
        for rooms in steps:
            server = start_server(env, port, ARGS.workers)
            pids = server_pids(server.pid)
            idle_rss = rss_mb(pids)
            mine = setup["rooms"][offset : offset + rooms]
            offset += rooms
            result = asyncio.run(step(f"ws://127.0.0.1:{port}", setup["staff"], mine, pids))
            result["idle_rss_mb"] = round(idle_rss, 1)
            result["rss_mb_per_100_rooms"] = round(
                (result["server_rss_mb"] - idle_rss) * 100 / rooms, 1
            )
            results.append(result)
            print(json.dumps(result), flush=True)
            stop_server(server)
            server = None
        good = [r for r in results if r["relay_p99_ms"] <= 50 and not r["errors"]]
        print(
            "largest N with relay p99 <= 50 ms and no errors:",
            max((r["rooms"] for r in good), default=0),
        )
        print("median relay p50 over steps:", statistics.median(r["relay_p50_ms"] for r in results))
    finally:
        if server is not None:
            server.kill()
        redis.terminate()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rooms", default="50,100,200", help="comma-separated room counts")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured per step")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--layer", default="pubsub", choices=["pubsub", "core"], help="CHANNEL_LAYER setting"
    )
    parser.add_argument(
        "--join-rate", type=float, default=50.0, help="rooms that start joining per second"
    )
    parser.add_argument("--signal-every", type=float, default=2.0)
    parser.add_argument("--db", default="vc_bench", help="PostgreSQL database (dropped first)")
    parser.add_argument("--profile", default="", help="directory for py-spy profiles of each step")
    ARGS = parser.parse_args()
    main()
