"""The room: one WebSocket per participant per visit. Thin: validate, authorise, call services."""

from __future__ import annotations

import json
import uuid
from typing import Any

import structlog
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pydantic import ValidationError

from videocontact.evidence import services as evidence_services
from videocontact.evidence.errors import EvidenceError
from videocontact.questionnaires import selectors as form_selectors
from videocontact.questionnaires import services as form_services
from videocontact.questionnaires.answers import AnswerInvalid
from videocontact.questionnaires.signing import SignatureInvalid
from videocontact.rooms import events
from videocontact.rooms import services as room_services
from videocontact.rooms.access import RoomIdentity
from videocontact.rooms.ice import ice_servers_for, ice_transport_policy
from videocontact.rooms.ratelimit import TokenBucket
from videocontact.rooms.schemas import ADMITTED_ONLY, KNOWN_TYPES, STAFF_ONLY, inbound_adapter
from videocontact.visits import services as visit_services
from videocontact.visits.errors import VisitError
from videocontact.visits.models import Participant
from videocontact.visits.selectors import participant_in_visit

log = structlog.get_logger("rooms")

CLOSE_UNAUTHORISED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_REPLACED = 4409
CLOSE_ENDED = 4410
CLOSE_FULL = 4429

PROTOCOL = "vc.v1"  # the WebSocket subprotocol of docs/protocol.md
RESUME_PREFIX = "vc.resume."  # a second subprotocol carries the resume secret (not in the URL)


class FrameError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


