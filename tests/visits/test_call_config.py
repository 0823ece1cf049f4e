from __future__ import annotations

import json

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
        "strings": call_strings(),
    }


def test_strings_are_plain_non_empty_text() -> None:
    for language in ("nl", "en", "ar"):
        with translation.override(language):
            for strings in (call_strings(), check_strings()):
                assert strings
                assert all(isinstance(v, str) and v.strip() for v in strings.values())
