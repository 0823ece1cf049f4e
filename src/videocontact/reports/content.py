"""Everything the report shows, gathered from the other apps' selectors (read only, except the
audited decryption of photos). The PDF template renders this; nothing here knows about PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django.utils import translation
from django.utils.translation import gettext as _

from videocontact.evidence.selectors import photos_for_report
from videocontact.evidence.services import photo_read
from videocontact.language.selectors import machine_translation, transcript_lines
from videocontact.privacy.models import AuditEvent
from videocontact.questionnaires.definition import Question, visible_ids
from videocontact.questionnaires.selectors import answer_values, questionnaire_for_visit
from videocontact.reports.selectors import report_settings_for
from videocontact.visits.models import Participant, Visit

REPORT_LANGUAGE = "nl"
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

# The audit events the report summarises, in the words of the report (English msgids).
AUDIT_SUMMARY = {
    "visit.created": "Visit planned",
    "consent.accepted": "Gave consent",
    "consent.declined": "Declined",
    "participant.joined": "Joined the call",
    "participant.admitted": "Admitted to the call",
    "participant.denied": "Not admitted",
    "questionnaire.started": "Questionnaire opened",
    "photo.stored": "Photo taken",
    "photo.discarded": "Photo discarded",
    "questionnaire.signed": "Questionnaire signed",
    "questionnaire.reopened": "Questionnaire reopened",
    "visit.ended": "Visit ended",
}


@dataclass(frozen=True)
class Text:
    """A text in Dutch, and in the resident's language when that is another language."""

    nl: str
    other: str | None = None


@dataclass(frozen=True)
class AnswerRow:
    question: Text
    answer: Text
    answered: bool
    free_text: bool  # typed by the resident: shown once, in whatever script it was typed
    machine: tuple[str, str] | None = None  # (Dutch machine translation, engine) of free text


@dataclass(frozen=True)
class SectionBlock:
    title: Text
    rows: list[AnswerRow]


@dataclass(frozen=True)
class PhotoItem:
    url: str  # report:photo/<n>, served from memory by the PDF fetcher
    caption: str
    captured_at: dt.datetime
    sha256: str
    width: int
    height: int
    captured_by: str


@dataclass(frozen=True)
class SignatureItem:
    url: str
    sha256: str
    signed_at: dt.datetime
    signer: str


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    what: str
    who: str


@dataclass
class ReportContent:
    visit: Visit
    number: int
    organisation: str
    process: str
    unit: str
    other_language: str | None  # the resident's language, if not Dutch
    other_language_name: str
    other_rtl: bool
    participants: list[Participant]
    sections: list[SectionBlock]
    questionnaire_title: Text | None
    template_version: str
    signature: SignatureItem | None
    photos: list[PhotoItem]
    include_notes: bool
    notes: str
    audit: list[AuditRow]
    generated_at: dt.datetime
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # url → (data, mime)
    transcript: list[Any] = field(default_factory=list)  # kept caption lines (language app)

    @property
    def duration_minutes(self) -> int | None:
        if self.visit.started_at and self.visit.ended_at:
            return max(0, round((self.visit.ended_at - self.visit.started_at).total_seconds() / 60))
        return None

    @property
    def signature_sha256(self) -> str:
        return self.signature.sha256 if self.signature else ""


def _in(language: str | None, message: str) -> str | None:
    if language is None:
        return None
    with translation.override(language):
        return _(message)


def _both(message: str, other: str | None) -> Text:
    return Text(nl=_in(REPORT_LANGUAGE, message) or message, other=_in(other, message))


def _label(node: dict[str, Any], key: str, language: str | None) -> str | None:
    if language is None:
        return None
    texts = node.get(key) or {}
    return texts.get(language)


def _option_labels(question: Question, values: list[str], language: str | None) -> str | None:
    if language is None:
        return None
    labels = {o["value"]: o["label"] for o in question.data.get("options", [])}
    shown = [(labels.get(v) or {}).get(language) or v for v in values]
    return ", ".join(shown)


def format_number(value: int | float | str, language: str) -> str:
    """The number exactly as stored, in the language's notation (12345.67 → "12.345,67" in nl).

    Decimal(repr) keeps the digits the JSON column holds (no float formatting, no scientific
    notation); decimal_quantization=False stops Babel from rounding to its pattern's 3 decimals.
    A number stored as text is read digit for digit.
    """
    exact = Decimal(value) if isinstance(value, int | str) else Decimal(repr(value))
    return format_decimal(exact, locale=language, decimal_quantization=False)


def _exact_number(value: Any) -> int | float | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return value.strip() if Decimal(value.strip()).is_finite() else None
        except ArithmeticError:
            return None
    return None


def _answer(question: Question, value: Any, other: str | None) -> tuple[Text, bool, bool]:
    """(text, answered, free_text)"""
    if value is None or value == "" or value == []:
        return _both("Not answered", other), False, False
    kind = question.type
    if kind == "yes_no":
        return _both("Yes" if value else "No", other), True, False
    if kind in ("single_choice", "multiple_choice"):
        values = value if isinstance(value, list) else [value]
        nl = _option_labels(question, values, REPORT_LANGUAGE) or ""
        return Text(nl=nl, other=_option_labels(question, values, other)), True, False
    if kind == "date":
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return Text(nl=str(value)), True, True
        return Text(nl=day.strftime("%d-%m-%Y")), True, False
    if kind == "number":
        number = _exact_number(value)
        if number is None:
            return Text(nl=str(value)), True, True
        other_text = format_number(number, other) if other else None
        return Text(nl=format_number(number, REPORT_LANGUAGE), other=other_text), True, False
    return Text(nl=str(value)), True, True


