"""Authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class TestClientAxesBackend(AxesStandaloneBackend):
    """Test settings only: django-axes refuses `authenticate()` without a request, which is
    what the test client's `login()` calls. Without a request there is no client to throttle,
    so this steps aside; with one (every sign-in page) it is django-axes unchanged."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
