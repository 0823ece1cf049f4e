from django.urls import path

from videocontact.signin import views, views_account, views_oidc

app_name = "signin"

urlpatterns = [
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second_factor_setup"),
    path("security/", views_account.security, name="security"),
    path("security/app/", views_account.totp_add, name="totp_add"),
    path("security/app/remove/", views_account.totp_remove, name="totp_remove"),
    path("security/passkeys/new/", views_account.passkey_add, name="passkey_add"),
    path(
        "security/passkeys/<int:passkey_id>/remove/",
        views_account.passkey_remove,
        name="passkey_remove",
    ),
    path("security/recovery-codes/", views_account.recovery_codes_new, name="recovery_codes"),
    path("active", views_account.active, name="active"),
    path("sessions/", views_account.session_list, name="sessions"),
    path("sessions/<int:session_id>/end/", views_account.session_end, name="session_end"),
    path("sessions/end-others/", views_account.sessions_end_others, name="sessions_end_others"),
    path("sso/start/", views_oidc.start, name="sso_start"),
    path("sso/callback/", views_oidc.callback, name="sso_callback"),
]
