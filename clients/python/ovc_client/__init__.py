"""A small client for the Open Videocontact API v1 (see docs/api.md)."""

from ovc_client.client import ApiError, Client
from ovc_client.webhooks import verify_webhook

__all__ = ["ApiError", "Client", "verify_webhook"]
