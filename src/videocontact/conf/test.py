"""Test settings: SQLite by default, PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "y" * 40)
# Tests call the heartbeat and the sweep themselves (a server subprocess may switch it on).
os.environ.setdefault("ROOM_LIVENESS_IN_PROCESS", "false")
# Kept connections in the executor threads would keep the test database open at its teardown.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
os.environ.setdefault("CALL_DEBUG_HOOKS", "true")  # the browser tests read getStats
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from videocontact.conf.base import *  # noqa: F403
from videocontact.conf.base import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EVIDENCE_DIR = VAR_DIR / "test-evidence"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LANGUAGE_SPEECH_DIR = VAR_DIR / "test-speech"
LANGUAGE_STT_MODEL_DIR = VAR_DIR / "test-stt-models"
# The test client's login() authenticates without a request; django-axes would refuse it.
AUTHENTICATION_BACKENDS = [
    "videocontact.signin.backends.TestClientAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
