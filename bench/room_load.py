"""Capacity benchmark: N concurrent rooms of real WebSocket clients (not browsers).

    scripts/netns-run .venv/bin/python bench/room_load.py --rooms 100,250,500 --duration 60

Per room a caseworker and a resident connect with real sessions, the caseworker admits the
resident from the waiting room, starts the questionnaire, and then, as in a call:
- each side sends a `signal` (an ICE candidate) to the other every `--signal-every` seconds;
  the candidate carries the send time, so the receiver measures the relay latency;
- each socket pings every 20 s (as room.js does);
- the resident types an answer at human speed (a `form-answer` every 1.5 s);
Server: uvicorn (`--workers`) with the Redis channel layer (a private redis-server started here)
and PostgreSQL (its unix socket, database `vc_bench`), DEBUG off. Reports, per step: relay p50/p99,
form-answer echo p50/p99, frames, errors, the server processes' CPU (% of one core) and memory.

The load generator runs on the same 2-core machine as the server: its own CPU is reported too,
so the figures are a lower bound of what a separate client machine would show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@/vc_bench?host=/var/run/postgresql"
REDIS_PORT = 6392
PING_EVERY = 20.0
TYPE_EVERY = 1.5

SETUP = """
import django, json
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from videocontact.demo.data import ensure_demo
from videocontact.visits.models import ParticipantRole, ParticipantState
from videocontact.visits.selectors import SESSION_KEY as VISIT_KEY
from videocontact.visits.services import visit_create
demo = ensure_demo()
user = demo.users["medewerker"]
process = demo.processes["bijstand-aanvraag"]
staff = SessionStore()
staff[SESSION_KEY] = str(user.pk)
staff[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
staff[HASH_SESSION_KEY] = user.get_session_auth_hash()
staff.create()
rooms = []
for _ in range(int(COUNT)):
    visit, _ = visit_create(process=process, caseworker=user, resident_name="Test Bewoner")
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    resident.state = ParticipantState.CONSENTED
    resident.save(update_fields=["state"])
    session = SessionStore()
    session[VISIT_KEY] = {str(visit.id): str(resident.id)}
    session.create()
    rooms.append([str(visit.id), session.session_key, str(resident.id)])
print(json.dumps({"staff": staff.session_key, "rooms": rooms}))
"""


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


def env_for() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="videocontact.conf.base",
        SECRET_KEY="bench-only-" + "z" * 40,
        DATABASE_URL=PG,
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_COOKIES="false",
        ROOM_RATE_PER_SECOND="20",
    )
    return env


def prepare(env: dict[str, str], rooms: int) -> dict[str, Any]:
    psql = ["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*psql, "DROP DATABASE IF EXISTS vc_bench"], check=True)
    subprocess.run([*psql, "CREATE DATABASE vc_bench"], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    code = SETUP.replace("int(COUNT)", str(rooms))
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def start_redis() -> subprocess.Popen[bytes]:
    redis = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return redis


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "videocontact.asgi:application"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    server = subprocess.Popen(cmd, env=env)
    time.sleep(4 + workers)
    return server


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def server_pids(root: int) -> list[int]:
    children = subprocess.run(
        ["pgrep", "-P", str(root)], capture_output=True, text=True
    ).stdout.split()
    return [root, *map(int, children)]


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
        self.stats.frames_out += 1
        await self.ws.send(json.dumps(frame, separators=(",", ":")))

    async def read(self) -> None:
        try:
            async for text in self.ws:
                self.stats.frames_in += 1
                self.on_frame(json.loads(text))
        except websockets.ConnectionClosed:
            self.stats.error("closed")

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
    base: str, staff_cookie: str, visit: str, cookie: str, pid: str, stats: Stats, stop: float
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


async def signalling(peer: Peer, stop: float) -> None:
    await asyncio.sleep(random.uniform(0, ARGS.signal_every))
    while time.monotonic() < stop:
        candidate = {
            "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 9 typ host",
            "sdpMid": "0",
            "sdpMLineIndex": 0,
            "usernameFragment": str(time.perf_counter_ns()),
        }
        await peer.send({"type": "signal", "to": peer.other, "candidate": candidate})
        await asyncio.sleep(ARGS.signal_every)


async def pinging(peer: Peer, stop: float) -> None:
    await asyncio.sleep(random.uniform(0, PING_EVERY))
    while time.monotonic() < stop:
        await peer.send({"type": "ping"})
        await asyncio.sleep(PING_EVERY)


async def typing(peer: Peer, question: str, stop: float) -> None:
    text = ""
    while time.monotonic() < stop:
        await asyncio.sleep(TYPE_EVERY)
        text = (text + random.choice("abcdefgh "))[-60:]
        base = int(peer.form.get("answers", {}).get(question, {}).get("version", 0))
        peer.sent_answers[question + text] = time.perf_counter()
        await peer.send({"type": "form-answer", "question": question, "value": text, "base": base})


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def step(base: str, setup: dict[str, Any], rooms: int, pids: list[int]) -> dict[str, Any]:
    stats = Stats()
    ramp = max(5.0, rooms / 50)
    stop = time.monotonic() + ramp + ARGS.duration
    tasks = []
    for visit, cookie, pid in setup["rooms"][:rooms]:
        tasks.append(
            asyncio.create_task(room(base, setup["staff"], visit, cookie, pid, stats, stop))
        )
        await asyncio.sleep(ramp / rooms)
    await asyncio.sleep(max(0.0, stop - ARGS.duration - time.monotonic()))
    stats.relay_ms.clear()
    stats.answer_ms.clear()
    cpu0, me0, t0 = cpu_seconds(pids), time.process_time(), time.monotonic()
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - t0
    return {
        "rooms": rooms,
        "joined": stats.joined,
        "relay_p50_ms": round(pct(stats.relay_ms, 0.50), 1),
        "relay_p99_ms": round(pct(stats.relay_ms, 0.99), 1),
        "answer_p50_ms": round(pct(stats.answer_ms, 0.50), 1),
        "answer_p99_ms": round(pct(stats.answer_ms, 0.99), 1),
        "relays": len(stats.relay_ms),
        "server_cpu_pct": round(100 * (cpu_seconds(pids) - cpu0) / elapsed, 1),
        "client_cpu_pct": round(100 * (time.process_time() - me0) / elapsed, 1),
        "server_rss_mb": round(rss_mb(pids), 1),
        "errors": stats.errors,
    }


def main() -> None:
    steps = [int(n) for n in ARGS.rooms.split(",")]
    env = env_for()
    redis = start_redis()
    server = None
    try:
        setup = prepare(env, max(steps))
        port = 8765
        results = []
        for rooms in steps:
            server = start_server(env, port, ARGS.workers)
            pids = server_pids(server.pid)
            idle_rss = rss_mb(pids)
            result = asyncio.run(step(f"ws://127.0.0.1:{port}", setup, rooms, pids))
            result["idle_rss_mb"] = round(idle_rss, 1)
            results.append(result)
            print(json.dumps(result), flush=True)
            server.terminate()
            server.wait(20)
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
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--signal-every", type=float, default=2.0)
    ARGS = parser.parse_args()
    main()
