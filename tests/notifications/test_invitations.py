"""Invitations end to end: the caseworker plans a visit with contact details, the job sends an
e-mail to a real SMTP server on loopback and an SMS to a local CM.com API server; the test reads
the link from what arrived and opens it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers import db_columns_containing
from tests.notifications.fakes import CmServer, SmtpServer
from videocontact.accounts.models import Process, User
from videocontact.jobs.services import run_due
from videocontact.notifications.models import Contact, Message, MessageKind, MessageState
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import ParticipantRole, Visit

pytestmark = pytest.mark.django_db

MOBILE = "+31612345678"


def plan_visit(client: Client, process: Process, when: Any, **extra: str) -> Visit:
    local = timezone.localtime(when)
    response = client.post(
        "/staff/visits/new",
        {
            "process": process.pk,
            "resident_name": "Amina Haddad",
            "resident_language": "nl",
            "when": "planned",
            "scheduled_at": local.strftime("%Y-%m-%dT%H:%M"),
            "case_reference": "Z-2026-0042",
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Visit.objects.get()


@pytest.fixture
def staff_client(caseworker: User) -> Client:
    client = Client()
    client.force_login(caseworker)
    return client


def test_invitation_by_email_and_sms_reaches_the_consent_page(
    staff_client: Client, process: Process, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    # Soon enough that the link already works (it opens 30 minutes before).
    when = (timezone.now() + timedelta(minutes=20)).replace(second=0, microsecond=0)
    visit = plan_visit(staff_client, process, when, email="Amina@Example.NL", mobile="06 1234 5678")
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    contact = Contact.objects.get(participant=resident)
    assert (contact.email, contact.mobile) == ("amina@example.nl", MOBILE)

    assert run_due() >= 2  # the two invitations; the reminders wait for their time
    mails = smtp_server.mails_to("amina@example.nl")
    assert len(mails) == 1
    mail = mails[0]
    assert mail.message["Subject"] == f"Uitnodiging: videogesprek met {visit.organisation.name}"

    # Plain text and HTML say the same, with the link and what will happen; no personal data.
    text, html = mail.text(), mail.html()
    link = mail.link()
    assert link in html and f'href="{link}"' in html
    assert "Wat gaat er gebeuren?" in text
    for secret in ("Amina", "Haddad", "Z-2026-0042", process.name):
        assert secret not in text and secret not in html and secret not in mail.ics()

    # The calendar file: METHOD:REQUEST, a stable UID, the planned time.
    calendar = icalendar.Calendar.from_ical(mail.ics())
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"visit-{visit.id}@videocontact.local"
    assert event.decoded("DTSTART") == when
    assert int(event["SEQUENCE"]) == 0
    assert "mailto:amina@example.nl" in str(event["ATTENDEE"])

    # The SMS went to CM in the shape CM expects, with a link of its own.
    (sms_text,) = cm_server.texts_to(MOBILE)
    sms_link = re.search(r"http://testserver/j/\S+", sms_text)
    assert sms_link and sms_link.group(0) != link
    assert "Amina" not in sms_text
    sms = Message.objects.get(channel="sms", kind=MessageKind.INVITATION)
    assert sms.state == MessageState.SENT and sms.provider_reference == f"vc{sms.pk}x1"
    assert sms.recipient_masked == "+31 •••• 5678"

    email_row = Message.objects.get(channel="email", kind=MessageKind.INVITATION)
    assert email_row.provider_reference == mail.message["Message-ID"]
    assert email_row.provider_reference.endswith("@videocontact.local>")

    # Opening the link from the mail leads to the consent page (the resident's way in).
    resident_browser = Client()
    path = urlsplit(link).path
    response = resident_browser.get(path)
    assert response.status_code == 302
    response = resident_browser.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/v/{visit.id}/consent")
    assert "Hallo Amina Haddad" in response.content.decode()
    # The SMS link works as well, in another browser.
    other = Client()
    assert other.get(urlsplit(sms_link.group(0)).path).status_code == 302

    # No token in the database, in any column; the audit trail knows what happened.
    for token in (path.rsplit("/", 1)[1], urlsplit(sms_link.group(0)).path.rsplit("/", 1)[1]):
        assert db_columns_containing(token) == []
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"contact.updated", "invitation.send_requested", "message.sent"} <= actions


def test_staff_page_shows_delivery_status_and_the_contact_form(
    staff_client: Client, process: Process, smtp_server: SmtpServer
) -> None:
    when = timezone.now() + timedelta(days=1, hours=2)
    visit = plan_visit(staff_client, process, when, email="a@example.nl")
    run_due()
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert "Berichten aan deelnemers" in page
    assert 'data-state="sent"' in page
    assert "a•••@example.nl" in page
    # Reminders are planned (24 h and 15 min before) and shown as waiting.
    assert Message.objects.filter(kind=MessageKind.REMINDER, state=MessageState.QUEUED).count() == 2


def test_bad_mobile_number_is_refused_with_a_clear_error(
    staff_client: Client, process: Process
) -> None:
    response = staff_client.post(
        "/staff/visits/new",
        {
            "process": process.pk,
            "resident_name": "Amina Haddad",
            "resident_language": "nl",
            "when": "now",
            "mobile": "020 123 4567",
        },
    )
    assert response.status_code == 200
    assert "Dit is geen mobiel nummer." in response.content.decode()
    assert not Visit.objects.exists()
    response = staff_client.post(
        "/staff/visits/new",
        {
            "process": process.pk,
            "resident_name": "Amina Haddad",
            "resident_language": "nl",
            "when": "now",
            "mobile": "+1 202 555 0101",
        },
    )
    assert "Nederland of een ander EU-land" in response.content.decode()


def test_caseworker_edits_contact_and_sends_again_by_sms(
    staff_client: Client, visit: Visit, cm_server: CmServer, outsider: User
) -> None:
    resident = visit.participants.get(role=ParticipantRole.RESIDENT)
    url = f"/staff/visits/{visit.id}/participants/{resident.id}/contact"
    bad = staff_client.post(url, {"contact-mobile": "12", "contact-language": "nl"})
    assert bad.status_code == 302
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert 'aria-invalid="true"' in page and 'value="12"' in page
    assert not Contact.objects.exists()

    ok = staff_client.post(url, {"contact-mobile": "0612345678", "contact-language": "en"})
    assert ok.status_code == 302
    send = f"/staff/visits/{visit.id}/participants/{resident.id}/send"
    assert staff_client.post(send, {"channel": "sms"}).status_code == 302
    run_due()
    (text,) = cm_server.texts_to(MOBILE)
    assert text.startswith(f"{visit.organisation.name} invites you to a video call")

    # Somebody from another municipality can do none of this.
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.post(url, {"contact-mobile": "0687654321"}).status_code == 404
    assert stranger.post(send, {"channel": "sms"}).status_code == 404
    assert Contact.objects.get().mobile == MOBILE


def test_caseworker_moves_and_cancels_a_visit_from_the_visit_page(
    staff_client: Client, process: Process, caseworker: User, outsider: User
) -> None:
    from tests import factories

    when = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=when)
    move = f"/staff/visits/{visit.id}/reschedule"
    cancel = f"/staff/visits/{visit.id}/cancel"

    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.post(move, {"move-scheduled_at": "2030-01-01T10:00"}).status_code == 404
    assert stranger.post(cancel, {"confirm": "yes"}).status_code == 404

    # A moment in the past or nonsense: the error is shown next to the field, nothing changes.
    for bad in ("2020-01-01T10:00", "morgen", ""):
        assert staff_client.post(move, {"move-scheduled_at": bad}).status_code == 302
        page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
        assert 'id="id_move-scheduled_at-error"' in page
        visit.refresh_from_db()
        assert visit.scheduled_at == when

    new = timezone.localtime(when + timedelta(days=1))
    assert (
        staff_client.post(move, {"move-scheduled_at": new.strftime("%Y-%m-%dT%H:%M")}).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.scheduled_at == new
    assert AuditEvent.objects.filter(action="visit.rescheduled").count() == 1

    # Cancelling needs the confirmation box.
    staff_client.post(cancel, {})
    visit.refresh_from_db()
    assert visit.is_open
    staff_client.post(cancel, {"confirm": "yes"})
    visit.refresh_from_db()
    assert visit.status == "cancelled"
    page = staff_client.get(f"/staff/visits/{visit.id}/").content.decode()
    assert "De afspraak is afgezegd." in page
    assert "Afspraak verzetten" not in page  # a cancelled visit cannot be moved
