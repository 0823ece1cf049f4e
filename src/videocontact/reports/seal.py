"""The organisation's seal: PAdES signatures with pyHanko, keys kept encrypted in the vault.

`seal_pdf` adds one PAdES B-B signature (no external timestamp authority) that covers the whole
document. The private key is stored as PKCS#8 DER in the evidence vault (AES-256-GCM); only the
certificate chain and the key's blob name are in the database.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNATURE_FIELD = "Zegel"
# Room for the CMS signature container, on top of the certificates it embeds. Reserving it up
# front spares pyHanko a dry-run signature to measure it (half the sealing time with RSA keys).
SIGNATURE_OVERHEAD_BYTES = 8192


class SealError(ValueError):
    """A certificate or key that cannot seal (wrong type, expired, not matching)."""


@dataclass(frozen=True)
class SealMaterial:
    """A parsed certificate chain with its private key (PKCS#8 DER), ready to store or use."""

    certificate: x509.Certificate
    chain: list[x509.Certificate]  # intermediates, without the signing certificate
    key_der: bytes

    @property
    def chain_pem(self) -> str:
        return "".join(
            c.public_bytes(serialization.Encoding.PEM).decode("ascii")
            for c in [self.certificate, *self.chain]
        )

    @property
    def fingerprint_sha256(self) -> str:
        return hashlib.sha256(self.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


SUPPORTED_KEYS = (
    rsa.RSAPrivateKey,
    ec.EllipticCurvePrivateKey,
    ed25519.Ed25519PrivateKey,
    ed448.Ed448PrivateKey,
)


def material_from_pkcs12(data: bytes, passphrase: bytes | None) -> SealMaterial:
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, passphrase)
    except ValueError as exc:
        raise SealError("the PKCS#12 file cannot be read (wrong passphrase?)") from exc
    if key is None or certificate is None:
        raise SealError("the PKCS#12 file must hold a certificate and its private key")
    return material_from_key(key, certificate, list(extra or []))


def material_from_key(
    key: object, certificate: x509.Certificate, chain: list[x509.Certificate]
) -> SealMaterial:
    if not isinstance(key, SUPPORTED_KEYS):
        raise SealError("the private key must be RSA, EC or EdDSA")
    if key.public_key() != certificate.public_key():
        raise SealError("the private key does not belong to the certificate")
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return SealMaterial(certificate=certificate, chain=chain, key_der=key_der)


def load_chain(chain_pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(chain_pem.encode("ascii"))


def seal_pdf(
    pdf: bytes, *, chain_pem: str, key_der: bytes, reason: str, location: str, name: str
) -> bytes:
    """The PDF with one PAdES B-B signature over the whole document (an incremental update)."""
    certificates = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
        for c in load_chain(chain_pem)
    ]
    signing_cert, others = certificates[0], certificates[1:]
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(certificates),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        name=name,
    )
    reserved = SIGNATURE_OVERHEAD_BYTES + sum(len(c.dump()) for c in [signing_cert, *others])
    reserved += reserved % 2  # pyHanko wants an even number of bytes
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=reserved)
    return output.getvalue()


def subject_text(certificate: x509.Certificate) -> str:
    return certificate.subject.rfc4514_string()[:300]


def issuer_text(certificate: x509.Certificate) -> str:
    return certificate.issuer.rfc4514_string()[:300]
