"""What the security review found: removed guests get nothing more, a late 'failed' report does
not revoke a delivered link, provider texts lose phone numbers, admin texts stay plain."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests import factories
from tests.notifications.fakes import CmServer
from videocontact.accounts.models import User
from videocontact.jobs.services import run_due
from videocontact.notifications import selectors, services
from videocontact.notifications.models import Message, MessageState
from videocontact.notifications.placeholders import validate_text
from videocontact.notifications.sms import mask_digits
from videocontact.notifications.texts import _fill
from videocontact.visits.models import ParticipantRole, Visit
from videocontact.visits.services import guest_add, guest_remove

pytestmark = pytest.mark.django_db


def test_a_removed_guest_gets_no_more_messages(
    visit: Visit, caseworker: User, cm_server: CmServer
) -> None:
    guest, _issued = guest_add(
        visit=visit, by_user=caseworker, role=ParticipantRole.FAMILY, display_name="Oom"
    )
    services.contact_save(
        participant=guest, email="", mobile="+31687654321", language="nl", by_user=caseworker
    )
    (message,) = services.invitation_send(participant=guest, channels=["sms"], by_user=caseworker)
    guest_remove(participant=guest, by_user=caseworker)
    run_due(now=timezone.now())
    message.refresh_from_db()
    assert message.state != MessageState.SENT
    assert cm_server.texts_to("+31687654321") == []
    assert guest not in selectors.notifiable_participants(visit)


def test_a_late_failed_report_leaves_a_delivered_link_working(
    visit: Visit, caseworker: User, cm_server: CmServer
) -> None:
    resident = factories.resident_of(visit)
    services.contact_save(
        participant=resident, email="", mobile="+31612345678", language="nl", by_user=caseworker
    )
    (message,) = services.invitation_send(
        participant=resident, channels=["sms"], by_user=caseworker
    )
    run_due(now=timezone.now())
    message.refresh_from_db()
    services.delivery_report(reference=message.provider_reference, status_code="2")
    services.delivery_report(reference=message.provider_reference, status_code="3", reason="x")
    message = Message.objects.get(pk=message.pk)
    assert message.state == MessageState.DELIVERED
    assert message.invitation is not None and message.invitation.revoked_at is None


def test_provider_error_texts_lose_phone_numbers() -> None:
    assert mask_digits("Invalid recipient +31612345678 (code 301)") == (
        "Invalid recipient ••• (code 301)"
    )
    assert mask_digits("error 102") == "error 102"


def test_admin_texts_take_plain_placeholders_only() -> None:
    assert validate_text("Uw link: {link:>999999999}", kind="invitation", required=False)
    assert validate_text("Uw link: {link!r}", kind="invitation", required=False)
    # Should such a text reach the sender anyway, the spec is not applied.
    assert _fill("a {link:>99999999} b", {"link": "L"}) == "a L b"
