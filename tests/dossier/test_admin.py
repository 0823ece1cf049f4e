"""Functional administrators configure targets; a saved secret is sealed and never shown back."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.helpers import db_columns_containing
from videocontact.dossier.credentials import read_secret
from videocontact.dossier.models import ExportTarget

pytestmark = pytest.mark.django_db

SECRET = "zgw-client-secret-that-must-not-leak"


@pytest.fixture
def admin_client(unit: Any) -> Client:
    admin = factories.make_user(unit=unit, role="functional_admin", username="beheer")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def form_data(process: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "process": process.pk,
        "kind": "zgw",
        "name": "Zaaksysteem",
        "enabled": "on",
        "documenten_url": "https://documenten.example.nl/documenten/api/v1",
        "zaken_url": "https://zaken.example.nl/zaken/api/v1",
        "client_id": "videocontact",
        "user_id": "open-videocontact",
        "user_representation": "Open Videocontact",
        "bronorganisatie": "002220647",
        "informatieobjecttype": "https://catalogi.example.nl/catalogi/api/v1/informatieobjecttypen/1",
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "webhook_url": "",
        "secret_env": "",
        "secret": SECRET,
        **overrides,
    }


def test_secret_is_sealed_and_never_shown_back(admin_client: Client, process: Any) -> None:
    response = admin_client.post("/admin/dossier/exporttarget/add/", form_data(process))
    assert response.status_code == 302, response.content.decode()[:2000]
    target = ExportTarget.objects.get()
    assert read_secret(target) == SECRET
    assert db_columns_containing(SECRET) == []
    page = admin_client.get(f"/admin/dossier/exporttarget/{target.pk}/change/").content.decode()
    assert SECRET not in page

    # Saving again without a secret keeps the old one.
    data = form_data(process, secret="", name="Zaaksysteem (nieuw)")
    assert (
        admin_client.post(f"/admin/dossier/exporttarget/{target.pk}/change/", data).status_code
        == 302
    )
    target.refresh_from_db()
    assert target.name == "Zaaksysteem (nieuw)" and read_secret(target) == SECRET


def test_incomplete_zgw_target_is_refused(admin_client: Client, process: Any) -> None:
    data = form_data(process, bronorganisatie="12345", client_id="", secret="")
    response = admin_client.post("/admin/dossier/exporttarget/add/", data)
    assert response.status_code == 200
    assert not ExportTarget.objects.exists()
    errors = response.context["adminform"].form.errors
    assert {"bronorganisatie", "client_id", "secret"} <= set(errors)


def test_new_secret_replaces_the_old_blob(
    process: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from videocontact.dossier.services import target_save
    from videocontact.evidence import vault

    target = ExportTarget(
        process=process, kind="webhook", name="Hook", webhook_url="https://x.example/h"
    )
    target_save(target=target, secret="first-secret", by_user=None)
    old_blob = target.secret_blob_name
    with django_capture_on_commit_callbacks(execute=True):
        target_save(target=target, secret="second-secret", by_user=None)
    assert read_secret(target) == "second-secret"
    with pytest.raises(vault.BlobMissing):
        vault.unseal(old_blob, target.secret_key_id)
