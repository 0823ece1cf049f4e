"""Reminders and notices as durable jobs, with a controllable clock: exactly one 24 h and one
15 min reminder per channel, none twice across a crash and restart, none for an old time after a
reschedule, nothing after a cancel."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.conf import settings
from django.utils import timezone

from tests import factories
from tests.notifications.fakes import CmServer, SmtpServer
from videocontact.accounts.models import Process, User
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import _claim, run_due
from videocontact.notifications import services
from videocontact.notifications.models import Message, MessageKind, MessageState
from videocontact.visits.errors import InvitationError
from videocontact.visits.models import Invitation, Visit, VisitStatus
from videocontact.visits.services import invitation_redeem, visit_cancel, visit_reschedule

pytestmark = pytest.mark.django_db

EMAIL = "amina@example.nl"
MOBILE = "+31612345678"


@pytest.fixture
def planned(process: Process, caseworker: User) -> Visit:
    when = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=when)
    services.contact_save(
        participant=factories.resident_of(visit),
        email=EMAIL,
        mobile=MOBILE,
        language="nl",
        by_user=caseworker,
    )
    return visit


def reminders(server_mails: list, texts: list[str]) -> tuple[int, int]:
    mails = [m for m in server_mails if m.message["Subject"].startswith("Herinnering")]
    sms = [t for t in texts if t.startswith("Herinnering")]
    return len(mails), len(sms)


def test_exactly_one_24h_and_one_15min_reminder(
    planned: Visit, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    when = planned.scheduled_at
    assert when is not None
    assert run_due(now=timezone.now()) == 0  # nothing is due yet
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (0, 0)

    day_before = when - timedelta(hours=24)
    assert run_due(now=day_before - timedelta(seconds=1)) == 0
    assert run_due(now=day_before) == 2  # e-mail and SMS
    assert run_due(now=day_before + timedelta(minutes=1)) == 0
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (1, 1)

    assert run_due(now=when - timedelta(minutes=15)) == 2
    assert run_due(now=when + timedelta(hours=1)) == 0
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (2, 2)
    # Each reminder carried its own working link (the link window is around the visit time).
    mail = smtp_server.mails_to(EMAIL)[-1]
    token = mail.link().rsplit("/", 1)[1]
    invitation_redeem(token=token, now=when - timedelta(minutes=5))

    # Planning again (saving the contact again) plans nothing new: the keys hold the time.
    services.contact_save(
        participant=factories.resident_of(planned),
        email=EMAIL,
        mobile=MOBILE,
        language="nl",
        by_user=None,
    )
    assert Message.objects.filter(kind=MessageKind.REMINDER).count() == 4


def test_no_duplicate_after_a_crash_before_sending(
    planned: Visit, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    """A worker claims the 24 h e-mail reminder and dies before sending: the job stays RUNNING
    with a lock that expires; the next worker sends it, once."""
    when = planned.scheduled_at
    assert when is not None
    moment = when - timedelta(hours=24)
    job = _claim(moment)
    assert job is not None and job.state == JobState.RUNNING
    later = moment + timedelta(seconds=settings.JOBS_LOCK_SECONDS + 1)
    assert run_due(now=moment) == 1  # the other reminder (SMS); the claimed one is locked
    assert run_due(now=later) == 1  # the lock expired: the crashed job runs again
    assert run_due(now=later + timedelta(minutes=5)) == 0
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (1, 1)


def test_no_duplicate_after_a_crash_after_sending(
    planned: Visit, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    """The reminder went out and was recorded, but the worker died before marking the job
    done: running it again sends nothing."""
    when = planned.scheduled_at
    assert when is not None
    moment = when - timedelta(hours=24)
    assert run_due(now=moment) == 2
    done = Job.objects.filter(kind=services.JOB_KIND, state=JobState.DONE)
    assert done.count() == 2
    done.update(state=JobState.RUNNING, locked_until=moment + timedelta(seconds=1))
    assert run_due(now=moment + timedelta(seconds=settings.JOBS_LOCK_SECONDS + 1)) == 2
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (1, 1)


def test_a_crash_while_sending_is_failed_visibly_not_sent_twice(
    planned: Visit, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    """Died between 'sending' and the provider's answer: the outcome is unknown, so the message
    is marked failed (with the reason, and 'send again' on the visit page), never resent."""
    when = planned.scheduled_at
    assert when is not None
    moment = when - timedelta(hours=24)
    message = Message.objects.get(kind=MessageKind.REMINDER, channel="sms", send_at=moment)
    Message.objects.filter(pk=message.pk).update(state=MessageState.SENDING, attempts=1)
    Job.objects.filter(dedupe_key=f"{services.JOB_KIND}:{message.pk}").update(
        state=JobState.RUNNING, locked_until=moment
    )
    run_due(now=moment + timedelta(seconds=settings.JOBS_LOCK_SECONDS + 1))
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and "interrupted" in message.last_error
    assert cm_server.texts_to(MOBILE) == []


def test_reschedule_moves_reminders_link_window_and_calendar(
    planned: Visit, caseworker: User, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    old = planned.scheduled_at
    assert old is not None
    new = old + timedelta(days=2, hours=3)
    visit_reschedule(visit=planned, scheduled_at=new, by_user=caseworker)
    # The old reminders are cancelled, jobs included; new ones are planned for the new time.
    old_reminders = Message.objects.filter(kind=MessageKind.REMINDER, visit_time=old)
    assert {m.state for m in old_reminders} == {MessageState.CANCELLED}
    assert (
        Message.objects.filter(
            kind=MessageKind.REMINDER, visit_time=new, state=MessageState.QUEUED
        ).count()
        == 4
    )
    # The notice of the new time goes out now, with SEQUENCE 1 and the same UID.
    assert run_due(now=timezone.now()) == 2
    notice = smtp_server.mails_to(EMAIL)[-1]
    assert notice.message["Subject"].startswith("Nieuwe tijd")
    event = icalendar.Calendar.from_ical(notice.ics()).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == new
    assert str(event["UID"]) == f"visit-{planned.id}@videocontact.local"
    (sms_notice,) = cm_server.texts_to(MOBILE)
    assert sms_notice.startswith("Uw videogesprek met")

    # Nothing at the old reminder times; one of each at the new ones.
    assert run_due(now=old - timedelta(hours=24)) == 0
    assert run_due(now=old - timedelta(minutes=15)) == 0
    assert run_due(now=new - timedelta(hours=24)) == 2
    assert run_due(now=new - timedelta(minutes=15)) == 2
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (2, 2)

    # Every open link of the visit moved with it: not yet valid at the old time, valid at the new.
    token = smtp_server.mails_to(EMAIL)[-1].link().rsplit("/", 1)[1]
    with pytest.raises(InvitationError) as early:
        invitation_redeem(token=token, now=old)
    assert early.value.reason == "not_yet_valid"
    assert early.value.opens_at == new - timedelta(minutes=settings.INVITATION_VALID_BEFORE_MINUTES)
    invitation_redeem(token=token, now=new)
    for invitation in Invitation.objects.filter(revoked_at__isnull=True):
        assert invitation.valid_from == new - timedelta(
            minutes=settings.INVITATION_VALID_BEFORE_MINUTES
        )


def test_cancel_sends_a_notice_and_nothing_else(
    planned: Visit, caseworker: User, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    when = planned.scheduled_at
    assert when is not None
    run_due(now=when - timedelta(hours=24))  # the first reminders went out
    visit_cancel(visit=planned, by_user=caseworker)
    planned.refresh_from_db()
    assert planned.status == VisitStatus.CANCELLED
    assert run_due(now=timezone.now()) == 2  # the two notices
    notice = smtp_server.mails_to(EMAIL)[-1]
    calendar = icalendar.Calendar.from_ical(notice.ics())
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert "link" not in notice.text().lower() and "/j/" not in notice.text()
    assert cm_server.texts_to(MOBILE)[-1].endswith("gaat niet door. Vragen? Bel 14 010.")
    # The 15 minute reminders never go out.
    assert run_due(now=when - timedelta(minutes=15)) == 0
    assert reminders(smtp_server.inbox, cm_server.texts_to(MOBILE)) == (1, 1)
    assert not Message.objects.filter(state=MessageState.QUEUED).exists()


def test_a_job_that_runs_after_a_cancel_sends_nothing(
    planned: Visit, smtp_server: SmtpServer, cm_server: CmServer
) -> None:
    """Even when a reminder's job was not cancelled (it was already claimed, or the visit was
    closed some other way), the handler checks the visit and sends nothing."""
    when = planned.scheduled_at
    assert when is not None
    Visit.objects.filter(pk=planned.pk).update(status=VisitStatus.CANCELLED)
    assert run_due(now=when - timedelta(hours=24)) == 2
    assert smtp_server.inbox == [] and cm_server.received == []
    states = set(
        Message.objects.filter(
            kind=MessageKind.REMINDER, send_at__lte=when - timedelta(hours=24)
        ).values_list("state", flat=True)
    )
    assert states == {MessageState.CANCELLED}


def test_reminders_follow_the_process_settings(
    process: Process, caseworker: User, smtp_server: SmtpServer
) -> None:
    from videocontact.notifications.models import MessagingSettings

    MessagingSettings.objects.create(process=process, reminder_minutes="120")
    when = timezone.now() + timedelta(days=1)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, scheduled_at=when)
    services.contact_save(
        participant=factories.resident_of(visit),
        email=EMAIL,
        mobile="",
        language="en",
        by_user=None,
    )
    (reminder,) = Message.objects.filter(kind=MessageKind.REMINDER)
    assert reminder.send_at == when - timedelta(minutes=120)
    run_due(now=reminder.send_at)
    assert smtp_server.mails_to(EMAIL)[0].message["Subject"].startswith("Reminder: video call")


def test_removing_a_channel_cancels_what_was_waiting_for_it(planned: Visit) -> None:
    services.contact_save(
        participant=factories.resident_of(planned),
        email=EMAIL,
        mobile="",
        language="nl",
        by_user=None,
    )
    sms = Message.objects.filter(kind=MessageKind.REMINDER, channel="sms")
    assert {m.state for m in sms} == {MessageState.CANCELLED}
    services.contact_save(
        participant=factories.resident_of(planned), email="", mobile="", language="nl", by_user=None
    )
    assert not Message.objects.filter(state=MessageState.QUEUED).exists()
    assert not Job.objects.filter(state=JobState.QUEUED).exists()


def test_ending_the_visit_cancels_what_waits(planned: Visit, caseworker: User) -> None:
    from videocontact.visits.services import visit_end

    visit_end(visit=planned, by_user=caseworker)
    assert not Message.objects.filter(state=MessageState.QUEUED).exists()
    waiting = Job.objects.filter(state=JobState.QUEUED)
    # What waits now is the report of the visit, nothing of the messages.
    assert list(waiting.values_list("kind", flat=True)) == ["reports.build"]


def test_contact_details_and_messages_go_with_the_visit(planned: Visit) -> None:
    from videocontact.notifications.models import CalendarEntry, Contact, SmsCode

    services.code_request(participant=factories.resident_of(planned))
    CalendarEntry.objects.create(visit=planned)
    assert Contact.objects.exists() and Message.objects.exists()
    planned.delete()
    for model in (Contact, Message, SmsCode, CalendarEntry):
        assert not model.objects.exists(), model


def test_a_guest_gets_an_invitation_of_their_own(
    planned: Visit, caseworker: User, smtp_server: SmtpServer
) -> None:
    interpreter = factories.make_participant(
        visit=planned, role="interpreter", display_name="Tolk Arabisch"
    )
    services.contact_save(
        participant=interpreter,
        email="tolk@example.nl",
        mobile="",
        language="en",
        by_user=caseworker,
    )
    services.invitation_send(participant=interpreter, channels=["email"], by_user=caseworker)
    run_due(now=timezone.now())
    (mail,) = smtp_server.mails_to("tolk@example.nl")
    assert mail.message["Subject"].startswith("Invitation: video call")
    token = mail.link().rsplit("/", 1)[1]
    when = planned.scheduled_at
    assert when is not None
    assert invitation_redeem(token=token, now=when) == interpreter
