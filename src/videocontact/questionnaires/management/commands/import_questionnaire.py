from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from videocontact.accounts.models import Process
from videocontact.questionnaires.definition import DefinitionError
from videocontact.questionnaires.services import template_import


class Command(BaseCommand):
    help = "Import a questionnaire template JSON file as a new version for a process."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--process", required=True, help="process code, e.g. adresonderzoek")

    def handle(self, *args: Any, file: Path, process: str, **options: Any) -> None:
        target = Process.objects.filter(code=process).first()
        if target is None:
            raise CommandError(f"no process with code {process!r}")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            version = template_import(process=target, data=data)
        except DefinitionError as exc:
            raise CommandError(f"{file}: {exc.path}: {exc.message}") from exc
        self.stdout.write(f"{version.template.code} version {version.number} for {target}")
