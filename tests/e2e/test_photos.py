"""Photos from the resident's camera, end to end: a phone whose camera is a 1280x720 y4m file, the
caseworker takes two photos, both arrive at full resolution, and the hash is the same everywhere:
the resident's page (crypto.subtle over the bytes it sent), the server, the decrypted vault blob,
and the caseworker's gallery."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from videocontact.evidence import vault
from videocontact.evidence.models import Photo
from videocontact.privacy.models import AuditEvent

from .conftest import CHROMIUM, CHROMIUM_ARGS, Browsers
from .helpers import (
    MEDIA_TIMEOUT_MS,
    admit,
    axe_check,
    call_stage,
    page_text,
    resident_reaches_waiting_room,
    screenshot,
    wait_in_call,
    wait_remote_videos,
)


@pytest.fixture(scope="session")
def camera_y4m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few frames of ffmpeg's testsrc2 at 1280x720, as the fake camera's source."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is missing: install Debian's ffmpeg (make test-deps)")
    path = tmp_path_factory.mktemp("camera") / "testsrc2-1280x720.y4m"
    source = ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=10"]
    output = ["-frames:v", "20", "-pix_fmt", "yuv420p", "-y", str(path)]
    subprocess.run([ffmpeg, "-loglevel", "error", *source, *output], check=True)
    return path


@pytest.fixture
def phone_browsers(
    playwright_instance: Any, camera_y4m: Path, live_server_url: str
) -> Iterator[Browsers]:
    """A separate Chromium whose fake camera plays the y4m file."""
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera_y4m}"],
    )
    made = Browsers(browser=browser, base_url=live_server_url)
    yield made
    made.close()
    browser.close()


PHOTO_MARKS_JS = """() => {
  const marks = performance.getEntriesByType('mark').filter(m => m.name.startsWith('vc:photo-'));
  const out = [];
  let start = null;
  for (const m of marks) {
    if (m.name === 'vc:photo-start') { start = m.startTime; out.push({}); continue; }
    out[out.length - 1][m.name.slice(9)] = Math.round(m.startTime - start);
  }
  const uploads = performance.getEntriesByType('resource').filter(r => r.name.endsWith('/photos'));
  uploads.forEach((r, i) => {
    if (out[i]) Object.assign(out[i], {
      request: Math.round(r.requestStart - r.startTime), server: Math.round(r.responseStart - r.requestStart),
      total: Math.round(r.duration) });
  });
  return out;
}"""

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def photo_string(page: Any, key: str) -> str:
    """A text of the photo feature from the page's own configuration (any language)."""
    return page.evaluate(
        "key => JSON.parse(document.getElementById('vc-photo-config').textContent).strings[key]",
        key,
    )


def photos_panel(page: Any) -> Any:
    """The caseworker's photo section (call page) or panel (visit page): region "Foto's"."""
    return page.get_by_role("region", name=page_text(page, "Photos"), exact=True)


def gallery_items(page: Any) -> Any:
    """The photos in the panel: the list items that hold an image."""
    return photos_panel(page).get_by_role("listitem").filter(has=page.get_by_role("img"))


def take_button(staff: Any) -> Any:
    return photos_panel(staff).get_by_role("button", name=photo_string(staff, "takePhoto"))


def photo_status(staff: Any) -> Any:
    return photos_panel(staff).get_by_role("status")


def photo_notice(resident: Any) -> Any:
    """What the resident is told about a photo (a live status named "Foto's")."""
    return resident.get_by_role("status", name=page_text(resident, "Photos"), exact=True)


def own_camera(page: Any) -> Any:
    return call_stage(page).get_by_label(page_text(page, "Your camera image"), exact=True)


# The camera track's size has no role or name: read from the labelled video element.
TRACK_SIZE_JS = (
    "v => { const s = v.srcObject.getVideoTracks()[0].getSettings(); return [s.width, s.height]; }"
)


