"""The organisation's raster logo: uploaded in the admin, checked by content and size, re-encoded
as a PNG without metadata, and shown on staff and resident pages; a bad file gets a clear error."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from videocontact.accounts import logo_image, services
from videocontact.accounts.models import Organisation, OrganisationLogo, User
from videocontact.visits.models import Visit


def image_bytes(kind: str, size: tuple[int, int] = (400, 100), **save: object) -> bytes:
    mode = "RGBA" if kind == "PNG" else "RGB"
    buffer = io.BytesIO()
    Image.new(mode, size, (29, 79, 145, 255) if mode == "RGBA" else (29, 79, 145)).save(
        buffer, kind, **save
    )
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {2: (52.0, 5.0, 0.0)}  # a GPS latitude
    return image_bytes("JPEG", exif=exif.tobytes(), comment=b"made at home")


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Dorpsstraat 1")
    return image_bytes("PNG", pnginfo=info)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header announcing a huge image, with hardly any data behind it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    "data",
    [image_bytes("PNG"), jpeg_with_exif(), image_bytes("WEBP"), png_with_text()],
    ids=["png", "jpeg with exif", "webp", "png with text"],
)
def test_accepted_logos_come_out_as_a_clean_png(data: bytes) -> None:
    logo = logo_image.clean_logo(data)
    assert logo.content_type == "image/png" and logo.data.startswith(b"\x89PNG")
    assert (logo.width, logo.height) == (400, 100)
    stored = Image.open(io.BytesIO(logo.data))
    assert not stored.info.keys() - {"dpi"}  # no text, EXIF, ICC or comment
    for marker in (b"PhoneMaker", b"Dorpsstraat", b"made at home", b"eXIf", b"tEXt", b"iCCP"):
        assert marker not in logo.data


def test_a_large_logo_is_made_smaller() -> None:
    logo = logo_image.clean_logo(image_bytes("PNG", size=(3000, 600)))
    assert (logo.width, logo.height) == (800, 160)


REFUSED = {
    "svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "geen PNG"),
    "gif": (b"GIF89a" + b"\0" * 20, "geen PNG"),
    "html": (b"<html>logo</html>", "geen PNG"),
    "empty": (b"", "leeg"),
    "truncated png": (image_bytes("PNG")[:60], "beschadigd"),
    "pixel bomb": (png_claiming(60_000, 60_000), "te veel pixels"),
    "too many pixels": (png_claiming(6_000, 5_000), "te veel pixels"),
    "too many bytes": (b"\x89PNG\r\n\x1a\n" + b"\0" * 2_000_001, "groter dan 2 MB"),
}


@pytest.mark.parametrize("data,words", list(REFUSED.values()), ids=list(REFUSED))
def test_refused_with_a_message_in_plain_dutch(data: bytes, words: str) -> None:
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        logo_image.clean_logo(data)
    assert words in refused.value.messages[0]


@pytest.fixture
def admin_client(organisation: Organisation) -> Client:
    user = User.objects.create_superuser("beheer", password="x")
    client = Client()
    client.force_login(user)
    return client


def change_url(organisation: Organisation) -> str:
    return f"/admin/accounts/organisation/{organisation.pk}/change/"


def form_data(organisation: Organisation, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "slug": organisation.slug,
        "name": organisation.name,
        "display_name_policy": organisation.display_name_policy,
        "primary_colour": organisation.primary_colour,
        "primary_text_colour": organisation.primary_text_colour,
        "logo_svg": "",
        "contact_phone": "",
        "accessibility_statement": "",
        "privacy_statement": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_upload_in_the_admin_then_shown_on_resident_pages(
    admin_client: Client, organisation: Organisation, visit: Visit, token: str
) -> None:
    upload = SimpleUploadedFile("logo.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = admin_client.post(
        change_url(organisation), form_data(organisation, logo_upload=upload)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation.refresh_from_db()
    stored = OrganisationLogo.objects.get(organisation=organisation)
    assert bytes(stored.png).startswith(b"\x89PNG") and b"PhoneMaker" not in bytes(stored.png)

    served = Client().get(organisation.logo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert "immutable" in served["Cache-Control"]
    assert served.content == bytes(stored.png)

    resident = Client()
    resident.get(f"/j/{token}")
    html = resident.get(f"/v/{visit.id}/consent").content.decode()
    assert f'src="{organisation.logo_url}" width="400" height="100" alt=""' in html
    assert organisation.name in html  # beside the logo


@pytest.mark.django_db
def test_a_logo_with_the_name_replaces_the_name(
    organisation: Organisation, caseworker: User
) -> None:
    services.logo_replace(organisation=organisation, logo=logo_image.clean_logo(png_with_text()))
    Organisation.objects.filter(pk=organisation.pk).update(logo_has_name=True)
    client = Client()
    client.force_login(caseworker)
    html = client.get("/staff/").content.decode()
    organisation.refresh_from_db()
    assert f'src="{organisation.logo_url}" width="400" height="100" alt="{organisation.name}">' in (
        html
    )


@pytest.mark.django_db
def test_a_bad_upload_gets_a_clear_error_not_a_500(
    admin_client: Client, organisation: Organisation
) -> None:
    upload = SimpleUploadedFile("logo.svg", REFUSED["svg"][0], content_type="image/svg+xml")
    response = admin_client.post(
        change_url(organisation),
        form_data(organisation, logo_upload=upload),
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert "Dit bestand is geen PNG-, JPEG- of WebP-afbeelding." in response.content.decode()
    assert not OrganisationLogo.objects.exists()


@pytest.mark.django_db
def test_remove_the_logo(admin_client: Client, organisation: Organisation) -> None:
    services.logo_replace(organisation=organisation, logo=logo_image.clean_logo(png_with_text()))
    organisation.refresh_from_db()
    old_url = organisation.logo_url
    response = admin_client.post(
        change_url(organisation), form_data(organisation, logo_delete="on")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo_url == "" and not OrganisationLogo.objects.exists()
    assert Client().get(old_url).status_code == 404


@pytest.mark.django_db
def test_an_old_or_made_up_logo_address_is_not_found(organisation: Organisation) -> None:
    services.logo_replace(organisation=organisation, logo=logo_image.clean_logo(png_with_text()))
    assert Client().get(f"/logo/{organisation.slug}/0123456789abcdef.png").status_code == 404
    assert Client().get(f"/logo/{organisation.slug}/x.png").status_code == 404


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_cut_off_file_is_refused_even_when_pillow_would_pad_it(kind: str, monkeypatch) -> None:
    """WeasyPrint (the report builder) turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole
    process; a cut-off logo must still be refused, not stored with a grey bottom half."""
    from PIL import ImageFile

    from videocontact.accounts.logo_image import clean_logo

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = image_bytes(kind)
    clean_logo(whole)
    with pytest.raises(ValidationError):
        clean_logo(whole[: len(whole) * 2 // 3])