def _sections(
    definition: dict[str, Any], answers: dict[str, Any], other: str | None
) -> list[SectionBlock]:
    shown = visible_ids(definition, answers)
    blocks: list[SectionBlock] = []
    for section in definition["sections"]:
        rows: list[AnswerRow] = []
        for data in section["questions"]:
            question = Question(id=data["id"], type=data["type"], data=data)
            if not question.answerable or question.id not in shown:
                continue
            text, answered, free = _answer(question, answers.get(question.id), other)
            label = Text(
                nl=question.label(REPORT_LANGUAGE),
                other=_label(data, "label", other),
            )
            machine = None
            if free and other is not None:  # beside the original, marked (language app)
                machine = machine_translation(text.nl, other, REPORT_LANGUAGE)
            rows.append(
                AnswerRow(
                    question=label, answer=text, answered=answered, free_text=free, machine=machine
                )
            )
        if rows:
            title = Text(
                nl=_label(section, "title", REPORT_LANGUAGE) or section["id"],
                other=_label(section, "title", other),
            )
            blocks.append(SectionBlock(title=title, rows=rows))
    return blocks


def _audit_rows(visit: Visit, names: dict[str, str], by_user: dict[int, str]) -> list[AuditRow]:
    rows: list[AuditRow] = []
    events = AuditEvent.objects.filter(visit_id=visit.id, action__in=AUDIT_SUMMARY).order_by(
        "at", "id"
    )
    for event in events:
        who = ""
        if event.action in ("participant.admitted", "participant.denied"):
            who = names.get(event.object_id, "")
        elif event.actor_participant_id is not None:
            who = names.get(str(event.actor_participant_id), "")
        elif event.actor_user_id is not None:
            who = by_user.get(event.actor_user_id, "")
        with translation.override(REPORT_LANGUAGE):
            rows.append(AuditRow(at=event.at, what=_(AUDIT_SUMMARY[event.action]), who=who))
    return rows


def gather(*, visit: Visit, number: int, now: dt.datetime) -> ReportContent:
    """Collect the report's content. Reads (and audits) every photo with purpose "report"."""
    settings = report_settings_for(visit.process_id)
    participants = list(visit.participants.order_by("created_at"))
    names = {str(p.id): p.display_name for p in participants}
    by_user = {p.user_id: p.display_name for p in participants if p.user_id is not None}
    questionnaire = questionnaire_for_visit(visit.id)
    other: str | None = None
    sections: list[SectionBlock] = []
    title: Text | None = None
    version = ""
    signature_item: SignatureItem | None = None
    images: dict[str, tuple[bytes, str]] = {}
    notes = ""
    language = visit.resident_language
    if questionnaire is not None:
        definition = questionnaire.version.definition
        language = questionnaire.language or language
        if language != REPORT_LANGUAGE and language in definition["languages"]:
            other = language
        sections = _sections(definition, answer_values(questionnaire), other)
        title = Text(
            nl=_label(definition, "title", REPORT_LANGUAGE) or definition["code"],
            other=_label(definition, "title", other),
        )
        version = f"{questionnaire.version.template.code} v{questionnaire.version.number}"
        notes = questionnaire.notes
        signature = questionnaire.current_signature
        if signature is not None:
            images["report:signature"] = (bytes(signature.png), "image/png")
            signature_item = SignatureItem(
                url="report:signature",
                sha256=signature.sha256,
                signed_at=signature.signed_at,
                signer=names.get(str(signature.signer_id), ""),
            )
    elif language != REPORT_LANGUAGE:
        other = language
    photos: list[PhotoItem] = []
    for index, photo in enumerate(photos_for_report(visit.id), start=1):
        url = f"report:photo/{index}"
        images[url] = (photo_read(photo=photo, by_user=None, purpose="report"), photo.content_type)
        photos.append(
            PhotoItem(
                url=url,
                caption=photo.caption,
                captured_at=photo.captured_at,
                sha256=photo.sha256,
                width=photo.width,
                height=photo.height,
                captured_by=names.get(str(photo.captured_by_id), ""),
            )
        )
    language_names = dict(visit._meta.get_field("resident_language").choices or [])
    return ReportContent(
        visit=visit,
        number=number,
        organisation=visit.organisation.name,
        process=visit.process.name,
        unit=str(visit.process.unit),
        other_language=other,
        other_language_name=str(language_names.get(other, other or "")),
        other_rtl=other in RTL_LANGUAGES,
        participants=participants,
        sections=sections,
        questionnaire_title=title,
        template_version=version,
        signature=signature_item,
        photos=photos,
        include_notes=settings.include_notes,
        notes=notes,
        audit=_audit_rows(visit, names, by_user),
        generated_at=now,
        images=images,
        transcript=transcript_lines(visit.id),
    )
