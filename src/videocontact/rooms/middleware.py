"""WebSocket authentication: Django session + user on the scope (no token in the URL)."""

from __future__ import annotations

from channels.auth import AuthMiddleware


class RoomAuthMiddleware(AuthMiddleware):
    """Adds `scope["user"]` from the session. Residents are identified later from the session's
    participant mapping by `rooms.access.can_join`."""
