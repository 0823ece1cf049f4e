"""Filing targets per process: saving one (secrets sealed), what is missing, the ZGW configuration."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from videocontact.accounts.models import User
from videocontact.dossier import zgw
from videocontact.dossier.credentials import seal_secret
from videocontact.dossier.models import (
    ExportTarget,
    TargetKind,
)
from videocontact.dossier.services.common import FILING_KINDS
from videocontact.privacy.audit import audit


@transaction.atomic
def target_save(*, target: ExportTarget, secret: str | None, by_user: User | None) -> ExportTarget:
    """Save a target from the admin. A new secret is sealed in the vault; None keeps the old."""
    if secret:
        seal_secret(target, secret)
    created = target.pk is None
    target.save()
    audit(
        action="export_target.created" if created else "export_target.changed",
        obj=target,
        actor_user=by_user,
        kind=target.kind,
        process=target.process_id,
        secret_changed=bool(secret),
    )
    return target


def target_problems(target: ExportTarget) -> list[str]:
    """What is missing for the target to work (also checked by the admin form)."""
    problems: list[str] = []
    if target.kind == TargetKind.ZGW:
        for field in (
            "documenten_url",
            "zaken_url",
            "client_id",
            "bronorganisatie",
            "informatieobjecttype",
        ):
            if not getattr(target, field):
                problems.append(f"{field} is not set")
    elif target.kind == TargetKind.WEBHOOK and not target.webhook_url:
        problems.append("webhook_url is not set")
    if target.kind in FILING_KINDS and not target.has_secret:
        problems.append("no secret is configured")
    return problems


def zgw_config(target: ExportTarget, secret: str) -> zgw.ZgwConfig:
    return zgw.ZgwConfig(
        documenten_url=target.documenten_url,
        zaken_url=target.zaken_url,
        client_id=target.client_id,
        secret=secret,
        user_id=target.user_id or "open-videocontact",
        user_representation=target.user_representation or "Open Videocontact",
        timeout=settings.DOSSIER_HTTP_TIMEOUT,
    )
