"""The one family of refusals: every app's service errors extend `ServiceError`.

A caller (a view, the room consumer, the API) catches `ServiceError` and shows `code` and
`message`; it never needs to know which app refused."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a stable machine-readable `code` and the HTTP `status` a view should use."""

    code: str = "error"
    status: int = 400

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args and self.args[0] else self.code
