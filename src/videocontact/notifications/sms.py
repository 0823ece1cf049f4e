"""Sending SMS through a gateway. One real provider: CM.com's Business Messaging HTTP API.

    POST {CM_ENDPOINT}   (default https://gw.cmtelecom.com/v1.0/message)
    {"messages": {"authentication": {"productToken": "…"},
                  "msg": [{"allowedChannels": ["SMS"], "from": "Gemeente", "to": [{"number": "0031612345678"}],
                           "body": {"type": "auto", "content": "…"}, "reference": "…"}]}}

CM answers 200 with `{"details": "Created 1 message(s)", "errorCode": 0, "messages": [{"to": …,
"status": "Accepted", "reference": …, "parts": 1, "messageDetails": null, "messageErrorCode": 0}]}`
or an HTTP error with an `errorCode` (101 authentication failed, 102 balance, 2xx/3xx request
errors, 999 unknown). The message text is never logged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

import httpx
from django.conf import settings

# CM errorCodes that trying again will not fix: authentication, bad request, bad number, spam.
PERMANENT_CM_ERRORS = frozenset({101, 102, 103, 202, 203, 301, 302, 303, 304, 305, 401, 402, 403})


class SmsError(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def mask_digits(text: str) -> str:
    """A provider's error text may quote the recipient's number: runs of 5+ digits are masked
    before the text reaches the message row, the audit trail or a log."""
    return re.sub(r"\+?\d[\d ]{3,}\d", "•••", text)


@dataclass(frozen=True)
class SmsResult:
    provider_reference: str
    parts: int


class SmsGateway(Protocol):
    def send(self, *, to: str, body: str, reference: str) -> SmsResult: ...


class NotConfigured:
    """No SMS provider configured: every send fails visibly (never silently dropped)."""

    def send(self, *, to: str, body: str, reference: str) -> SmsResult:
        raise SmsError("SMS is not configured (SMS_BACKEND)", permanent=True)


class CmGateway:
    def __init__(self, *, endpoint: str, product_token: str, sender: str, timeout: float) -> None:
        self.endpoint = endpoint
        self.product_token = product_token
        self.sender = sender
        self.timeout = timeout

    def payload(self, *, to: str, body: str, reference: str) -> dict[str, object]:
        return {
            "messages": {
                "authentication": {"productToken": self.product_token},
                "msg": [
                    {
                        "allowedChannels": ["SMS"],
                        "from": self.sender,
                        "to": [{"number": "00" + to.removeprefix("+")}],
                        "body": {"type": "auto", "content": body},
                        "reference": reference,
                        "minimumNumberOfMessageParts": 1,
                        "maximumNumberOfMessageParts": 4,
                    }
                ],
            }
        }

    def send(self, *, to: str, body: str, reference: str) -> SmsResult:
        try:
            response = httpx.post(
                self.endpoint,
                json=self.payload(to=to, body=body, reference=reference),
                timeout=self.timeout,
                headers={"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise SmsError(f"CM not reachable: {type(exc).__name__}", permanent=False) from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        error_code = data.get("errorCode")
        details = str(data.get("details") or "")[:160]
        if response.status_code >= 500 or response.status_code == 429:
            raise SmsError(f"CM HTTP {response.status_code} {details}".strip(), permanent=False)
        messages = data.get("messages") if isinstance(data.get("messages"), list) else []
        first = messages[0] if messages and isinstance(messages[0], dict) else {}
        if response.status_code >= 400 or error_code not in (0, None):
            code = first.get("messageErrorCode") or error_code
            reason = mask_digits(str(first.get("messageDetails") or details or "refused"))[:160]
            try:
                permanent = int(str(code)) in PERMANENT_CM_ERRORS
            except (TypeError, ValueError):
                permanent = response.status_code < 500
            raise SmsError(f"CM error {code}: {reason}", permanent=permanent)
        if str(first.get("status", "")).lower() != "accepted":
            raise SmsError(
                "CM did not accept the message: "
                + mask_digits(str(first.get("messageDetails") or details))[:160],
                permanent=True,
            )
        return SmsResult(
            provider_reference=str(first.get("reference") or reference)[:64],
            parts=int(first.get("parts") or 1),
        )


def gateway() -> SmsGateway:
    if settings.SMS_BACKEND == "cm":
        return CmGateway(
            endpoint=settings.CM_ENDPOINT,
            product_token=settings.CM_PRODUCT_TOKEN,
            sender=settings.SMS_SENDER,
            timeout=settings.SMS_TIMEOUT_SECONDS,
        )
    return NotConfigured()
