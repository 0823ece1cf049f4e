"""Audit events for what happens outside the services: signing in and out, admin saves."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from videocontact.privacy.audit import audit

ADMIN_ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


@receiver(user_logged_in, dispatch_uid="privacy.audit_sign_in")
def _signed_in(sender: Any, request: Any, user: Any, **_: Any) -> None:
    audit(action="auth.signed_in", obj=user, actor_user=user, path=_path(request))


@receiver(user_logged_out, dispatch_uid="privacy.audit_sign_out")
def _signed_out(sender: Any, request: Any, user: Any, **_: Any) -> None:
    if user is not None:
        audit(action="auth.signed_out", obj=user, actor_user=user)


@receiver(post_save, sender=LogEntry, dispatch_uid="privacy.audit_admin_save")
def _admin_saved(sender: Any, instance: LogEntry, created: bool, **_: Any) -> None:
    """Every change made in the admin (configuration: processes, texts, targets, users) is in
    Django's own log; it goes into the chained trail too. The change message names fields,
    never their values."""
    if created:
        audit_admin_entry(instance)


def audit_admin_entry(instance: LogEntry) -> None:
    """One admin log entry into the chained trail. Also called for each entry of a bulk delete
    in the admin, which Django writes with bulk_create (no post_save)."""
    audit(
        action=f"admin.{ADMIN_ACTIONS.get(instance.action_flag, 'other')}",
        obj=instance,
        actor_user=instance.user,
        model=_model_label(instance),
        object_id=str(instance.object_id or "")[:64],
        change=instance.get_change_message()[:500],
    )


def _path(request: Any) -> str:
    return getattr(request, "path", "")[:200] if request is not None else ""


def _model_label(entry: Any) -> str:
    model = entry.content_type.model_class() if entry.content_type else None
    return model._meta.label_lower if model is not None else ""
