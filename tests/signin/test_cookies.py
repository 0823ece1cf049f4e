"""Production cookies carry the __Host- prefix; dev and test keep plain names over http."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in (
    "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH",
    "STAFF_SECOND_FACTOR_DEFAULT")}))
"""


def _settings_of(module: str, **extra: str) -> dict[str, object]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO / "src"),
        "DJANGO_SETTINGS_MODULE": module,
        "SECRET_KEY": "x" * 50,
        "VAR_DIR": str(REPO / "var"),
        **extra,
    }
    code = "import django; django.setup()\n" + PROBE
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_uses_host_prefixed_secure_cookies() -> None:
    prod = _settings_of(
        "videocontact.conf.production",
        EVIDENCE_KEYS="k:" + base64.b64encode(b"k" * 32).decode(),
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    # The browser accepts a __Host- cookie only if it is Secure, has no Domain and Path=/.
    for kind in ("SESSION", "CSRF"):
        assert str(prod[f"{kind}_COOKIE_NAME"]).startswith("__Host-")
        assert prod[f"{kind}_COOKIE_SECURE"] is True
        assert prod[f"{kind}_COOKIE_DOMAIN"] is None
        assert prod[f"{kind}_COOKIE_PATH"] == "/"
    assert prod["STAFF_SECOND_FACTOR_DEFAULT"] is True


def test_dev_keeps_plain_cookie_names_for_http_on_loopback() -> None:
    dev = _settings_of("videocontact.conf.dev")
    assert not str(dev["SESSION_COOKIE_NAME"]).startswith("__Host-")
    assert not str(dev["CSRF_COOKIE_NAME"]).startswith("__Host-")
    assert dev["STAFF_SECOND_FACTOR_DEFAULT"] is False  # `make run` signs in with a password


def test_a_production_response_sets_the_prefixed_cookie(client: object, settings: object) -> None:
    """What the browser receives: the Set-Cookie header itself."""
    settings.SESSION_COOKIE_NAME = "__Host-vc_session"  # type: ignore[attr-defined]
    settings.CSRF_COOKIE_NAME = "__Host-vc_csrf"  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # type: ignore[attr-defined]
    response = client.get("/accounts/login/", secure=True)  # type: ignore[attr-defined]
    header = response.cookies["__Host-vc_csrf"].output()
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
