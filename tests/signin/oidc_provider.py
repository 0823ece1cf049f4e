"""The real OpenID Connect provider (tests/oidc/provider.mjs, the certified `oidc-provider` from
npm) on loopback, and a user agent that signs in there like a person would."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import httpx

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[str]

    def settings(self) -> dict[str, Any]:
        """What an operator would put in the environment (see docs/deployment.md)."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_OP_LOGOUT_ENDPOINT": f"{self.issuer}/session/end",
        }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_provider(
    *,
    redirect_uris: list[str],
    accounts: dict[str, dict[str, Any]],
    post_logout_uris: tuple[str, ...] = (),
) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        raise RuntimeError("node or tests/oidc/node_modules is missing: run `make test-deps`")
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": "videocontact",
        "OIDC_TEST_CLIENT_SECRET": "test-client-secret-0123456789",
        "OIDC_TEST_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_TEST_ACCOUNTS": json.dumps(accounts),
        "OIDC_TEST_POST_LOGOUT_URIS": ",".join(post_logout_uris),
    }
    process = subprocess.Popen(
        [node, str(OIDC_DIR / "provider.mjs")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline and not line.startswith("ready "):
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                raise RuntimeError("the OIDC test provider did not start")
        yield Provider(
            issuer=line.split()[1],
            client_id=env["OIDC_TEST_CLIENT_ID"],
            client_secret=env["OIDC_TEST_CLIENT_SECRET"],
            process=process,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', re.S)


def sign_in_at_provider(
    authorize_url: str,
    *,
    login: str,
    stop_at: str,
    seen: list[str] | None = None,
    agent: httpx.Client | None = None,
) -> str:
    """Follow the provider's pages from the authorization request: fill in the login form,
    agree on the consent page (or confirm a sign-out), until the provider redirects to
    `stop_at` (the callback URL, returned with its code and state). Pass `agent` to keep the
    provider's cookies, as one browser would."""
    if agent is None:
        with httpx.Client(timeout=10) as own:
            return sign_in_at_provider(
                authorize_url, login=login, stop_at=stop_at, seen=seen, agent=own
            )
    url = authorize_url
    response = agent.get(url)
    for _ in range(20):
        if seen is not None:
            seen.append(str(response.url))
        if response.is_redirect:
            url = str(response.url.join(response.headers["location"]))
            if url.startswith(stop_at):
                return url
            response = agent.get(url)
            continue
        match = FORM.search(response.text)
        if match is None:
            raise AssertionError(f"no form on {response.url}: {response.text[:500]}")
        action, body = unescape(match.group(1)), match.group(2)
        data = dict(HIDDEN.findall(body))
        if 'name="login"' in body:
            data.update({"login": login, "password": "any"})
        if 'name="logout"' in response.text:
            data["logout"] = "yes"
        response = agent.post(str(response.url.join(action)), data=data)
    raise AssertionError("the provider never redirected back")
