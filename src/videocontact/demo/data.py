"""Demo data: one municipality with the pilot's units and processes, and one staff user per role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from videocontact.accounts.models import Membership, Organisation, Process, Role, Unit, User
from videocontact.guidance.demo import ensure_guidance_demo
from videocontact.notifications import demo as notifications_demo

DEMO_PASSWORD = "demo-videocontact"  # noqa: S105 (printed by `make run`; demo only)

UNITS = [
    ("Sociale Zaken", "Intake", [("bijstand-aanvraag", "Aanvraag bijstand", 90)]),
    ("Sociale Zaken", "Handhaving", [("heronderzoek", "Heronderzoek rechtmatigheid", 180)]),
    ("Burgerzaken", "Adresonderzoek", [("adresonderzoek", "Adresonderzoek", 90)]),
]

USERS = [
    ("medewerker", "Sanne", "de Vries", Role.CASEWORKER),
    ("collega", "Youssef", "El Amrani", Role.CASEWORKER),
    ("teamleider", "Marieke", "Jansen", Role.TEAM_LEAD),
    ("beheerder", "Pieter", "Bakker", Role.FUNCTIONAL_ADMIN),
    ("privacy", "Fatma", "Yilmaz", Role.PRIVACY_OFFICER),
]


TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "questionnaires" / "templates_data"
# Which shipped questionnaire belongs to which demo process.
PROCESS_TEMPLATES = {
    "bijstand-aanvraag": "bijstand-aanvraag.json",
    "heronderzoek": "heronderzoek.json",
    "adresonderzoek": "adresonderzoek.json",
}


def load_pilot_templates(processes: dict[str, Process]) -> None:
    from videocontact.questionnaires.services import template_import

    for code, filename in PROCESS_TEMPLATES.items():
        path = TEMPLATES_DIR / filename
        if code in processes and path.exists():
            template_import(process=processes[code], data=json.loads(path.read_text("utf-8")))


@dataclass
class Demo:
    organisation: Organisation
    users: dict[str, User]
    processes: dict[str, Process]


@transaction.atomic
def ensure_demo() -> Demo:
    org, _ = Organisation.objects.get_or_create(
        slug="voorbeeldstad",
        defaults={
            "name": "Gemeente Voorbeeldstad",
            "contact_phone": "14 010",
            "primary_colour": "#1d4f91",
        },
    )
    if not org.accessibility_statement:
        from videocontact.accounts.statements import sample_accessibility_statement

        org.accessibility_statement = sample_accessibility_statement(org)
        org.privacy_statement = (
            "Privacyverklaring videogesprekken\n\nDit is een voorbeeld. De gemeente vult hier in "
            "welke gegevens zij bij een videogesprek verwerkt, waarom, hoe lang zij ze bewaart en "
            "hoe u uw rechten gebruikt."
        )
        org.save(update_fields=["accessibility_statement", "privacy_statement"])
    processes: dict[str, Process] = {}
    units: list[Unit] = []
    for department, name, unit_processes in UNITS:
        unit, _ = Unit.objects.get_or_create(organisation=org, department=department, name=name)
        units.append(unit)
        for code, label, retention in unit_processes:
            process, _ = Process.objects.get_or_create(
                unit=unit,
                code=code,
                defaults={
                    "name": label,
                    "retention_days": retention,
                    "staff_label": f"Medewerker {department}",
                },
            )
            processes[code] = process
            _approve_storage(process)
    users: dict[str, User] = {}
    for username, first, last, role in USERS:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        user.set_password(DEMO_PASSWORD)
        # The admin: configuration for the functional administrator, the DPIA registry for the
        # privacy officer (portal.admin_policy); neither is a superuser (the operator is).
        user.is_staff = role in (Role.FUNCTIONAL_ADMIN, Role.PRIVACY_OFFICER)
        user.is_superuser = False
        user.save()
        for unit in units:
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[username] = user
    load_pilot_templates(processes)
    from videocontact.reports.demo import ensure_demo_seal

    ensure_demo_seal(org)

    notifications_demo.ensure_demo(processes)

    ensure_guidance_demo(with_video=False)  # help pages; the demo command adds the video
    return Demo(organisation=org, users=users, processes=processes)


def _approve_storage(process: Process) -> None:
    """The demo's privacy officer has approved everything for every process (storage is off
    until approved): version 1, once."""
    from videocontact.privacy.approvals import current_approval, storage_approve

    if current_approval(process.pk) is None:
        storage_approve(
            process=process,
            by_user=None,
            photos=True,
            report=True,
            notes=True,
            transcript=True,
            retention_days=process.retention_days,
            note="Demo",
            check_role=False,
        )
