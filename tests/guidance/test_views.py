"""Serving help videos with range requests, captions, help in the pages, the admin upload, the
public device check and its short-lived TURN credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.guidance.conftest import CAPTIONS, video_bytes
from videocontact.accounts.models import User
from videocontact.guidance.models import Audience, HelpPage, HelpVideo
from videocontact.guidance.selectors import help_for
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db

MakeVideo = Callable[..., HelpVideo]


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def data() -> bytes:
    return video_bytes("mp4", 10_000)


@pytest.fixture
def video(make_video: MakeVideo, data: bytes) -> HelpVideo:
    return make_video(data=data)


def url(video: HelpVideo) -> str:
    return f"/help/videos/{video.pk}/file"


# Range requests ------------------------------------------------------------------------------


def test_whole_file_says_it_accepts_ranges(client: Client, video: HelpVideo, data: bytes) -> None:
    response = client.get(url(video))
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(data))
    assert response["ETag"] == f'"{video.sha256[:32]}"'
    assert "Content-Range" not in response
    assert body(response) == data


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),  # the first bytes
        ("bytes=4000-4999", 4000, 4999),  # the middle
        ("bytes=-100", 9900, 9999),  # a suffix
        ("bytes=9000-", 9000, 9999),  # open-ended
        ("bytes=9990-20000", 9990, 9999),  # clipped at the end
    ],
)
def test_one_range_is_206_partial_content(
    client: Client, video: HelpVideo, data: bytes, header: str, start: int, end: int
) -> None:
    response = client.get(url(video), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == data[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10000-", "bytes=20000-30000", "bytes=-0"])
def test_unsatisfiable_range_is_416(client: Client, video: HelpVideo, header: str) -> None:
    response = client.get(url(video), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10000"


@pytest.mark.parametrize("header", ["bytes=abc", "bytes=5-2", "pages=1-2", "bytes=0-1,4-5"])
def test_malformed_or_multiple_ranges_get_the_whole_file(
    client: Client, video: HelpVideo, data: bytes, header: str
) -> None:
    response = client.get(url(video), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == data


def test_if_range_with_another_version_gets_the_whole_file(
    client: Client, video: HelpVideo, data: bytes
) -> None:
    etag = f'"{video.sha256[:32]}"'
    same = client.get(url(video), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and body(same) == data[:10]
    other = client.get(url(video), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"something-else"')
    assert other.status_code == 200 and body(other) == data


def test_head_and_other_methods(client: Client, video: HelpVideo) -> None:
    head = client.head(url(video))
    assert head.status_code == 200 and head["Content-Length"] == "10000"
    assert head.content == b""
    assert client.post(url(video)).status_code == 405


def test_webm_is_served_as_webm(client: Client, make_video: MakeVideo) -> None:
    video = make_video(data=video_bytes("webm", 3000))
    response = client.get(url(video))
    response.close()  # a server closes every response; the test client only after reading it
    assert response["Content-Type"] == "video/webm"


def test_unpublished_missing_and_staff_videos(
    client: Client, make_video: MakeVideo, caseworker: User
) -> None:
    hidden = make_video()
    hidden.published = False
    hidden.save()
    assert client.get(url(hidden)).status_code == 404
    assert client.get("/help/videos/999999/file").status_code == 404
    staff_video = make_video(audience=Audience.STAFF)
    assert client.get(url(staff_video)).status_code == 404  # not for anonymous visitors
    client.force_login(caseworker)
    response = client.get(url(staff_video), HTTP_RANGE="bytes=0-0")
    assert response.status_code == 206 and "private" in response["Cache-Control"]
    assert len(body(response)) == 1


def test_a_missing_file_is_404_not_500(client: Client, video: HelpVideo) -> None:
    video.file.storage.delete(video.file.name)
    assert client.get(url(video)).status_code == 404


def test_captions(client: Client, video: HelpVideo, make_video: MakeVideo) -> None:
    response = client.get(f"/help/videos/{video.pk}/captions.vtt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    assert response.content == CAPTIONS
    bare = make_video(captions=None)
    assert client.get(f"/help/videos/{bare.pk}/captions.vtt").status_code == 404


# Help in the pages ---------------------------------------------------------------------------


def joined(client: Client, token: str) -> Client:
    client.get(f"/j/{token}")
    return client


def test_consent_page_shows_resident_help_in_dutch_with_captions(
    client: Client, visit: Visit, token: str, video: HelpVideo
) -> None:
    HelpPage.objects.create(
        title="Tips", audience=Audience.RESIDENT, language="nl", body="<b>Zo</b> **gaat** het"
    )
    HelpPage.objects.create(title="Voor medewerkers", audience=Audience.STAFF, body="x")
    html = joined(client, token).get(f"/v/{visit.id}/consent").content.decode()
    assert f'src="/help/videos/{video.pk}/file" type="video/mp4"' in html
    assert f'<track kind="captions" src="/help/videos/{video.pk}/captions.vtt" srclang="nl"' in html
    assert "&lt;b&gt;Zo&lt;/b&gt; <strong>gaat</strong> het" in html
    assert "Voor medewerkers" not in html


def test_help_follows_the_language_and_falls_back_to_dutch(
    client: Client, visit: Visit, token: str
) -> None:
    HelpPage.objects.create(title="Uitleg-NL", audience=Audience.RESIDENT, language="nl", body="x")
    joined(client, token)
    client.cookies["vc_language"] = "tr"
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert "Uitleg-NL" in html  # nothing in Turkish: Dutch, marked as Dutch
    assert 'class="card help" aria-labelledby="help-title-resident" lang="nl"' in html
    HelpPage.objects.create(title="Yardim-TR", audience=Audience.RESIDENT, language="tr", body="x")
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert "Yardim-TR" in html and "Uitleg-NL" not in html


def test_fallback_to_dutch_is_per_kind_of_help_item(
    client: Client, visit: Visit, token: str, video: HelpVideo
) -> None:
    """Arabic help pages but only a Dutch video: the Arabic resident sees both."""
    HelpPage.objects.create(title="مساعدة", audience=Audience.RESIDENT, language="ar", body="x")
    HelpPage.objects.create(title="Uitleg-NL", audience=Audience.RESIDENT, language="nl", body="x")
    joined(client, token)
    client.cookies["vc_language"] = "ar"
    html = client.get(f"/v/{visit.id}/consent").content.decode()
    assert "مساعدة" in html and "Uitleg-NL" not in html
    assert f'src="/help/videos/{video.pk}/file"' in html  # the Dutch video, marked as Dutch
    assert '<figure class="help__video" lang="nl">' in html
    assert '<details class="help__page" lang="ar">' in html
    found = help_for(audience=Audience.RESIDENT, language="ar")
    assert [v.language for v in found.videos] == ["nl"]
    assert [p.language for p in found.pages] == ["ar"]


def test_help_of_another_organisation_is_not_shown(
    client: Client, visit: Visit, token: str
) -> None:
    other = factories.make_organisation()
    HelpPage.objects.create(
        title="Elders", audience=Audience.RESIDENT, organisation=other, body="x"
    )
    HelpPage.objects.create(
        title="Hier", audience=Audience.RESIDENT, organisation=visit.organisation, body="x"
    )
    html = joined(client, token).get(f"/v/{visit.id}/consent").content.decode()
    assert "Hier" in html and "Elders" not in html


def test_waiting_room_and_dashboard_show_help(
    client: Client, visit: Visit, token: str, caseworker: User
) -> None:
    HelpPage.objects.create(title="Hulp bij het wachten", audience=Audience.RESIDENT, body="x")
    HelpPage.objects.create(title="Werkinstructie", audience=Audience.STAFF, body="x")
    joined(client, token).post(f"/v/{visit.id}/consent", {"decision": "accept"})
    call = client.get(f"/v/{visit.id}/call").content.decode()
    waiting = call.split('id="vc-waiting"', 1)[1].split("</section>\n\n", 1)[0]
    assert "Hulp bij het wachten" in waiting and "Werkinstructie" not in call
    staff = Client()
    staff.force_login(caseworker)
    dashboard = staff.get("/staff/").content.decode()
    assert "Werkinstructie" in dashboard and "Hulp bij het wachten" not in dashboard
    # The caseworker's own call page has no resident help.
    assert (
        "Hulp bij het wachten" not in staff.get(f"/staff/visits/{visit.id}/call").content.decode()
    )


def test_no_help_no_section(client: Client, visit: Visit, token: str) -> None:
    html = joined(client, token).get(f"/v/{visit.id}/consent").content.decode()
    assert 'class="card help"' not in html


# Admin ---------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = factories.make_user(username="beheer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def upload(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_admin_upload_checks_the_content(admin_client: Client) -> None:
    form = {
        "title": "Uitleg",
        "audience": "resident",
        "language": "nl",
        "position": 0,
        "published": "on",
    }
    fake = upload("video.mp4", b"<html>not a video</html>" * 20, "video/mp4")
    response = admin_client.post("/admin/guidance/helpvideo/add/", {**form, "file": fake})
    assert response.status_code == 200
    assert not HelpVideo.objects.exists()
    assert "MP4" in response.content.decode() and "WebM" in response.content.decode()

    srt = upload("c.vtt", b"1\n00:00:00,000 --> 00:00:01,000\nx\n", "text/vtt")
    good = upload("video.webm", video_bytes("webm", 4000), "application/octet-stream")
    response = admin_client.post(
        "/admin/guidance/helpvideo/add/", {**form, "file": good, "captions": srt}
    )
    assert response.status_code == 200 and not HelpVideo.objects.exists()

    good = upload("video.webm", video_bytes("webm", 4000), "application/octet-stream")
    captions = upload("c.vtt", CAPTIONS, "text/vtt")
    response = admin_client.post(
        "/admin/guidance/helpvideo/add/", {**form, "file": good, "captions": captions}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    video = HelpVideo.objects.get()
    assert (video.content_type, video.size) == ("video/webm", 4000)
    assert len(video.sha256) == 64
    # Editing the title keeps the checked file.
    response = admin_client.post(
        f"/admin/guidance/helpvideo/{video.pk}/change/", {**form, "title": "Nieuwe titel"}
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert (video.title, video.content_type) == ("Nieuwe titel", "video/webm")


def test_admin_help_page(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/guidance/helppage/add/",
        {
            "title": "Tips",
            "audience": "staff",
            "language": "nl",
            "body": "Hallo",
            "position": 0,
            "published": "on",
        },
    )
    assert response.status_code == 302
    assert HelpPage.objects.get().body == "Hallo"


# Device check and TURN credentials -----------------------------------------------------------


def test_public_check_page(client: Client) -> None:
    response = client.get("/check")
    assert response.status_code == 200
    html = response.content.decode()
    config = re.search(r'<script id="check-config" type="application/json">(.*?)</script>', html)
    assert config and '"mayTestTurn": false' in config.group(1)
    for element in ("check-video", "check-mic", "check-sound-play", "check-net-status"):
        assert f'id="{element}"' in html


def test_turn_credentials_need_a_link(client: Client, settings: Any) -> None:
    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    response = client.get("/check/turn")
    assert response.status_code == 403
    assert response.json()["error"] == "no_link"


def test_turn_credentials_for_a_browser_with_a_link(
    client: Client, token: str, settings: Any
) -> None:
    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    joined(client, token)
    response = client.get("/check/turn")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    payload = response.json()
    assert payload["configured"] is True and payload["iceTransportPolicy"] == "relay"
    (server,) = payload["iceServers"]
    assert server["urls"] == settings.TURN_URLS
    expiry, name = server["username"].split(":", 1)
    assert name.startswith("check-")
    import time

    assert 0 < int(expiry) - time.time() <= 300  # short-lived
    digest = hmac.new(b"s3cret", server["username"].encode(), hashlib.sha1).digest()
    assert server["credential"] == base64.b64encode(digest).decode()


def test_turn_credentials_are_limited_per_browser(
    client: Client, token: str, settings: Any
) -> None:
    from videocontact.guidance.checks import CHECK_TURN_PER_HOUR

    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    joined(client, token)
    for _ in range(CHECK_TURN_PER_HOUR):
        assert client.get("/check/turn").status_code == 200
    refused = client.get("/check/turn")
    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_without_turn_the_check_says_so(client: Client, token: str, settings: Any) -> None:
    settings.TURN_URLS = []
    joined(client, token)
    assert client.get("/check/turn").json() == {
        "configured": False,
        "iceServers": [],
        "iceTransportPolicy": "relay",
    }


def test_a_link_that_is_not_open_yet_may_run_the_check(
    client: Client, process: Any, caseworker: User, settings: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    _, issued = factories.make_visit(
        process=process, caseworker=caseworker, scheduled_at=timezone.now() + timedelta(days=2)
    )
    page = client.get(f"/j/{issued.token}", follow=True)
    assert page.status_code == 200
    assert 'href="/check"' in page.content.decode()
    assert client.get("/check/turn").status_code == 200
    assert '"mayTestTurn": true' in client.get("/check").content.decode()


def test_an_unknown_link_gives_no_turn_credentials(client: Client, settings: Any) -> None:
    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    settings.TURN_SECRET = "s3cret"
    client.get("/j/" + "x" * 32)
    assert client.get("/check/turn").status_code == 403


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_video_streams_asynchronously(
    async_client: Any, video: HelpVideo, data: bytes
) -> None:
    """Django would read a synchronous iterator into memory before sending it over ASGI."""
    response = await async_client.get(url(video), headers={"Range": "bytes=100-"})
    assert response.status_code == 206
    assert response.is_async
    assert b"".join([chunk async for chunk in response.streaming_content]) == data[100:]
    from asgiref.sync import sync_to_async
    from django.db import connections

    await sync_to_async(connections.close_all)()  # the view's thread holds a connection


def test_csp_lets_the_page_play_its_own_videos(client: Client) -> None:
    csp = client.get("/check")["Content-Security-Policy"]
    assert "media-src 'self' blob:" in csp  # help videos and captions come from this origin


def test_deleting_or_replacing_a_video_removes_its_files(
    make_video: MakeVideo, admin_client: Client
) -> None:
    video = make_video()
    storage = video.file.storage
    old_file, old_captions = video.file.name, video.captions.name
    response = admin_client.post(
        f"/admin/guidance/helpvideo/{video.pk}/change/",
        {
            "title": video.title,
            "audience": "resident",
            "language": "nl",
            "position": 0,
            "published": "on",
            "file": upload("new.webm", video_bytes("webm", 2000), "video/webm"),
        },
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert not storage.exists(old_file) and storage.exists(video.file.name)
    assert video.content_type == "video/webm" and video.size == 2000
    assert storage.exists(old_captions)  # not replaced
    new_file = video.file.name
    video.delete()
    assert not storage.exists(new_file) and not storage.exists(old_captions)


def test_guest_who_declines_sees_a_guest_text(
    client: Client, visit: Visit, caseworker: User
) -> None:
    from videocontact.visits import services

    _, issued = services.guest_add(
        visit=visit, by_user=caseworker, role="interpreter", display_name="T"
    )
    joined(client, issued.token).post(f"/v/{visit.id}/consent", {"decision": "decline"})
    html = client.get(f"/v/{visit.id}/declined").content.decode()
    assert "U doet niet mee" in html and "andere afspraak" not in html


def test_staff_videos_of_an_organisation_are_for_its_staff_only(
    client: Client, make_video: MakeVideo, caseworker: User, outsider: User
) -> None:
    """Found when pen-tested: a staff video of one municipality played for another's staff."""
    own = make_video(audience=Audience.STAFF, title="Alleen voor Voorbeeldstad")
    own.organisation = caseworker.memberships.get().unit.organisation
    own.save()
    shared = make_video(audience=Audience.STAFF, title="Voor iedereen")
    client.force_login(outsider)
    assert client.get(url(own)).status_code == 404
    assert client.get(f"/help/videos/{own.pk}/captions.vtt").status_code == 404
    response = client.get(url(shared), HTTP_RANGE="bytes=0-0")
    assert response.status_code == 206
    client.force_login(caseworker)
    response = client.get(url(own), HTTP_RANGE="bytes=0-0")
    assert response.status_code == 206
