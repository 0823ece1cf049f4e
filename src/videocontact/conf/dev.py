"""Embedded defaults for `make run`: SQLite, in-memory channel layer, local files, console mail."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-" + "x" * 20)
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("JOBS_IN_PROCESS", "true")
os.environ.setdefault("CALL_DEBUG_HOOKS", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo serves plain http on loopback. Browsers accept Secure cookies from http://localhost,
# but other clients (httpx, curl, a client written from docs/protocol.md) never send them back
# over http. SECURE_COOKIES=true puts the flag back when the demo sits behind TLS. Production
# always keeps it.
os.environ.setdefault("SECURE_COOKIES", "false")

from videocontact.conf.base import *  # noqa: F403
from videocontact.conf.env import env_bool

# Static files as in production: collected (`make run` runs collectstatic) and pre-compressed
# (brotli/gzip by CompressedStaticFilesStorage), so the demo's page weight is the real one.
# DEV_STATIC_FROM_APPS=true serves them straight from the apps instead (uncompressed, a change
# shows without collectstatic) while working on CSS or JavaScript.
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = env_bool("DEV_STATIC_FROM_APPS", False)
