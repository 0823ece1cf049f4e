"""Sign-ins are recorded for the adoption figures ('activated', 'logged in in the period')."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from videocontact.insights import services


@receiver(user_logged_in, dispatch_uid="insights.login_record")
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.login_record(user=user)
