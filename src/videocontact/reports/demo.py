"""Demo data of the reports app: a self-signed seal certificate for the demo municipality.

A real organisation imports its qualified seal (e.g. PKIoverheid) with
`manage.py import_seal_certificate`; a self-signed seal verifies as intact but not as trusted.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from videocontact.accounts.models import Organisation
from videocontact.reports.models import SealCertificate
from videocontact.reports.seal import SealMaterial, material_from_key
from videocontact.reports.services import seal_certificate_store


def self_signed_material(
    organisation_name: str,
    *,
    key_type: str = "ec",
    valid_days: int = 3 * 365,
    now: dt.datetime | None = None,
) -> SealMaterial:
    """A self-signed seal certificate (ECDSA P-256 by default, or RSA 3072) for demos and tests."""
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if key_type == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=3072)
    )
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation_name} (demozegel)"),
        ]
    )
    start = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return material_from_key(key, certificate, [])


def ensure_demo_seal(organisation: Organisation) -> SealCertificate:
    """The demo organisation's seal; made once, kept on later runs."""
    existing = SealCertificate.objects.filter(organisation=organisation).first()
    if existing is not None:
        return existing
    return seal_certificate_store(
        organisation=organisation, material=self_signed_material(organisation.name)
    )
