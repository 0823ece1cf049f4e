"""Demo help: short pages for residents (Dutch, English, Arabic) and staff, and a tiny
instruction video made on the spot with ffmpeg when it is installed (no network needed)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files import File

from videocontact.guidance.models import Audience, HelpPage, HelpVideo
from videocontact.guidance.services import help_video_create

PAGES = [
    (
        Audience.RESIDENT,
        "nl",
        "Tips voor een goed gesprek",
        "Zoek een rustige plek met licht.\n\n"
        "- Laad uw telefoon op.\n- Gebruik wifi als u dat heeft.\n- Houd uw telefoon rechtop.\n\n"
        "Werkt iets niet? **Bel ons** gerust.",
    ),
    (
        Audience.RESIDENT,
        "en",
        "Tips for a good conversation",
        "Find a quiet place with light.\n\n"
        "- Charge your phone.\n- Use wifi if you have it.\n- Hold your phone upright.\n\n"
        "Something does not work? **Call us**.",
    ),
    (
        Audience.RESIDENT,
        "ar",
        "نصائح لمحادثة جيدة",
        "ابحث عن مكان هادئ فيه ضوء.\n\n"
        "- اشحن هاتفك.\n- استخدم الواي فاي إن وجد.\n- أمسك هاتفك بشكل عمودي.",
    ),
    (
        Audience.STAFF,
        "nl",
        "Gasten toevoegen",
        "Open het bezoek en kies **Gast toevoegen**.\n\n"
        "1. Kies de rol: tolk, familielid of helper, of tweede medewerker.\n"
        "2. Stuur de tolk of het familielid de eigen link.\n"
        "3. Laat de gast binnen vanuit de wachtkamer.\n\n"
        "In een gesprek kunnen *maximaal 4* mensen tegelijk.",
    ),
]

CAPTIONS_NL = """WEBVTT

00:00:00.000 --> 00:00:02.000
Welkom bij het videogesprek.

00:00:02.000 --> 00:00:04.000
Geef de browser toestemming voor camera en microfoon.
"""

DEMO_VIDEO_TITLE = "Zo werkt het videogesprek"


def make_demo_video(target: Path) -> bool:
    """A 4-second WebM test picture with a tone, made with ffmpeg. False without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        return False
    command = [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=15",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "4", "-c:v", "libvpx", "-b:v", "150k", "-c:a", "libopus", "-b:a", "32k",
        "-shortest", str(target),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603
    return result.returncode == 0 and target.exists() and target.stat().st_size > 0


def ensure_guidance_demo(*, with_video: bool = True) -> None:
    for position, (audience, language, title, body) in enumerate(PAGES):
        HelpPage.objects.get_or_create(
            title=title,
            audience=audience,
            language=language,
            defaults={"body": body, "position": position},
        )
    if not with_video or HelpVideo.objects.filter(title=DEMO_VIDEO_TITLE).exists():
        return
    with tempfile.TemporaryDirectory(prefix="vc-demo-video-") as tmp:
        video_path = Path(tmp) / "zo-werkt-het.webm"
        if not make_demo_video(video_path):
            return
        captions_path = Path(tmp) / "zo-werkt-het.nl.vtt"
        captions_path.write_text(CAPTIONS_NL, encoding="utf-8")
        with video_path.open("rb") as video, captions_path.open("rb") as captions:
            help_video_create(
                title=DEMO_VIDEO_TITLE,
                audience=Audience.RESIDENT,
                language="nl",
                video=File(video, name=video_path.name),
                captions=File(captions, name=captions_path.name),
            )
