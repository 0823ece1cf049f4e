"""Print the OIDC_* settings for a provider from its discovery document, for the env file."""

from __future__ import annotations

from typing import Any

import httpx
from django.core.management.base import BaseCommand, CommandError, CommandParser

SETTINGS = {
    "OIDC_ISSUER": "issuer",
    "OIDC_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_USERINFO_ENDPOINT": "userinfo_endpoint",
    "OIDC_JWKS_ENDPOINT": "jwks_uri",
}


class Command(BaseCommand):
    help = "Read <issuer>/.well-known/openid-configuration and print the OIDC_* lines to set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issuer", help="e.g. https://login.microsoftonline.com/<tenant>/v2.0")

    def handle(self, *args: Any, issuer: str, **options: Any) -> None:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = httpx.get(url, timeout=15, follow_redirects=False)
            response.raise_for_status()
            config = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise CommandError(f"could not read {url}: {exc}") from exc
        if config.get("issuer") != issuer.rstrip("/") and config.get("issuer") != issuer:
            raise CommandError(f"the document names another issuer: {config.get('issuer')!r}")
        missing = [key for key in SETTINGS.values() if not config.get(key)]
        if missing:
            raise CommandError(f"the document lacks {', '.join(missing)}")
        if "S256" not in config.get("code_challenge_methods_supported", ["S256"]):
            self.stderr.write("warning: the provider does not announce PKCE with S256")
        for name, key in SETTINGS.items():
            self.stdout.write(f"{name}={config[key]}")
        if config.get("end_session_endpoint"):
            self.stdout.write(f"OIDC_END_SESSION_ENDPOINT={config['end_session_endpoint']}")
        else:
            self.stderr.write("note: no end_session_endpoint: signing out ends only our session")
