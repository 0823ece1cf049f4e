"""Import an organisation's seal certificate and key from a PKCS#12 (.p12/.pfx) file.

    manage.py import_seal_certificate voorbeeldstad /secure/zegel.p12
    SEAL_PASSPHRASE=… manage.py import_seal_certificate voorbeeldstad zegel.p12 --passphrase-env SEAL_PASSPHRASE

Without --passphrase-env the passphrase is asked for (never as a command-line argument, which
other users could read from the process list). The key is stored encrypted in the evidence vault.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from videocontact.accounts.models import Organisation
from videocontact.reports.seal import SealError, material_from_pkcs12
from videocontact.reports.services import seal_certificate_store

MAX_PKCS12_BYTES = 1024 * 1024


class Command(BaseCommand):
    help = "Import the seal certificate (PKCS#12) that seals an organisation's reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's slug")
        parser.add_argument("file", type=Path, help="PKCS#12 file with certificate and key")
        parser.add_argument(
            "--passphrase-env",
            metavar="VAR",
            help="read the passphrase from this environment variable",
        )
        parser.add_argument(
            "--no-passphrase", action="store_true", help="the file has no passphrase"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation with slug {options['organisation']!r}")
        path: Path = options["file"]
        try:
            if path.stat().st_size > MAX_PKCS12_BYTES:
                raise CommandError("the file is larger than 1 MB; is it really a PKCS#12 file?")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if options["no_passphrase"]:
            passphrase = None
        elif options["passphrase_env"]:
            value = os.environ.get(options["passphrase_env"])
            if value is None:
                raise CommandError(f"environment variable {options['passphrase_env']} is not set")
            passphrase = value.encode()
        else:
            passphrase = getpass.getpass("Passphrase of the PKCS#12 file: ").encode() or None
        try:
            material = material_from_pkcs12(data, passphrase)
        except SealError as exc:
            raise CommandError(str(exc)) from exc
        stored = seal_certificate_store(organisation=organisation, material=material)
        self.stdout.write(
            self.style.SUCCESS(
                f"Seal certificate imported for {organisation.name}: {stored.subject}\n"
                f"  SHA-256 fingerprint {stored.fingerprint_sha256}\n"
                f"  valid until {stored.not_valid_after:%Y-%m-%d}"
            )
        )
