from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from videocontact.guidance.checks import check_strings
from videocontact.portal.call_config import call_config, call_strings
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db


def test_call_config(visit: Visit, resident: Participant) -> None:
    config = call_config(visit, resident, is_staff=False)
    assert json.loads(json.dumps(config)) == config
    assert config == {
        "visitId": str(visit.id),
        "wsPath": f"/ws/visits/{visit.id}/",
        "isStaff": False,
        "role": "resident",
        "debugHooks": True,  # conf.test switches the browser-test hooks on
        "strings": call_strings(),
    }


def test_call_config_carries_the_debug_hooks_setting(
    visit: Visit, resident: Participant, settings
) -> None:
    settings.CALL_DEBUG_HOOKS = False
    assert call_config(visit, resident, is_staff=False)["debugHooks"] is False
    assert call_config(visit, resident, is_staff=True)["debugHooks"] is False
    settings.CALL_DEBUG_HOOKS = True
    assert call_config(visit, resident, is_staff=True)["debugHooks"] is True


ROOT = Path(__file__).resolve().parents[2]


def debug_hooks_of(module: str, **env: str) -> bool:
    code = (
        "import django; from django.conf import settings as s; django.setup(); "
        "print(s.CALL_DEBUG_HOOKS)"
    )
    clean = {k: v for k, v in os.environ.items() if k != "CALL_DEBUG_HOOKS"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.strip().splitlines()[-1] == "True"


def test_production_does_not_expose_window_vc_debug() -> None:
    production = {
        "SECRET_KEY": "x" * 50,
        "EVIDENCE_KEYS": "k1:" + "A" * 44,
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    assert debug_hooks_of("videocontact.conf.production", **production) is False
    # Not even when the environment asks for it.
    assert (
        debug_hooks_of("videocontact.conf.production", CALL_DEBUG_HOOKS="true", **production)
        is False
    )
    assert debug_hooks_of("videocontact.conf.dev") is True
    assert debug_hooks_of("videocontact.conf.test") is True


def test_strings_are_plain_non_empty_text() -> None:
    for language in ("nl", "en", "ar"):
        with translation.override(language):
            for strings in (call_strings(), check_strings()):
                assert strings
                assert all(isinstance(v, str) and v.strip() for v in strings.values())