def test_caseworker_takes_two_full_resolution_photos(browsers, phone_browsers, make_visit):
    setup = make_visit(resident_name="Fatima Foto")
    resident = phone_browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)

    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    wait_remote_videos(staff, 1)
    # The remote picture the caseworker sees may be scaled down; the photo must not be.
    take = take_button(staff)
    expect(take).to_be_enabled(timeout=MEDIA_TIMEOUT_MS)
    items = gallery_items(staff)

    arrival = []
    for count in (1, 2):
        started = time.monotonic()
        take.click()
        expect(items).to_have_count(count, timeout=MEDIA_TIMEOUT_MS)
        arrival.append(time.monotonic() - started)
    print(f"\nphoto: click to gallery entry {', '.join(f'{s:.2f}s' for s in arrival)}")
    print("photo: on the phone (ms):", resident.evaluate(PHOTO_MARKS_JS))

    # The resident saw that a photo was taken.
    notice = photo_notice(resident)
    expect(notice).to_be_visible()
    expect(notice).to_have_text("De medewerker heeft een foto gemaakt.")
    axe_check(resident, "resident in the call with the photo notice")
    screenshot(resident, "resident-photo-notice")

    photos = list(Photo.objects.filter(visit=setup.visit).order_by("captured_at"))
    assert len(photos) == 2
    sent = resident.evaluate("() => window.vcDebug.photos.sent()")
    assert len(sent) == 2
    # The hash is for the record: it waits behind "Technische gegevens" in each item.
    expect(items.first.get_by_text(SHA256)).to_be_hidden()
    items.first.get_by_text(photo_string(staff, "photoDetails"), exact=True).click()
    expect(items.first.get_by_text(SHA256)).to_be_visible()
    shown = [items.nth(i).get_by_text(SHA256).text_content() for i in range(items.count())]
    for photo, from_phone, in_gallery in zip(photos, sent, shown, strict=True):
        assert (photo.width, photo.height) == (1280, 720)
        assert (from_phone["width"], from_phone["height"]) == (1280, 720)
        plain = vault.unseal(photo.blob_name, photo.key_id)
        assert hashlib.sha256(plain).hexdigest() == photo.sha256
        assert from_phone["sha256"] == photo.sha256 == from_phone["server"]["sha256"]
        assert in_gallery == photo.sha256
        assert str(photo.request_id) == from_phone["request"]
        assert photo.content_type == "image/jpeg"
        asked = photo.request.created_at
        print(
            f"photo {photo.id}: {photo.size} bytes, request to stored {photo.received_at - asked}"
        )
    # Two requests, two photos, two blobs (the frames may be alike: the y4m camera loops).
    assert photos[0].request_id != photos[1].request_id
    assert photos[0].blob_name != photos[1].blob_name

    # The gallery shows the images (served decrypted, audited) at their full size.
    images = photos_panel(staff).get_by_role("img")
    full_size = (
        "imgs => imgs.every(i => i.complete && i.naturalWidth === 1280 && i.naturalHeight === 720)"
    )
    deadline = time.monotonic() + 20
    while not images.evaluate_all(full_size):
        assert time.monotonic() < deadline, "the gallery images did not load at 1280x720"
        staff.wait_for_timeout(200)
    reads = AuditEvent.objects.filter(
        action="photo.read", object_id__in=[str(p.id) for p in photos]
    )
    assert reads.exists()
    assert set(reads.values_list("actor_user_id", flat=True)) == {setup.caseworker.id}
    stored = AuditEvent.objects.filter(action="photo.stored").count()
    assert stored == 2

    # A caption, from the call page.
    first = items.filter(has_text=photos[0].sha256)
    first.get_by_label(photo_string(staff, "photoCaption")).fill("Vochtplek in de badkamer")
    first.get_by_role("button", name=photo_string(staff, "photoSaveCaption")).click()
    expect(photo_status(staff)).to_have_text("Onderschrift opgeslagen.")
    photos[0].refresh_from_db()
    assert photos[0].caption == "Vochtplek in de badkamer"
    photos_panel(staff).scroll_into_view_if_needed()
    screenshot(staff, "caseworker-call-photos")

    # Discard the second one, after confirming.
    staff.once("dialog", lambda dialog: dialog.accept())
    second = items.filter(has_text=photos[1].sha256)
    second.get_by_role("button", name=photo_string(staff, "photoDiscard")).click()
    expect(items).to_have_count(1)
    photos[1].refresh_from_db()
    assert photos[1].discarded_at is not None
    with pytest.raises(vault.BlobMissing):
        vault.unseal(photos[1].blob_name, photos[1].key_id)

    # The visit page shows the same gallery (the evidence panel), and discarding asks first.
    staff.goto(f"/staff/visits/{setup.visit.id}/")
    panel = photos_panel(staff)
    expect(gallery_items(staff)).to_have_count(1)
    expect(panel.get_by_text(SHA256)).to_have_text(photos[0].sha256)
    expect(panel.get_by_label("Onderschrift")).to_have_value("Vochtplek in de badkamer")
    panel.scroll_into_view_if_needed()
    screenshot(staff, "caseworker-visit-photos")
    panel.get_by_role("link", name="Weggooien").click()
    staff.wait_for_url(f"**/photos/{photos[0].id}/discard")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Deze foto weggooien?")
    screenshot(staff, "caseworker-photo-discard")
    staff.get_by_role("link", name="Foto houden").click()
    staff.wait_for_url(f"**/staff/visits/{setup.visit.id}/")
    photos[0].refresh_from_db()
    assert photos[0].discarded_at is None


