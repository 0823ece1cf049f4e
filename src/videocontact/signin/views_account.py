"""A signed-in staff member's own security: second factors, recovery codes, sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from videocontact.accounts.models import User
from videocontact.signin import factors, selectors, sessions


class AuthedRequest(HttpRequest):
    """A request behind login_required: its user is a staff member, never anonymous."""

    user: User  # type: ignore[assignment]


@never_cache
@login_required
def security(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_totp": selectors.has_totp(user),
        "passkeys": selectors.passkeys(user),
        "recovery_left": factors.recovery_codes_left(user),
        "required": factors.second_factor_required(user),
        "sso": selectors.is_sso_user(user),
    }
    return render(request, "signin/security.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp_add(request: AuthedRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            codes = factors.totp_confirm(user=request.user, code=request.POST.get("code", ""))
        except factors.FactorError:
            error = _("That code is not right. Check the time on your phone and try again.")
        else:
            messages.success(request, _("The authenticator app is set up."))
            if codes:
                return render(request, "signin/recovery_codes.html", {"codes": codes})
            return redirect("signin:security")
    device = factors.totp_pending_device(request.user)
    context = {
        "error": error,
        "qr": factors.totp_qr_data_uri(device),
        "secret": factors.totp_secret_text(device),
        "signed_in": True,
    }
    return render(request, "signin/second_factor_setup.html", context, status=400 if error else 200)


@login_required
@require_POST
def totp_remove(request: AuthedRequest) -> HttpResponse:
    factors.totp_remove(user=request.user, actor=request.user)
    messages.success(request, _("The authenticator app is removed."))
    return redirect("signin:security")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def passkey_add(request: AuthedRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        try:
            codes = factors.passkey_register(
                request=request,
                user=request.user,
                name=request.POST.get("name", ""),
                credential_json=request.POST.get("credential", ""),
            )
        except factors.FactorError:
            error = _("The passkey could not be added. Please try again.")
        else:
            messages.success(request, _("The passkey is added."))
            if codes:
                return render(request, "signin/recovery_codes.html", {"codes": codes})
            return redirect("signin:security")
    context = {
        "error": error,
        "options": factors.passkey_registration_options(request, request.user),
    }
    return render(request, "signin/passkey_add.html", context, status=400 if error else 200)


@login_required
@require_POST
def passkey_remove(request: AuthedRequest, passkey_id: int) -> HttpResponse:
    if factors.passkey_remove(user=request.user, passkey_id=passkey_id):
        messages.success(request, _("The passkey is removed."))
    return redirect("signin:security")


@never_cache
@login_required
@require_POST
def recovery_codes_new(request: AuthedRequest) -> HttpResponse:
    codes = factors.recovery_codes_issue(user=request.user)
    return render(request, "signin/recovery_codes.html", {"codes": codes})


@never_cache
@require_http_methods(["GET"])
def active(request: AuthedRequest) -> HttpResponse:
    """The staff pages' activity ping (signin/activity.js): the middleware has already counted
    it against the idle timeout; 401 tells the page that the session is gone."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


@never_cache
@login_required
def session_list(request: AuthedRequest) -> HttpResponse:
    current = request.session.session_key
    rows = selectors.session_rows(request.user, current_key=current)
    return render(request, "signin/sessions.html", {"rows": rows})


@login_required
@require_POST
def session_end(request: AuthedRequest, session_id: int) -> HttpResponse:
    current = request.session.session_key
    ended = sessions.session_end(user=request.user, session_id=session_id, current_key=current)
    if ended == current:
        logout(request)  # this browser: a clean sign-out, not a session deleted under our feet
        return redirect("login")
    if ended:
        messages.success(request, _("The session is ended."))
    return redirect("signin:sessions")


@login_required
@require_POST
def sessions_end_others(request: AuthedRequest) -> HttpResponse:
    count = sessions.sessions_end_others(user=request.user, current_key=request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)d.") % {"count": count})
    return redirect("signin:sessions")
