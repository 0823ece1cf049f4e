"""Sign-in pages: password, second factor (and setting one up), sign-in via SSO."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from videocontact.signin import factors, selectors, services
from videocontact.signin.models import SignInMethod


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT)


class SignInView(auth_views.LoginView):
    """Username and password (throttled by django-axes), then the second factor if needed.
    Serves /admin/login/ too, so the admin has the same lockout and second factor."""

    template_name = "staff/login.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if factors.second_factor_required(user):
            services.pending_start(
                request=self.request,
                user=user,
                backend=user.backend,
                next_url=self.get_redirect_url(),
            )
            return redirect("signin:second_factor")
        services.complete(
            request=self.request, user=user, method=SignInMethod.PASSWORD, backend=user.backend
        )
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Shown instead of signing in while django-axes holds a lockout (AXES_LOCKOUT_CALLABLE)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "signin/locked_out.html", {"minutes": minutes}, status=429)


def _finish(request: HttpRequest, user: object, method: str) -> HttpResponse:
    target = services.pending_next(request)
    services.complete(request=request, user=user, method=method)  # type: ignore[arg-type]
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or settings.LOGIN_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = services.pending_user(request)
    if user is None:
        messages.error(request, _("Please sign in again."))
        return redirect("login")
    if not factors.has_second_factor(user):
        return redirect("signin:second_factor_setup")
    error = ""
    if request.method == "POST":
        if not services.second_step_allowed(request, user):
            return locked_out(request)
        kind = request.POST.get("kind")
        if kind not in ("passkey", "recovery"):
            kind = "totp"
        if kind == "passkey":
            ok = factors.passkey_verify(
                request=request, user=user, credential_json=request.POST.get("credential", "")
            )
            method = SignInMethod.PASSWORD_WEBAUTHN
        elif kind == "recovery":
            ok = factors.recovery_code_use(user=user, code=request.POST.get("code", ""))
            method = SignInMethod.PASSWORD_RECOVERY
        else:
            ok = factors.totp_verify(user=user, code=request.POST.get("code", ""))
            method = SignInMethod.PASSWORD_TOTP
        if ok:
            return _finish(request, user, method)
        services.second_step_failed(request, user, kind)
        error = _("That did not work. Check the code and try again.")
    has_passkey = selectors.passkeys(user).exists()
    context = {
        "error": error,
        "has_totp": selectors.has_totp(user),
        "has_passkey": has_passkey,
        "passkey_options": factors.passkey_authentication_options(request, user)
        if has_passkey
        else "",
        "recovery": request.GET.get("recovery") == "1" or request.POST.get("kind") == "recovery",
    }
    return render(request, "signin/second_factor.html", context, status=400 if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """First sign-in where a second factor is required: set up the authenticator app."""
    user = services.pending_user(request)
    if user is None:
        messages.error(request, _("Please sign in again."))
        return redirect("login")
    if factors.has_second_factor(user):
        return redirect("signin:second_factor")
    error = ""
    if request.method == "POST":
        if not services.second_step_allowed(request, user):
            return locked_out(request)
        try:
            codes = factors.totp_confirm(user=user, code=request.POST.get("code", ""))
        except factors.FactorError:
            services.second_step_failed(request, user, "totp_setup")
            error = _("That code is not right. Check the time on your phone and try again.")
        else:
            target = services.pending_next(request)
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = ""
            services.complete(request=request, user=user, method=SignInMethod.PASSWORD_TOTP)
            return render(
                request,
                "signin/recovery_codes.html",
                {"codes": codes, "next": target or reverse(settings.LOGIN_REDIRECT_URL)},
            )
    device = factors.totp_pending_device(user)
    context = {
        "error": error,
        "qr": factors.totp_qr_data_uri(device),
        "secret": factors.totp_secret_text(device),
    }
    return render(request, "signin/second_factor_setup.html", context, status=400 if error else 200)
