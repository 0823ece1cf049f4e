"""Functional administrators import template files and export versions in the admin."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.questionnaires.definitions import full_definition
from videocontact.accounts.models import Process
from videocontact.questionnaires.models import QuestionnaireTemplate, TemplateVersion

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:questionnaire_import"
CHANGELIST_URL = "admin:questionnaires_questionnairetemplate_changelist"


@pytest.fixture
def client(admin_client: Client) -> Client:
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def upload(content: bytes | Any, name: str = "intake.json") -> SimpleUploadedFile:
    if not isinstance(content, bytes):
        content = json.dumps(content, ensure_ascii=False).encode("utf-8")
    return SimpleUploadedFile(name, content, content_type="application/json")


def post_import(client: Client, process: Process, content: bytes | Any) -> Any:
    return client.post(reverse(IMPORT_URL), {"process": process.pk, "file": upload(content)})


def test_the_import_page(client: Client, process: Process) -> None:
    response = client.get(reverse(IMPORT_URL))
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert process.name.encode() in response.content
    changelist = client.get(reverse(CHANGELIST_URL))
    assert reverse(IMPORT_URL).encode() in changelist.content


def test_import_a_good_file(client: Client, process: Process, admin_user: Any) -> None:
    response = post_import(client, process, full_definition())
    assert response.status_code == 302
    assert response.url == reverse(CHANGELIST_URL)
    version = TemplateVersion.objects.get()
    assert (version.number, version.created_by) == (1, admin_user)
    assert version.template.process == process
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Imported as version 1."]

    # the same file again keeps version 1; a changed one becomes version 2
    assert post_import(client, process, full_definition()).status_code == 302
    changed = full_definition()
    changed["description"]["en"] = "Revised"
    response = post_import(client, process, changed)
    assert response.status_code == 302
    assert list(TemplateVersion.objects.values_list("number", flat=True)) == [1, 2]
    assert "Imported as version 2." in [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "content",
    [b'{"schema_version": 1,', b"", b"\xff\xfe not utf-8", b"<questionnaire/>"],
    ids=["cut off", "empty", "not utf-8", "xml"],
)
def test_a_file_that_is_not_json(client: Client, process: Process, content: bytes) -> None:
    response = post_import(client, process, content)
    assert response.status_code == 200
    errors = response.context["form"].errors
    if content == b"":
        assert errors["file"]  # Django refuses an empty upload itself
    else:
        assert errors["file"][0].startswith("This is not a valid JSON file")
    assert not TemplateVersion.objects.exists()


def test_a_schema_error_names_the_path(client: Client, process: Process) -> None:
    data = full_definition()
    data["sections"][1]["questions"][0].pop("options")
    response = post_import(client, process, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "$.sections[1].questions[0]: 'options' is a required property"
    ]
    assert b"$.sections[1].questions[0]" in response.content
    assert not QuestionnaireTemplate.objects.exists()


def test_a_rule_error_names_the_path(client: Client, process: Process) -> None:
    data = full_definition()
    data["sections"][1]["questions"][3]["id"] = "name"
    response = post_import(client, process, data)
    assert response.context["form"].errors["file"] == [
        "$.sections[1].questions[3].id: duplicate id 'name'"
    ]


def test_a_file_over_2_mb_is_refused(client: Client, process: Process) -> None:
    response = post_import(client, process, b" " * (2 * 1024 * 1024 + 1))
    assert response.context["form"].errors["file"] == ["The file is larger than 2 MB."]


def test_a_process_is_required(client: Client) -> None:
    response = client.post(reverse(IMPORT_URL), {"file": upload(full_definition())})
    assert response.status_code == 200
    assert "process" in response.context["form"].errors
    assert not TemplateVersion.objects.exists()


def test_export_returns_the_json(client: Client, process: Process) -> None:
    post_import(client, process, full_definition())
    version = TemplateVersion.objects.get()
    response = client.get(reverse("admin:questionnaire_export", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-intake-v1.json"'
    assert json.loads(response.content.decode("utf-8")) == full_definition()

    # the export imports again without a new version
    again = client.post(
        reverse(IMPORT_URL), {"process": process.pk, "file": upload(response.content)}
    )
    assert again.status_code == 302
    assert TemplateVersion.objects.count() == 1


def test_export_keeps_non_ascii_text(client: Client, process: Process) -> None:
    data = full_definition()
    data["languages"]["ar"] = "machine"
    for node in [data["title"], data["description"]]:
        node["ar"] = "استبيان"
    for section in data["sections"]:
        section["title"]["ar"] = "قسم"
        for question in section["questions"]:
            for key in ("label", "help"):
                if key in question:
                    question[key]["ar"] = "سؤال"
            for option in question.get("options", []):
                option["label"]["ar"] = "خيار"
    post_import(client, process, data)
    version = TemplateVersion.objects.get()
    response = client.get(reverse("admin:questionnaire_export", args=[version.pk]))
    assert "استبيان".encode() in response.content


def test_export_of_an_unknown_version_is_404(client: Client) -> None:
    response = client.get(reverse("admin:questionnaire_export", args=[999999]))
    assert response.status_code == 404


def test_the_versions_are_listed_with_an_export_link(client: Client, process: Process) -> None:
    post_import(client, process, full_definition())
    version = TemplateVersion.objects.get()
    change_url = reverse(
        "admin:questionnaires_questionnairetemplate_change", args=[version.template_id]
    )
    response = client.get(change_url)
    assert response.status_code == 200
    link = f"../../version/{version.pk}/export/"
    assert link.encode() in response.content
    assert urljoin(change_url, link) == reverse("admin:questionnaire_export", args=[version.pk])


def test_staff_without_admin_rights_cannot_import(process: Process, caseworker: Any) -> None:
    client = Client()
    client.force_login(caseworker)
    response = client.post(
        reverse(IMPORT_URL), {"process": process.pk, "file": upload(full_definition())}
    )
    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert not TemplateVersion.objects.exists()


EDIT_URL = "admin:questionnaire_edit"


def test_edit_a_used_version_saves_a_new_version(client: Client, process: Process) -> None:
    post_import(client, process, full_definition())
    version = TemplateVersion.objects.get()
    page = client.get(reverse(EDIT_URL, args=[version.pk]))
    assert page.status_code == 200
    assert b"schema_version" in page.content  # the current JSON, ready to edit

    changed = full_definition()
    changed["title"]["nl"] = "Nieuwe titel"
    response = client.post(
        reverse(EDIT_URL, args=[version.pk]),
        {"definition": json.dumps(changed, ensure_ascii=False)},
    )
    assert response.status_code == 302
    assert list(version.template.versions.values_list("number", flat=True)) == [1, 2]
    version.refresh_from_db()
    assert version.definition == full_definition()  # the old version is untouched


def test_edit_refuses_invalid_json_and_schema_errors_with_their_path(
    client: Client, process: Process
) -> None:
    post_import(client, process, full_definition())
    version = TemplateVersion.objects.get()
    url = reverse(EDIT_URL, args=[version.pk])
    assert b"not valid JSON" in client.post(url, {"definition": "{nope"}).content
    broken = full_definition()
    del broken["sections"][0]["questions"][0]["label"]
    response = client.post(url, {"definition": json.dumps(broken)})
    assert response.status_code == 200
    assert b"$.sections[0].questions[0]" in response.content
    other_code = {**full_definition(), "code": "something-else"}
    assert b"Keep the template" in client.post(url, {"definition": json.dumps(other_code)}).content
    assert version.template.versions.count() == 1
    assert client.get(reverse(EDIT_URL, args=[999999])).status_code == 404
