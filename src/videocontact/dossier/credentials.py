"""Export target secrets: sealed in the evidence vault, or read from an environment variable.

A secret entered in the admin is encrypted with the vault (AES-256-GCM, key id kept, so it
follows key rotation) and only its blob name is stored on the target; it is never shown back.
`secret_env` names an environment variable instead, for deployments that keep secrets out of
the database altogether. The environment variable wins when both are set.
"""

from __future__ import annotations

import os

from django.db import transaction

from videocontact.dossier.models import ExportTarget
from videocontact.evidence import vault


class SecretMissing(Exception):
    pass


def seal_secret(target: ExportTarget, secret: str) -> None:
    """Seal `secret` for the target (the caller saves the target in its transaction). The old
    blob is destroyed after that transaction commits."""
    old = target.secret_blob_name
    sealed = vault.seal(secret.encode(), prefix="secrets/dossier")
    target.secret_blob_name = sealed.name
    target.secret_key_id = sealed.key_id
    if old:
        # Only once the new blob name is committed: a rolled-back save keeps a readable secret.
        transaction.on_commit(lambda: vault.destroy(old))


def read_secret(target: ExportTarget) -> str:
    if target.secret_env:
        value = os.environ.get(target.secret_env, "")
        if not value:
            raise SecretMissing(f"environment variable {target.secret_env} is empty or not set")
        return value
    if not target.secret_blob_name:
        raise SecretMissing("no secret is configured")
    try:
        return vault.unseal(target.secret_blob_name, target.secret_key_id).decode()
    except vault.BlobMissing as exc:
        raise SecretMissing("the sealed secret is missing from the vault") from exc
