"""`manage.py verify_audit_chain`: recompute the audit trail's hash chain; name the first broken
link (exit status 1) or say how many events are intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from videocontact.privacy.chain import verify


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify()
        if broken is not None:
            raise CommandError(
                f"audit chain broken at event {broken.event_id} "
                f"(after {checked} intact events): {broken.reason}"
            )
        self.stdout.write(f"audit chain intact: {checked} events")
