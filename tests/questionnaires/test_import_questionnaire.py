"""`manage.py import_questionnaire FILE --process CODE`."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.questionnaires.definitions import full_definition
from videocontact.accounts.models import Process
from videocontact.questionnaires.models import QuestionnaireTemplate, TemplateVersion

pytestmark = pytest.mark.django_db


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def run(path: Path, process: str = "bijstand") -> str:
    out = StringIO()
    call_command("import_questionnaire", str(path), "--process", process, stdout=out)
    return out.getvalue()


def test_import_versions(tmp_path: Path, process: Process) -> None:
    path = write(tmp_path / "intake.json", full_definition())

    assert run(path).strip() == f"test-intake version 1 for {process}"
    template = QuestionnaireTemplate.objects.get()
    assert (template.process, template.code) == (process, "test-intake")
    assert template.latest_version().definition == full_definition()

    assert "version 1" in run(path)  # the same file again: no new version
    assert TemplateVersion.objects.count() == 1

    changed = full_definition()
    changed["sections"][1]["questions"][0]["options"][2]["label"]["en"] = "Something else"
    write(path, changed)
    assert "test-intake version 2" in run(path)
    assert list(template.versions.values_list("number", flat=True)) == [1, 2]
    assert template.latest_version().definition == changed


def test_an_invalid_file_is_refused_with_the_path(tmp_path: Path, process: Process) -> None:
    data = full_definition()
    data["sections"][0]["questions"][1]["label"].pop("en")
    path = write(tmp_path / "broken.json", data)
    with pytest.raises(CommandError) as caught:
        run(path)
    assert str(caught.value) == (
        f"{path}: $.sections[0].questions[1].label: missing language(s) en"
    )
    assert not TemplateVersion.objects.exists()


def test_not_json(tmp_path: Path, process: Process) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": 1,', encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(str(path))):
        run(path)


def test_missing_file(tmp_path: Path, process: Process) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(CommandError, match=re.escape(str(path))):
        run(path)


def test_unknown_process(tmp_path: Path, process: Process) -> None:
    path = write(tmp_path / "intake.json", full_definition())
    with pytest.raises(CommandError, match="no process with code 'nope'"):
        run(path, process="nope")
    assert not TemplateVersion.objects.exists()
