"""Production: no defaults for secrets; HTTPS everywhere; Redis and PostgreSQL expected."""

from videocontact.conf.base import *  # noqa: F403
from videocontact.conf.base import REDIS_URL
from videocontact.conf.env import ConfigError, env, env_int

DEBUG = False
# Cookies are Secure in production whatever the environment says (SECURE_COOKIES is for the demo).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
if not env("EVIDENCE_KEYS", ""):
    raise ConfigError("EVIDENCE_KEYS is required in production (encryption of evidence at rest)")
if not REDIS_URL:
    raise ConfigError("REDIS_URL is required in production (shared channel layer)")
