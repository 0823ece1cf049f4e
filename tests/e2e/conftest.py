"""Browser end-to-end harness: a live ASGI server (uvicorn, in a thread of this process), Debian's
Chromium through Playwright with fake camera/microphone, a private coturn, axe accessibility checks.

Run inside the loopback-only namespace: `scripts/netns-run scripts/e2e` (or `make e2e`).
Everything here is in one process: data made by a test through the ORM is visible to the server
thread (pytest-django's `transactional_db`; SQLite's in-memory test database is shared between
threads, PostgreSQL is reached through its unix socket), and Django settings changed with the
`settings` fixture are read by the room consumer at connect time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.net import free_port

from .helpers import NAV_TIMEOUT_MS, REPO_DIR

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make from here
# are plain synchronous calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
ARTIFACT_DIR = REPO_DIR / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-gpu",
    "--autoplay-policy=no-user-gesture-required",
]

TURN_RELAY_PORTS = (49200, 49300)
RESIDENT_VIEWPORT = {"width": 390, "height": 844}
STAFF_VIEWPORT = {"width": 1280, "height": 800}

# Marking ---------------------------------------------------------------------------------------


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is a browser test (`-m e2e` / `-m "not e2e"`)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    return any(
        getattr(getattr(request.node, "rep_" + when, None), "failed", False)
        for when in ("setup", "call")
    )


# Database --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A test database of this run's own (test_<name>_e2e_<pid> on PostgreSQL), so another test
    run against the same server at the same time cannot drop it from under the browser tests."""
    from django.conf import settings

    suffix = f"_e2e_{os.getpid()}"
    for db_settings in settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            # A file, not the shared in-memory database: the server's threads and the jobs worker
            # then wait for SQLite's lock (WAL, IMMEDIATE, timeout) instead of failing at once
            # with "database table is locked".
            path = Path(settings.VAR_DIR) / f"test-e2e-{os.getpid()}.sqlite3"
            path.unlink(missing_ok=True)
            db_settings.setdefault("TEST", {})["NAME"] = str(path)
            continue
        test = db_settings.setdefault("TEST", {})
        name = test.get("NAME") or f"test_{db_settings['NAME']}"
        if not name.endswith(suffix):
            test["NAME"] = name + suffix


# Live server -----------------------------------------------------------------------------------


@dataclass
class LiveServer:
    server: Any
    thread: threading.Thread
    url: str

    def busy(self) -> int:
        """Open connections plus running ASGI application tasks (a consumer's disconnect handler
        still runs after its socket has gone)."""
        state = getattr(self.server, "server_state", None)
        return len(state.connections) + len(state.tasks) if state is not None else 0

    def wait_idle(self, timeout: float = 15.0) -> None:
        """Wait until every HTTP/WebSocket connection and its application task has finished, so
        that the consumers' disconnect handlers (which write to the database) are done before
        the test database is flushed."""
        deadline = time.monotonic() + timeout
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.busy():
            print(f"warning: the live server is still busy after {timeout}s: {self.describe()}")

    def describe(self) -> list[str]:
        state = self.server.server_state
        found = [
            f"{type(c).__name__} {getattr(c, 'scope', {}).get('path', '?')}"
            for c in list(state.connections)
        ]
        found += ["task " + _await_chain(task) for task in list(state.tasks)]
        return found


def _await_chain(task: Any) -> str:
    """Where a task is suspended: its chain of awaits, following into awaited tasks."""
    chain: list[str] = []
    awaitable = task.get_coro()
    while awaitable is not None and len(chain) < 40:
        if hasattr(awaitable, "get_coro"):  # an awaited asyncio.Task
            awaitable = awaitable.get_coro()
            continue
        frame = getattr(awaitable, "cr_frame", None) or getattr(awaitable, "ag_frame", None)
        if frame is not None:
            module = Path(frame.f_code.co_filename).stem
            chain.append(f"{module}.{frame.f_code.co_name}:{frame.f_lineno}")
        awaitable = getattr(awaitable, "cr_await", None) or getattr(awaitable, "ag_await", None)
    return " > ".join(chain)


