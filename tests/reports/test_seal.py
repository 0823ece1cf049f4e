"""The seal certificate: imported from PKCS#12 by a management command, the key kept encrypted
in the vault (never in plain text in the database), usable for sealing."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    NoEncryption,
    load_der_private_key,
    pkcs12,
)
from django.core.management import CommandError, call_command
from weasyprint import HTML

from tests.helpers import db_columns_containing
from tests.reports.conftest import pdfsig
from videocontact.accounts.models import Organisation
from videocontact.evidence import vault
from videocontact.reports import seal
from videocontact.reports.demo import ensure_demo_seal, self_signed_material
from videocontact.reports.models import SealCertificate

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"


def p12_file(tmp_path: Path, material: seal.SealMaterial, passphrase: str | None) -> Path:
    key = load_der_private_key(material.key_der, None)
    encryption = BestAvailableEncryption(passphrase.encode()) if passphrase else NoEncryption()
    data = pkcs12.serialize_key_and_certificates(
        b"zegel",
        key,
        material.certificate,
        None,
        encryption,  # type: ignore[arg-type]
    )
    path = tmp_path / "zegel.p12"
    path.write_bytes(data)
    return path


def test_import_stores_the_chain_and_keeps_the_key_in_the_vault(
    organisation: Organisation, tmp_path: Path, monkeypatch: Any
) -> None:
    material = self_signed_material(organisation.name, key_type="rsa")
    path = p12_file(tmp_path, material, PASSPHRASE)
    monkeypatch.setenv("SEAL_PASS", PASSPHRASE)
    call_command(
        "import_seal_certificate", organisation.slug, str(path), passphrase_env="SEAL_PASS"
    )
    stored = SealCertificate.objects.get(organisation=organisation)
    assert stored.fingerprint_sha256 == material.fingerprint_sha256
    assert "demozegel" in stored.subject
    assert vault.unseal(stored.key_blob_name, stored.key_id) == material.key_der
    # The key is in no column of the database, in no encoding we know of.
    key_b64 = base64.b64encode(material.key_der).decode()
    for needle in (key_b64[40:100], material.key_der.hex()[80:200]):
        assert db_columns_containing(needle) == []
    assert db_columns_containing(PASSPHRASE) == []


def test_import_replaces_the_previous_certificate(
    organisation: Organisation, tmp_path: Path
) -> None:
    first = ensure_demo_seal(organisation)
    material = self_signed_material(organisation.name)
    call_command(
        "import_seal_certificate",
        organisation.slug,
        str(p12_file(tmp_path, material, None)),
        no_passphrase=True,
    )
    assert SealCertificate.objects.count() == 1
    assert SealCertificate.objects.get().fingerprint_sha256 != first.fingerprint_sha256


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "zegel.p12"], "no organisation"),
        (["{org}", "missing.p12"], "cannot read"),
    ],
)
def test_import_refuses_bad_arguments(
    organisation: Organisation, tmp_path: Path, args: list[str], message: str, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_seal_certificate",
            *[a.format(org=organisation.slug) for a in args],
            no_passphrase=True,
        )


def test_import_refuses_a_wrong_passphrase(
    organisation: Organisation, tmp_path: Path, monkeypatch: Any
) -> None:
    path = p12_file(tmp_path, self_signed_material(organisation.name), PASSPHRASE)
    monkeypatch.setenv("SEAL_PASS", "wrong")
    with pytest.raises(CommandError, match="wrong passphrase"):
        call_command(
            "import_seal_certificate", organisation.slug, str(path), passphrase_env="SEAL_PASS"
        )
    assert not SealCertificate.objects.exists()


def test_a_key_of_another_certificate_is_refused(organisation: Organisation) -> None:
    one = self_signed_material("Een")
    other = self_signed_material("Ander")
    with pytest.raises(seal.SealError, match="does not belong"):
        seal.material_from_key(load_der_private_key(one.key_der, None), other.certificate, [])


def test_an_rsa_seal_verifies_with_pdfsig(tmp_path: Path) -> None:
    material = self_signed_material("Gemeente Test", key_type="rsa")
    pdf = HTML(string="<p>Verslag</p>").write_pdf()
    sealed = seal.seal_pdf(
        pdf,
        chain_pem=material.chain_pem,
        key_der=material.key_der,
        reason="test",
        location="Test",
        name="Gemeente Test",
    )
    out = pdfsig(sealed, tmp_path)
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
