"""The server as a real subprocess (uvicorn), so a test can kill it with SIGKILL mid-call and
start it again on the same port, against the test database (SQLite file or PostgreSQL through its
socket) and, when REDIS_URL is set, the private Redis of scripts/e2e."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .helpers import REPO_DIR

# Fast liveness for the tests (production: 10 s heartbeat, 30 s until dead).
HEARTBEAT_SECONDS = 2
DEAD_SECONDS = 6


def database_url() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else (f"{user}@" if user else "")
    host = db.get("HOST") or ""
    if host.startswith("/"):
        return f"postgres://{auth}/{db['NAME']}?host={host}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"


class ProcServer:
    def __init__(
        self,
        port: int,
        log_path: Path,
        *,
        dead_seconds: float = DEAD_SECONDS,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        log_path.write_bytes(b"")  # this test's log only (both runs of a restart append)
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="videocontact.conf.test",
            DATABASE_URL=database_url(),
            PYTHONPATH=str(REPO_DIR / "src"),
            ROOM_LIVENESS_IN_PROCESS="true",
            ROOM_INSTANCE_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
            ROOM_INSTANCE_DEAD_SECONDS=str(dead_seconds),
            JOBS_IN_PROCESS="false",
            **(extra_env or {}),
        )

    def start(self) -> float:
        """Start uvicorn; returns the time (epoch seconds) at which it first answered HTTP."""
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "videocontact.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
                "--no-server-header",
                "--log-level",
                "warning",
            ],
            cwd=REPO_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        return self.wait_answering()

    def wait_answering(self, timeout: float = 60.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status < 500:
                        return time.time()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.01)
        raise RuntimeError("the server did not answer")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> float:
        """SIGKILL: no disconnect handler runs, nothing is cleaned up."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        return time.time()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> ProcServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
