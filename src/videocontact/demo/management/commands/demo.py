from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from videocontact.demo.data import DEMO_PASSWORD, USERS, ensure_demo
from videocontact.guidance.demo import ensure_guidance_demo
from videocontact.visits.services import visit_create


class Command(BaseCommand):
    help = "Create the demo municipality, staff users and one visit; print URLs and credentials."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="http://localhost:8000")

    def handle(self, *args: Any, base_url: str, **options: Any) -> None:
        demo = ensure_demo()
        ensure_guidance_demo(with_video=True)  # a tiny instruction video when ffmpeg is there
        visit, issued = visit_create(
            process=demo.processes["bijstand-aanvraag"],
            caseworker=demo.users["medewerker"],
            resident_name="Amina Haddad",
            resident_language="nl",
            case_reference="DEMO-001",
        )
        out = self.stdout.write
        out(self.style.SUCCESS(f"Demo ready for {demo.organisation.name}"))
        out(f"  Staff sign-in:   {base_url}/accounts/login/")
        for username, first, _last, role in USERS:
            out(f"    {username:<11} / {DEMO_PASSWORD}   ({first}, {role.label})")
        out(f"  Caseworker call: {base_url}/staff/visits/{visit.id}/call")
        out(f"  Resident link:   {base_url}/j/{issued.token}")
        out("  (open the resident link in another browser or a private window)")
