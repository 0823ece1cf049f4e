"""A finished visit worth a report: an Arabic-speaking resident who answered and signed a
two-language questionnaire, photos (one discarded), internal notes, and a seal certificate."""

from __future__ import annotations

import base64
import io
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests import factories
from tests.questionnaires.definitions import STROKES, png
from videocontact.accounts.models import Organisation, Process, User
from videocontact.evidence.models import Photo
from videocontact.evidence.services import photo_store
from videocontact.questionnaires import services as questionnaires
from videocontact.questionnaires.models import Signature
from videocontact.reports.demo import self_signed_material
from videocontact.reports.models import SealCertificate
from videocontact.reports.services import seal_certificate_store
from videocontact.visits import services as visits
from videocontact.visits.models import Participant, Visit

BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u200e\u200f\u2066\u2067\u2068\u2069")
)

ARABIC_FREE_TEXT = "أعيش هنا مع ابني وابنتي"
ARABIC_QUESTION = "كم عدد الأشخاص الذين يعيشون في هذا البيت؟"
DUTCH_QUESTION = "Hoeveel mensen wonen in dit huis?"
NOTES = "Bewoner was goed voorbereid. Controle huurcontract volgt."


def nl_ar(nl: str, ar: str) -> dict[str, str]:
    return {"nl": nl, "ar": ar}


def arabic_definition() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "code": "huisbezoek-ar",
        "title": nl_ar("Huisbezoek", "زيارة منزلية"),
        "languages": {"nl": "source", "ar": "machine"},
        "sections": [
            {
                "id": "wonen",
                "title": nl_ar("Wonen", "السكن"),
                "questions": [
                    {"id": "intro", "type": "info", "label": nl_ar("Welkom", "أهلا وسهلا")},
                    {
                        "id": "household",
                        "type": "number",
                        "label": nl_ar(DUTCH_QUESTION, ARABIC_QUESTION),
                        "required": True,
                    },
                    {
                        "id": "who",
                        "type": "long_text",
                        "label": nl_ar("Met wie woont u hier?", "مع من تعيش هنا؟"),
                    },
                    {
                        "id": "rent",
                        "type": "yes_no",
                        "label": nl_ar("Huurt u dit huis?", "هل تستأجر هذا البيت؟"),
                        "required": True,
                    },
                    {
                        "id": "landlord",
                        "type": "short_text",
                        "label": nl_ar("Naam van de verhuurder", "اسم المؤجر"),
                        "show_if": {"question": "rent", "equals": False},
                    },
                    {
                        "id": "heating",
                        "type": "single_choice",
                        "label": nl_ar("Hoe verwarmt u het huis?", "كيف تدفئ البيت؟"),
                        "options": [
                            {"value": "gas", "label": nl_ar("Gas", "غاز")},
                            {"value": "stadswarmte", "label": nl_ar("Stadswarmte", "تدفئة مركزية")},
                        ],
                    },
                    {
                        "id": "moved_in",
                        "type": "date",
                        "label": nl_ar("Sinds wanneer woont u hier?", "منذ متى تعيش هنا؟"),
                    },
                ],
            }
        ],
    }


def photo_jpeg(
    width: int = 640, height: int = 480, colour: tuple[int, int, int] = (40, 90, 160)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@dataclass
class Scenario:
    visit: Visit
    resident: Participant
    caseworker: User
    photos: list[Photo]
    discarded: Photo
    signature: Signature


def end_visit_with_content(visit: Visit, caseworker: User) -> Scenario:
    """Join, admit, answer, sign, take photos, write notes — the way the services do it."""
    resident = factories.resident_of(visit)
    staff = visits.staff_participant_get_or_create(visit=visit, user=caseworker)
    visits.participant_enter_room(participant=staff, is_staff=True)
    visits.consent_record(participant=resident, accepted=True, language="ar")
    visits.participant_enter_room(participant=resident, is_staff=False)
    visits.participant_admit(participant=resident, by_user=caseworker)
    questionnaires.template_import(process=visit.process, data=arabic_definition())
    questionnaire = questionnaires.questionnaire_start(visit=visit, by_user=caseworker)
    for question_id, value in {
        "household": 3,
        "who": ARABIC_FREE_TEXT,
        "rent": True,
        "heating": "stadswarmte",
        "moved_in": "2021-03-15",
    }.items():
        questionnaires.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id=question_id,
            value=value,
            base_version=0,
        )
    signature = questionnaires.questionnaire_sign(
        questionnaire_id=questionnaire.id,
        participant=resident,
        strokes=STROKES,
        png_base64=base64.b64encode(png(300, 120)).decode(),
    )
    questionnaires.notes_save(questionnaire_id=questionnaire.id, text=NOTES, by_user=caseworker)
    photos = []
    for caption, colour in (("Woonkamer met bank", (200, 60, 60)), ("Keuken", (60, 160, 60))):
        photo = photo_store(
            visit=visit,
            data=photo_jpeg(colour=colour),
            requested_by=caseworker,
            captured_by=resident,
        )
        Photo.objects.filter(pk=photo.pk).update(caption=caption)
        photo.refresh_from_db()
        photos.append(photo)
    discarded = photo_store(
        visit=visit, data=photo_jpeg(320, 240), requested_by=caseworker, captured_by=resident
    )
    Photo.objects.filter(pk=discarded.pk).update(
        caption="Weggegooide foto", discarded_at=discarded.captured_at, discarded_by=caseworker
    )
    visits.visit_end(visit=visit, by_user=caseworker)
    visit.refresh_from_db()
    return Scenario(
        visit=visit,
        resident=resident,
        caseworker=caseworker,
        photos=photos,
        discarded=discarded,
        signature=signature,
    )


@pytest.fixture(autouse=True)
def _own_evidence_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


@pytest.fixture
def seal_certificate(organisation: Organisation) -> SealCertificate:
    return seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )


@pytest.fixture
def arabic_visit(process: Process, caseworker: User) -> Visit:
    visit, _ = factories.make_visit(
        process=process, caseworker=caseworker, resident_name="Amina Haddad", resident_language="ar"
    )
    return visit


@pytest.fixture
def scenario(arabic_visit: Visit, caseworker: User, seal_certificate: SealCertificate) -> Scenario:
    return end_visit_with_content(arabic_visit, caseworker)


def pdftotext(pdf: bytes, tmp_path: Path, *, layout: bool = False) -> str:
    """The PDF's text as poppler extracts it, bidi control characters removed. Without `layout`
    all whitespace is one space; with it, the lines are kept (a table row is one line)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    mode = ["-layout"] if layout else []
    out = subprocess.run(
        ["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.translate(BIDI_CONTROLS)
    if layout:
        return "\n".join(" ".join(line.split()) for line in out.splitlines())
    return " ".join(out.split())


def pdfsig(pdf: bytes, tmp_path: Path, name: str = "sealed.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr
