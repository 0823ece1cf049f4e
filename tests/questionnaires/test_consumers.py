"""The questionnaire frames of the room WebSocket (docs/protocol.md, "Questionnaire (live form)")
against the real ASGI stack, database and channel layer."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests import factories
from tests.questionnaires.definitions import (
    COMPLETE_ANSWERS,
    REQUIRED_AT_START,
    STROKES,
    full_definition,
    png,
)
from tests.rooms.conftest import Call, RoomFactory
from tests.ws import Frame, RoomClient
from videocontact.accounts.models import User
from videocontact.questionnaires.models import (
    Answer,
    Questionnaire,
    Signature,
    TemplateVersion,
)
from videocontact.visits.models import Participant, ParticipantRole, Visit

pytestmark = pytest.mark.django_db(transaction=True)

PNG_B64 = base64.b64encode(png(320, 120)).decode()
SIGN = {"type": "form-sign", "strokes": STROKES, "png": PNG_B64}


async def start_form(staff: RoomClient, *others: RoomClient) -> Frame:
    """The caseworker starts the questionnaire; everyone in the call gets it."""
    for client in (staff, *others):
        # whoever just entered the call has been sent the form as it stood (there was none):
        # frames are handled in order, so once the pong is back, that is settled
        await client.ping()
    await staff.send({"type": "form-start"})
    states = []
    for client in (staff, *others):
        await client.expect("form-opened")
        states.append(await client.expect("form-state"))
    assert all(state == states[0] for state in states)
    return states[0]


async def answer(res: RoomClient, question: str, value: Any, base: int, *others: RoomClient) -> int:
    """The resident answers; the answer comes back to everyone in the call. Returns the version."""
    await res.send({"type": "form-answer", "question": question, "value": value, "base": base})
    frames = [await c.expect("form-answer") for c in (res, *others)]
    assert all(f == frames[0] for f in frames)
    assert (frames[0]["question"], frames[0]["value"]) == (question, value)
    return int(frames[0]["version"])


async def answer_all(res: RoomClient, answers: dict[str, Any], *others: RoomClient) -> None:
    for question, value in answers.items():
        assert await answer(res, question, value, 0, *others) == 1


@database_sync_to_async
def stored_answers() -> dict[str, tuple[Any, int]]:
    return {a.question_id: (a.value, a.version) for a in Answer.objects.all()}


@database_sync_to_async
def current_signature() -> Signature | None:
    return Signature.objects.filter(superseded_at__isnull=True).first()


@database_sync_to_async
def form_language() -> str:
    return Questionnaire.objects.get().language


@database_sync_to_async
def notes() -> str:
    return Questionnaire.objects.get().notes


async def join_waiting(room: RoomFactory, visit: Visit, participant: Participant) -> RoomClient:
    key = await database_sync_to_async(factories.participant_session)(participant)
    client = room(visit.id, key)
    assert (await client.join())["state"] == "waiting"
    return client


async def admit(staff: RoomClient, client: RoomClient) -> None:
    await staff.send({"type": "admit", "participant": client.participant_id})
    await client.expect("admitted")


# Starting ------------------------------------------------------------------------------------


async def test_form_start(call: Call, visit: Visit, template_version: TemplateVersion) -> None:
    staff, res = call
    state = await start_form(staff, res)

    questionnaire = await database_sync_to_async(Questionnaire.objects.get)()
    assert state == {
        "type": "form-state",
        "questionnaire": str(questionnaire.id),
        "template": "test-intake",
        "version": 1,
        "definition": full_definition(),
        "language": "nl",
        "answers": {},
        "signed": None,
    }
    assert questionnaire.visit_id == visit.id

    # starting again is harmless: the same questionnaire, sent again
    assert await start_form(staff, res) == state
    assert await database_sync_to_async(Questionnaire.objects.count)() == 1


async def test_form_start_without_a_template(call: Call) -> None:
    staff, res = call
    await staff.send({"type": "form-start", "ref": "start-1"})
    assert (await staff.expect_error("no_template"))["ref"] == "start-1"
    await res.nothing_more()
    assert not await database_sync_to_async(Questionnaire.objects.exists)()


async def test_form_frames_before_the_form_is_started(
    call: Call, template_version: TemplateVersion
) -> None:
    staff, res = call
    for client, frame in [
        (res, {"type": "form-answer", "question": "name", "value": "Amina", "base": 0}),
        (res, {"type": "form-language", "language": "en"}),
        (res, SIGN),
        (staff, {"type": "form-reopen"}),
        (staff, {"type": "form-notes", "text": "vooraf"}),
    ]:
        await client.send(frame)
        await client.expect_error("no_form")
    await staff.nothing_more()
    await res.nothing_more()
    assert not await database_sync_to_async(Questionnaire.objects.exists)()


async def test_a_resident_admitted_later_gets_the_form(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    consented_resident: Participant,
    template_version: TemplateVersion,
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    state = await start_form(staff)
    res = await join_waiting(room, visit, consented_resident)
    await res.nothing_more()  # the waiting room shows nothing of the form
    assert [f["type"] for f in res.received] == ["welcome", "pong"]

    await admit(staff, res)
    assert await res.expect("form-state") == state


# Answering -----------------------------------------------------------------------------------


async def test_an_answer_reaches_everyone(call: Call, template_version: TemplateVersion) -> None:
    staff, res = call
    await start_form(staff, res)

    await res.send({"type": "form-answer", "question": "name", "value": "Amina", "base": 0})
    expected = {"type": "form-answer", "question": "name", "value": "Amina", "version": 1}
    assert await staff.expect("form-answer") == expected
    assert await res.expect("form-answer") == expected

    assert await answer(res, "name", "Amina Haddad", 1, staff) == 2
    assert await answer(res, "household", 4, 0, staff) == 1
    assert await answer(res, "household", 2.5, 1, staff) == 2
    assert await answer(res, "has_partner", False, 0, staff) == 1
    assert await answer(res, "birth_date", "1990-04-01", 0, staff) == 1
    assert await answer(res, "name", None, 2, staff) == 3

    # the stored value is the normalised one, and that is what is sent
    await res.send(
        {
            "type": "form-answer",
            "question": "benefits",
            "value": ["child_budget", "rent_allowance", "child_budget"],
            "base": 0,
        }
    )
    for client in (staff, res):
        assert (await client.expect("form-answer"))["value"] == ["rent_allowance", "child_budget"]

    assert await stored_answers() == {
        "name": (None, 3),
        "household": (2.5, 2),
        "has_partner": (False, 1),
        "birth_date": ("1990-04-01", 1),
        "benefits": (["rent_allowance", "child_budget"], 1),
    }


async def test_a_stale_write_is_rejected_with_the_current_value(
    call: Call, template_version: TemplateVersion
) -> None:
    staff, res = call
    await start_form(staff, res)
    await answer(res, "name", "Amina", 0, staff)
    await answer(res, "name", "Amina Haddad", 1, staff)

    # a second tab still based on version 1
    await res.send(
        {"type": "form-answer", "question": "name", "value": "Other tab", "base": 1, "ref": "a1"}
    )
    assert await res.expect("form-rejected") == {
        "type": "form-rejected",
        "question": "name",
        "code": "conflict",
        "current": {"value": "Amina Haddad", "version": 2},
    }
    await staff.nothing_more()
    await res.nothing_more()
    assert await stored_answers() == {"name": ("Amina Haddad", 2)}

    # a first write that claims a version that does not exist yet
    await res.send({"type": "form-answer", "question": "household", "value": 3, "base": 4})
    rejected = await res.expect("form-rejected")
    assert rejected["current"] == {"value": None, "version": 0}
    await staff.nothing_more()

    # based on the current version it goes through
    assert await answer(res, "name", "Amina H.", 2, staff) == 3


INVALID_ANSWERS: list[tuple[str, Any, str]] = [
    ("name", "x" * 41, "too_long"),
    ("name", 12, "type"),
    ("household", True, "type"),
    ("household", 0, "too_small"),
    ("household", 13, "too_large"),
    ("birth_date", "2026-02-30", "date"),
    ("housing", "castle", "option"),
    ("benefits", ["rent_allowance", "yacht"], "option"),
    ("intro", "hello", "not_answerable"),
    ("consent_sig", None, "not_answerable"),
    ("unknown_question", "x", "not_answerable"),
]


async def test_invalid_answers_are_rejected(
    call: Call, template_version: TemplateVersion, subtests: pytest.Subtests
) -> None:
    staff, res = call
    await start_form(staff, res)
    for question, value, code in INVALID_ANSWERS:
        with subtests.test(f"{question}={value!r}"[:60]):
            await res.send({"type": "form-answer", "question": question, "value": value, "base": 0})
            rejected = await res.expect("form-rejected")
            assert rejected.pop("message")
            assert rejected == {"type": "form-rejected", "question": question, "code": code}
            await staff.nothing_more()
            await res.nothing_more()
    assert await stored_answers() == {}


async def test_only_the_resident_answers(
    room: RoomFactory,
    call: Call,
    visit: Visit,
    template_version: TemplateVersion,
) -> None:
    staff, res = call
    await start_form(staff, res)
    interpreter = await join_waiting(
        room,
        visit,
        await database_sync_to_async(factories.make_participant)(
            visit=visit, role=ParticipantRole.INTERPRETER
        ),
    )
    await admit(staff, interpreter)
    await interpreter.expect("form-state")

    for client in (staff, interpreter):
        await client.send({"type": "form-answer", "question": "name", "value": "X", "base": 0})
        await client.expect_error("forbidden")
        await client.send(SIGN)
        await client.expect_error("forbidden")
    await res.nothing_more()
    assert await stored_answers() == {}


async def test_staff_frames_are_forbidden_to_the_resident(
    call: Call, template_version: TemplateVersion
) -> None:
    staff, res = call
    await res.send({"type": "form-start"})
    await res.expect_error("forbidden")
    await staff.nothing_more()
    assert not await database_sync_to_async(Questionnaire.objects.exists)()

    await start_form(staff, res)
    await answer_all(res, COMPLETE_ANSWERS, staff)
    await res.send(SIGN)
    await res.expect("form-signed")
    await staff.expect("form-signed")
    for frame in (
        {"type": "form-start"},
        {"type": "form-reopen"},
        {"type": "form-notes", "text": "mijn notitie"},
    ):
        await res.send(frame)
        await res.expect_error("forbidden")
        await staff.nothing_more()
        await res.nothing_more()
    assert await notes() == ""
    assert await current_signature() is not None


async def test_a_waiting_resident_may_not_answer(
    room: RoomFactory,
    visit: Visit,
    staff_key: str,
    consented_resident: Participant,
    template_version: TemplateVersion,
) -> None:
    staff = room(visit.id, staff_key)
    await staff.join()
    await start_form(staff)
    res = await join_waiting(room, visit, consented_resident)
    for frame in (
        {"type": "form-answer", "question": "name", "value": "Amina", "base": 0},
        {"type": "form-language", "language": "en"},
        SIGN,
    ):
        await res.send(frame)
        await res.expect_error("forbidden")
    await staff.nothing_more()
    assert await stored_answers() == {}
    assert await current_signature() is None


# Malformed frames ----------------------------------------------------------------------------

ANSWER = {"type": "form-answer", "question": "name", "value": "Amina", "base": 0}

MALFORMED: list[tuple[str, Frame]] = [
    ("answer without base", {k: v for k, v in ANSWER.items() if k != "base"}),
    ("answer without question", {k: v for k, v in ANSWER.items() if k != "question"}),
    ("answer without value", {k: v for k, v in ANSWER.items() if k != "value"}),
    ("negative base", {**ANSWER, "base": -1}),
    ("base as string", {**ANSWER, "base": "0"}),
    ("base as fraction", {**ANSWER, "base": 0.5}),
    ("base as bool", {**ANSWER, "base": False}),
    ("base null", {**ANSWER, "base": None}),
    ("question with bad characters", {**ANSWER, "question": "name; drop"}),
    ("question in capitals", {**ANSWER, "question": "Name"}),
    ("question empty", {**ANSWER, "question": ""}),
    ("question too long", {**ANSWER, "question": "q" * 65}),
    ("question as number", {**ANSWER, "question": 1}),
    ("value as object", {**ANSWER, "value": {"nl": "Amina"}}),
    ("value too long", {**ANSWER, "value": "x" * 5001}),
    ("value list of numbers", {**ANSWER, "value": [1, 2]}),
    ("value list of lists", {**ANSWER, "value": [["a"]]}),
    ("value list too long", {**ANSWER, "value": ["a"] * 65}),
    ("value option too long", {**ANSWER, "value": ["a" * 65]}),
    ("answer with extra field", {**ANSWER, "extra": 1}),
    ("language xx", {"type": "form-language", "language": "xx"}),
    ("language missing", {"type": "form-language"}),
    ("language null", {"type": "form-language", "language": None}),
    ("language not in the template", {"type": "form-language", "language": "tr"}),
    ("strokes flat", {**SIGN, "strokes": [[1, 2], [3, 4]]}),
    ("strokes not a list", {**SIGN, "strokes": "M 0 0 L 10 10"}),
    ("strokes with objects", {**SIGN, "strokes": [[{"x": 1, "y": 2}]]}),
    ("too many strokes", {**SIGN, "strokes": [[[1, 2]]] * 301}),
    ("png too long", {**SIGN, "png": "A" * 200_001}),
    ("png as number", {**SIGN, "png": 1}),
    ("sign without png", {"type": "form-sign", "strokes": STROKES}),
    ("sign without strokes", {"type": "form-sign", "png": PNG_B64}),
]


async def test_malformed_form_frames(
    call: Call, template_version: TemplateVersion, subtests: pytest.Subtests
) -> None:
    """All on one connection, one after the other: none of them changes anything or breaks it."""
    staff, res = call
    await start_form(staff, res)
    for name, frame in MALFORMED:
        with subtests.test(name):
            await res.send({**frame, "ref": "bad"})
            error = await res.expect_error("invalid")
            assert error["ref"] == "bad"
            await res.ping()
            await staff.nothing_more()
    assert await stored_answers() == {}
    assert await form_language() == "nl"
    # and the form still works
    assert await answer(res, "name", "Amina", 0, staff) == 1


async def test_malformed_staff_form_frames(call: Call, template_version: TemplateVersion) -> None:
    staff, res = call
    await start_form(staff, res)
    for frame in (
        {"type": "form-notes", "text": "n" * 20_001},
        {"type": "form-notes"},
        {"type": "form-notes", "text": 5},
        {"type": "form-start", "template": "other"},
        {"type": "form-reopen", "force": True},
    ):
        await staff.send(frame)
        await staff.expect_error("invalid")
        await staff.ping()
    await res.nothing_more()
    assert await notes() == ""


BAD_SIGNATURES: list[tuple[str, Frame, str]] = [
    ("not base64", {"png": "not base64!"}, "base64"),
    ("a GIF", {"png": base64.b64encode(b"GIF89a" + b"\x00" * 40).decode()}, "not a PNG"),
    ("a cut-off PNG", {"png": base64.b64encode(png()[:16]).decode()}, "not a PNG"),
    ("no strokes", {"strokes": []}, "strokes"),
    ("a point with one value", {"strokes": [[[1]]]}, "point"),
    ("an empty stroke", {"strokes": [[]]}, "stroke"),
]


async def test_invalid_signatures_are_refused(
    call: Call, template_version: TemplateVersion, subtests: pytest.Subtests
) -> None:
    staff, res = call
    await start_form(staff, res)
    await answer_all(res, COMPLETE_ANSWERS, staff)
    for name, change, message in BAD_SIGNATURES:
        with subtests.test(name):
            await res.send({**SIGN, **change})
            error = await res.expect_error("invalid")
            assert message in error["message"]
            await res.ping()
            await staff.nothing_more()
    assert await current_signature() is None
    # and a good one still goes through
    await res.send(SIGN)
    await res.expect("form-signed")


# Language ------------------------------------------------------------------------------------


async def test_form_language(call: Call, template_version: TemplateVersion) -> None:
    staff, res = call
    await start_form(staff, res)
    await res.send({"type": "form-language", "language": "en"})
    for client in (staff, res):
        assert await client.expect("form-language") == {"type": "form-language", "language": "en"}
    await staff.send({"type": "form-language", "language": "nl"})  # staff in the call may too
    for client in (staff, res):
        assert (await client.expect("form-language"))["language"] == "nl"
    assert await form_language() == "nl"


# Signing -------------------------------------------------------------------------------------


async def test_signing_an_incomplete_form(call: Call, template_version: TemplateVersion) -> None:
    staff, res = call
    await start_form(staff, res)
    await res.send(SIGN)
    assert await res.expect("form-incomplete") == {
        "type": "form-incomplete",
        "missing": REQUIRED_AT_START,
    }
    await staff.nothing_more()

    # a question shown by an answer becomes required; one hidden by an answer is not
    await answer_all(
        res, {**COMPLETE_ANSWERS, "has_partner": True, "housing_other": "hidden"}, staff
    )
    await res.send(SIGN)
    assert (await res.expect("form-incomplete"))["missing"] == ["partner_works"]
    await staff.nothing_more()
    assert await current_signature() is None


async def test_sign_lock_and_reopen(
    call: Call, visit: Visit, template_version: TemplateVersion
) -> None:
    staff, res = call
    await start_form(staff, res)
    await answer_all(res, COMPLETE_ANSWERS, staff)

    await res.send(SIGN)
    signed = [await client.expect("form-signed") for client in (staff, res)]
    signature = await current_signature()
    assert signature is not None
    assert (
        signed[0]
        == signed[1]
        == {
            "type": "form-signed",
            "sha256": signature.sha256,
            "signedAt": signature.signed_at.isoformat(),
        }
    )
    assert f'"visit":"{visit.id}"' in signature.canonical
    assert bytes(signature.png) == base64.b64decode(PNG_B64)

    # locked: no more answers, no second signature
    await res.send({"type": "form-answer", "question": "remarks", "value": "late", "base": 0})
    await res.expect_error("form_locked")
    await res.send(SIGN)
    await res.expect_error("form_locked")
    await staff.nothing_more()
    assert "remarks" not in await stored_answers()

    # a reopened form can be changed and signed again; the old signature no longer counts
    await staff.send({"type": "form-reopen"})
    for client in (staff, res):
        assert await client.expect("form-reopened") == {"type": "form-reopened"}
    assert await current_signature() is None
    await answer(res, "remarks", "late", 0, staff)
    await res.send(SIGN)
    again = [await client.expect("form-signed") for client in (staff, res)]
    assert again[0]["sha256"] != signature.sha256
    assert await database_sync_to_async(Signature.objects.count)() == 2

    # reopening a form that is not signed (any more) sends nothing
    await staff.send({"type": "form-reopen"})
    for client in (staff, res):
        await client.expect("form-reopened")
    await staff.send({"type": "form-reopen"})
    await staff.nothing_more()
    await res.nothing_more()
    assert await database_sync_to_async(Signature.objects.filter(superseded_at=None).count)() == 0


# Notes ---------------------------------------------------------------------------------------


async def test_notes_reach_staff_only(
    room: RoomFactory,
    call: Call,
    visit: Visit,
    colleague: User,
    template_version: TemplateVersion,
) -> None:
    staff, res = call
    second = room(visit.id, await database_sync_to_async(factories.staff_session)(colleague))
    await second.join()
    await start_form(staff, res, second)
    text = "Bewoner twijfelt over het inkomen van de partner."

    await staff.send({"type": "form-notes", "text": text})
    for client in (staff, second):
        assert await client.expect("form-notes") == {"type": "form-notes", "text": text}
    await res.nothing_more()
    assert all(f["type"] != "form-notes" for f in res.received)
    assert await notes() == text


# Reconnecting --------------------------------------------------------------------------------


async def test_reconnecting_gets_the_form_as_it_stands(
    room: RoomFactory,
    call: Call,
    visit: Visit,
    staff_key: str,
    resident_key: str,
    template_version: TemplateVersion,
) -> None:
    staff, res = call
    await start_form(staff, res)
    await answer(res, "name", "Amina", 0, staff)
    await answer(res, "name", "Amina Haddad", 1, staff)
    await answer(res, "has_partner", False, 0, staff)
    await res.send({"type": "form-language", "language": "en"})
    await res.expect("form-language")
    await staff.expect("form-language")
    await staff.send({"type": "form-notes", "text": "intern"})
    await staff.expect("form-notes")

    await res.close()
    again = room(visit.id, resident_key)
    assert (await again.join())["state"] == "admitted"
    state = await again.expect("form-state")
    assert state["answers"] == {
        "name": {"value": "Amina Haddad", "version": 2},
        "has_partner": {"value": False, "version": 1},
    }
    assert (state["language"], state["signed"]) == ("en", None)
    assert "intern" not in str(state)
    await again.nothing_more()  # no notes for the resident

    # the answers go on from the versions they had
    assert await answer(again, "name", "Amina H.", 2, staff) == 3

    await staff.close()
    staff_again = room(visit.id, staff_key)
    await staff_again.join()
    staff_state = await staff_again.expect("form-state")
    assert staff_state["answers"]["name"] == {"value": "Amina H.", "version": 3}
    assert await staff_again.expect("form-notes") == {"type": "form-notes", "text": "intern"}


async def test_reconnecting_after_signing(
    room: RoomFactory,
    call: Call,
    visit: Visit,
    resident_key: str,
    template_version: TemplateVersion,
) -> None:
    staff, res = call
    await start_form(staff, res)
    await answer_all(res, COMPLETE_ANSWERS, staff)
    await res.send(SIGN)
    signed = await res.expect("form-signed")
    await res.close()

    again = room(visit.id, resident_key)
    await again.join()
    state = await again.expect("form-state")
    assert state["signed"] == {"sha256": signed["sha256"], "signedAt": signed["signedAt"]}
