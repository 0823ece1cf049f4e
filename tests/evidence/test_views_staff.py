"""Staff views of photos: the list, the image (decrypted, audited, no-store), caption, discard.
Staff of another organisation get 404 for everything."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.evidence.conftest import stored_files
from tests.evidence.test_hygiene import jpeg
from videocontact.accounts.models import User
from videocontact.evidence import services, vault
from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(visit: Visit, photo_request: PhotoRequest, resident_in_call: Participant) -> Photo:
    return services.photo_upload(
        visit_id=visit.id, participant=resident_in_call, request_id=photo_request.id, data=jpeg()
    ).photo


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def base(photo: Photo) -> str:
    return f"/staff/visits/{photo.visit_id}/photos/{photo.id}"


def actions(photo: Photo) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(photo.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_image_is_decrypted_audited_and_not_cached(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).get(base(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store"
    assert hashlib.sha256(response.content).hexdigest() == photo.sha256
    read = AuditEvent.objects.filter(action="photo.read", object_id=str(photo.pk)).get()
    assert read.actor_user == caseworker
    assert read.data["purpose"] == "view"


def test_colleague_of_the_unit_may_see_it(photo: Photo, colleague: User) -> None:
    assert signed_in(colleague).get(base(photo)).status_code == 200


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("post", "/caption"), ("get", "/discard"), ("post", "/discard")],
)
def test_outsider_gets_404(photo: Photo, outsider: User, method: str, suffix: str) -> None:
    response = getattr(signed_in(outsider), method)(base(photo) + suffix, {"caption": "x"})
    assert response.status_code == 404
    photo.refresh_from_db()
    assert photo.caption == "" and photo.discarded_at is None
    assert actions(photo) == ["photo.stored"]


def test_outsider_gets_404_for_the_list(photo: Photo, outsider: User) -> None:
    assert signed_in(outsider).get(f"/staff/visits/{photo.visit_id}/photos/").status_code == 404


def test_anonymous_is_sent_to_sign_in(photo: Photo) -> None:
    response = Client().get(base(photo))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_resident_session_cannot_read_staff_views(photo: Photo, resident_in_call: Any) -> None:
    from tests import factories

    client = Client()
    client.cookies["vc_session"] = factories.participant_session(resident_in_call)
    assert client.get(base(photo)).status_code == 302


def test_photo_of_another_visit_is_404(photo: Photo, caseworker: User, process: Any) -> None:
    from tests import factories

    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    response = signed_in(caseworker).get(f"/staff/visits/{other.id}/photos/{photo.id}")
    assert response.status_code == 404


def test_list(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).get(f"/staff/visits/{photo.visit_id}/photos/")
    assert response.status_code == 200
    [item] = response.json()["photos"]
    assert item["id"] == str(photo.id)
    assert item["sha256"] == photo.sha256
    assert item["url"] == base(photo)
    assert not AuditEvent.objects.filter(action="photo.read").exists()  # metadata only


def test_caption_json_and_audit(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).post(
        base(photo) + "/caption",
        {"caption": "  Schimmel   achter de kast "},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["photo"]["caption"] == "Schimmel achter de kast"
    photo.refresh_from_db()
    assert photo.caption == "Schimmel achter de kast"
    event = AuditEvent.objects.get(action="photo.captioned")
    assert event.actor_user == caseworker
    assert event.data == {"length": len("Schimmel achter de kast")}


def test_caption_form_redirects_to_the_visit(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).post(base(photo) + "/caption", {"caption": "Keuken"})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/visits/{photo.visit_id}/"
    photo.refresh_from_db()
    assert photo.caption == "Keuken"


def test_caption_too_long_is_refused(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).post(
        base(photo) + "/caption", {"caption": "x" * 301}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "caption_too_long"
    photo.refresh_from_db()
    assert photo.caption == ""


def test_caption_missing_field(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).post(
        base(photo) + "/caption", {}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400


def test_discard_confirm_page_then_discard(
    photo: Photo, caseworker: User, evidence_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = signed_in(caseworker)
    page = client.get(base(photo) + "/discard")
    assert page.status_code == 200
    assert photo.sha256 in page.content.decode()
    assert Photo.objects.get(pk=photo.pk).discarded_at is None  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(photo) + "/discard")
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.discarded_at is not None and photo.discarded_by == caseworker
    # The row stays for the audit trail; the encrypted blob is gone.
    assert stored_files(evidence_dir) == []
    with pytest.raises(vault.BlobMissing):
        vault.unseal(photo.blob_name, photo.key_id)
    assert "photo.discarded" in actions(photo)
    # Gone from the gallery, the report and the image view.
    assert client.get(base(photo)).status_code == 404
    assert client.get(f"/staff/visits/{photo.visit_id}/photos/").json()["photos"] == []
    from videocontact.evidence.selectors import photos_for_report

    assert photos_for_report(photo.visit_id) == []
    # Discarding twice is harmless (the second finds nothing to discard).
    assert client.post(base(photo) + "/discard").status_code == 404


def test_visit_page_panel_shows_the_gallery(photo: Photo, caseworker: User) -> None:
    page = signed_in(caseworker).get(f"/staff/visits/{photo.visit_id}/")
    html = page.content.decode()
    assert photo.sha256 in html
    assert base(photo) in html
    assert 'id="evidence-panel"' in html


def test_audit_events_for_store_read_caption_discard(photo: Photo, caseworker: User) -> None:
    client = signed_in(caseworker)
    client.get(base(photo))
    client.post(base(photo) + "/caption", {"caption": "Gang"})
    client.post(base(photo) + "/discard")
    assert actions(photo) == ["photo.stored", "photo.read", "photo.captioned", "photo.discarded"]
    stored = AuditEvent.objects.get(action="photo.stored", object_id=str(photo.pk))
    assert stored.data["sha256"] == photo.sha256
    assert stored.actor_participant_id == photo.captured_by_id


def test_a_photo_in_a_report_can_no_longer_be_discarded(photo: Photo, caseworker: User) -> None:
    from videocontact.reports.models import Report

    Report.objects.create(visit=photo.visit, number=1, state="ready")
    client = signed_in(caseworker)
    response = client.post(base(photo) + "/discard", HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "in_report"
    page = client.post(base(photo) + "/discard", follow=True)
    assert "Deze foto zit al in een verslag" in page.content.decode()
    assert Photo.objects.get(pk=photo.pk).discarded_at is None


def test_a_caption_with_control_characters_is_refused(photo: Photo, caseworker: User) -> None:
    response = signed_in(caseworker).post(
        base(photo) + "/caption", {"caption": "Gang\x00kast"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


PHOTO_QUESTION_FORM = {
    "schema_version": 1,
    "code": "vocht",
    "title": {"nl": "Vocht"},
    "languages": {"nl": "source"},
    "sections": [
        {
            "id": "woning",
            "title": {"nl": "Woning"},
            "questions": [
                {"id": "foto_vocht", "type": "photo", "label": {"nl": "Laat de vochtplek zien"}}
            ],
        }
    ],
}


def test_a_photo_for_a_question_shows_the_questions_label(
    visit: Visit, caseworker: User, resident_in_call: Participant
) -> None:
    from videocontact.questionnaires.services import questionnaire_start, template_import

    template_import(process=visit.process, data=PHOTO_QUESTION_FORM)
    questionnaire_start(visit=visit, by_user=caseworker)
    request = services.photo_request_create(
        visit_id=visit.id,
        by_user=caseworker,
        target_id=resident_in_call.id,
        from_peer="peer",
        question_id="foto_vocht",
    )
    services.photo_upload(
        visit_id=visit.id, participant=resident_in_call, request_id=request.id, data=jpeg()
    )
    client = signed_in(caseworker)
    listed = client.get(f"/staff/visits/{visit.id}/photos/", HTTP_ACCEPT="application/json")
    [shown] = listed.json()["photos"]
    assert shown["question"] == "foto_vocht"
    assert shown["questionLabel"] == "Laat de vochtplek zien"
    page = client.get(f"/staff/visits/{visit.id}/")
    assert "Bij de vraag: Laat de vochtplek zien" in page.content.decode()


def test_a_photo_without_a_question_has_no_label(photo: Photo, caseworker: User) -> None:
    listed = signed_in(caseworker).get(
        f"/staff/visits/{photo.visit_id}/photos/", HTTP_ACCEPT="application/json"
    )
    [shown] = listed.json()["photos"]
    assert shown["question"] is None and shown["questionLabel"] is None
