"""State changes reach the client's webhook, signed in the Standard Webhooks format; failed
deliveries are retried by the jobs app and logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import Caller, plan_body
from videocontact.accounts.models import Process, User
from videocontact.api.clients import webhook_save
from videocontact.api.models import WebhookDelivery, WebhookEndpoint
from videocontact.api.webhooks import verify
from videocontact.jobs.services import run_due
from videocontact.visits import services as visits

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Receiver:
    url: str
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            box.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(box.status)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()


def _endpoint(caller: Caller, url: str) -> str:
    endpoint = WebhookEndpoint(client=caller.client, url=url)
    secret = webhook_save(endpoint=endpoint, new_secret=True, by_user=None)
    assert secret is not None and secret.startswith("whsec_")
    return secret


def _run_jobs(minutes: int = 0) -> None:
    run_due(now=timezone.now() + timedelta(minutes=minutes, seconds=5))


def test_state_changes_are_signed_standard_webhooks(
    caller: Caller, process: Process, caseworker: User, receiver: Receiver
) -> None:
    secret = _endpoint(caller, receiver.url)
    visit_id = caller.post("/api/v1/visits", plan_body(process.id)).json()["visit"]["id"]
    caller.post(f"/api/v1/visits/{visit_id}/cancel")
    _run_jobs()
    assert len(receiver.received) == 2
    states = []
    for headers, body in receiver.received:
        # The Standard Webhooks recipe, computed here independently of the app's own code.
        key = base64.b64decode(secret.removeprefix("whsec_"))
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert headers["webhook-signature"] == f"v1,{expected}"
        assert verify(secret, headers, body)
        assert not verify(secret, headers, body + b" ")
        event = json.loads(body)
        assert event["type"] == "visit.state_changed"
        assert event["data"]["visit"] == visit_id
        states.append((event["data"]["previous_state"], event["data"]["state"]))
    assert states == [(None, "planned"), ("planned", "cancelled")]
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_failing_receiver_is_retried_then_logged_as_failed(
    caller: Caller, process: Process, caseworker: User, receiver: Receiver, settings: Any
) -> None:
    settings.API_WEBHOOK_MAX_ATTEMPTS = 3
    settings.API_WEBHOOK_RETRY_BASE_SECONDS = 1
    _endpoint(caller, receiver.url)
    receiver.status = 503
    visits.visit_create(process=process, caseworker=caseworker, resident_name="Amina")
    _run_jobs()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("retrying", 1, 503)
    _run_jobs(minutes=1)
    _run_jobs(minutes=2)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    assert len(receiver.received) == 3
    # The same webhook-id on every attempt: receivers deduplicate on it.
    assert len({h["webhook-id"] for h, _ in receiver.received}) == 1


def test_units_not_served_get_no_webhook(
    make_caller: Any, process: Process, caseworker: User, receiver: Receiver
) -> None:
    from tests import factories

    elsewhere = make_caller(units=[factories.make_unit(organisation=process.unit.organisation)])
    _endpoint(elsewhere, receiver.url)
    visits.visit_create(process=process, caseworker=caseworker, resident_name="Amina")
    _run_jobs()
    assert receiver.received == []
