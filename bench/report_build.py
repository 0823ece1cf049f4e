"""Benchmark: build one sealed visit report — 20 answers (Dutch with Arabic beside), a
signature and 10 full-HD (1920x1080) photos — goal ≤ 1.0 s. Median, min and max over N builds
(default 10) after one warm-up build, with the phases: gather (decrypt photos, read the
questionnaire), HTML render, PDF layout (WeasyPrint), seal (pyHanko, PAdES B-B) and store
(encrypt into the vault).

    .venv/bin/python bench/report_build.py [--runs 10] [--key ec|rsa] [--profile out.txt]

In-process, against a fresh SQLite database and evidence directory in a temp dir (DEBUG off).
The photos are real JPEGs of 1920x1080 with camera-like noise (about 0.6 MB each), embedded in
the PDF as they are. `--profile` writes a cProfile summary of three more builds (cumulative).
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORKDIR = Path(tempfile.mkdtemp(prefix="vc-bench-report-"))
os.environ.update(
    DJANGO_SETTINGS_MODULE="videocontact.conf.base",
    SECRET_KEY="bench-only-" + "z" * 40,
    VAR_DIR=str(WORKDIR),
    LOG_LEVEL="WARNING",
)
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

ARABIC = [
    "نعم، أعيش هنا منذ ثلاث سنوات مع عائلتي",
    "أعمل في مطبخ مطعم ثلاثة أيام في الأسبوع",
    "ابني يذهب إلى المدرسة في الحي",
    "لا، لا أملك سيارة",
]


def definition() -> dict:
    questions = []
    for n in range(20):
        kind = ["short_text", "long_text", "yes_no", "number", "single_choice"][n % 5]
        question = {
            "id": f"q{n}",
            "type": kind,
            "label": {
                "nl": f"Vraag {n + 1}: hoe is uw situatie op dit punt?",
                "ar": f"السؤال {n + 1}: ما هو وضعك في هذه النقطة؟",
            },
        }
        if kind == "single_choice":
            question["options"] = [
                {"value": "a", "label": {"nl": "Huur", "ar": "إيجار"}},
                {"value": "b", "label": {"nl": "Koop", "ar": "ملك"}},
            ]
        questions.append(question)
    return {
        "schema_version": 1,
        "code": "bench-report",
        "title": {"nl": "Huisbezoek", "ar": "زيارة منزلية"},
        "languages": {"nl": "source", "ar": "machine"},
        "sections": [
            {"id": "a", "title": {"nl": "Wonen", "ar": "السكن"}, "questions": questions[:10]},
            {"id": "b", "title": {"nl": "Werk", "ar": "العمل"}, "questions": questions[10:]},
        ],
    }


def answer_for(question: dict, n: int) -> object:
    return {
        "short_text": ARABIC[n % len(ARABIC)],
        "long_text": ARABIC[(n + 1) % len(ARABIC)] + ". " + ARABIC[(n + 2) % len(ARABIC)],
        "yes_no": n % 2 == 0,
        "number": n + 1,
        "single_choice": "a",
    }[question["type"]]


def full_hd_jpeg(seed: int) -> bytes:
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((1920, 1080))
    noise = Image.effect_noise((1920, 1080), 40 + seed).filter(ImageFilter.GaussianBlur(0.6))
    channels = []
    for c in range(3):
        offset = rng.randint(0, 60)
        lut = [min(255, v + offset) for v in range(256)]
        channels.append(Image.blend(base, noise, 0.35 + 0.05 * c).point(lut))
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def signature_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    draw.line([(20, 150), (120, 40), (200, 160), (320, 50), (560, 120)], fill=0, width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def setup(key_type: str):  # type: ignore[no-untyped-def]
    import logging

    import django
    import structlog
    from django.core.management import call_command

    django.setup()
    # Only the JSON result on stdout: no audit log lines.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    call_command("migrate", verbosity=0)
    from videocontact.accounts.models import Membership, Organisation, Process, Role, Unit, User
    from videocontact.evidence.services import photo_store
    from videocontact.questionnaires import services as q
    from videocontact.reports.demo import self_signed_material
    from videocontact.reports.services import seal_certificate_store
    from videocontact.visits import services as v

    org = Organisation.objects.create(slug="bench", name="Gemeente Benchstad")
    unit = Unit.objects.create(organisation=org, department="Sociale Zaken", name="Intake")
    process = Process.objects.create(unit=unit, code="bijstand", name="Aanvraag bijstand")
    user = User.objects.create_user(username="sanne", first_name="Sanne", last_name="de Vries")
    Membership.objects.create(user=user, unit=unit, role=Role.CASEWORKER)
    seal_certificate_store(
        organisation=org, material=self_signed_material(org.name, key_type=key_type)
    )
    visit, _ = v.visit_create(
        process=process, caseworker=user, resident_name="Amina Haddad", resident_language="ar"
    )
    resident = visit.participants.get(role="resident")
    staff = v.staff_participant_get_or_create(visit=visit, user=user)
    v.participant_enter_room(participant=staff, is_staff=True)
    v.consent_record(participant=resident, accepted=True, language="ar")
    v.participant_enter_room(participant=resident, is_staff=False)
    v.participant_admit(participant=resident, by_user=user)
    data = definition()
    q.template_import(process=process, data=data)
    questionnaire = q.questionnaire_start(visit=visit, by_user=user)
    all_questions = [x for s in data["sections"] for x in s["questions"]]
    for n, question in enumerate(all_questions):
        q.answer_save(
            questionnaire_id=questionnaire.id,
            participant=resident,
            question_id=question["id"],
            value=answer_for(question, n),
            base_version=0,
        )
    q.questionnaire_sign(
        questionnaire_id=questionnaire.id,
        participant=resident,
        strokes=[[[20, 150], [120, 40], [200, 160]], [[320, 50], [560, 120]]],
        png_base64=base64.b64encode(signature_png()).decode(),
    )
    q.notes_save(questionnaire_id=questionnaire.id, text="Goed gesprek.", by_user=user)
    sizes = []
    for n in range(10):
        photo = photo_store(
            visit=visit, data=full_hd_jpeg(n), requested_by=user, captured_by=resident
        )
        photo.caption = f"Foto van kamer {n + 1}"
        photo.save(update_fields=["caption"])
        sizes.append(photo.size)
    visit.status = "ended"
    visit.save(update_fields=["status"])
    return visit, sizes


def build_once(visit) -> dict:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from videocontact.evidence import vault
    from videocontact.reports.services import build_sealed_pdf

    started = time.perf_counter()
    cpu_started = time.process_time()
    pdf, _, _, timings = build_sealed_pdf(visit=visit, number=1, now=timezone.now())
    stored_at = time.perf_counter()
    blob = vault.seal(pdf, prefix="bench")
    done = time.perf_counter()
    cpu = time.process_time() - cpu_started
    vault.destroy(blob.name)
    return {
        "total": done - started,
        "cpu": cpu,
        "gather": timings.gather_seconds,
        "html": timings.html_seconds,
        "layout": timings.layout_seconds,
        "seal": timings.seal_seconds,
        "store": done - stored_at,
        "bytes": len(pdf),
        "pages": timings.pages,
    }


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--key", choices=["ec", "rsa"], default="ec")
    parser.add_argument("--profile", type=Path, help="write a cProfile summary here")
    args = parser.parse_args()
    visit, sizes = setup(args.key)
    first = time.perf_counter()
    build_once(visit)  # warm-up: imports, fontconfig, the stylesheet
    cold = time.perf_counter() - first
    runs = [build_once(visit) for _ in range(args.runs)]
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(3):
            build_once(visit)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        args.profile.write_text(out.getvalue())
    result = {
        "benchmark": "report_build",
        "runs": args.runs,
        "seal_key": "ECDSA P-256" if args.key == "ec" else "RSA 3072",
        "photos": len(sizes),
        "photo_bytes_total": sum(sizes),
        "answers": 20,
        "pdf_bytes": runs[-1]["bytes"],
        "pages": runs[-1]["pages"],
        "first_build_seconds": round(cold, 3),
        "seconds": summary([r["total"] for r in runs]),
        # CPU time of this process: what the build costs without the other load on the machine
        "cpu_seconds": summary([r["cpu"] for r in runs]),
        "phases": {
            phase: summary([r[phase] for r in runs])
            for phase in ("gather", "html", "layout", "seal", "store")
        },
        "goal_seconds": 1.0,
        "goal_met": statistics.median(r["total"] for r in runs) <= 1.0,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
