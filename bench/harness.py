"""Shared by the benchmarks: a production-like server on loopback and the join steps."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
DEMO_PASSWORD = "demo-videocontact"  # noqa: S105 (the demo's printed password)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_env(prefix: str) -> dict[str, str]:
    """DEBUG off, collected + compressed static files, a fresh SQLite database."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="videocontact.conf.base",
        SECRET_KEY="bench-only-" + "z" * 40,
        VAR_DIR=str(workdir),
        STATIC_ROOT=str(workdir / "static"),
        STATIC_MAX_AGE="3600",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    for cmd in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, str(ROOT / "manage.py"), *cmd], env=env, check=True)
    return env


def run_django(env: dict[str, str], code: str) -> list[str]:
    """Run setup code in the benchmark's database; returns the words of its last line."""
    script = "import django, json\ndjango.setup()\n" + code
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    ).stdout
    return out.strip().splitlines()[-1].split()


@contextmanager
def server(env: dict[str, str]) -> Iterator[str]:
    """uvicorn on a free loopback port; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "videocontact.asgi:application",
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://localhost:{port}"
    finally:
        process.terminate()
        process.wait(10)


def staff_opens_call(page: Any, base: str, visit_id: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "medewerker")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/staff/visits/{visit_id}/call")


def resident_joins(page: Any, base: str, token: str, visit_id: str) -> None:
    """Link → consent → call page (waiting room)."""
    page.goto(f"{base}/j/{token}")
    page.click("button[value=accept]")
    page.goto(f"{base}/v/{visit_id}/call")
