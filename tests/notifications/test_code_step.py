"""Two-channel join: after opening the link, before consent and the waiting room, the resident
enters a 6-digit code that was sent by SMS (to the local CM server). Codes are stored as an HMAC,
expire, allow a limited number of tries, and resends are throttled. The caseworker's lobby
shows who is stuck."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.notifications.fakes import CmServer
from videocontact.accounts.models import Process, User
from videocontact.jobs.services import run_due
from videocontact.notifications import services
from videocontact.notifications.models import MessagingSettings, SmsCode
from videocontact.privacy.models import AuditEvent
from videocontact.rooms.access import can_join
from videocontact.rooms.payloads import lobby_frame
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db

MOBILE = "+31612345678"


@pytest.fixture
def two_channel(process: Process) -> MessagingSettings:
    return MessagingSettings.objects.create(process=process, require_sms_code=True)


@pytest.fixture
def with_mobile(resident: Participant, caseworker: User) -> Participant:
    services.contact_save(
        participant=resident, email="", mobile=MOBILE, language="nl", by_user=caseworker
    )
    return resident


def consented(token: str, visit: Visit) -> Client:
    """A browser that opened the link: every page sends it to the code step first."""
    client = Client()
    assert client.get(f"/j/{token}").status_code == 302
    for page in ("", "consent", "check", "call", "declined"):
        assert client.get(f"/v/{visit.id}/{page}")["Location"] == f"/v/{visit.id}/code"
    response = client.post(f"/v/{visit.id}/consent", {"decision": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/v/{visit.id}/code"
    return client


def last_code(cm_server: CmServer) -> str:
    text = cm_server.texts_to(MOBILE)[-1]
    found = re.search(r"\b(\d{6})\b", text)
    assert found, text
    return found.group(1)


def test_code_from_the_sms_leads_to_the_waiting_room(
    two_channel: MessagingSettings,
    with_mobile: Participant,
    visit: Visit,
    token: str,
    cm_server: CmServer,
) -> None:
    client = consented(token, visit)
    # Consent, the check and call pages and the room socket are closed until the code is entered.
    assert with_mobile.consents.count() == 0
    assert can_join(visit_id=visit.id, user=None, session=client.session) is None

    page = client.get(f"/v/{visit.id}/code")  # the first view sends a code
    html = page.content.decode()
    assert page.status_code == 200
    assert "We hebben een sms met een code van 6 cijfers gestuurd" in html
    assert "+31 •••• 5678" in html and MOBILE not in html
    run_due(now=timezone.now())
    code = last_code(cm_server)
    sms = cm_server.texts_to(MOBILE)[-1]
    assert "/j/" not in sms  # the code travels without the link: two channels
    row = SmsCode.objects.get()
    assert row.code_hash and code not in row.code_hash and len(row.code_hash) == 64

    wrong = "000000" if code != "000000" else "111111"
    response = client.post(f"/v/{visit.id}/code", {"code": wrong})
    assert response.status_code == 400
    assert "Deze code klopt niet. U kunt het nog 4 keer proberen." in response.content.decode()

    response = client.post(f"/v/{visit.id}/code", {"code": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302 and response["Location"] == f"/v/{visit.id}/"
    assert client.get(f"/v/{visit.id}/")["Location"] == f"/v/{visit.id}/consent"
    response = client.post(f"/v/{visit.id}/consent", {"decision": "accept"})
    assert response["Location"] == f"/v/{visit.id}/check"
    assert client.get(f"/v/{visit.id}/call").status_code == 200
    identity = can_join(visit_id=visit.id, user=None, session=client.session)
    assert identity is not None and identity.participant == with_mobile

    actions = list(
        AuditEvent.objects.filter(action__startswith="sms_code.").values_list("action", "data")
    )
    assert [a for a, _ in actions] == [
        "sms_code.requested",
        "sms_code.sent",
        "sms_code.failed",
        "sms_code.verified",
    ]
    assert all(code not in str(data) for _, data in actions)

    # Another browser with the same link still needs a code of its own: the used code, or
    # any six digits, do not let it in, and it can neither consent nor decline for the resident.
    other = Client()
    other.get(f"/j/{token}")
    assert other.get(f"/v/{visit.id}/call")["Location"] == f"/v/{visit.id}/code"
    for guess in (code, "000000"):
        refused = other.post(f"/v/{visit.id}/code", {"code": guess})
        assert refused.status_code == 400
    assert other.post(f"/v/{visit.id}/consent", {"decision": "decline"})["Location"] == (
        f"/v/{visit.id}/code"
    )
    with_mobile.refresh_from_db()
    assert with_mobile.state != "declined"
    assert can_join(visit_id=visit.id, user=None, session=other.session) is None


def test_tries_are_limited_then_a_new_code_is_needed(
    two_channel: MessagingSettings,
    with_mobile: Participant,
    visit: Visit,
    token: str,
    cm_server: CmServer,
    settings: Any,
) -> None:
    settings.SMS_CODE_RESEND_SECONDS = 0
    client = consented(token, visit)
    client.get(f"/v/{visit.id}/code")
    run_due(now=timezone.now())
    code = last_code(cm_server)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS):
        client.post(f"/v/{visit.id}/code", {"code": wrong})
    locked = client.post(f"/v/{visit.id}/code", {"code": code})  # even the right one
    assert locked.status_code == 400
    assert "te vaak een foute code" in locked.content.decode()
    frame = lobby_frame(visit.id)
    (entry,) = [p for p in frame["participants"] if p["role"] == "resident"]
    assert entry["code"] == {"state": "locked", "attempts": 5, "maxAttempts": 5}

    assert client.post(f"/v/{visit.id}/code", {"action": "resend"}).status_code == 200
    run_due(now=timezone.now())
    new_code = last_code(cm_server)
    ok = client.post(f"/v/{visit.id}/code", {"code": new_code})
    assert ok.status_code == 302
    assert lobby_frame(visit.id)["participants"][0]["code"]["state"] == "verified"


def test_codes_expire_and_resends_are_throttled(
    two_channel: MessagingSettings, with_mobile: Participant, cm_server: CmServer
) -> None:
    now = timezone.now()
    services.code_request(participant=with_mobile, now=now)
    with pytest.raises(services.CodeThrottled) as throttled:
        services.code_request(participant=with_mobile, now=now + timedelta(seconds=10))
    assert 0 < throttled.value.wait_seconds <= settings.SMS_CODE_RESEND_SECONDS
    run_due(now=now)
    code = last_code(cm_server)
    late = timezone.now() + timedelta(minutes=settings.SMS_CODE_TTL_MINUTES, seconds=5)
    result = services.code_verify(participant=with_mobile, code=code, now=late)
    assert (result.ok, result.reason) == (False, "expired")
    assert lobby_frame(with_mobile.visit_id)["participants"][0]["code"]["state"] == "waiting"

    # At most SMS_CODE_MAX_PER_HOUR codes an hour.
    moment = now
    for _ in range(settings.SMS_CODE_MAX_PER_HOUR - 1):
        moment += timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS + 1)
        services.code_request(participant=with_mobile, now=moment)
    with pytest.raises(services.CodeThrottled):
        services.code_request(
            participant=with_mobile,
            now=moment + timedelta(seconds=settings.SMS_CODE_RESEND_SECONDS + 1),
        )


def test_throttled_resend_tells_how_long_to_wait(
    two_channel: MessagingSettings, with_mobile: Participant, visit: Visit, token: str
) -> None:
    client = consented(token, visit)
    client.get(f"/v/{visit.id}/code")
    response = client.post(f"/v/{visit.id}/code", {"action": "resend"})
    assert response.status_code == 429
    assert re.search(
        r"Wacht \d+ seconden? voordat u een nieuwe code vraagt", response.content.decode()
    )


def test_bad_input_gets_a_clear_error(
    two_channel: MessagingSettings, with_mobile: Participant, visit: Visit, token: str
) -> None:
    client = consented(token, visit)
    client.get(f"/v/{visit.id}/code")
    for bad in ("", "12345", "abcdef", "1" * 40):
        response = client.post(f"/v/{visit.id}/code", {"code": bad})
        assert response.status_code == 400
        assert "Typ de 6 cijfers uit de sms." in response.content.decode()
    assert SmsCode.objects.get().attempts == 0  # bad format costs no try


def test_no_mobile_number_says_whom_to_call(
    two_channel: MessagingSettings, visit: Visit, token: str
) -> None:
    client = consented(token, visit)
    html = client.get(f"/v/{visit.id}/code").content.decode()
    assert "Wij hebben uw mobiele nummer niet." in html
    assert "Bel 14 010." in html


def test_without_the_setting_there_is_no_code_step(
    with_mobile: Participant, visit: Visit, token: str
) -> None:
    client = Client()
    client.get(f"/j/{token}")
    response = client.post(f"/v/{visit.id}/consent", {"decision": "accept"})
    assert response["Location"] == f"/v/{visit.id}/check"
    assert client.get(f"/v/{visit.id}/code")["Location"] == f"/v/{visit.id}/"
    assert "code" not in lobby_frame(visit.id)["participants"][0]


def test_a_guest_without_mobile_joins_with_the_link_alone(
    two_channel: MessagingSettings, visit: Visit
) -> None:
    from videocontact.notifications.selectors import code_required

    guest = factories.make_participant(visit=visit, role="interpreter")
    assert not code_required(guest)
    services.contact_save(participant=guest, email="", mobile=MOBILE, language="nl", by_user=None)
    assert code_required(guest)


def test_the_code_page_speaks_the_residents_language(
    two_channel: MessagingSettings, with_mobile: Participant, visit: Visit, token: str
) -> None:
    client = consented(token, visit)
    client.cookies["vc_language"] = "ar"
    html = client.get(f"/v/{visit.id}/code").content.decode()
    assert 'dir="rtl"' in html and "أدخل الرمز" in html


def test_only_the_newest_code_works(
    two_channel: MessagingSettings, with_mobile: Participant, cm_server: CmServer, settings: Any
) -> None:
    settings.SMS_CODE_RESEND_SECONDS = 0
    services.code_request(participant=with_mobile)
    run_due(now=timezone.now())
    first = last_code(cm_server)
    services.code_request(participant=with_mobile)
    run_due(now=timezone.now())
    second = last_code(cm_server)
    if first != second:
        assert not services.code_verify(participant=with_mobile, code=first).ok
    assert services.code_verify(participant=with_mobile, code=second).ok


def test_the_lobby_hears_when_a_code_runs_out(
    two_channel: MessagingSettings,
    with_mobile: Participant,
    cm_server: CmServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.helpers import GroupListener
    from videocontact.rooms import events

    visit_id = with_mobile.visit_id
    services.code_request(participant=with_mobile)
    run_due(now=timezone.now())
    listener = GroupListener(events.staff_group(visit_id))
    row = SmsCode.objects.get()
    assert row.expires_at is not None
    SmsCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(now=row.expires_at + timedelta(seconds=2)) == 1
    (message,) = listener.receive(1)
    (entry,) = [p for p in message["frame"]["participants"] if p["role"] == "resident"]
    assert entry["code"]["state"] == "expired"
