"""The admin in Dutch: every model and field of the project has a translatable verbose name with
a Dutch translation (no "Processs", "Kind/Channel" or English labels), and so do the choices."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

# Words that are the same in Dutch and English (so "no translation" is right for them).
SAME_IN_DUTCH = {
    "ID", "team", "teams", "code", "hash", "status", "module", "export", "URL", "webhook",
    "webhooks", "passkey", "passkeys", "DPIA", "browser", "logo", "logo (SVG)", "identificatie",
    "hash (SHA-256)",
}  # fmt: skip
# Choices that are names in their own language or Dutch terms of a standard (ZGW).
OWN_NAMES = {
    "Nederlands", "English", "العربية", "Türkçe", "Polski", "Українська", "فارسی", "Soomaali", "ትግርኛ",
    "E-mail", "SMS",
}  # fmt: skip


def project_models() -> list[type]:
    return [m for m in apps.get_models() if m.__module__.startswith("videocontact.")]


def dutch_and_english(text: object) -> tuple[str, str]:
    with translation.override("nl"):
        nl = str(text)
    with translation.override("en"):
        en = str(text)
    return nl, en


def translated(text: object) -> bool:
    nl, en = dutch_and_english(text)
    return nl != en or en in SAME_IN_DUTCH


def test_every_model_has_a_dutch_name_and_plural() -> None:
    missing = []
    for model in project_models():
        meta = model._meta
        for attr in ("verbose_name", "verbose_name_plural"):
            if attr not in meta.original_attrs or not translated(getattr(meta, attr)):
                missing.append(f"{meta.label}.{attr}")
    assert missing == []


def test_every_field_has_a_translatable_dutch_name() -> None:
    missing = []
    for model in project_models():
        for field in model._meta.local_fields + list(model._meta.local_many_to_many):
            name = field.verbose_name
            if not isinstance(name, Promise) and name not in SAME_IN_DUTCH:
                missing.append(f"{model._meta.label}.{field.name}: not translatable")
            elif not translated(name):
                missing.append(f"{model._meta.label}.{field.name}: {name}")
    assert missing == []


def test_every_choice_label_has_a_dutch_translation() -> None:
    missing = []
    for model in project_models():
        for field in model._meta.local_fields:
            for value, label in field.flatchoices or []:
                if str(label) in OWN_NAMES or model._meta.label == "dossier.ExportTarget":
                    continue  # ZGW's own Dutch terms (vertrouwelijkheidaanduiding)
                if not translated(label):
                    missing.append(f"{model._meta.label}.{field.name}={value}: {label}")
    assert missing == []


@pytest.mark.django_db
def test_the_admin_index_and_a_change_list_speak_dutch() -> None:
    from videocontact.accounts.models import User

    client = Client()
    client.force_login(User.objects.create_superuser("beheer", password="x"))
    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    for english in ("Processs", "Kind", "Channel", "Audit events", "Jobs"):
        assert english not in index
    assert "Processen" in index
    registered = [m for m in admin.site._registry if m.__module__.startswith("videocontact.")]
    for model in registered:
        meta = model._meta
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/add/")
        assert page.status_code in (200, 403), meta.label
