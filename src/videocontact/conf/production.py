"""Production: no defaults for secrets; HTTPS everywhere; Redis and PostgreSQL expected."""

from videocontact.conf.base import *  # noqa: F403
from videocontact.conf.base import REDIS_URL
from videocontact.conf.env import ConfigError, env, env_bool, env_int

DEBUG = False
CALL_DEBUG_HOOKS = False  # no window.vcDebug for residents, whatever the environment says
# Cookies are Secure in production whatever the environment says (SECURE_COOKIES is for the demo).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# __Host- cookies: only ever set over HTTPS, for this exact host, path / — a sibling subdomain
# cannot plant or overwrite them (session fixation, CSRF token injection).
SESSION_COOKIE_NAME = "__Host-vc_session"
CSRF_COOKIE_NAME = "__Host-vc_csrf"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"
STAFF_SECOND_FACTOR_DEFAULT = env_bool("STAFF_SECOND_FACTOR", True)
if not env("EVIDENCE_KEYS", ""):
    raise ConfigError("EVIDENCE_KEYS is required in production (encryption of evidence at rest)")
if not REDIS_URL:
    raise ConfigError("REDIS_URL is required in production (shared channel layer)")
