"""The demo (`make run`, conf.dev) works over plain http on loopback, for a browser and for a
client written from docs/protocol.md (httpx + websockets): cookies are not Secure there, while
production keeps them Secure."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets

ROOT = Path(__file__).resolve().parents[2]


def settings_of(module: str, **env: str) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SECURE]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("SECURE_COOKIES", "DEBUG")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    session, csrf, language = json.loads(result.stdout.strip().splitlines()[-1])
    return {"session": session, "csrf": csrf, "language": language}


def test_dev_cookies_work_on_plain_http() -> None:
    assert settings_of("videocontact.conf.dev") == {
        "session": False,
        "csrf": False,
        "language": False,
    }
    # ...unless asked for (the demo behind TLS).
    assert settings_of("videocontact.conf.dev", SECURE_COOKIES="true")["session"] is True


def test_dev_serves_compressed_static_files_as_production() -> None:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([getattr(s, 'WHITENOISE_USE_FINDERS', False), "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DEV_STATIC_FROM_APPS"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **clean,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "videocontact.conf.dev",
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    finders, storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert finders is False  # served from the collected, pre-compressed files
    assert storage == "whitenoise.storage.CompressedStaticFilesStorage"


def test_production_cookies_stay_secure() -> None:
    values = settings_of(
        "videocontact.conf.production",
        SECRET_KEY="x" * 50,
        EVIDENCE_KEYS="k1:" + "A" * 44,
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert values == {"session": True, "csrf": True, "language": True}
    # Even an attempt to switch them off is ignored in production.
    values = settings_of(
        "videocontact.conf.production",
        SECRET_KEY="x" * 50,
        EVIDENCE_KEYS="k1:" + "A" * 44,
        REDIS_URL="redis://127.0.0.1:6379/1",
        SECURE_COOKIES="false",
    )
    assert values["session"] is True


# A live demo server and a non-browser client ------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """`make run` in miniature: migrate, the demo data, uvicorn on loopback (conf.dev)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    keep = ("PATH", "HOME", "LANG")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env |= {
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "videocontact.conf.dev",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/demo.sqlite3",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    out = subprocess.run(
        [*manage, "demo", "--base-url", base],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    link = re.search(r"Resident link:\s+(\S+)", out)
    assert link, out
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "videocontact.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off", "--no-access-log"),
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the demo server did not start"
            time.sleep(0.2)
        yield base, link.group(1)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_client_written_from_the_protocol_joins_over_http(demo_server: tuple[str, str]) -> None:
    base, link = demo_server
    with httpx.Client(base_url=base, follow_redirects=True) as client:
        # Static files come compressed, as in production.
        css = client.get(
            "/static/videocontact/css/app.css", headers={"Accept-Encoding": "br, gzip"}
        )
        assert css.status_code == 200 and css.headers["Content-Encoding"] in ("br", "gzip")
        # 1. Redeem the link: the session cookie now identifies this client.
        consent = client.get(link)
        assert consent.status_code == 200 and str(consent.url).endswith("/consent")
        assert client.cookies.get("vc_session") and client.cookies.get("vc_csrf")
        visit_id = str(consent.url).split("/")[-2]
        # 2. Consent: a form POST with the CSRF token.
        check = client.post(
            f"/v/{visit_id}/consent",
            data={"decision": "accept", "csrfmiddlewaretoken": client.cookies["vc_csrf"]},
        )
        assert check.status_code == 200 and str(check.url).endswith("/check")
        cookie = f"vc_session={client.cookies['vc_session']}"

    async def room() -> tuple[dict[str, object], int]:
        url = base.replace("http", "ws", 1) + f"/ws/visits/{visit_id}/"
        # Without an Origin header on an allowed host the handshake is refused.
        refused = 0
        try:
            async with websockets.connect(url, additional_headers={"Cookie": cookie}):
                pass
        except websockets.InvalidStatus as exc:
            refused = exc.response.status_code
        async with websockets.connect(
            url, additional_headers={"Cookie": cookie}, origin=websockets.Origin(base)
        ) as ws:
            welcome = json.loads(await asyncio.wait_for(ws.recv(), 10))
        return welcome, refused

    welcome, refused = asyncio.run(room())
    assert refused == 403
    assert welcome["type"] == "welcome" and welcome["state"] == "waiting"
    assert welcome["self"]["role"] == "resident"  # type: ignore[index]
