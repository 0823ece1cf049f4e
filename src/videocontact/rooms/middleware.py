"""WebSocket authentication: Django session + user on the scope (no token in the URL)."""

from __future__ import annotations

from typing import Any

from channels.auth import AuthMiddleware
from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from videocontact.signin.sessions import session_timed_out


class RoomAuthMiddleware(AuthMiddleware):
    """Adds `scope["user"]` from the session. Residents are identified later from the session's
    participant mapping by `rooms.access.can_join`. A staff session past its idle or absolute
    timeout counts as no user (the HTTP side signs it out at its next request)."""

    async def resolve_scope(self, scope: dict[str, Any]) -> None:
        await super().resolve_scope(scope)
        user = scope["user"]
        if await database_sync_to_async(_timed_out)(user, scope.get("session")):
            user._wrapped = AnonymousUser()


def _timed_out(user: Any, session: Any) -> bool:
    return bool(user.is_authenticated and session is not None and session_timed_out(session))
