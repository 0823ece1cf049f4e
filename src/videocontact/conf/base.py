"""Settings shared by every environment. Every value that varies comes through conf.env."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from videocontact.conf.env import env, env_bool, env_int, env_list
from videocontact.core.logs import configure_structlog, logging_config

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env("SECRET_KEY", required=True)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "videocontact.core",
    "videocontact.accounts",
    "videocontact.privacy",
    "videocontact.visits",
    "videocontact.rooms",
    "videocontact.questionnaires",
    "videocontact.jobs",
    "videocontact.evidence",
    "videocontact.reports",
    "videocontact.dossier",
    "videocontact.notifications",
    "videocontact.guidance",
    "videocontact.signin",
    "videocontact.language",
    "videocontact.insights",
    "videocontact.checks",
    "videocontact.portal",
    "videocontact.demo",
    "videocontact.ops",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "videocontact.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "videocontact.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "videocontact.core.middleware.CsrfMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "videocontact.signin.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "videocontact.urls"
ASGI_APPLICATION = "videocontact.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "videocontact.core.context_processors.branding",
            ],
        },
    }
]

# Connections are kept for DATABASE_CONN_MAX_AGE seconds (checked before reuse): a fresh
# PostgreSQL connection per room frame (fork, auth, TLS) was the largest cost under load.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded mode serves concurrent async requests: take the write lock at BEGIN (no
    # "database is locked" on lock upgrade), WAL so readers never block the writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "")


def redis_channel_layer(url: str) -> dict[str, object]:
    # redis-py 8 reads with a 5 s socket timeout by default (= channels_redis's BZPOPMIN
    # wait), so idle consumers died; any timeout also makes a closing consumer's receive
    # swallow its cancellation on Python 3.11. Hence no socket timeout.
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # redis-py's pool allows 100 connections; at a few hundred busy rooms a process
            # needs more at once, and a full pool raised MaxConnectionsError, which the rooms
            # take for a lost Redis (sockets closed with 1013).
            "hosts": [
                {
                    "address": url,
                    "socket_timeout": None,
                    "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
                }
            ],
            "capacity": 1500,
            "expiry": 30,
        },
    }


def pubsub_channel_layer(url: str) -> dict[str, object]:
    # Redis pushes each process its messages on one subscriber connection; a send is one
    # PUBLISH (videocontact/core/channel_layer.py). Nothing waits in Redis, so there is no
    # capacity nor expiry to set; the pool still needs room for many sends at once.
    return {
        "BACKEND": "videocontact.core.channel_layer.RoomPubSubLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": url,
                    "socket_timeout": None,
                    "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
                }
            ],
        },
    }


# "pubsub" (the default: one push per message) or "core" (channels_redis's list-based layer,
# about four Redis round trips per message received; kept for comparison and as a fallback).
CHANNEL_LAYER = env("CHANNEL_LAYER", "pubsub")
if CHANNEL_LAYER not in ("pubsub", "core"):
    raise ImproperlyConfigured(f"CHANNEL_LAYER must be 'pubsub' or 'core', not {CHANNEL_LAYER!r}")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": (pubsub_channel_layer if CHANNEL_LAYER == "pubsub" else redis_channel_layer)(
            REDIS_URL
        )
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Internationalisation: Dutch first; every user-facing string goes through gettext.
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("uk", "Українська"),
    ("fa", "فارسی"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
]
# Farsi, Somali and Tigrinya (issue 14) have machine-translated catalogs, listed for review.
RESIDENT_UI_LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk", "fa", "so", "ti"]
# Questionnaires may also come in languages the pages around them do not have (those pages then
# stay in a UI language). Names in the language itself. Empty now that every questionnaire
# language is a UI language.
QUESTIONNAIRE_EXTRA_LANGUAGES: dict[str, str] = {}
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = env_int("STATIC_MAX_AGE", 3600)

# Security by default. Cookies are Secure everywhere: browsers treat http://localhost as secure.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_NAME = "vc_session"
CSRF_COOKIE_NAME = "vc_csrf"
LANGUAGE_COOKIE_NAME = "vc_language"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign-in: lockout, second factor, session timeouts, single sign-on (conf/signin.py).
from videocontact.conf.signin import *  # noqa: E402, F403

# Product settings.
VISIT_MAX_PARTICIPANTS = env_int("VISIT_MAX_PARTICIPANTS", 4)
INVITATION_VALID_BEFORE_MINUTES = env_int("INVITATION_VALID_BEFORE_MINUTES", 30)
INVITATION_VALID_AFTER_MINUTES = env_int("INVITATION_VALID_AFTER_MINUTES", 120)
INVITATION_IMMEDIATE_VALID_MINUTES = env_int("INVITATION_IMMEDIATE_VALID_MINUTES", 240)
ROOM_RECONNECT_GRACE_SECONDS = env_int("ROOM_RECONNECT_GRACE_SECONDS", 120)
# A visit in progress that nobody has been seen in for this long (the caseworker closed the tab)
# is ended by the daily purge job, so its report is made and filed.
VISIT_AUTO_END_HOURS = env_int("VISIT_AUTO_END_HOURS", 12)
# Liveness of server processes (rooms/liveness.py): a heartbeat every 10 s; a process silent for
# 30 s is dead and its connections are swept. The thread runs inside every server process.
ROOM_LIVENESS_IN_PROCESS = env_bool("ROOM_LIVENESS_IN_PROCESS", True)
ROOM_INSTANCE_HEARTBEAT_SECONDS = float(env("ROOM_INSTANCE_HEARTBEAT_SECONDS", "10"))
ROOM_INSTANCE_DEAD_SECONDS = float(env("ROOM_INSTANCE_DEAD_SECONDS", "30"))
ROOM_MAX_FRAME_BYTES = env_int("ROOM_MAX_FRAME_BYTES", 256 * 1024)  # a signature fits
ROOM_RATE_PER_SECOND = env_int("ROOM_RATE_PER_SECOND", 40)
ROOM_RATE_BURST = env_int("ROOM_RATE_BURST", 200)
# Frames waiting for the database per socket (its lane); beyond this the socket gets 'busy'.
ROOM_LANE_MAX = env_int("ROOM_LANE_MAX", 100)
# Threads per process for the rooms' database calls on PostgreSQL (each holds one connection).
ROOM_DB_THREADS = env_int("ROOM_DB_THREADS", 8)
# Group commit of the questionnaire's keystrokes (rooms/group_commit.py): the writes that arrive
# within this many milliseconds of the first (at most this many) share one transaction.
ROOM_GROUP_COMMIT_MS = float(env("ROOM_GROUP_COMMIT_MS", "10"))
ROOM_GROUP_COMMIT_MAX = env_int("ROOM_GROUP_COMMIT_MAX", 256)
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "")

# WebRTC: no ICE server unless configured. Never a public STUN server by default.
STUN_URLS = env_list("STUN_URLS", [])
TURN_URLS = env_list("TURN_URLS", [])
TURN_SECRET = env("TURN_SECRET", "")
TURN_CREDENTIAL_TTL = env_int("TURN_CREDENTIAL_TTL", 3600)
ICE_TRANSPORT_POLICY = env("ICE_TRANSPORT_POLICY", "all")
# window.vcDebug on the call page (peer connections for getStats, the form state, photos sent):
# for browser tests and local debugging only, never in production.
CALL_DEBUG_HOOKS = env_bool("CALL_DEBUG_HOOKS", False)

# Branding (design tokens; see core.context_processors.branding). Overridden per organisation.
BRAND_NAME = env("BRAND_NAME", "Open Videocontact")

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "videocontact@localhost")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS (port 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS (port 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Notifications (invitations, reminders, SMS codes): see docs/deployment.md.
SMS_BACKEND = env("SMS_BACKEND", "")  # "cm" for CM.com; empty: SMS fails visibly
CM_ENDPOINT = env("CM_ENDPOINT", "https://gw.cmtelecom.com/v1.0/message")
CM_PRODUCT_TOKEN = env("CM_PRODUCT_TOKEN", "")
SMS_SENDER = env("SMS_SENDER", "Gemeente")  # at most 11 letters/digits or 16 digits
SMS_TIMEOUT_SECONDS = float(env("SMS_TIMEOUT_SECONDS", "15"))
CM_STATUS_REPORT_SECRET = env("CM_STATUS_REPORT_SECRET", "")  # in the status report URL
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 5)
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_ICS_DOMAIN = env("NOTIFY_ICS_DOMAIN", "videocontact.local")
NOTIFY_ICS_DURATION_MINUTES = env_int("NOTIFY_ICS_DURATION_MINUTES", 45)
SMS_CODE_TTL_MINUTES = env_int("SMS_CODE_TTL_MINUTES", 10)
SMS_CODE_MAX_ATTEMPTS = env_int("SMS_CODE_MAX_ATTEMPTS", 5)
SMS_CODE_RESEND_SECONDS = env_int("SMS_CODE_RESEND_SECONDS", 60)
SMS_CODE_MAX_PER_HOUR = env_int("SMS_CODE_MAX_PER_HOUR", 5)

# Background jobs (jobs app): database-backed, so they survive restarts. In embedded mode a
# thread inside the server runs them; a real deployment runs `manage.py run_jobs` next to it.
JOBS_IN_PROCESS = env_bool("JOBS_IN_PROCESS", False)
JOBS_POLL_SECONDS = float(env("JOBS_POLL_SECONDS", "1.0"))
# A running job's lock is its worker's heartbeat: renewed every third of this while the job runs,
# so the job of a worker that died (kill -9, a lost host) is taken up again within this time
# (24 s: within 30 s with the poll and a slow database).
JOBS_LOCK_SECONDS = env_int("JOBS_LOCK_SECONDS", 24)
JOBS_RETRY_BASE_SECONDS = env_int("JOBS_RETRY_BASE_SECONDS", 30)
# Every worker also writes a heartbeat row while idle; /readyz calls the workers stale when the
# newest heartbeat is older than JOBS_WORKER_STALE_SECONDS.
JOBS_HEARTBEAT_SECONDS = float(env("JOBS_HEARTBEAT_SECONDS", "10"))
JOBS_WORKER_STALE_SECONDS = float(env("JOBS_WORKER_STALE_SECONDS", "60"))


def evidence_keys(raw: str, secret_key: str) -> dict[str, bytes]:
    """EVIDENCE_KEYS="2026a:<base64 32 bytes>,2025b:<…>". Without it (dev, test) one key is
    derived from SECRET_KEY; production refuses to start without explicit keys."""
    if not raw:
        return {"local": hashlib.sha256(b"evidence-key:" + secret_key.encode()).digest()}
    keys = {}
    for item in raw.split(","):
        key_id, _, encoded = item.strip().partition(":")
        keys[key_id] = base64.b64decode(encoded)
    return keys


# Evidence (photos, reports): encrypted at rest with AES-256-GCM; the key id is stored per file.
EVIDENCE_KEYS = evidence_keys(env("EVIDENCE_KEYS", ""), SECRET_KEY)
EVIDENCE_ACTIVE_KEY_ID = env("EVIDENCE_ACTIVE_KEY_ID", next(iter(EVIDENCE_KEYS)))
EVIDENCE_STORAGE = env("EVIDENCE_STORAGE", "local")  # local | s3
EVIDENCE_DIR = Path(env("EVIDENCE_DIR", str(VAR_DIR / "evidence")))
EVIDENCE_S3_ENDPOINT = env("EVIDENCE_S3_ENDPOINT", "")
EVIDENCE_S3_BUCKET = env("EVIDENCE_S3_BUCKET", "")
EVIDENCE_S3_ACCESS_KEY = env("EVIDENCE_S3_ACCESS_KEY", "")
EVIDENCE_S3_SECRET_KEY = env("EVIDENCE_S3_SECRET_KEY", "")
EVIDENCE_S3_REGION = env("EVIDENCE_S3_REGION", "")
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 15_000_000)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
PHOTO_MAX_SIDE = env_int("PHOTO_MAX_SIDE", 10_000)
# Photo requests: an upload must follow its request within this time; per-visit limits.
PHOTO_REQUEST_TTL_SECONDS = env_int("PHOTO_REQUEST_TTL_SECONDS", 120)
PHOTO_MAX_OPEN_REQUESTS = env_int("PHOTO_MAX_OPEN_REQUESTS", 3)
PHOTO_MAX_PER_VISIT = env_int("PHOTO_MAX_PER_VISIT", 60)

# DPIA-gated checks (checks app; each needs an approved DPIA and the privacy officer's switch).
# Location check: the registered address is geocoded with PDOK Locatieserver ("pdok"), "none", or
# a dotted path to a class with `geocode(address)`. Within the radius counts as at the address.
CHECKS_GEOCODER = env("CHECKS_GEOCODER", "pdok")
CHECKS_PDOK_URL = env("CHECKS_PDOK_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free")
CHECKS_GEOCODER_TIMEOUT = float(env("CHECKS_GEOCODER_TIMEOUT", "5"))
CHECKS_LOCATION_RADIUS_M = env_int("CHECKS_LOCATION_RADIUS_M", 100)
CHECKS_LOCATION_MAX_ACCURACY_M = env_int("CHECKS_LOCATION_MAX_ACCURACY_M", 150)
CHECKS_LOCATION_TTL_SECONDS = env_int("CHECKS_LOCATION_TTL_SECONDS", 180)

# Filing into the case file (dossier app): retries of an export that cannot reach its target.
DOSSIER_MAX_ATTEMPTS = env_int("DOSSIER_MAX_ATTEMPTS", 8)
DOSSIER_RETRY_BASE_SECONDS = env_int("DOSSIER_RETRY_BASE_SECONDS", 60)
DOSSIER_HTTP_TIMEOUT = float(env("DOSSIER_HTTP_TIMEOUT", "30"))

# Help inside the app (guidance): upload limits for instruction videos and their captions.
GUIDANCE_VIDEO_MAX_BYTES = env_int("GUIDANCE_VIDEO_MAX_BYTES", 200_000_000)
GUIDANCE_CAPTIONS_MAX_BYTES = env_int("GUIDANCE_CAPTIONS_MAX_BYTES", 500_000)

# Language access (language app): server read-aloud, machine translation, speech-to-text models.
LANGUAGE_SPEECH_DIR = Path(env("LANGUAGE_SPEECH_DIR", str(VAR_DIR / "speech")))
LANGUAGE_TTS_ENGINE = env("LANGUAGE_TTS_ENGINE", "espeak-ng")  # espeak-ng | none
LANGUAGE_MT_ENGINES = env_list("LANGUAGE_MT_ENGINES", ["apertium", "argos", "libretranslate"])
LANGUAGE_LIBRETRANSLATE_URL = env("LANGUAGE_LIBRETRANSLATE_URL", "")
LANGUAGE_LIBRETRANSLATE_KEY = env("LANGUAGE_LIBRETRANSLATE_KEY", "")
LANGUAGE_STT_MODEL_DIR = Path(env("LANGUAGE_STT_MODEL_DIR", str(VAR_DIR / "stt-models")))
LANGUAGE_STT_WORKERS = env_int("LANGUAGE_STT_WORKERS", 1)
# CPU threads per recognition worker: Whisper encodes a 30 s window for every line, so a second
# thread shortens each caption's delay (docs/performance.md, "Live captions").
LANGUAGE_STT_THREADS = env_int("LANGUAGE_STT_THREADS", min(2, os.cpu_count() or 1))

# REST API for case-management systems (conf/api.py; docs/api.md).
from videocontact.conf.api import *  # noqa: E402, F403

# Operations: /metrics answers only a scraper that sends this bearer token (off when empty).
METRICS_TOKEN = env("METRICS_TOKEN", "")

LOG_LEVEL = env("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env("LOG_FORMAT", "console")  # console | json
LOGGING = logging_config(LOG_LEVEL, LOG_FORMAT)
configure_structlog()
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # every sign-in at INFO; lockouts stay
