"""The DPIA-gated identity document check, end to end: the caseworker takes a copy from the
resident's camera (full resolution, watermarked when stored), draws a box over it with the mouse,
saves; the stored copy is masked there and the unmasked one is gone."""

from __future__ import annotations

import io
import re
import time
from datetime import date
from typing import Any

from PIL import Image
from playwright.sync_api import expect

from tests import factories
from videocontact.accounts.models import Role
from videocontact.evidence import vault
from videocontact.evidence.models import Photo
from videocontact.privacy.models import AuditEvent, Dpia, DpiaStatus
from videocontact.privacy.modules import module_switch

from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
)
from .test_photos import camera_y4m, phone_browsers  # noqa: F401 (fixtures)


def switch_on(process: Any) -> None:
    organisation = process.unit.organisation
    Dpia.objects.create(
        organisation=organisation,
        title="Kopie identiteitsbewijs",
        processing="Kopie met afgeschermd BSN en pasfoto",
        module="id-check",
        status=DpiaStatus.APPROVED,
        decided_at=date(2026, 11, 1),
    )
    officer = factories.make_user(unit=process.unit, role=Role.PRIVACY_OFFICER)
    module_switch(organisation=organisation, module="id-check", enabled=True, by_user=officer)


def id_string(page: Any, key: str) -> str:
    return page.evaluate(
        "key => JSON.parse(document.getElementById('vc-idcheck-config').textContent).strings[key]",
        key,
    )


def test_caseworker_copies_and_masks_an_identity_document(
    browsers,
    phone_browsers,  # noqa: F811 (the fixture imported above)
    make_visit,
):
    setup = make_visit(resident_name="Ilse Identiteit")
    switch_on(setup.visit.process)
    resident = phone_browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    wait_remote_videos(staff, 1)

    panel = staff.get_by_role("region", name=page_text(staff, "Identity document"), exact=True)
    panel.get_by_role("button", name=id_string(staff, "idTake")).click()
    image = panel.get_by_role("img")
    expect(image).to_have_count(1, timeout=MEDIA_TIMEOUT_MS)
    deadline = time.monotonic() + 20
    while not image.evaluate("i => i.complete && i.naturalWidth === 1280"):
        assert time.monotonic() < deadline, "the copy did not load at full resolution"
        staff.wait_for_timeout(200)
    photo = Photo.objects.get(visit=setup.visit)
    assert photo.kind == "id-document" and (photo.width, photo.height) == (1280, 720)
    first_blob = photo.blob_name

    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    staff.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1)
    staff.mouse.down()
    staff.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.4, steps=6)
    staff.mouse.up()
    expect(panel.get_by_text(id_string(staff, "idAreas").replace("{count}", "1"))).to_be_visible()
    # A second box, typed in with the keyboard (the passport photo, bottom right).
    panel.get_by_text(id_string(staff, "idKeyboard")).click()
    for key, value in (("idX", "900"), ("idY", "300"), ("idWidth", "250"), ("idHeight", "300")):
        panel.get_by_label(id_string(staff, key)).fill(value)
    panel.get_by_role("button", name=id_string(staff, "idAdd")).click()
    expect(panel.get_by_text(id_string(staff, "idAreas").replace("{count}", "2"))).to_be_visible()
    panel.get_by_role("button", name=id_string(staff, "idMask")).click()
    expect(panel.get_by_role("status").filter(has_text=id_string(staff, "idMasked"))).to_be_visible(
        timeout=MEDIA_TIMEOUT_MS
    )
    photo.refresh_from_db()
    # The panel shows the masked copy (the image is reloaded under its new hash).
    expect(image).to_have_attribute("src", re.compile(photo.sha256), timeout=MEDIA_TIMEOUT_MS)
    deadline = time.monotonic() + 20
    while not image.evaluate("i => i.complete && i.naturalWidth === 1280"):
        assert time.monotonic() < deadline, "the masked copy did not load"
        staff.wait_for_timeout(200)
    screenshot(staff, "id-check-masked")
    assert photo.masked_at is not None and photo.blob_name != first_blob
    deadline = time.monotonic() + 10
    while True:  # destroyed after the commit
        try:
            vault.unseal(first_blob, photo.key_id)
        except vault.BlobMissing:
            break
        assert time.monotonic() < deadline, "the unmasked copy is still stored"
        time.sleep(0.2)
    masked = Image.open(io.BytesIO(vault.unseal(photo.blob_name, photo.key_id))).convert("RGB")
    # The middle of the drawn box (10 to 50 % across, 10 to 40 % down) is black: JPEG leaves a
    # little ringing near the box's edge (17 was seen), far below the bright test picture.
    inner = masked.crop((200, 100, 600, 270))
    assert max(max(p) for p in inner.getdata()) <= 32
    typed = masked.crop((902, 302, 1148, 598))
    assert max(max(p) for p in typed.getdata()) <= 32
    event = AuditEvent.objects.get(action="photo.masked", object_id=str(photo.id))
    assert event.data["areas"] == 2
    assert AuditEvent.objects.filter(action="photo.masked", object_id=str(photo.id)).exists()
