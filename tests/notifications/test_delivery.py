"""Delivery: failures are retried with backoff and never silently lost; the last failure is
visible on the visit page with "send again"; a lost message's link stops working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.notifications.fakes import CmServer, SmtpServer
from videocontact.accounts.models import User
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import run_due
from videocontact.notifications import services
from videocontact.notifications.models import Message, MessageKind, MessageState
from videocontact.visits.models import Invitation, Visit

pytestmark = pytest.mark.django_db

MOBILE = "+31612345678"


def invite(
    visit: Visit, caseworker: User, *, email: str = "", mobile: str = "", guest: bool = False
) -> Message:
    resident = factories.make_participant(visit=visit) if guest else factories.resident_of(visit)
    services.contact_save(
        participant=resident, email=email, mobile=mobile, language="nl", by_user=caseworker
    )
    (message,) = services.invitation_send(
        participant=resident, channels=["email" if email else "sms"], by_user=caseworker
    )
    return message


def test_sms_provider_down_is_retried_with_backoff_then_sent(
    visit: Visit, caseworker: User, cm_server: CmServer
) -> None:
    message = invite(visit, caseworker, mobile=MOBILE)
    cm_server.fail_next = [("http", 503), ("drop", 0)]
    now = timezone.now()
    run_due(now=now)
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and "CM HTTP 503" in message.last_error
    job = Job.objects.get(dedupe_key=f"{services.JOB_KIND}:{message.pk}")
    base = settings.NOTIFY_RETRY_BASE_SECONDS
    assert job.run_at == now + timedelta(seconds=base)
    assert run_due(now=now + timedelta(seconds=base - 1)) == 0  # waits for the backoff
    run_due(now=now + timedelta(seconds=base))
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and "not reachable" in message.last_error
    job.refresh_from_db()
    assert job.run_at == now + timedelta(seconds=base) + timedelta(seconds=2 * base)
    run_due(now=job.run_at)
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.attempts == 3
    assert message.last_error == ""
    assert len(cm_server.texts_to(MOBILE)) == 1
    # Each try made its own link; the links of the failed tries were revoked.
    invitations = Invitation.objects.filter(participant__visit=visit).order_by("pk")
    sent_link = message.invitation
    assert sent_link is not None and sent_link.revoked_at is None
    assert sum(1 for i in invitations if i.revoked_at is not None) == 2


def test_after_the_last_attempt_the_message_is_failed_and_visible(
    visit: Visit, caseworker: User, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.NOTIFY_MAX_ATTEMPTS = 3
    message = invite(visit, caseworker, email="amina@example.nl")
    smtp_server.stop()  # the mail server is down
    moment = timezone.now()
    for _ in range(3):
        run_due(now=moment)
        moment += timedelta(hours=2)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and message.attempts == 3
    assert "mail server" in message.last_error
    job = Job.objects.get(dedupe_key=f"{services.JOB_KIND}:{message.pk}")
    assert job.state == JobState.FAILED
    assert message.invitation is not None
    message.invitation.refresh_from_db()
    assert message.invitation.revoked_at is not None  # the lost link does not work

    client = Client()
    client.force_login(caseworker)
    page = client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert f'data-message-id="{message.pk}" data-state="failed"' in page
    assert "Opnieuw sturen" in page

    # The server is back: "send again" makes a new message that arrives.
    server = SmtpServer()
    server.start()
    try:
        settings.EMAIL_PORT = server.port
        response = client.post(f"/staff/visits/{visit.id}/messages/{message.pk}/resend")
        assert response.status_code == 302
        run_due(now=timezone.now())
        assert len(server.mails_to("amina@example.nl")) == 1
    finally:
        server.stop()
    again = Message.objects.exclude(pk=message.pk).get(kind=MessageKind.INVITATION)
    assert again.state == MessageState.SENT


def test_refusals_fail_at_once_without_retrying(
    visit: Visit, caseworker: User, cm_server: CmServer, smtp_server: SmtpServer
) -> None:
    cm_server.product_token = "another-token"  # our token is wrong: CM answers 101
    sms = invite(visit, caseworker, mobile=MOBILE)
    smtp_server.handler.refuse.add("nobody@example.nl")
    email = invite(visit, caseworker, email="nobody@example.nl", guest=True)
    run_due(now=timezone.now())
    sms.refresh_from_db()
    email.refresh_from_db()
    assert sms.state == MessageState.FAILED and sms.attempts == 1
    assert sms.last_error.startswith("CM error 101")
    assert email.state == MessageState.FAILED and "refused the address" in email.last_error
    assert cm_server.rejected == ["Authentication of the request failed"]


def test_sms_without_a_provider_fails_visibly(visit: Visit, caseworker: User) -> None:
    message = invite(visit, caseworker, mobile=MOBILE)
    run_due(now=timezone.now())
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.last_error == "SMS is not configured (SMS_BACKEND)"


def test_the_cm_request_has_the_documented_shape(
    visit: Visit, caseworker: User, cm_server: CmServer
) -> None:
    message = invite(visit, caseworker, mobile=MOBILE)
    run_due(now=timezone.now())
    (sent,) = cm_server.received
    assert sent["from"] == "Voorbeeld"
    assert sent["to"] == [{"number": "0031612345678"}]
    assert sent["body"]["type"] == "auto"
    assert sent["allowedChannels"] == ["SMS"]
    assert sent["reference"] == f"vc{message.pk}x1"
    assert cm_server.rejected == []


def report(client: Client, secret: str, body: Any) -> Any:
    import json

    return client.post(
        f"/hooks/cm/status/{secret}",
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )


def test_cm_status_reports_mark_delivered_or_failed(
    visit: Visit, caseworker: User, cm_server: CmServer, settings: Any
) -> None:
    settings.CM_STATUS_REPORT_SECRET = "s3cret-" + "x" * 30
    message = invite(visit, caseworker, mobile=MOBILE)
    run_due(now=timezone.now())
    message.refresh_from_db()
    client = Client(enforce_csrf_checks=True)

    def cm_report(code: str, reason: str = "") -> dict[str, Any]:
        # The JSON shape CM posts (developers.cm.com, "Incoming Status Reports").
        return {
            "messages": {
                "msg": {
                    "received": "2026-12-01T10:00:00",
                    "to": "0031612345678",
                    "reference": message.provider_reference,
                    "status": {"code": code, "errorCode": "", "errorDescription": reason},
                    "operator": "20408",
                }
            }
        }

    assert report(client, "wrong", cm_report("2")).status_code == 404
    assert report(client, settings.CM_STATUS_REPORT_SECRET, "{not json").status_code == 400
    assert report(client, settings.CM_STATUS_REPORT_SECRET, {"messages": 1}).status_code == 400
    ok = report(client, settings.CM_STATUS_REPORT_SECRET, cm_report("2"))
    assert ok.status_code == 200 and ok.json() == {"received": 1, "known": 1}
    message.refresh_from_db()
    assert message.state == MessageState.DELIVERED

    failed = invite(visit, caseworker, mobile="+31687654321")
    run_due(now=timezone.now())
    failed.refresh_from_db()
    body = cm_report("3", "Absent subscriber")
    body["messages"]["msg"]["reference"] = failed.provider_reference
    assert report(client, settings.CM_STATUS_REPORT_SECRET, body).status_code == 200
    failed.refresh_from_db()
    assert failed.state == MessageState.FAILED
    assert failed.last_error == "not delivered: Absent subscriber"
    assert failed.invitation is not None and failed.invitation.revoked_at is not None
    # Unknown references are accepted (CM would retry for days) but change nothing.
    unknown = cm_report("2")
    unknown["messages"]["msg"]["reference"] = "vc999x1"
    assert report(client, settings.CM_STATUS_REPORT_SECRET, unknown).json()["known"] == 0


def test_status_reports_are_off_without_a_secret(client: Client) -> None:
    assert report(client, "anything", {"messages": {"msg": []}}).status_code == 404
