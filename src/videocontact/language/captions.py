"""Live captions: consent of everyone in the call, stop by anyone, the readers' languages, and
the transcript (kept only when the process says so). Services write, selectors read."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.language.errors import LanguageError
from videocontact.language.models import (
    CaptionConsent,
    CaptionSession,
    CaptionSettings,
    CaptionState,
    TranscriptLine,
)
from videocontact.privacy.approvals import storage_allowed
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageKind
from videocontact.rooms import events
from videocontact.visits.models import Participant, ParticipantState

CAPTION_LANGUAGES = ("nl", "en", "ar", "tr", "pl", "uk", "fa", "so", "ti")


class CaptionsRefused(LanguageError):
    code = "captions_refused"


# Selectors -----------------------------------------------------------------------------------


def current_session(visit_id: uuid.UUID) -> CaptionSession | None:
    """The session that is asking or on; None when captions are off."""
    return (
        CaptionSession.objects.filter(
            visit_id=visit_id, state__in=[CaptionState.ASKING, CaptionState.ON]
        )
        .select_related("requested_by")
        .first()
    )


def _in_call(visit_id: uuid.UUID) -> list[Participant]:
    return list(
        Participant.objects.filter(
            visit_id=visit_id, state=ParticipantState.ADMITTED, removed_at__isnull=True
        )
    )


def state_frame(session: CaptionSession | None) -> dict[str, Any]:
    """What every page of the call gets: who has agreed, who is still to answer."""
    if session is None or session.state == CaptionState.STOPPED:
        reason = session.stop_reason if session is not None else ""
        return {"type": "captions-state", "state": "off", "reason": reason}
    agreed = {
        str(c.participant_id) for c in session.consents.filter(accepted=True).only("participant_id")
    }
    waiting = [str(p.id) for p in _in_call(session.visit_id) if str(p.id) not in agreed]
    return {
        "type": "captions-state",
        "state": session.state,
        "session": str(session.id),
        "agreed": sorted(agreed),
        "waiting": sorted(waiting),
        "transcript": session.keep_transcript,
    }


def may_send_audio(visit_id: uuid.UUID, participant_id: uuid.UUID) -> CaptionSession | None:
    """The session whose captions this participant's audio feeds, if they agreed and it is on."""
    session = current_session(visit_id)
    if session is None or session.state != CaptionState.ON:
        return None
    agreed = session.consents.filter(participant_id=participant_id, accepted=True).exists()
    return session if agreed else None


def reader_languages(session_id: uuid.UUID) -> set[str]:
    return set(
        CaptionConsent.objects.filter(session_id=session_id, accepted=True).values_list(
            "language", flat=True
        )
    )


def keeps_transcript(process_id: int) -> bool:
    """The process asks for a transcript and the privacy officer approved storing one."""
    return storage_allowed(process_id, StorageKind.TRANSCRIPT) and (
        CaptionSettings.objects.filter(process_id=process_id, keep_transcript=True).exists()
    )


# Services ------------------------------------------------------------------------------------


def _check_language(language: str) -> str:
    if language not in CAPTION_LANGUAGES:
        raise CaptionsRefused("unknown caption language")
    return language


@transaction.atomic
def captions_request(*, participant: Participant, language: str) -> CaptionSession:
    """The caseworker asks to start captions; they agree by asking. Idempotent while asking/on."""
    session = current_session(participant.visit_id)
    if session is not None:
        return session
    session = CaptionSession.objects.create(
        visit_id=participant.visit_id,
        state=CaptionState.ASKING,
        requested_by=participant,
        keep_transcript=keeps_transcript(participant.visit.process_id),
    )
    CaptionConsent.objects.create(
        session=session, participant=participant, accepted=True, language=_check_language(language)
    )
    audit(
        action="captions_requested",
        obj=session,
        actor_user=participant.user,
        visit_id=participant.visit_id,
    )
    _start_if_everyone_agreed(session)
    _publish(session)
    return session


@transaction.atomic
def captions_consent(
    *, participant: Participant, session_id: uuid.UUID, accept: bool, language: str
) -> CaptionSession:
    session = (
        CaptionSession.objects.select_for_update()
        .filter(pk=session_id, visit_id=participant.visit_id)
        .first()
    )
    if session is None or session.state == CaptionState.STOPPED:
        raise CaptionsRefused("these captions are no longer asked for")
    CaptionConsent.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={"accepted": accept, "language": _check_language(language)},
    )
    audit(
        action="captions_consent",
        obj=session,
        actor_user=participant.user,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
        accepted=accept,
    )
    if not accept:
        _stop(session, "declined")
    else:
        _start_if_everyone_agreed(session)
    _publish(session)
    return session


@transaction.atomic
def captions_stop(*, participant: Participant) -> CaptionSession | None:
    """Anyone in the call can stop the captions, at any moment."""
    session = current_session(participant.visit_id)
    if session is None:
        return None
    _stop(session, "stopped")
    audit(
        action="captions_stopped",
        obj=session,
        actor_user=participant.user,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
    )
    _publish(session)
    return session


@transaction.atomic
def captions_language(*, participant: Participant, language: str) -> None:
    session = current_session(participant.visit_id)
    if session is None:
        raise CaptionsRefused("captions are off")
    updated = CaptionConsent.objects.filter(
        session=session, participant=participant, accepted=True
    ).update(language=_check_language(language))
    if not updated:
        raise CaptionsRefused("agree to the captions first")


def _publish(session: CaptionSession) -> None:
    """Every page of the call learns the new state once it is committed."""
    session_id = session.pk

    def frame() -> dict[str, Any]:
        return events.frame_event(state_frame(CaptionSession.objects.get(pk=session_id)))

    events.publish_on_commit(events.visit_group(session.visit_id), frame)


def _start_if_everyone_agreed(session: CaptionSession) -> None:
    if session.state != CaptionState.ASKING:
        return
    agreed = set(session.consents.filter(accepted=True).values_list("participant_id", flat=True))
    everyone = {p.id for p in _in_call(session.visit_id)}
    if everyone and everyone <= agreed:
        session.state = CaptionState.ON
        session.started_at = timezone.now()
        session.save(update_fields=["state", "started_at"])


def _stop(session: CaptionSession, reason: str) -> None:
    session.state = CaptionState.STOPPED
    session.stopped_at = timezone.now()
    session.stop_reason = reason
    session.save(update_fields=["state", "stopped_at", "stop_reason"])


def transcript_add(*, session_id: uuid.UUID, role: str, language: str, text: str) -> None:
    """A final caption line, stored only when the session keeps a transcript."""
    session = (
        CaptionSession.objects.filter(pk=session_id, keep_transcript=True)
        .select_related("visit")
        .first()
    )
    if session is None or not storage_allowed(session.visit.process_id, StorageKind.TRANSCRIPT):
        return  # withdrawn approval: no line more is kept
    TranscriptLine.objects.create(
        session=session, role=role, language=language, text=text[:5000], spoken_at=timezone.now()
    )
