"""Sign-in via the municipality's OpenID Connect provider (authorization code flow + PKCE)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from videocontact.signin import selectors, services
from videocontact.signin.models import SignInMethod
from videocontact.signin.oidc import BACKEND_PATH
from videocontact.signin.views import sso_enabled


class _Callback(OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        services.complete(
            request=self.request, user=self.user, method=SignInMethod.OIDC, backend=BACKEND_PATH
        )
        return HttpResponseRedirect(self.success_url)

    def login_failure(self) -> HttpResponse:
        messages.error(
            self.request,
            _(
                "Signing in with your organisation's account did not work. Ask the service desk whether you have access to video contact."
            ),
        )
        return HttpResponseRedirect(self.failure_url)


def start(request: HttpRequest) -> HttpResponse:
    if not sso_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    if not sso_enabled():
        raise Http404
    return _Callback.as_view()(request)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out here and, for a session that began at the organisation's provider, there too
    (OpenID Connect RP-initiated logout): on a shared computer the next person must not be let
    straight back in by the provider's own session. Only the client id goes along, so no ID
    token has to be kept in the session for this."""
    at_provider = (
        sso_enabled()
        and bool(settings.OIDC_OP_LOGOUT_ENDPOINT)
        and selectors.signed_in_with_sso(request.session.session_key)
    )
    logout(request)
    back = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not at_provider:
        return HttpResponseRedirect(back)
    query = urlencode(
        {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(back),
        }
    )
    return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