@pytest.fixture(scope="session")
def _live_server(django_db_setup: None, django_db_blocker: Any) -> Iterator[LiveServer]:
    import uvicorn
    from django.conf import settings

    from videocontact.asgi import application

    # This in-thread server runs no liveness thread (its database access follows the tests'
    # transactions), so its instance's heartbeat is renewed only at a connect: it must never
    # count as dead, or presence would drop every peer of a test longer than 30 s. The real
    # heartbeat and sweep are tested with separate server processes (procserver.py).
    settings.ROOM_INSTANCE_DEAD_SECONDS = 24 * 3600
    port = free_port()
    config = uvicorn.Config(
        app=application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server (uvicorn) did not start")
        time.sleep(0.02)
    live = LiveServer(server=server, thread=thread, url=f"http://127.0.0.1:{port}")
    yield live
    server.should_exit = True
    thread.join(timeout=10)
    # Close whatever connection the server's worker threads still hold (PostgreSQL will not drop
    # the test database while a session is open).
    with django_db_blocker.unblock():
        from django.db import connections

        connections.close_all()


@pytest.fixture
def live_server_url(_live_server: LiveServer, transactional_db: None) -> Iterator[str]:
    """The base URL of the live server, e.g. http://127.0.0.1:40123 (no trailing slash).

    Background jobs (reports, exports, messages) run beside the server, as in embedded mode; the
    worker lives only as long as the test, because the test database does."""
    from videocontact.jobs.worker import start_in_background

    jobs_thread, jobs_stop = start_in_background(poll_seconds=0.2)
    yield _live_server.url
    _live_server.wait_idle()
    jobs_stop.set()
    jobs_thread.join(timeout=10)


# Browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Any) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test-deps)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Browsers:
    """Makes browser contexts (one per person) and remembers their pages for diagnostics."""

    browser: Any
    base_url: str
    contexts: list[Any] = field(default_factory=list)
    pages: dict[str, Any] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    frames: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def _context(self, label: str, **options: Any) -> Any:
        context = self.browser.new_context(
            base_url=self.base_url,
            permissions=["camera", "microphone"],
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            **options,
        )
        context.set_default_timeout(NAV_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAV_TIMEOUT_MS)
        self.contexts.append(context)
        return context

    def _page(self, label: str, context: Any) -> Any:
        page = context.new_page()
        self.pages[label] = page

        def console(msg: Any) -> None:
            if msg.type in ("error", "warning"):
                self.log.append(f"[{label}] console.{msg.type}: {msg.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: self.log.append(f"[{label}] pageerror: {exc}"))
        # Every room frame this person's browser receives, for assertions and diagnostics.
        received = self.frames.setdefault(label, [])

        def websocket(ws: Any) -> None:
            ws.on("framereceived", lambda payload: received.append(_frame(payload)))
            ws.on("close", lambda _ws: received.append({"type": "(socket closed)"}))

        page.on("websocket", websocket)
        return page

    def wait_for_frame(
        self, label: str, predicate: Callable[[dict[str, Any]], bool], timeout_ms: int = 30_000
    ) -> dict[str, Any]:
        """Wait until the browser `label` has received a room frame matching `predicate`."""
        page = self.pages[label]
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            for frame in self.frames.get(label, []):
                if predicate(frame):
                    return frame
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{label} never received the expected frame; got {self.frame_summary(label)}"
                )
            page.wait_for_timeout(100)

    def frame_summary(self, label: str) -> list[str]:
        """The frames one browser received, one word each (signals shortened to their gist)."""
        return [_frame_word(frame) for frame in self.frames.get(label, [])]

    def resident(self, label: str = "resident") -> Any:
        """A phone: 390x844, touch, mobile viewport."""
        context = self._context(
            label, viewport=RESIDENT_VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=1
        )
        return self._page(label, context)

    def staff(self, user: Any, label: str = "staff", *, via_form: bool = False) -> Any:
        """A caseworker's desktop browser (1280x800), signed in as `user`."""
        context = self._context(label, viewport=STAFF_VIEWPORT)
        page = self._page(label, context)
        if via_form:
            from videocontact.demo.data import DEMO_PASSWORD

            page.goto("/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", DEMO_PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            assert "/accounts/login/" not in page.url, "staff sign-in failed"
        else:
            context.add_cookies([staff_session_cookie(user, self.base_url)])
        return page

    def close(self) -> None:
        for context in self.contexts:
            with contextlib.suppress(Exception):
                context.close()
        self.contexts.clear()


def _frame(payload: str | bytes) -> dict[str, Any]:
    try:
        frame = json.loads(payload)
    except ValueError:
        return {"type": "(not json)", "raw": str(payload)[:200]}
    return frame if isinstance(frame, dict) else {"type": "(not an object)"}


def _frame_word(frame: dict[str, Any]) -> str:
    kind = str(frame.get("type", "?"))
    if kind == "error":
        return f"error:{frame.get('code')}"
    if kind != "signal":
        return kind
    if frame.get("description"):
        return f"sdp:{frame['description'].get('type')}"
    candidate = frame.get("candidate")
    if not candidate:
        return "cand:end"
    parts = str(candidate.get("candidate", "")).split()
    # candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> ...
    return f"cand:{parts[7] if len(parts) > 7 else '?'}@{parts[4] if len(parts) > 4 else '?'}"


def staff_session_cookie(user: Any, base_url: str) -> dict[str, Any]:
    """A real Django session for `user` (what signing in would create), as a browser cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    host = re.sub(r"^https?://", "", base_url).split(":")[0]
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": host,
        "path": "/",
        "secure": settings.SESSION_COOKIE_SECURE,
        "httpOnly": True,
        "sameSite": "Lax",
    }


@pytest.fixture
def browsers(
    browser: Any, live_server_url: str, request: pytest.FixtureRequest
) -> Iterator[Browsers]:
    made = Browsers(browser=browser, base_url=live_server_url)
    yield made
    if _failed(request):
        ARTIFACT_DIR.mkdir(parents=True, exist_ok=True)
        for label, page in made.pages.items():
            with contextlib.suppress(Exception):
                path = ARTIFACT_DIR / f"{request.node.name}-{label}.png"
                page.screenshot(path=str(path), full_page=True)
                (ARTIFACT_DIR / f"{request.node.name}-{label}.html").write_text(page.content())
        print("\n--- browser console (errors and warnings) ---")
        print("\n".join(made.log) or "(nothing)")
        print("--- room frames received (without signals) ---")
        for label in made.frames:
            print(f"[{label}] {' '.join(made.frame_summary(label))}")
        print(f"--- screenshots and HTML of every page: {ARTIFACT_DIR}")
    made.close()


# Demo data -------------------------------------------------------------------------------------


@dataclass
class Invited:
    participant: Any
    token: str
    link: str


@dataclass
class VisitSetup:
    visit: Any
    caseworker: Any
    resident: Invited
    base_url: str

    @property
    def staff_call_path(self) -> str:
        return f"/staff/visits/{self.visit.id}/call"

    def invite(self, role: str, name: str) -> Invited:
        """Another person for this visit (interpreter, family, …) with their own link."""
        from videocontact.visits.models import Participant
        from videocontact.visits.services import invitation_issue

        participant = Participant.objects.create(visit=self.visit, role=role, display_name=name)
        issued = invitation_issue(participant=participant, by_user=self.caseworker)
        return Invited(participant, issued.token, f"{self.base_url}/j/{issued.token}")


@pytest.fixture
def demo(live_server_url: str) -> Any:
    from videocontact.demo.data import ensure_demo

    return ensure_demo()


@pytest.fixture
def make_visit(demo: Any, live_server_url: str) -> Callable[..., VisitSetup]:
    from videocontact.visits.models import ParticipantRole
    from videocontact.visits.services import visit_create

    def make(
        resident_name: str = "Jan de Boer",
        process: str = "bijstand-aanvraag",
        caseworker: str = "medewerker",
        **kwargs: Any,
    ) -> VisitSetup:
        user = demo.users[caseworker]
        visit, issued = visit_create(
            process=demo.processes[process], caseworker=user, resident_name=resident_name, **kwargs
        )
        resident = visit.participants.get(role=ParticipantRole.RESIDENT)
        invited = Invited(resident, issued.token, f"{live_server_url}/j/{issued.token}")
        return VisitSetup(visit=visit, caseworker=user, resident=invited, base_url=live_server_url)

    return make


# coturn ----------------------------------------------------------------------------------------


@dataclass
class Turn:
    url: str
    secret: str
    port: int
    log_path: Path
    relay_ports: tuple[int, int] = TURN_RELAY_PORTS

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _wait_tcp(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"turnserver exited with {proc.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.2)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"turnserver did not listen on 127.0.0.1:{port} within {timeout}s")


@pytest.fixture
def coturn() -> Iterator[Turn]:
    """A private coturn on 127.0.0.1 with REST-API (shared secret) credentials."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.fail("turnserver is missing: install Debian's coturn (make test-deps)")
    port = free_port()
    secret = secrets.token_urlsafe(24)
    workdir = Path(tempfile.mkdtemp(prefix="e2e-coturn-"))
    log_path = workdir / "turnserver.log"
    args = [
        binary,
        "-n",
        "--listening-ip=127.0.0.1",
        "--relay-ip=127.0.0.1",
        f"--listening-port={port}",
        f"--min-port={TURN_RELAY_PORTS[0]}",
        f"--max-port={TURN_RELAY_PORTS[1]}",
        "--use-auth-secret",
        f"--static-auth-secret={secret}",
        "--realm=videocontact.test",
        "--allow-loopback-peers",
        "--no-cli",
        "--no-tls",
        "--no-dtls",
        "--fingerprint",
        "--log-file=stdout",
        "--simple-log",
        "--verbose",
        f"--pidfile={workdir / 'turnserver.pid'}",
        f"--userdb={workdir / 'turndb'}",
    ]
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(
            args, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        try:
            _wait_tcp(port, proc, timeout=15)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log_path.read_text(errors='replace')}") from None
        yield Turn(
            url=f"turn:127.0.0.1:{port}?transport=udp", secret=secret, port=port, log_path=log_path
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        tail = log_path.read_text(errors="replace").splitlines()[-30:]
        print("\n--- coturn log (last lines) ---\n" + "\n".join(tail))
        shutil.rmtree(workdir, ignore_errors=True)
