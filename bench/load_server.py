"""Shared by room_load.py and soak.py: the server under test (uvicorn, a private Redis,
PostgreSQL), its rooms' data, and the CPU and memory of its processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6392"))  # several benches on one machine

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


def env_for(db: str, layer: str = "pubsub") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="videocontact.conf.base",
        SECRET_KEY="bench-only-" + "z" * 40,
        DATABASE_URL=f"postgres://postgres@/{db}?host=/var/run/postgresql",
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        LOG_LEVEL="WARNING",
        ALLOWED_HOSTS="localhost,127.0.0.1",
        SECURE_COOKIES="false",
        ROOM_RATE_PER_SECOND="20",
        CHANNEL_LAYER=layer,  # "pubsub" (the default) or "core" (channels_redis's lists)
    )
    return env


def prepare(env: dict[str, str], rooms: int, db: str) -> dict[str, Any]:
    psql = ["psql", "-h", "/var/run/postgresql", "-U", "postgres", "-d", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {db}"], check=True)
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
    ping = ["redis-cli", "-p", str(REDIS_PORT), "ping"]
    wait_for(lambda: subprocess.run(ping, capture_output=True).stdout == b"PONG\n", "redis")
    return redis


def wait_for(ready: Any, what: str, timeout: float = 60.0) -> None:
    """Poll instead of sleeping a fixed time: on a loaded machine start-up takes seconds."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start within {timeout:.0f} s")
        time.sleep(0.1)


def http_ok(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "videocontact.asgi:application"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    cmd += ["--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    cmd += ["--ws-per-message-deflate", "false"]  # as deploy/Dockerfile: small frames
    server = subprocess.Popen(cmd, env=env)
    wait_for(lambda: http_ok(port), "the server")
    time.sleep(workers - 1)  # every worker process up, not only the first
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


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """A loaded server may take longer than its grace period to close its sockets: then kill."""
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(10)