class RoomConsumer(AsyncWebsocketConsumer):
    identity: RoomIdentity | None = None
    peer_id: uuid.UUID | None = None

    async def connect(self) -> None:
        self.visit_id: uuid.UUID = self.scope["url_route"]["kwargs"]["visit_id"]
        self.admitted = False
        self.known_peers: set[str] = set()
        self.groups_joined: list[str] = []
        self.bucket = TokenBucket(settings.ROOM_RATE_PER_SECOND, settings.ROOM_RATE_BURST)
        offered = [str(p) for p in self.scope.get("subprotocols") or []]
        await self.accept(subprotocol=PROTOCOL if PROTOCOL in offered else None)
        resume = next(
            (p.removeprefix(RESUME_PREFIX) for p in offered if p.startswith(RESUME_PREFIX)), None
        )
        try:
            joined = await database_sync_to_async(room_services.room_join)(
                visit_id=self.visit_id,
                user=self.scope.get("user"),
                session=self.scope.get("session"),
                channel_name=self.channel_name,
                resume=resume,
            )
        except VisitError as exc:
            code = CLOSE_FULL if exc.code == "room_full" else CLOSE_FORBIDDEN
            await self.refuse(exc.code, str(exc), code)
            return
        if joined is None:
            await self.refuse("unauthorized", "no access to this visit", CLOSE_UNAUTHORISED)
            return
        self.identity = joined.identity
        state = joined.state
        self.peer_id = joined.connection.peer_id
        await self.join_group(events.participant_group(self.participant.id))
        await self.join_group(events.peer_group(self.peer_id))
        if self.identity.is_staff:
            await self.join_group(events.staff_group(self.visit_id))
        welcome = self.welcome_frame(state)
        if joined.resume is not None:
            welcome["resume"] = joined.resume  # kept by the page for this tab only
        if joined.peers is not None:
            # The peer list rides along so the page can start negotiating at once.
            welcome["peers"] = joined.peers
            self.known_peers = {peer["peerId"] for peer in joined.peers}
        await self.send_frame(welcome)
        if state == "admitted":
            await self.enter_call()
        log.info("room.connected", visit=str(self.visit_id), peer=str(self.peer_id), state=state)

    @property
    def participant(self) -> Participant:
        assert self.identity is not None
        return self.identity.participant

    def welcome_frame(self, state: str) -> dict[str, Any]:
        return {
            "type": "welcome",
            "v": 1,
            "self": {
                "peerId": str(self.peer_id),
                "participantId": str(self.participant.id),
                "role": self.participant.role,
                "name": self.participant.display_name,
            },
            "state": state,
            "maxParticipants": settings.VISIT_MAX_PARTICIPANTS,
            **self.ice_payload(),
        }

    def ice_payload(self) -> dict[str, Any]:
        return {
            "iceServers": ice_servers_for(str(self.peer_id)),
            "iceTransportPolicy": ice_transport_policy(),
        }

    async def refuse(self, code: str, message: str, close_code: int) -> None:
        await self.send_error(code, message)
        await self.close(code=close_code)

    async def join_group(self, group: str) -> None:
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined.append(group)

    async def enter_call(self) -> None:
        self.admitted = True
        await self.join_group(events.visit_group(self.visit_id))
        await database_sync_to_async(room_services.presence_publish_now)(visit_id=self.visit_id)
        for frame in await database_sync_to_async(self.form_frames)():
            await self.send_frame(frame)

    def form_frames(self) -> list[dict[str, Any]]:
        """The questionnaire as it stands, for a page that (re)joins the call."""
        questionnaire = form_selectors.questionnaire_for_visit(self.visit_id)
        if questionnaire is None:
            return []
        frames = [form_selectors.state_frame(questionnaire.id)]
        if self.identity is not None and self.identity.is_staff:
            frames.append({"type": "form-notes", "text": questionnaire.notes})
        return frames

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.peer_id is not None:
            await database_sync_to_async(room_services.connection_close)(
                peer_id=self.peer_id, channel_name=self.channel_name
            )
            log.info(
                "room.disconnected", visit=str(self.visit_id), peer=str(self.peer_id), code=code
            )

    # Inbound ---------------------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        ref = None
        try:
            raw = self.decode(text_data, bytes_data)
            ref = raw.get("ref") if isinstance(raw.get("ref"), str) else None
            frame = self.validate(raw)
            await self.authorise(frame.type)
            await getattr(self, "on_" + frame.type.replace("-", "_"))(frame)
        except FrameError as exc:
            log.warning(
                "room.bad_frame",
                visit=str(self.visit_id),
                peer=str(self.peer_id),
                code=exc.code,
                detail=exc.message,
            )
            await self.send_error(exc.code, exc.message, ref)
        except VisitError as exc:
            await self.send_error(exc.code, str(exc), ref)
        except form_services.QuestionnaireError as exc:
            await self.send_error(exc.code, str(exc), ref)
        except EvidenceError as exc:
            await self.send_error(exc.code, exc.message, ref)

    def decode(self, text_data: str | None, bytes_data: bytes | None) -> dict[str, Any]:
        if self.identity is None or self.peer_id is None:
            raise FrameError("unauthorized", "the connection is not set up")
        if text_data is None:
            raise FrameError("bad_json", "binary frames are not supported; send JSON text")
        if len(text_data.encode("utf-8")) > settings.ROOM_MAX_FRAME_BYTES:
            raise FrameError(
                "too_large", f"frames are limited to {settings.ROOM_MAX_FRAME_BYTES} bytes"
            )
        if not self.bucket.allow():
            raise FrameError("rate_limited", "too many frames; slow down")
        try:
            raw = json.loads(text_data)
        except ValueError as exc:
            raise FrameError("bad_json", f"not valid JSON: {exc}") from exc
        if not isinstance(raw, dict):
            raise FrameError("invalid", "a frame must be a JSON object")
        return raw

    def validate(self, raw: dict[str, Any]) -> Any:
        version = raw.get("v", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version != 1:
            raise FrameError("unsupported_version", "this server speaks protocol version 1")
        frame_type = raw.get("type")
        if not isinstance(frame_type, str) or frame_type not in KNOWN_TYPES:
            raise FrameError("unknown_type", f"unknown frame type {str(frame_type)[:40]!r}")
        try:
            return inbound_adapter.validate_python(raw)
        except ValidationError as exc:
            raise FrameError("invalid", _first_error(exc)) from exc

    async def authorise(self, frame_type: str) -> None:
        assert self.identity is not None
        if frame_type in STAFF_ONLY and not self.identity.is_staff:
            raise FrameError("forbidden", f"{frame_type} is for staff only")
        if frame_type in ADMITTED_ONLY and not self.admitted:
            raise FrameError("forbidden", f"{frame_type} needs you to be in the call")

    def target_peer(self, peer_id: uuid.UUID) -> str:
        target = str(peer_id)
        if target not in self.known_peers or target == str(self.peer_id):
            raise FrameError("unknown_peer", "that peer is not in this call")
        return target

    async def relay(self, target: str, frame: dict[str, Any]) -> None:
        frame["from"] = str(self.peer_id)
        await self.channel_layer.group_send(events.peer_group(target), events.frame_event(frame))

    async def on_ping(self, frame: Any) -> None:
        # No database write: this process's heartbeat keeps its connections fresh (liveness.py).
        await self.send_frame({"type": "pong"})

    async def on_signal(self, frame: Any) -> None:
        target = self.target_peer(frame.to)
        out: dict[str, Any] = {"type": "signal"}
        if frame.description is not None:
            out["description"] = frame.description.model_dump()
        else:
            out["candidate"] = frame.candidate.model_dump() if frame.candidate else None
        await self.relay(target, out)

    async def on_media(self, frame: Any) -> None:
        await database_sync_to_async(room_services.connection_set_media)(
            peer_id=self.peer_id, audio=frame.audio, video=frame.video, facing=frame.facing
        )

    async def on_admit(self, frame: Any) -> None:
        await database_sync_to_async(self._admit_or_deny)(frame.participant, admit=True)

    async def on_deny(self, frame: Any) -> None:
        await database_sync_to_async(self._admit_or_deny)(frame.participant, admit=False)

    def _admit_or_deny(self, participant_id: uuid.UUID, *, admit: bool) -> None:
        assert self.identity is not None and self.identity.user is not None
        target = participant_in_visit(self.visit_id, participant_id)
        if target is None:
            raise FrameError("unknown_participant", "no such participant in this visit")
        service = visit_services.participant_admit if admit else visit_services.participant_deny
        service(participant=target, by_user=self.identity.user)

    async def on_command(self, frame: Any) -> None:
        target = self.target_peer(frame.to)
        out = frame.model_dump(include={"id", "name", "facing", "torch", "zoom"}, exclude_none=True)
        await self.relay(target, {"type": "command", **out})

    async def on_command_result(self, frame: Any) -> None:
        target = self.target_peer(frame.to)
        if not frame.ok:
            await database_sync_to_async(self._photo_failed)(frame.id, frame.code or "")
        out = frame.model_dump(include={"id", "ok", "code"}, exclude_none=True)
        await self.relay(target, {"type": "command-result", **out})

    def _photo_failed(self, command_id: str, code: str) -> None:
        """A failed take-photo command (its id is the photo request's id) closes the request."""
        try:
            request_id = uuid.UUID(command_id)
        except ValueError:
            return
        evidence_services.photo_request_fail(
            request_id=request_id, participant=self.participant, code=code
        )

    async def on_photo_take(self, frame: Any) -> None:
        assert self.identity is not None
        await database_sync_to_async(evidence_services.photo_request_create)(
            visit_id=self.visit_id,
            by_user=self.identity.user,
            target_id=frame.participant,
            from_peer=str(self.peer_id),
        )

    async def on_camera_caps(self, frame: Any) -> None:
        """Relayed to the staff of the call, as it is (nothing is stored)."""
        caps = frame.model_dump(include={"torch", "zoom"})
        caps.update(type="camera-caps", participantId=str(self.participant.id))
        caps["from"] = str(self.peer_id)
        await self.channel_layer.group_send(
            events.staff_group(self.visit_id), events.frame_event(caps)
        )

    async def on_ice_refresh(self, frame: Any) -> None:
        await self.send_frame({"type": "ice-servers", **self.ice_payload()})

    async def on_leave(self, frame: Any) -> None:
        await database_sync_to_async(visit_services.participant_leave)(participant=self.participant)
        await self.close(code=1000)

    async def on_end(self, frame: Any) -> None:
        assert self.identity is not None
        visit = await database_sync_to_async(lambda: self.participant.visit)()
        await database_sync_to_async(visit_services.visit_end)(
            visit=visit, by_user=self.identity.user
        )

    # Questionnaire ---------------------------------------------------------------------------

    def questionnaire_id(self) -> uuid.UUID:
        questionnaire = form_selectors.questionnaire_for_visit(self.visit_id)
        if questionnaire is None:
            raise FrameError("no_form", "the questionnaire has not been started")
        return questionnaire.id

    async def on_form_start(self, frame: Any) -> None:
        assert self.identity is not None
        user = self.identity.user
        await database_sync_to_async(
            lambda: form_services.questionnaire_start(visit=self.participant.visit, by_user=user)
        )()

    async def on_form_answer(self, frame: Any) -> None:
        def save() -> None:
            assert self.peer_id is not None
            if not room_services.connection_is_current(
                peer_id=self.peer_id, channel_name=self.channel_name
            ):
                raise FrameError("superseded", "a newer connection of this page took over")
            form_services.answer_save(
                questionnaire_id=self.questionnaire_id(),
                participant=self.participant,
                question_id=frame.question,
                value=frame.value,
                base_version=frame.base,
            )

        try:
            await database_sync_to_async(save)()
        except form_services.AnswerConflict as exc:
            await self.send_frame(
                {
                    "type": "form-rejected",
                    "question": frame.question,
                    "code": "conflict",
                    "current": {"value": exc.answer.value, "version": exc.answer.version},
                }
            )
        except AnswerInvalid as exc:
            await self.send_frame(
                {
                    "type": "form-rejected",
                    "question": frame.question,
                    "code": exc.code,
                    "message": exc.message,
                }
            )

    async def on_form_language(self, frame: Any) -> None:
        try:
            await database_sync_to_async(
                lambda: form_services.questionnaire_set_language(
                    questionnaire_id=self.questionnaire_id(), language=frame.language
                )
            )()
        except AnswerInvalid as exc:
            raise FrameError(
                "invalid", "the questionnaire is not available in that language"
            ) from exc

    async def on_form_sign(self, frame: Any) -> None:
        def sign() -> None:
            form_services.questionnaire_sign(
                questionnaire_id=self.questionnaire_id(),
                participant=self.participant,
                strokes=frame.strokes,
                png_base64=frame.png,
            )

        try:
            await database_sync_to_async(sign)()
        except form_services.Incomplete as exc:
            await self.send_frame({"type": "form-incomplete", "missing": exc.missing})
        except SignatureInvalid as exc:
            raise FrameError("invalid", str(exc)) from exc

    async def on_form_reopen(self, frame: Any) -> None:
        assert self.identity is not None
        user = self.identity.user
        await database_sync_to_async(
            lambda: form_services.questionnaire_reopen(
                questionnaire_id=self.questionnaire_id(), by_user=user
            )
        )()

    async def on_form_notes(self, frame: Any) -> None:
        assert self.identity is not None
        user = self.identity.user
        await database_sync_to_async(
            lambda: form_services.notes_save(
                questionnaire_id=self.questionnaire_id(), text=frame.text, by_user=user
            )
        )()

    # Outbound (channel-layer events) -----------------------------------------------------------

    async def room_frame(self, event: dict[str, Any]) -> None:
        frame = event["frame"]
        if frame.get("type") == "presence":
            self.known_peers = {peer["peerId"] for peer in frame["peers"]}
        await self.send_frame(frame)

    async def room_admitted(self, event: dict[str, Any]) -> None:
        if self.admitted:
            return
        await self.send_frame({"type": "admitted"})
        await self.enter_call()

    async def room_ended(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "ended", "reason": event.get("reason", "ended_by_staff")})
        await self.close(code=CLOSE_ENDED)

    async def room_replaced(self, event: dict[str, Any]) -> None:
        await self.send_frame({"type": "replaced"})
        await self.close(code=CLOSE_REPLACED)

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, separators=(",", ":")))

    async def send_error(self, code: str, message: str, ref: str | None = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if ref is not None:
            frame["ref"] = ref
        await self.send_frame(frame)