@pytest.fixture(scope="session")
def camera_1080p_y4m(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1920x1080 camera: more than the call's 1280x720 video, so a photo taken from the
    call's track would come out smaller than the camera can do."""
    path = tmp_path_factory.mktemp("camera") / "testsrc2-1920x1080.y4m"
    source = ["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=10"]
    output = ["-frames:v", "10", "-pix_fmt", "yuv420p", "-y", str(path)]
    subprocess.run(["ffmpeg", "-loglevel", "error", *source, *output], check=True)
    return path


# Without takePhoto (Safari, Firefox, or a camera that refuses) the track is raised instead.
NO_TAKE_PHOTO_JS = (
    "if (window.ImageCapture) ImageCapture.prototype.takePhoto = "
    "() => Promise.reject(new DOMException('not here', 'NotSupportedError'));"
)


@pytest.mark.parametrize(("way", "method"), [("takePhoto", "takePhoto"), ("raised", "grabFrame")])
def test_a_photo_has_the_cameras_full_resolution_not_the_calls(
    playwright_instance: Any,
    camera_1080p_y4m: Path,
    live_server_url: str,
    browsers,
    make_visit,
    way: str,
    method: str,
):
    phone = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={camera_1080p_y4m}"],
    )
    phones = Browsers(browser=phone, base_url=live_server_url)
    try:
        setup = make_visit(resident_name=f"Hoge Resolutie {way}")
        resident = phones.resident()
        if way == "raised":
            resident.add_init_script(NO_TAKE_PHOTO_JS)
        resident_reaches_waiting_room(resident, setup.resident)
        staff = browsers.staff(setup.caseworker)
        staff.goto(setup.staff_call_path)
        wait_in_call(staff)
        admit(staff, setup.resident.participant)
        wait_in_call(resident)
        wait_remote_videos(staff, 1)
        # The call itself runs at 1280x720 (the track's ideal size)...
        assert own_camera(resident).evaluate(TRACK_SIZE_JS) == [1280, 720]
        take = take_button(staff)
        expect(take).to_be_enabled(timeout=MEDIA_TIMEOUT_MS)
        take.click()
        expect(gallery_items(staff)).to_have_count(1, timeout=MEDIA_TIMEOUT_MS)
        # ...but the photo has the camera's full 1920x1080, with the same hash everywhere.
        photo = Photo.objects.get(visit=setup.visit)
        # The staff gallery hears of the photo when the upload commits; the phone records what it
        # sent when the upload's answer arrives, which under load can be a moment later.
        resident.wait_for_function(
            "() => window.vcDebug.photos.sent().length === 1", timeout=MEDIA_TIMEOUT_MS
        )
        (sent,) = resident.evaluate("() => window.vcDebug.photos.sent()")
        print(
            f"\nphoto: {sent.get('method')}, {sent['width']}x{sent['height']}, {photo.size} bytes"
        )
        assert sent["method"] == method
        assert (photo.width, photo.height) == (1920, 1080)
        assert (sent["width"], sent["height"]) == (1920, 1080)
        assert sent["sha256"] == photo.sha256 == sent["server"]["sha256"]
        plain = vault.unseal(photo.blob_name, photo.key_id)
        assert hashlib.sha256(plain).hexdigest() == photo.sha256
        assert b"Exif" not in plain[:4096]  # the metadata strip still applies
        # The call goes back to its own size afterwards (nothing left raised).
        deadline = time.monotonic() + MEDIA_TIMEOUT_MS / 1000
        while own_camera(resident).evaluate(TRACK_SIZE_JS) != [1280, 720]:
            assert time.monotonic() < deadline, "the call did not go back to 1280x720"
            resident.wait_for_timeout(200)
    finally:
        phones.close()
        phone.close()


