"""Client credentials: a bearer secret kept as its SHA-256, or a ZGW-style HS256 JWT secret sealed
in the evidence vault (HMAC verification needs the secret itself)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.db import transaction

from videocontact.api.models import ApiClient, CredentialKind, WebhookEndpoint
from videocontact.evidence import vault

TOKEN_PREFIX = "ovc"  # noqa: S105  (a marker, not a secret)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret(client: ApiClient) -> str:
    """Give the client a fresh credential and return it (shown once; the caller saves)."""
    secret = secrets.token_urlsafe(32)
    old_blob = client.secret_blob_name
    if client.kind == CredentialKind.SECRET:
        client.secret_hash = _hash(secret)
        client.secret_blob_name = client.secret_key_id = ""
        shown = f"{TOKEN_PREFIX}.{client.client_id}.{secret}"
    else:
        sealed = vault.seal(secret.encode(), prefix="secrets/api")
        client.secret_blob_name, client.secret_key_id = sealed.name, sealed.key_id
        client.secret_hash = ""
        shown = secret
    if old_blob:
        transaction.on_commit(lambda: vault.destroy(old_blob))
    return shown


def split_token(token: str) -> tuple[str, str] | None:
    """`ovc.<client id>.<secret>` → (client id, secret); anything else → None."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(client: ApiClient, secret: str) -> bool:
    return bool(client.secret_hash) and hmac.compare_digest(client.secret_hash, _hash(secret))


def jwt_secret(client: ApiClient) -> str | None:
    if not client.secret_blob_name:
        return None
    try:
        return vault.unseal(client.secret_blob_name, client.secret_key_id).decode()
    except vault.BlobMissing:
        return None


def new_webhook_secret(endpoint: WebhookEndpoint) -> str:
    """A Standard Webhooks secret, `whsec_<base64 of 32 bytes>` (shown once, sealed at rest)."""
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    old_blob = endpoint.secret_blob_name
    sealed = vault.seal(secret.encode(), prefix="secrets/webhooks")
    endpoint.secret_blob_name, endpoint.secret_key_id = sealed.name, sealed.key_id
    if old_blob:
        transaction.on_commit(lambda: vault.destroy(old_blob))
    return secret


def webhook_secret(endpoint: WebhookEndpoint) -> str | None:
    if not endpoint.secret_blob_name:
        return None
    try:
        return vault.unseal(endpoint.secret_blob_name, endpoint.secret_key_id).decode()
    except vault.BlobMissing:
        return None
