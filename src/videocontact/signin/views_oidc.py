"""Sign-in via the municipality's OpenID Connect provider (authorization code flow + PKCE)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from videocontact.signin import services
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
