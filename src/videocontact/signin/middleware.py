"""Idle and absolute timeouts for signed-in staff, and 'last seen' for the session list."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from videocontact.signin import sessions


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith("/static/")
            and not sessions.session_touch(request)
        ):
            messages.info(request, _("You were signed out because the session had expired."))
        return self.get_response(request)
