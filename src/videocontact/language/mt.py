"""Machine translation behind one small interface: Apertium (Debian packages), Argos Translate
(when its packages are installed) and a self-hosted LibreTranslate server over HTTP.

Only pairs that really work on this installation are offered. Nothing here caches or logs the
text: free-text answers are personal data."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from videocontact.language.errors import EngineUnavailable, LanguageError

MAX_TEXT = 5000
TIMEOUT = 20

# ISO 639-3 (Apertium's mode names) → our two-letter codes.
ISO3 = {
    "nld": "nl",
    "eng": "en",
    "ara": "ar",
    "tur": "tr",
    "pol": "pl",
    "ukr": "uk",
    "fas": "fa",
    "som": "so",
    "tir": "ti",
    "spa": "es",
    "afr": "af",
    "cat": "ca",
    "fra": "fr",
    "deu": "de",
}


class Translator(Protocol):
    name: str

    def pairs(self) -> set[tuple[str, str]]: ...

    def translate(self, text: str, source: str, target: str) -> str: ...


@dataclass(frozen=True)
class Translation:
    text: str
    engine: str
    source: str
    target: str
    machine: bool = True  # always shown as a machine translation


class ApertiumEngine:
    name = "apertium"

    def __init__(self, modes_dir: Path = Path("/usr/share/apertium/modes")) -> None:
        self.binary = shutil.which("apertium")
        self.modes_dir = modes_dir

    def _modes(self) -> dict[tuple[str, str], str]:
        if not self.binary or not self.modes_dir.is_dir():
            return {}
        modes: dict[tuple[str, str], str] = {}
        for mode in sorted(self.modes_dir.glob("*.mode")):
            parts = mode.stem.split("-")
            if len(parts) != 2:  # e.g. spa-eng_US: a variant, the plain pair is enough
                continue
            source, target = (ISO3.get(p) for p in parts)
            if source and target:
                modes[(source, target)] = mode.stem
        return modes

    def pairs(self) -> set[tuple[str, str]]:
        return set(self._modes())

    def translate(self, text: str, source: str, target: str) -> str:
        mode = self._modes().get((source, target))
        if mode is None or self.binary is None:
            raise EngineUnavailable(f"apertium has no {source}-{target} pair")
        try:
            result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                [self.binary, "-u", mode],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT,
                check=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise EngineUnavailable(f"apertium failed: {exc}") from exc
        return result.stdout.decode("utf-8").strip()


class ArgosEngine:
    """Argos Translate's installed packages (none are installed by default)."""

    name = "argos"

    def _packages(self) -> list[Any]:
        try:
            from argostranslate import package  # type: ignore[import-not-found]
        except ImportError:
            return []
        try:
            return list(package.get_installed_packages())
        except Exception:  # a broken install makes the engine unavailable
            return []

    def pairs(self) -> set[tuple[str, str]]:
        return {(p.from_code, p.to_code) for p in self._packages()}

    def translate(self, text: str, source: str, target: str) -> str:
        if (source, target) not in self.pairs():
            raise EngineUnavailable(f"argos has no {source}-{target} package")
        try:
            from argostranslate import translate  # type: ignore[import-not-found]

            return str(translate.translate(text, source, target))
        except Exception as exc:
            raise EngineUnavailable(f"argos failed: {exc}") from exc


class LibreTranslateEngine:
    """A self-hosted LibreTranslate server (GET /languages, POST /translate)."""

    name = "libretranslate"

    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key

    def _call(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(  # noqa: S310 (the configured http(s) URL)
            self.url + path,
            data=data,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST" if data is not None else "GET",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return json.loads(response.read(2_000_000))
        except (OSError, ValueError, urllib.error.URLError) as exc:
            raise EngineUnavailable(f"LibreTranslate did not answer: {exc}") from exc

    def pairs(self) -> set[tuple[str, str]]:
        if not self.url.startswith(("http://", "https://")):
            return set()
        try:
            languages = self._call("/languages")
        except EngineUnavailable:
            return set()
        pairs: set[tuple[str, str]] = set()
        for language in languages if isinstance(languages, list) else []:
            source = language.get("code") if isinstance(language, dict) else None
            for target in language.get("targets", []) if source else []:
                if isinstance(target, str) and isinstance(source, str) and target != source:
                    pairs.add((source, target))
        return pairs

    def translate(self, text: str, source: str, target: str) -> str:
        payload = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        answer = self._call("/translate", payload)
        if not isinstance(answer, dict) or not isinstance(answer.get("translatedText"), str):
            raise EngineUnavailable("LibreTranslate gave no translation")
        return answer["translatedText"]


def engines() -> list[Translator]:
    """The configured engines, in order of preference."""
    found: list[Translator] = []
    for name in settings.LANGUAGE_MT_ENGINES:
        if name == "apertium":
            found.append(ApertiumEngine())
        elif name == "argos":
            found.append(ArgosEngine())
        elif name == "libretranslate" and settings.LANGUAGE_LIBRETRANSLATE_URL:
            found.append(
                LibreTranslateEngine(
                    settings.LANGUAGE_LIBRETRANSLATE_URL, settings.LANGUAGE_LIBRETRANSLATE_KEY
                )
            )
    return found


@cache
def _pairs_cached(config: tuple[Any, ...]) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for engine in engines():
        for pair in sorted(engine.pairs()):
            table.setdefault(pair, engine.name)
    return table


def available_pairs() -> dict[tuple[str, str], str]:
    """(source, target) → the engine that translates it here. Probed once per configuration."""
    return _pairs_cached(
        (
            tuple(settings.LANGUAGE_MT_ENGINES),
            settings.LANGUAGE_LIBRETRANSLATE_URL,
        )
    )


def reset() -> None:
    _pairs_cached.cache_clear()


def translate(text: str, source: str, target: str) -> Translation:
    """Translate with the engine that has the pair. EngineUnavailable when none has it or it
    fails (the caller shows 'not available', never a crash)."""
    if source == target:
        raise LanguageError("source and target are the same language", code="same_language")
    if len(text) > MAX_TEXT:
        raise LanguageError("the text is too long to translate", code="too_long")
    name = available_pairs().get((source, target))
    if name is None:
        raise EngineUnavailable(f"no machine translation for {source}-{target}", code="no_pair")
    engine = next(e for e in engines() if e.name == name)
    return Translation(
        text=engine.translate(text, source, target), engine=name, source=source, target=target
    )
