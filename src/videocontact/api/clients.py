"""Functional administrators manage API clients and webhooks (admin); secrets are shown once."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from videocontact.api import credentials
from videocontact.api.models import ApiClient, WebhookEndpoint
from videocontact.privacy.audit import audit


@transaction.atomic
def client_save(*, client: ApiClient, new_secret: bool, by_user: Any) -> str | None:
    """Save the client; with `new_secret` (always for a new client) return its new credential."""
    created = client.pk is None
    shown = credentials.new_secret(client) if (created or new_secret) else None
    client.save()
    audit(
        action="api.client_created" if created else "api.client_changed",
        obj=client,
        actor_user=by_user,
        scopes=list(client.scopes),
        secret_renewed=bool(shown),
        active=client.is_active,
    )
    return shown


@transaction.atomic
def webhook_save(*, endpoint: WebhookEndpoint, new_secret: bool, by_user: Any) -> str | None:
    created = endpoint.pk is None
    shown = credentials.new_webhook_secret(endpoint) if (created or new_secret) else None
    endpoint.save()
    audit(
        action="api.webhook_created" if created else "api.webhook_changed",
        obj=endpoint,
        actor_user=by_user,
        client=endpoint.client.client_id,
        secret_renewed=bool(shown),
    )
    return shown
