"""An invitation token never leaves the first request: not in a log line, not in a page's
address (so not in a Referer), and resident pages send no Referer at all."""

from __future__ import annotations

import logging
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories
from videocontact.accounts.models import Process, User
from videocontact.core.logredact import RedactTokens
from videocontact.visits import services
from videocontact.visits.models import Invitation, Participant, Visit


def _expire(token: str) -> None:
    Invitation.objects.update(
        valid_from=timezone.now() - timedelta(hours=5),
        valid_until=timezone.now() - timedelta(minutes=1),
    )


PROBLEMS = ["unknown", "revoked", "expired", "closed", "not_yet_valid"]


@pytest.fixture
def problem_token(
    request: pytest.FixtureRequest,
    visit: Visit,
    token: str,
    resident: Participant,
    caseworker: User,
    process: Process,
) -> tuple[str, str]:
    reason = request.param
    if reason == "unknown":
        return reason, "Z" * 32
    if reason == "revoked":
        services.invitation_revoke(invitation=resident.invitations.get(), by_user=caseworker)
    elif reason == "expired":
        _expire(token)
    elif reason == "closed":
        services.visit_end(visit=visit, by_user=caseworker)
    else:
        _, issued = factories.make_visit(
            process=process, caseworker=caseworker, scheduled_at=timezone.now() + timedelta(days=2)
        )
        return reason, issued.token
    return reason, token


@pytest.mark.django_db
@pytest.mark.parametrize("problem_token", PROBLEMS, indirect=True)
def test_a_link_problem_page_is_served_after_a_redirect_away_from_the_token(
    problem_token: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    reason, token = problem_token
    client = Client()
    caplog.set_level(logging.INFO)

    first = client.get(f"/j/{token}")
    assert first.status_code == 302
    assert token not in first["Location"]
    assert first["Referrer-Policy"] == "no-referrer"

    page = client.get(first["Location"])
    assert page.context["reason"] == reason
    assert page["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    assert token not in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert token not in caplog.text  # Django's "Gone: ..." / "Not Found: ..." warnings


@pytest.mark.django_db
def test_resident_pages_send_no_referrer_and_staff_pages_stay_same_origin(
    visit: Visit, token: str, caseworker: User
) -> None:
    resident = Client()
    resident.get(f"/j/{token}")
    consent = resident.get(f"/v/{visit.id}/consent")
    assert consent["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in consent.content.decode()

    staff = Client()
    staff.force_login(caseworker)
    call = staff.get(f"/staff/visits/{visit.id}/call")
    assert '<meta name="referrer" content="same-origin">' in call.content.decode()


@pytest.mark.django_db
def test_a_form_posted_under_no_referrer_passes_the_csrf_check(visit: Visit, token: str) -> None:
    """Browsers send `Origin: null` with a form posted from a no-referrer page."""
    resident = Client(enforce_csrf_checks=True)
    resident.get(f"/j/{token}")
    page = resident.get(f"/v/{visit.id}/consent")
    csrf = page.context["csrf_token"]
    browser = {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"}
    accepted = resident.post(
        f"/v/{visit.id}/consent", {"decision": "accept", "csrfmiddlewaretoken": csrf}, **browser
    )
    assert accepted.status_code == 302

    forged = Client(enforce_csrf_checks=True)
    forged.get(f"/j/{token}")
    cross_site = {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"}
    assert (
        forged.post(f"/v/{visit.id}/consent", {"decision": "accept"}, **cross_site).status_code
        == 403
    )


def test_the_filter_redacts_tokens_in_messages_and_arguments() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Gone", "/j/abcDEF_-123"), None
    )
    RedactTokens().filter(record)
    assert record.getMessage() == "Gone: /j/[redacted]"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /j/abc?x=1 200", None, None)
    RedactTokens().filter(record)
    assert record.getMessage() == "GET /j/[redacted]?x=1 200"


# The uvicorn access log, from a real uvicorn serving the application --------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def uvicorn_url(transactional_db: None) -> Iterator[str]:
    import uvicorn

    from videocontact.asgi import application

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        app=application, host="127.0.0.1", port=port, lifespan="off", log_level="info"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_the_uvicorn_access_log_has_no_token(uvicorn_url: str, visit: Visit, token: str) -> None:
    collect = _Collect()
    access = logging.getLogger("uvicorn.access")
    access.addHandler(collect)
    try:
        opener = urllib.request.build_opener(_NoRedirect)
        for path in (f"/j/{token}", "/j/" + "Q" * 30):
            try:
                opener.open(uvicorn_url + path, timeout=10)
            except urllib.error.HTTPError as exc:
                assert exc.code == 302
        deadline = time.monotonic() + 5
        while len(collect.lines) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        access.removeHandler(collect)
    assert len(collect.lines) == 2, collect.lines
    assert all("/j/[redacted]" in line for line in collect.lines), collect.lines
    assert not any(token in line or "Q" * 30 in line for line in collect.lines)
