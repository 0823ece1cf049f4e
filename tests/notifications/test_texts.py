"""Texts per process and language (defaults in Dutch B1, administrators' own texts with checked
placeholders), phone numbers, the calendar file, and the link window pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.notifications.fakes import SmtpServer
from videocontact.accounts.models import Process, User
from videocontact.jobs.services import run_due
from videocontact.notifications import ics, placeholders, services, texts
from videocontact.notifications.models import MessageKind, MessageText
from videocontact.notifications.phone import mask_email, mask_mobile, normalise_mobile
from videocontact.visits import services as visits
from videocontact.visits.models import Invitation, Visit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("06 12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("+49 151 12345678", "+4915112345678"),
        ("+32 470 12 34 56", "+32470123456"),
    ],
)
def test_mobile_numbers_are_stored_as_e164(raw: str, e164: str) -> None:
    assert normalise_mobile(raw) == e164


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("020 123 4567", "not_mobile"),  # a landline
        ("+1 202 555 0101", "region"),  # outside the EU/EEA
        ("06 123", "invalid"),
        ("bel me maar", "invalid"),
    ],
)
def test_other_numbers_are_refused(raw: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        normalise_mobile(raw)
    assert refused.value.code == code


def test_masking() -> None:
    assert mask_mobile("+31612345678") == "+31 •••• 5678"
    assert mask_email("jan.jansen@example.nl") == "j•••@example.nl"


def test_placeholders_are_checked_when_an_administrator_saves(process: Process) -> None:
    text = MessageText(
        process=process,
        kind=MessageKind.INVITATION,
        channel="sms",
        language="nl",
        body="Kom naar {adres} om {time}",
    )
    with pytest.raises(ValidationError) as refused:
        text.full_clean()
    errors = refused.value.message_dict["body"]
    assert any("{adres}" in e for e in errors)
    assert any("{link}" in e for e in errors)  # an invitation needs its link

    broken = MessageText(
        process=process,
        kind=MessageKind.REMINDER,
        channel="email",
        language="nl",
        subject="",
        body="Open {link",
    )
    with pytest.raises(ValidationError) as refused:
        broken.full_clean()
    assert set(refused.value.message_dict) == {"body", "subject"}

    leaky = MessageText(
        process=process,
        kind=MessageKind.CODE,
        channel="sms",
        language="nl",
        body="Code {code}, link {link}",
    )
    with pytest.raises(ValidationError):
        leaky.full_clean()  # the code never travels with the link

    good = MessageText(
        process=process,
        kind=MessageKind.INVITATION,
        channel="sms",
        language="nl",
        body="Videobellen met {organisation} om {time}: {link}",
    )
    good.full_clean()


def test_an_administrators_text_replaces_the_default(
    process: Process, caseworker: User, smtp_server: SmtpServer
) -> None:
    MessageText.objects.create(
        process=process,
        kind=MessageKind.INVITATION,
        channel="email",
        language="nl",
        subject="Gesprek over {process}",
        body="Klik op {link} om {time}.\n\nGroet, {organisation}",
    )
    when = timezone.now() + timedelta(days=1)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=when)
    resident = factories.resident_of(visit)
    services.contact_save(
        participant=resident, email="a@example.nl", mobile="", language="nl", by_user=caseworker
    )
    services.invitation_send(participant=resident, channels=["email"], by_user=caseworker)
    run_due(now=timezone.now())
    (mail,) = smtp_server.inbox
    assert mail.message["Subject"] == f"Gesprek over {process.name}"
    assert mail.text().startswith("Klik op http://testserver/j/")
    assert services.format_time(when, "nl") in mail.text()


@pytest.mark.parametrize("language", ["nl", "en", "ar", "tr", "pl", "uk"])
def test_every_default_is_complete_in_every_language(language: str, process: Process) -> None:
    for (kind, channel), now in [(key, False) for key in texts.DEFAULTS] + [
        (key, True) for key in texts.NOW_DEFAULTS
    ]:
        subject, body = texts.template_for(process, kind, channel, language, now=now)
        source = (texts.NOW_DEFAULTS if now else texts.DEFAULTS)[(kind, channel)][1]
        assert language == "en" or body != source, ("not translated", kind, channel, now)
        assert placeholders.validate_text(body, kind=kind, required=True) == [], (kind, channel)
        if channel == "email":
            assert subject and placeholders.validate_text(subject, kind=kind, required=False) == []


def test_time_is_written_in_the_residents_language() -> None:
    moment = timezone.make_aware(timezone.datetime(2026, 12, 3, 14, 30))
    assert services.format_time(moment, "nl") == "donderdag 3 december 2026, 14:30"
    assert services.format_time(moment, "en") == "Thursday 3 December 2026, 14:30"


def test_the_calendar_file_folds_and_escapes(process: Process, caseworker: User) -> None:
    when = timezone.now() + timedelta(days=1)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=when)
    description = "Regel één; met komma, puntkomma; en \\ backslash.\n" + "lang " * 40
    raw = ics.build_ics(
        visit=visit,
        sequence=3,
        cancel=False,
        summary="Videogesprek, gemeente; test",
        description=description,
        attendee_email="a@example.nl",
    )
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 3.1: 75 octets
    assert b"SUMMARY:Videogesprek\\, gemeente\\; test" in raw
    event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]) == description
    assert int(event["SEQUENCE"]) == 3


# The link window ---------------------------------------------------------------------------------


def test_too_early_says_when_it_opens_in_the_residents_language(
    process: Process, caseworker: User
) -> None:
    when = timezone.make_aware(timezone.datetime(2027, 3, 4, 10, 0))
    _visit, issued = factories.make_visit(
        process=process, caseworker=caseworker, scheduled_at=when, resident_language="en"
    )
    response = Client().get(f"/j/{issued.token}", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You can use this link from Thursday 4 March 2027, 09:30" in html
    assert "The video call starts on Thursday 4 March 2027, 10:00." in html
    assert 'lang="en"' in html


def test_dates_use_the_month_form_of_a_date_in_polish(process: Process, caseworker: User) -> None:
    """ "4 marca", not the nominative "4 marzec" (Django's E format, not F)."""
    when = timezone.make_aware(timezone.datetime(2027, 3, 4, 10, 0))
    _visit, issued = factories.make_visit(
        process=process, caseworker=caseworker, scheduled_at=when, resident_language="pl"
    )
    html = Client().get(f"/j/{issued.token}", follow=True).content.decode()
    assert "4 marca 2027" in html and "marzec" not in html


def test_expired_says_whom_to_call(visit: Visit, token: str) -> None:
    Invitation.objects.update(
        valid_from=timezone.now() - timedelta(hours=5),
        valid_until=timezone.now() - timedelta(hours=1),
    )
    response = Client().get(f"/j/{token}", follow=True)
    html = response.content.decode()
    assert response.status_code == 410
    assert "verlopen" in html
    assert f"Bel {visit.organisation.name}" in html and 'href="tel:14010"' in html


def test_cancelled_visit_link_is_closed(visit: Visit, token: str, caseworker: User) -> None:
    from videocontact.visits.services import visit_cancel

    visit_cancel(visit=visit, by_user=caseworker)
    response = Client().get(f"/j/{token}", follow=True)
    assert response.status_code == 410
    assert "Bel " in response.content.decode()


# A visit that starts now ---------------------------------------------------------------------

NOW_WRONG = {  # "{time}" filled with the word for "now" where a date belongs
    "nl": ["op nu", "(nu)"],
    "en": ["on now", "(now)"],
    "ar": ["في الآن"],
    "tr": ["şimdi tarihinde", "şimdi tarihindeki"],
    "pl": ["wideo: teraz", "(teraz)"],
    "uk": ["відеодзвінок: зараз", "(зараз)"],
}
NOW_WORD = {"nl": "nu", "en": "now", "ar": "الآن", "tr": "şimdi", "pl": "teraz", "uk": "зараз"}


@pytest.mark.parametrize("language", sorted(NOW_WRONG))
def test_a_visit_that_starts_now_is_worded_as_now(
    language: str,
    process: Process,
    caseworker: User,
    smtp_server: SmtpServer,
    cm_server: Any,
) -> None:
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=None)
    resident = factories.resident_of(visit)
    services.contact_save(
        participant=resident,
        email="a@example.nl",
        mobile="+31612345678",
        language=language,
        by_user=caseworker,
    )
    services.invitation_send(participant=resident, channels=["email", "sms"], by_user=caseworker)
    run_due(now=timezone.now())
    visits.visit_cancel(visit=visit, by_user=caseworker)
    run_due(now=timezone.now())
    sent = [mail.text() for mail in smtp_server.inbox] + cm_server.texts_to("+31612345678")
    assert len(sent) == 4  # invitation and cancellation, by e-mail and by text message
    for text in sent:
        for wrong in NOW_WRONG[language]:
            assert wrong not in text, (wrong, text)
    invitation_sms = cm_server.texts_to("+31612345678")[0]
    assert NOW_WORD[language] in invitation_sms  # it does say the call is now


def test_an_administrators_text_for_a_visit_now_gets_the_time_of_sending(
    process: Process, caseworker: User, smtp_server: SmtpServer
) -> None:
    MessageText.objects.create(
        process=process,
        kind=MessageKind.INVITATION,
        channel="email",
        language="nl",
        subject="Gesprek",
        body="Gesprek op {time}: {link}",
    )
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=None)
    resident = factories.resident_of(visit)
    services.contact_save(
        participant=resident, email="a@example.nl", mobile="", language="nl", by_user=caseworker
    )
    services.invitation_send(participant=resident, channels=["email"], by_user=caseworker)
    run_due(now=timezone.now())
    (mail,) = smtp_server.inbox
    assert "op nu" not in mail.text()
    assert mail.text().startswith("Gesprek op " + services.format_time(timezone.now(), "nl")[:6])
