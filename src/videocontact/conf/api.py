"""REST API settings (api app; docs/api.md), star-imported by conf/base.py."""

from __future__ import annotations

from videocontact.conf.env import env, env_int

# REST API for case-management systems (api app): see docs/api.md.
API_JWT_MAX_AGE_SECONDS = env_int("API_JWT_MAX_AGE_SECONDS", 3600)
API_WEBHOOK_MAX_ATTEMPTS = env_int("API_WEBHOOK_MAX_ATTEMPTS", 8)
API_WEBHOOK_RETRY_BASE_SECONDS = env_int("API_WEBHOOK_RETRY_BASE_SECONDS", 30)
API_WEBHOOK_TIMEOUT = float(env("API_WEBHOOK_TIMEOUT", "15"))
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["videocontact.api.auth.ClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["videocontact.api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "videocontact.api.errors.handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Videocontact API",
    "DESCRIPTION": (
        "Plan video visits from a case-management system and fetch their results. "
        "See docs/api.md for credentials, scopes, webhooks and error codes."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "VisitStateEnum": "videocontact.api.selectors.STATES",
        "LanguageEnum": "videocontact.api.serializers.LANGUAGES",
        "ParticipantStateEnum": "videocontact.api.serializers.PARTICIPANT_STATES",
        "VisitStatusEnum": "videocontact.api.serializers.VISIT_STATUSES",
        "ReportStateEnum": "videocontact.api.serializers.REPORT_STATES",
        "ExportStateEnum": "videocontact.api.serializers.EXPORT_STATES",
    },
}
