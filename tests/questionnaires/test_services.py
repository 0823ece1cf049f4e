"""The write side of questionnaires: import, start, answer, language, sign, reopen, notes."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from tests import factories
from tests.helpers import GroupListener
from tests.questionnaires.definitions import (
    COMPLETE_ANSWERS,
    REQUIRED_AT_START,
    STROKES,
    full_definition,
    png,
)
from videocontact.accounts.models import Process, User
from videocontact.privacy.models import AuditEvent
from videocontact.questionnaires import payloads, selectors, services
from videocontact.questionnaires.answers import AnswerInvalid
from videocontact.questionnaires.definition import DefinitionError
from videocontact.questionnaires.models import (
    Answer,
    Questionnaire,
    QuestionnaireTemplate,
    Signature,
    TemplateVersion,
)
from videocontact.questionnaires.signing import (
    SignatureInvalid,
    canonical_payload,
    sha256_hex,
    signed_answers,
)
from videocontact.rooms import events
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[Any]]
PNG_B64 = base64.b64encode(png()).decode()


def frames(listener: GroupListener, count: int) -> list[dict[str, Any]]:
    messages = listener.receive(count)
    assert all(m["type"] == "room.frame" for m in messages)
    return [m["frame"] for m in messages]


def answer(q: Questionnaire, participant: Participant, question: str, value: Any) -> Answer:
    """Save an answer based on its current version."""
    current = Answer.objects.filter(questionnaire=q, question_id=question).first()
    return services.answer_save(
        questionnaire_id=q.id,
        participant=participant,
        question_id=question,
        value=value,
        base_version=current.version if current else 0,
    )


def answer_all(q: Questionnaire, participant: Participant, answers: dict[str, Any]) -> None:
    for question, value in answers.items():
        answer(q, participant, question, value)


def sign(q: Questionnaire, participant: Participant, **kwargs: Any) -> Signature:
    return services.questionnaire_sign(
        questionnaire_id=q.id,
        participant=participant,
        strokes=kwargs.get("strokes", STROKES),
        png_base64=kwargs.get("png_base64", PNG_B64),
    )


def actions() -> list[str]:
    return list(AuditEvent.objects.values_list("action", flat=True))


# Importing templates -------------------------------------------------------------------------


def test_import_creates_version_1(process: Process, caseworker: User) -> None:
    version = services.template_import(process=process, data=full_definition(), by_user=caseworker)
    assert version.number == 1
    assert version.definition == full_definition()
    assert version.created_by == caseworker
    template = version.template
    assert (template.process, template.code, template.name) == (process, "test-intake", "Intake")
    assert template.is_default
    assert str(version) == "test-intake v1"
    event = AuditEvent.objects.get(action="questionnaire.version_created")
    assert event.actor_user == caseworker
    assert event.data == {"template": "test-intake", "number": 1}


def test_importing_the_same_file_again_makes_no_new_version(process: Process) -> None:
    first = services.template_import(process=process, data=full_definition())
    reordered = dict(reversed(list(full_definition().items())))  # key order does not matter
    again = services.template_import(process=process, data=reordered)
    assert again.pk == first.pk
    assert TemplateVersion.objects.count() == 1
    assert actions().count("questionnaire.version_created") == 1


def test_a_changed_file_becomes_the_next_version(process: Process) -> None:
    first = services.template_import(process=process, data=full_definition())
    changed = full_definition()
    changed["sections"][0]["questions"][1]["max_length"] = 80
    second = services.template_import(process=process, data=changed)
    assert (second.template_id, second.number) == (first.template_id, 2)
    first.refresh_from_db()
    assert first.definition == full_definition()
    assert second.template.latest_version() == second
    # importing version 1's content again is a change too
    assert services.template_import(process=process, data=full_definition()).number == 3


def test_the_same_code_in_another_process_is_another_template(process: Process) -> None:
    other = factories.make_process(unit=process.unit)
    a = services.template_import(process=process, data=full_definition())
    b = services.template_import(process=other, data=full_definition())
    assert a.template_id != b.template_id and b.number == 1


def test_an_invalid_file_stores_nothing(process: Process) -> None:
    data = full_definition()
    data["sections"][0]["questions"][1]["type"] = "dropdown"
    with pytest.raises(DefinitionError) as caught:
        services.template_import(process=process, data=data)
    assert caught.value.path == "$.sections[0].questions[1].type"
    assert not QuestionnaireTemplate.objects.exists()
    assert not AuditEvent.objects.exclude(action="storage.approved").exists()


# Starting ------------------------------------------------------------------------------------


def test_start(
    visit: Visit,
    caseworker: User,
    template_version: TemplateVersion,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        q = services.questionnaire_start(visit=visit, by_user=caseworker)

    assert (q.visit, q.version, q.language, q.notes) == (visit, template_version, "nl", "")
    opened, state = frames(listener, 2)
    assert opened == {"type": "form-opened"}
    assert state == {
        "type": "form-state",
        "questionnaire": str(q.id),
        "template": "test-intake",
        "version": 1,
        "definition": full_definition(),
        "language": "nl",
        "answers": {},
        "signed": None,
    }
    assert listener.nothing_more()
    event = AuditEvent.objects.get(action="questionnaire.started")
    assert (event.actor_user, event.visit_id, event.object_id) == (caseworker, visit.id, str(q.id))
    assert event.data == {"template": "test-intake", "number": 1}


def test_start_is_idempotent(
    visit: Visit,
    caseworker: User,
    colleague: User,
    resident: Participant,
    template_version: TemplateVersion,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    first = services.questionnaire_start(visit=visit, by_user=caseworker)
    answer(first, resident, "name", "Amina")
    changed = full_definition()
    changed["title"]["en"] = "Intake v2"
    services.template_import(process=visit.process, data=changed)

    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        second = services.questionnaire_start(visit=visit, by_user=colleague)

    assert second.pk == first.pk
    assert second.version == template_version  # keeps the version it started with
    opened, state = frames(listener, 2)
    assert opened["type"] == "form-opened"
    assert state["answers"] == {"name": {"value": "Amina", "version": 1}}
    assert Questionnaire.objects.count() == 1
    assert actions().count("questionnaire.started") == 1


def test_start_without_a_template(visit: Visit, caseworker: User) -> None:
    with pytest.raises(services.NoTemplate) as caught:
        services.questionnaire_start(visit=visit, by_user=caseworker)
    assert caught.value.code == "no_template"
    assert not Questionnaire.objects.exists()


def test_start_with_a_template_without_versions(visit: Visit, caseworker: User) -> None:
    QuestionnaireTemplate.objects.create(process=visit.process, code="empty", name="Leeg")
    with pytest.raises(services.NoTemplate):
        services.questionnaire_start(visit=visit, by_user=caseworker)


def test_start_ignores_templates_that_are_not_the_default(
    visit: Visit, caseworker: User, template_version: TemplateVersion
) -> None:
    QuestionnaireTemplate.objects.update(is_default=False)
    with pytest.raises(services.NoTemplate):
        services.questionnaire_start(visit=visit, by_user=caseworker)


def test_start_ignores_templates_of_other_processes(
    visit: Visit, caseworker: User, unit: Any
) -> None:
    services.template_import(process=factories.make_process(unit=unit), data=full_definition())
    with pytest.raises(services.NoTemplate):
        services.questionnaire_start(visit=visit, by_user=caseworker)


def test_start_uses_the_latest_version(
    visit: Visit, caseworker: User, template_version: TemplateVersion
) -> None:
    changed = full_definition()
    changed["title"]["nl"] = "Intake 2"
    latest = services.template_import(process=visit.process, data=changed)
    q = services.questionnaire_start(visit=visit, by_user=caseworker)
    assert q.version == latest and latest.number == 2


@pytest.mark.parametrize(("preferred", "language"), [("en", "en"), ("nl", "nl"), ("ar", "nl")])
def test_start_in_the_residents_language_if_the_template_has_it(
    process: Process,
    caseworker: User,
    template_version: TemplateVersion,
    preferred: str,
    language: str,
) -> None:
    visit, _ = factories.make_visit(
        process=process, caseworker=caseworker, resident_language=preferred
    )
    assert services.questionnaire_start(visit=visit, by_user=caseworker).language == language


def test_start_falls_back_to_the_source_language(process: Process, caseworker: User) -> None:
    data = full_definition()
    data["languages"] = {"nl": "machine", "en": "source"}
    services.template_import(process=process, data=data)
    visit, _ = factories.make_visit(process=process, caseworker=caseworker, resident_language="tr")
    assert services.questionnaire_start(visit=visit, by_user=caseworker).language == "en"


# Answering -----------------------------------------------------------------------------------


def test_answers_are_versioned_per_field(
    visit: Visit,
    questionnaire: Questionnaire,
    resident: Participant,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    staff_listener = GroupListener(events.staff_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id="name",
            value="Amina",
            base_version=0,
        )
    assert (first.value, first.version, first.updated_by) == ("Amina", 1, resident.id)
    assert frames(listener, 1) == [
        {"type": "form-answer", "question": "name", "value": "Amina", "version": 1}
    ]
    assert staff_listener.nothing_more()

    with django_capture_on_commit_callbacks(execute=True):
        second = services.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id="name",
            value="Amina H.",
            base_version=1,
        )
        other = services.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id="household",
            value=2,
            base_version=0,
        )
    assert (second.pk, second.version, other.version) == (first.pk, 2, 1)
    assert [f["version"] for f in frames(listener, 2)] == [2, 1]
    assert selectors.answer_values(questionnaire) == {"name": "Amina H.", "household": 2}


def test_the_stored_value_is_the_normalised_one(
    visit: Visit,
    questionnaire: Questionnaire,
    resident: Participant,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        answer(
            questionnaire, resident, "benefits", ["child_budget", "rent_allowance", "child_budget"]
        )
    assert frames(listener, 1)[0]["value"] == ["rent_allowance", "child_budget"]
    assert Answer.objects.get().value == ["rent_allowance", "child_budget"]


def test_null_clears_an_answer(questionnaire: Questionnaire, resident: Participant) -> None:
    answer(questionnaire, resident, "name", "Amina")
    cleared = answer(questionnaire, resident, "name", None)
    assert (cleared.value, cleared.version) == (None, 2)
    assert Answer.objects.get().value is None


@pytest.mark.parametrize("base", [0, 1, 3, 99])
def test_a_write_based_on_another_version_is_a_conflict(
    visit: Visit,
    questionnaire: Questionnaire,
    resident: Participant,
    base: int,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    answer(questionnaire, resident, "name", "Amina")
    answer(questionnaire, resident, "name", "Amina Haddad")  # version 2
    listener = GroupListener(events.visit_group(visit.id))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.AnswerConflict) as caught,
    ):
        services.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id="name",
            value="Other tab",
            base_version=base,
        )
    assert caught.value.code == "conflict"
    assert (caught.value.answer.value, caught.value.answer.version) == ("Amina Haddad", 2)
    stored = Answer.objects.get()
    assert (stored.value, stored.version) == ("Amina Haddad", 2)
    assert listener.nothing_more()


def test_a_first_write_must_be_based_on_version_0(
    questionnaire: Questionnaire, resident: Participant
) -> None:
    with pytest.raises(services.AnswerConflict) as caught:
        services.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id="name",
            value="Amina",
            base_version=1,
        )
    assert (caught.value.answer.value, caught.value.answer.version) == (None, 0)
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "role", [ParticipantRole.CASEWORKER, ParticipantRole.INTERPRETER, ParticipantRole.FAMILY]
)
def test_only_the_resident_answers(visit: Visit, questionnaire: Questionnaire, role: str) -> None:
    participant = visit.participants.filter(role=role).first() or factories.make_participant(
        visit=visit, role=role, state=ParticipantState.ADMITTED
    )
    with pytest.raises(services.NotAllowedToAnswer) as caught:
        answer(questionnaire, participant, "name", "Amina")
    assert caught.value.code == "forbidden"
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        ("nobody", "x", "not_answerable"),
        ("intro", "x", "not_answerable"),
        ("house_photo", None, "not_answerable"),
        ("name", "x" * 41, "too_long"),
        ("household", True, "type"),
        ("household", 13, "too_large"),
        ("birth_date", "2026-02-30", "date"),
        ("housing", "castle", "option"),
    ],
)
def test_invalid_answers_are_refused(
    questionnaire: Questionnaire, resident: Participant, question: str, value: Any, code: str
) -> None:
    with pytest.raises(AnswerInvalid) as caught:
        answer(questionnaire, resident, question, value)
    assert caught.value.code == code
    assert not Answer.objects.exists()


def test_answers_to_hidden_questions_are_kept(
    questionnaire: Questionnaire, resident: Participant
) -> None:
    answer(questionnaire, resident, "housing_other", "a boat")  # hidden while housing is unset
    assert selectors.answer_values(questionnaire) == {"housing_other": "a boat"}


def test_answers_belong_to_one_questionnaire(
    process: Process, caseworker: User, questionnaire: Questionnaire, resident: Participant
) -> None:
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    other = services.questionnaire_start(visit=other_visit, by_user=caseworker)
    answer(questionnaire, resident, "name", "Amina")
    answer(other, factories.resident_of(other_visit), "name", "Bram")
    assert selectors.answer_values(questionnaire) == {"name": "Amina"}
    assert selectors.answer_values(other) == {"name": "Bram"}


# Language ------------------------------------------------------------------------------------


def test_set_language(
    visit: Visit, questionnaire: Questionnaire, django_capture_on_commit_callbacks: Capture
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        services.questionnaire_set_language(questionnaire_id=questionnaire.id, language="en")
    assert frames(listener, 1) == [{"type": "form-language", "language": "en"}]
    questionnaire.refresh_from_db()
    assert questionnaire.language == "en"
    assert payloads.state_frame(questionnaire.id)["language"] == "en"


@pytest.mark.parametrize("language", ["tr", "xx", ""])
def test_a_language_the_template_lacks_is_refused(
    questionnaire: Questionnaire, language: str
) -> None:
    with pytest.raises(AnswerInvalid):
        services.questionnaire_set_language(questionnaire_id=questionnaire.id, language=language)
    questionnaire.refresh_from_db()
    assert questionnaire.language == "nl"


# Signing -------------------------------------------------------------------------------------


def test_nothing_answered_lists_the_visible_required_questions(
    questionnaire: Questionnaire, resident: Participant
) -> None:
    with pytest.raises(services.Incomplete) as caught:
        sign(questionnaire, resident)
    assert caught.value.code == "incomplete"
    assert caught.value.missing == REQUIRED_AT_START
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({**COMPLETE_ANSWERS, "name": ""}, ["name"]),
        ({**COMPLETE_ANSWERS, "name": None}, ["name"]),
        ({**COMPLETE_ANSWERS, "has_partner": True}, ["partner_works"]),
        ({**COMPLETE_ANSWERS, "has_partner": True, "partner_works": False}, []),
        (
            {**COMPLETE_ANSWERS, "has_partner": True, "partner_works": True},
            ["partner_income"],
        ),
        ({**COMPLETE_ANSWERS, "housing": "other"}, ["housing_other"]),
        ({**COMPLETE_ANSWERS, "housing": "other", "housing_other": ""}, ["housing_other"]),
        # a hidden question is not required, even after it was shown and answered once
        ({**COMPLETE_ANSWERS, "housing_other": "a boat", "partner_works": True}, []),
        (
            {"has_partner": True, "housing": "other"},
            ["name", "birth_date", "household", "partner_works", "housing_other"],
        ),
    ],
)
def test_incomplete_lists_exactly_the_visible_required_unanswered_questions(
    questionnaire: Questionnaire,
    resident: Participant,
    answers: dict[str, Any],
    missing: list[str],
) -> None:
    answer_all(questionnaire, resident, answers)
    if missing:
        with pytest.raises(services.Incomplete) as caught:
            sign(questionnaire, resident)
        assert caught.value.missing == missing
        assert services.missing_required(full_definition(), answers) == missing
    else:
        assert sign(questionnaire, resident).questionnaire == questionnaire


def test_a_stale_answer_to_a_hidden_question_does_not_count(
    questionnaire: Questionnaire, resident: Participant
) -> None:
    answer_all(
        questionnaire,
        resident,
        {**COMPLETE_ANSWERS, "has_partner": True, "partner_works": True},
    )
    answer(questionnaire, resident, "has_partner", False)
    # partner_income would be required if partner_works (now hidden) still counted
    signature = sign(questionnaire, resident)
    assert json.loads(signature.canonical)["answers"] == COMPLETE_ANSWERS


def test_sign(
    visit: Visit,
    questionnaire: Questionnaire,
    resident: Participant,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    answer_all(
        questionnaire,
        resident,
        {
            **COMPLETE_ANSWERS,
            "name": "Zoë ʿAbd",
            "benefits": ["care_allowance"],
            "remarks": "",
            "housing_other": "hidden, so not signed",
        },
    )
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        signature = sign(questionnaire, resident)

    stored = Signature.objects.get()
    assert stored.pk == signature.pk
    assert (stored.signer, stored.strokes, bytes(stored.png)) == (resident, STROKES, png())
    assert stored.superseded_at is None
    # the hash is over exactly what is stored, and that is recomputable from the database
    definition = stored.questionnaire.version.definition
    recomputed = canonical_payload(
        visit_id=str(visit.id),
        template_code="test-intake",
        version=1,
        answers=signed_answers(definition, selectors.answer_values(questionnaire)),
        signed_at=stored.signed_at,
    )
    assert stored.canonical == recomputed
    assert stored.sha256 == sha256_hex(recomputed) == sha256_hex(stored.canonical)
    assert '"housing_other"' not in stored.canonical and '"remarks"' not in stored.canonical
    assert '"name":"Zoë ʿAbd"' in stored.canonical
    assert f'"visit":"{visit.id}"' in stored.canonical

    assert frames(listener, 1) == [
        {
            "type": "form-signed",
            "sha256": stored.sha256,
            "signedAt": stored.signed_at.isoformat(),
        }
    ]
    assert payloads.state_frame(questionnaire.id)["signed"] == {
        "sha256": stored.sha256,
        "signedAt": stored.signed_at.isoformat(),
    }
    event = AuditEvent.objects.get(action="questionnaire.signed")
    assert (event.actor_participant_id, event.visit_id) == (resident.id, visit.id)
    assert (event.object_id, event.data) == (str(stored.pk), {"sha256": stored.sha256})
    assert questionnaire.current_signature == stored


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"png_base64": "not base64!"}, "base64"),
        ({"png_base64": base64.b64encode(b"GIF89a" + b"\x00" * 30).decode()}, "not a PNG"),
        ({"png_base64": ""}, "not a PNG"),
        ({"strokes": []}, "strokes"),
        ({"strokes": [[[1]]]}, "point"),
        ({"strokes": [[[1, 2]]] * 301}, "strokes"),
    ],
)
def test_an_invalid_signature_is_refused(
    questionnaire: Questionnaire, resident: Participant, kwargs: dict[str, Any], message: str
) -> None:
    answer_all(questionnaire, resident, COMPLETE_ANSWERS)
    with pytest.raises(SignatureInvalid, match=message):
        sign(questionnaire, resident, **kwargs)
    assert not Signature.objects.exists()
    assert "questionnaire.signed" not in actions()


def test_only_the_resident_signs(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    answer_all(questionnaire, resident, COMPLETE_ANSWERS)
    staff = visit.participants.get(role=ParticipantRole.CASEWORKER)
    with pytest.raises(services.NotAllowedToAnswer):
        sign(questionnaire, staff)
    assert not Signature.objects.exists()


def test_a_signed_questionnaire_is_locked(
    questionnaire: Questionnaire, resident: Participant
) -> None:
    answer_all(questionnaire, resident, COMPLETE_ANSWERS)
    sign(questionnaire, resident)
    with pytest.raises(services.FormLocked) as caught:
        answer(questionnaire, resident, "remarks", "one more thing")
    assert caught.value.code == "form_locked"
    with pytest.raises(services.FormLocked):
        sign(questionnaire, resident)
    assert Signature.objects.count() == 1
    assert "remarks" not in selectors.answer_values(questionnaire)


def test_reopen_supersedes_the_signature(
    visit: Visit,
    caseworker: User,
    questionnaire: Questionnaire,
    resident: Participant,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    answer_all(questionnaire, resident, COMPLETE_ANSWERS)
    first = sign(questionnaire, resident)
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        services.questionnaire_reopen(questionnaire_id=questionnaire.id, by_user=caseworker)

    assert frames(listener, 1) == [{"type": "form-reopened"}]
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert questionnaire.current_signature is None
    assert payloads.state_frame(questionnaire.id)["signed"] is None
    event = AuditEvent.objects.get(action="questionnaire.reopened")
    assert (event.actor_user, event.visit_id) == (caseworker, visit.id)
    assert event.data == {"superseded": first.sha256}

    # answering is allowed again, and the new signature covers the new answers
    answer(questionnaire, resident, "remarks", "one more thing")
    second = sign(questionnaire, resident)
    assert second.sha256 != first.sha256
    assert '"remarks":"one more thing"' in second.canonical
    assert questionnaire.current_signature == second
    assert Signature.objects.count() == 2


def test_reopen_without_signature_does_nothing(
    visit: Visit,
    caseworker: User,
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    with django_capture_on_commit_callbacks(execute=True):
        services.questionnaire_reopen(questionnaire_id=questionnaire.id, by_user=caseworker)
    assert listener.nothing_more()
    assert "questionnaire.reopened" not in actions()


def test_audit_trail(
    caseworker: User, template_version: TemplateVersion, visit: Visit, resident: Participant
) -> None:
    q = services.questionnaire_start(visit=visit, by_user=caseworker)
    answer_all(q, resident, COMPLETE_ANSWERS)
    sign(q, resident)
    services.questionnaire_reopen(questionnaire_id=q.id, by_user=caseworker)
    services.notes_save(questionnaire_id=q.id, text="internal", by_user=caseworker)
    form_actions = [a for a in actions() if a.startswith("questionnaire.")]
    assert form_actions == [
        "questionnaire.version_created",
        "questionnaire.started",
        "questionnaire.signed",
        "questionnaire.reopened",
    ]
    # the audit trail holds no answers
    assert all("Amina" not in str(e.data) for e in AuditEvent.objects.all())


# Notes ---------------------------------------------------------------------------------------


def test_notes_go_to_staff_only(
    visit: Visit,
    caseworker: User,
    questionnaire: Questionnaire,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    everyone = GroupListener(events.visit_group(visit.id))
    staff = GroupListener(events.staff_group(visit.id))
    text = "Bewoner lijkt onzeker over inkomen partner. " * 10
    with django_capture_on_commit_callbacks(execute=True):
        services.notes_save(questionnaire_id=questionnaire.id, text=text, by_user=caseworker)

    assert frames(staff, 1) == [{"type": "form-notes", "text": text}]
    assert everyone.nothing_more()
    questionnaire.refresh_from_db()
    assert questionnaire.notes == text
    state = payloads.state_frame(questionnaire.id)
    assert "notes" not in state and "onzeker" not in str(state)


def test_notes_may_be_changed_after_signing(
    caseworker: User, questionnaire: Questionnaire, resident: Participant
) -> None:
    answer_all(questionnaire, resident, COMPLETE_ANSWERS)
    signature = sign(questionnaire, resident)
    services.notes_save(
        questionnaire_id=questionnaire.id, text="na ondertekening", by_user=caseworker
    )
    assert questionnaire.current_signature == signature


# Reading -------------------------------------------------------------------------------------


def test_state_frame_and_questionnaire_for_visit(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    assert selectors.questionnaire_for_visit(visit.id) == questionnaire
    assert (
        selectors.questionnaire_for_visit(
            factories.make_visit(process=visit.process, caseworker=visit.caseworker)[0].id
        )
        is None
    )
    answer(questionnaire, resident, "name", "Amina")
    answer(questionnaire, resident, "name", "Amina H.")
    answer(questionnaire, resident, "has_partner", False)
    answer(questionnaire, resident, "remarks", None)
    state = payloads.state_frame(questionnaire.id)
    assert state["answers"] == {
        "name": {"value": "Amina H.", "version": 2},
        "has_partner": {"value": False, "version": 1},
        "remarks": {"value": None, "version": 1},
    }
    assert state["definition"] == full_definition()
