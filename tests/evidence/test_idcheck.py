"""The identity document check (DPIA-gated): the ID copy is watermarked when stored ("Kopie voor
<organisation>, <date>, <purpose>"); masked areas are solid in the pixels; the masked image
replaces the stored one and the unmasked blob is destroyed; all of it audited."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests import factories
from videocontact.accounts.models import Organisation, Role, Unit, User
from videocontact.evidence import idcopy, selectors, services, vault
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.models import Photo, PhotoKind
from videocontact.privacy.models import AuditEvent, Dpia, DpiaStatus
from videocontact.privacy.modules import module_switch
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db

GREY = (128, 128, 128)


def grey_jpeg(width: int = 1280, height: int = 720) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), GREY).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def switch_on(organisation: Organisation, unit: Unit) -> None:
    Dpia.objects.create(
        organisation=organisation,
        title="Kopie identiteitsbewijs",
        processing="Kopie met afgeschermd BSN",
        module="id-check",
        status=DpiaStatus.APPROVED,
        decided_at=date(2026, 11, 1),
    )
    officer = factories.make_user(unit=unit, role=Role.PRIVACY_OFFICER)
    module_switch(organisation=organisation, module="id-check", enabled=True, by_user=officer)


# Pixels ------------------------------------------------------------------------------------


def test_the_watermark_is_in_the_pixels() -> None:
    text = idcopy.watermark_text("Gemeente Capelle", date(2026, 12, 4), "Adresonderzoek")
    assert text == "Kopie voor Gemeente Capelle, 04-12-2026, Adresonderzoek"
    out = pixels(idcopy.burn_watermark(grey_jpeg(), text))
    assert out.size == (1280, 720)
    # The banner along the bottom edge: dark, with light text on it.
    banner = out.crop((0, 690, 1280, 720))
    dark = sum(1 for p in banner.getdata() if max(p) < 60)
    light = sum(1 for p in banner.getdata() if min(p) > 200)
    assert dark > 0.5 * 1280 * 30 and light > 200
    # The diagonal text over the picture: lighter and darker than the grey, in every quarter.
    for box in ((0, 0, 640, 340), (640, 0, 1280, 340), (0, 340, 640, 680), (640, 340, 1280, 680)):
        quarter = list(out.crop(box).getdata())
        assert sum(1 for p in quarter if min(p) > 150) > 500, box
        assert sum(1 for p in quarter if max(p) < 110) > 500, box


def test_masked_areas_are_solid_and_the_rest_is_untouched() -> None:
    noise = Image.effect_noise((400, 300), 80).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=95)
    rects = idcopy.parse_rects([[20, 30, 120, 40], [200, 150, 150, 100]], 400, 300)
    out = pixels(idcopy.burn_masks(buffer.getvalue(), rects))
    for rect in rects:  # inside (a 2-pixel margin for the JPEG edge): black
        inner = out.crop(
            (rect.x + 2, rect.y + 2, rect.x + rect.width - 2, rect.y + rect.height - 2)
        )
        assert max(max(p) for p in inner.getdata()) <= 16
    # Away from the areas the picture keeps its variation (not painted over).
    outside = list(out.crop((20, 200, 180, 290)).getdata())
    assert max(sum(p) for p in outside) - min(sum(p) for p in outside) > 100


@pytest.mark.parametrize(
    "areas",
    [
        [],
        None,
        "x",
        [[0, 0, 10]],
        [[0, 0, 2, 2]],
        [[-1, 0, 10, 10]],
        [[390, 0, 20, 10]],
        [[0, 0, 10.5, 10]],
        [[0, 0, True, 10]],
        [[0, 0, 10, 10]] * 21,
    ],
)
def test_bad_areas_are_refused(areas: object) -> None:
    with pytest.raises(idcopy.MaskRefused):
        idcopy.parse_rects(areas, 400, 300)


# The service and the view ------------------------------------------------------------------


def take_id_copy(visit: Visit, caseworker: User, resident: Participant) -> Photo:
    request = services.photo_request_create(
        visit_id=visit.id,
        by_user=caseworker,
        target_id=resident.id,
        from_peer="peer",
        kind=PhotoKind.ID_DOCUMENT,
    )
    upload = services.photo_upload(
        visit_id=visit.id, participant=resident, request_id=request.id, data=grey_jpeg()
    )
    return upload.photo


def test_off_without_an_approved_dpia(
    visit: Visit, caseworker: User, resident_in_call: Participant
) -> None:
    with pytest.raises(EvidenceError) as refused:
        take_id_copy(visit, caseworker, resident_in_call)
    assert refused.value.code == "module_off"


def test_an_id_copy_is_stored_watermarked_and_masked_without_the_original(
    visit: Visit,
    caseworker: User,
    resident_in_call: Participant,
    organisation: Organisation,
    unit: Unit,
    evidence_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    switch_on(organisation, unit)
    photo = take_id_copy(visit, caseworker, resident_in_call)
    assert photo.kind == PhotoKind.ID_DOCUMENT and (photo.width, photo.height) == (1280, 720)
    stored = pixels(vault.unseal(photo.blob_name, photo.key_id))
    assert stored.getpixel((640, 712)) != GREY  # the banner is there from the start
    first_blob = photo.blob_name
    assert photo not in selectors.photos_for_report(visit.id)  # not filed while unmasked

    client = Client()
    client.force_login(caseworker)
    url = f"/staff/visits/{visit.id}/photos/{photo.id}/mask"
    areas = [[100, 100, 300, 60], [900, 200, 250, 300]]  # BSN and passport photo
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, json.dumps({"areas": areas}), content_type="application/json")
    assert response.status_code == 200, response.content
    frame = response.json()["photo"]
    photo.refresh_from_db()
    assert frame["masked"] is True and frame["sha256"] == photo.sha256
    assert photo.masked_by == caseworker and photo.blob_name != first_blob
    assert photo in selectors.photos_for_report(visit.id)
    # The unmasked image is gone from the store.
    with pytest.raises(vault.BlobMissing):
        vault.unseal(first_blob, photo.key_id)
    masked = pixels(vault.unseal(photo.blob_name, photo.key_id))
    for x, y, w, h in areas:
        inner = masked.crop((x + 2, y + 2, x + w - 2, y + h - 2))
        assert max(max(p) for p in inner.getdata()) <= 16
    assert masked.getpixel((640, 712)) != GREY  # the watermark stays
    event = AuditEvent.objects.get(action="photo.masked")
    assert event.actor_user == caseworker and event.data["areas"] == 2
    assert event.data["previous_blob_destroyed"] is True
    assert AuditEvent.objects.filter(action="photo.read", object_id=str(photo.id)).exists()
    assert AuditEvent.objects.get(action="photo.requested").data["kind"] == "id-document"


def test_mask_refusals(
    visit: Visit,
    caseworker: User,
    resident_in_call: Participant,
    organisation: Organisation,
    unit: Unit,
    outsider: User,
) -> None:
    switch_on(organisation, unit)
    photo = take_id_copy(visit, caseworker, resident_in_call)
    url = f"/staff/visits/{visit.id}/photos/{photo.id}/mask"
    client = Client()
    client.force_login(caseworker)

    def post(body: str) -> int:
        return client.post(url, body, content_type="application/json").status_code

    assert post("not json") == 400
    assert post(json.dumps({"areas": [[0, 0, 5000, 10]]})) == 400
    assert post(json.dumps({"areas": [[0, 0, 10, 10]], "more": 1})) == 400
    assert post("[" * 5000 + "]" * 5000) in (400, 413)
    stranger = Client()
    stranger.force_login(outsider)
    response = stranger.post(
        url, json.dumps({"areas": [[0, 0, 10, 10]]}), content_type="application/json"
    )
    assert response.status_code == 404
    # An ordinary photo is not an ID copy.
    request = services.photo_request_create(
        visit_id=visit.id, by_user=caseworker, target_id=resident_in_call.id, from_peer="peer"
    )
    plain = services.photo_upload(
        visit_id=visit.id, participant=resident_in_call, request_id=request.id, data=grey_jpeg()
    ).photo
    response = client.post(
        f"/staff/visits/{visit.id}/photos/{plain.id}/mask",
        json.dumps({"areas": [[0, 0, 10, 10]]}),
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "not_an_id_copy"
    assert not AuditEvent.objects.filter(action="photo.masked").exists()
