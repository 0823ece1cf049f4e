"""For a staff member who lost both phone/key and recovery codes: remove their second factors
(they set up a new one at the next sign-in where one is required). Audited."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from videocontact.accounts.models import User
from videocontact.signin import factors


class Command(BaseCommand):
    help = "Remove a staff member's authenticator app, passkeys and recovery codes (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="username of the administrator doing this")

    def handle(self, *args: Any, username: str, by: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        admin = User.objects.filter(username=by, is_active=True).first()
        if user is None or admin is None:
            raise CommandError("unknown username")
        removed = factors.factors_reset(user=user, by=admin)
        self.stdout.write(f"removed {removed} second factor(s) of {username}")