# Chromium's fake cameras have neither torch nor zoom. This stands in for a phone camera that has
# both: the track reports them, and the page's applyConstraints calls are recorded.
PHONE_CAMERA_JS = """(() => {
  const proto = MediaStreamTrack.prototype;
  const capabilities = proto.getCapabilities;
  const apply = proto.applyConstraints;
  window.vcApplied = [];
  proto.getCapabilities = function () {
    const caps = capabilities.call(this);
    return this.kind === "video" ? { ...caps, torch: true, zoom: { min: 1, max: 4, step: 0.5 } } : caps;
  };
  proto.applyConstraints = function (constraints) {
    if (constraints && constraints.advanced) {
      window.vcApplied.push(JSON.parse(JSON.stringify(constraints)));
      return Promise.resolve();
    }
    return apply.call(this, constraints);
  };
})();"""


def test_torch_and_zoom_only_after_the_resident_says_yes(browsers, make_visit):
    setup = make_visit(resident_name="Lamp Proef")
    resident = browsers.resident()
    resident.context.add_init_script(PHONE_CAMERA_JS)
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)

    # The caseworker sees the controls because the resident's camera reported them.
    panel = photos_panel(staff)
    torch = panel.get_by_role("button", name="Lamp aan")
    expect(torch).to_be_visible(timeout=MEDIA_TIMEOUT_MS)
    zoom = panel.get_by_role("slider", name="Zoom")
    expect(zoom).to_be_visible()
    expect(zoom).to_have_attribute("max", "4")
    status = photo_status(staff)
    prompt = resident.get_by_role("alertdialog")
    yes = prompt.get_by_role("button", name=photo_string(resident, "promptYes"), exact=True)
    no = prompt.get_by_role("button", name=page_text(resident, "Not now"), exact=True)

    torch.click()
    expect(prompt).to_be_visible()
    expect(prompt).to_have_accessible_name("De medewerker wil de lamp aanzetten. Mag dat?")
    axe_check(resident, "resident with the torch question")
    assert resident.evaluate("() => window.vcApplied") == []  # nothing before the yes
    yes.click()
    expect(status).to_have_text("De lamp is omgezet.")
    assert resident.evaluate("() => window.vcApplied") == [{"advanced": [{"torch": True}]}]
    expect(torch).to_have_attribute("aria-pressed", "true")
    expect(torch).to_have_text("Lamp aan")  # a toggle keeps its name; aria-pressed is the state

    # Zoom: the resident says no, and nothing changes.
    zoom.fill("3")
    expect(prompt).to_have_accessible_name("De medewerker wil in- of uitzoomen. Mag dat?")
    no.click()
    expect(status).to_have_text("De inwoner zei nee.")
    assert resident.evaluate("() => window.vcApplied") == [{"advanced": [{"torch": True}]}]
    # ...and when they say yes, the zoom is applied.
    zoom.fill("2")
    expect(prompt).to_be_visible()
    yes.click()
    expect(status).to_have_text("De zoom is aangepast.")
    assert resident.evaluate("() => window.vcApplied")[-1] == {"advanced": [{"zoom": 2}]}


def test_failures_reach_the_caseworker_and_a_camera_that_is_off_takes_nothing(
    browsers, make_visit, settings
):
    setup = make_visit(resident_name="Mislukt Foto")
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)
    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)
    take = take_button(staff)
    expect(take).to_be_enabled(timeout=MEDIA_TIMEOUT_MS)
    status = photo_status(staff)
    notice = photo_notice(resident)

    # The server refuses the upload (too large): the caseworker is told, the resident too.
    settings.PHOTO_MAX_BYTES = 1000
    take.click()
    expect(status).to_have_text("De foto is niet aangekomen (too_large). Probeer het opnieuw.")
    expect(notice).to_have_text("De foto kon niet worden verstuurd.")
    assert not Photo.objects.filter(visit=setup.visit).exists()

    # With the camera off, nothing is captured at all.
    settings.PHOTO_MAX_BYTES = 15_000_000
    call_stage(resident).get_by_role("button", name=page_text(resident, "Turn camera off")).click()
    take.click()
    expect(status).to_have_text("De foto is niet aangekomen (no_camera). Probeer het opnieuw.")
    expect(notice).to_have_text("Uw camera staat uit. Er is geen foto gemaakt.")
    assert not Photo.objects.filter(visit=setup.visit).exists()
