"""Staff sign-in settings (signin app; docs/deployment.md), star-imported by conf/base.py."""

from __future__ import annotations

from datetime import timedelta

from videocontact.conf.env import env, env_bool, env_int, env_list

# Staff sign-in (signin app; docs/deployment.md). Django-axes throttles passwords and second-factor
# codes: after AXES_FAILURE_LIMIT failures for one username or from one address, sign-in is refused
# until the cool-off has passed or an administrator lifts the lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = env_list("SIGNIN_LOCKOUT_PARAMETERS", ["username", "ip_address"])
AXES_LOCKOUT_CALLABLE = "videocontact.signin.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Idle and absolute timeouts of a staff session (residents' sessions are not affected).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_MINUTES", 60) * 60
STAFF_SESSION_ABSOLUTE_SECONDS = env_int("STAFF_SESSION_ABSOLUTE_HOURS", 10) * 3600
# A second factor for local (password) accounts; per organisation in the admin, this when unset.
STAFF_SECOND_FACTOR_DEFAULT = env_bool("STAFF_SECOND_FACTOR", False)
OTP_TOTP_ISSUER = env("BRAND_NAME", "Open Videocontact")
WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID", "")  # the host name; default: the request's host
WEBAUTHN_ORIGIN = env("WEBAUTHN_ORIGIN", "")  # e.g. https://video.gemeente.nl
# Single sign-on (OpenID Connect, authorization code flow with PKCE): off unless configured.
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env("OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_JWKS_ENDPOINT", "")
# The provider's end_session_endpoint: signing out here signs out there too (empty: only here).
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_END_SESSION_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_SCOPES", "openid email profile groups")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", "groups")
OIDC_REQUIRE_MAPPED_GROUP = env_bool("OIDC_REQUIRE_MAPPED_GROUP", True)
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "signin:sso_callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 15)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("videocontact.signin.oidc.StaffOIDCBackend")
