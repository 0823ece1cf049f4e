"""The client. Every method is one API call and returns the decoded JSON (or the file's bytes).

from ovc_client import Client

api = Client("https://videocontact.gemeente.nl", token="ovc.zaaksysteem.…")
planned = api.plan_visit(process=3, caseworker="sanne", resident_name="Amina Haddad",
                         language="ar", email="amina@example.org", case_reference="Z-42")
print(planned["links"][0]["url"], planned["visit"]["state"])
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx


class ApiError(Exception):
    """A refused call: `status` (HTTP), `code` (machine-readable), `detail`, `errors` per field."""

    def __init__(self, status: int, body: Any) -> None:
        body = body if isinstance(body, dict) else {}
        self.status = status
        self.code = str(body.get("code", "error"))
        self.detail = str(body.get("detail", ""))
        self.errors = body.get("errors") or {}
        super().__init__(f"{status} {self.code}: {self.detail}")


class Client:
    """Authenticate with a client secret (`token="ovc.<client id>.<secret>"`) or, for a JWT
    client (ZGW style), with `client_id=` and `jwt_secret=` (needs PyJWT): a fresh HS256
    token is made for every call."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        client_id: str | None = None,
        jwt_secret: str | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not token and not (client_id and jwt_secret):
            raise ValueError("pass token=, or client_id= and jwt_secret=")
        self._token, self._client_id, self._jwt_secret = token, client_id, jwt_secret
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/api/v1", timeout=timeout, transport=transport
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # Plumbing ----------------------------------------------------------------------------------

    def _authorization(self) -> str:
        if self._token:
            return f"Bearer {self._token}"
        import jwt  # PyJWT: only needed for JWT clients

        now = int(time.time())
        claims = {"iss": self._client_id, "client_id": self._client_id, "iat": now}
        return "Bearer " + jwt.encode(claims, self._jwt_secret, algorithm="HS256")

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": self._authorization(), **kwargs.pop("headers", {})}
        response = self._http.request(method, path, headers=headers, **kwargs)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text[:300]}
            raise ApiError(response.status_code, body)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._call(method, path, **kwargs).json()

    # Visits ------------------------------------------------------------------------------------

    def processes(self) -> list[dict[str, Any]]:
        return self._json("GET", "/processes")

    def plan_visit(
        self,
        *,
        process: int,
        caseworker: str,
        resident_name: str,
        language: str = "nl",
        scheduled_at: datetime | None = None,
        case_reference: str = "",
        email: str = "",
        mobile: str = "",
        guests: list[dict[str, Any]] | None = None,
        send_invitations: bool = True,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """Plan a visit. The answer's `links` hold the join links: this is the only time the
        API shows them. A retry with the same `idempotency_key` returns the same answer."""
        body: dict[str, Any] = {
            "process": process,
            "caseworker": caseworker,
            "case_reference": case_reference,
            "resident": {
                "name": resident_name,
                "language": language,
                "email": email,
                "mobile": mobile,
            },
            "guests": guests or [],
            "send_invitations": send_invitations,
        }
        if scheduled_at is not None:
            body["scheduled_at"] = scheduled_at.isoformat()
        key = idempotency_key or str(uuid.uuid4())
        return self._json("POST", "/visits", json=body, headers={"Idempotency-Key": key})

    def visit(self, visit_id: str) -> dict[str, Any]:
        return self._json("GET", f"/visits/{visit_id}")

    def visits(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every visit matching the filters (state=…, case_reference=…), page after page."""
        params = {k: v for k, v in filters.items() if v is not None}
        page = self._json("GET", "/visits", params=params)
        while True:
            yield from page["results"]
            if not page["next"]:
                return
            page = self._json("GET", page["next"])

    def move_visit(self, visit_id: str, scheduled_at: datetime) -> dict[str, Any]:
        return self._json(
            "PATCH", f"/visits/{visit_id}", json={"scheduled_at": scheduled_at.isoformat()}
        )

    def cancel_visit(self, visit_id: str) -> dict[str, Any]:
        return self._json("POST", f"/visits/{visit_id}/cancel")

    def add_guest(self, visit_id: str, *, role: str, name: str, **extra: Any) -> dict[str, Any]:
        body = {"role": role, "name": name, **extra}
        key = str(uuid.uuid4())
        return self._json(
            "POST", f"/visits/{visit_id}/guests", json=body, headers={"Idempotency-Key": key}
        )

    # Results -----------------------------------------------------------------------------------

    def answers(self, visit_id: str) -> dict[str, Any]:
        return self._json("GET", f"/visits/{visit_id}/answers")

    def photos(self, visit_id: str) -> list[dict[str, Any]]:
        return self._json("GET", f"/visits/{visit_id}/photos")

    def photo(self, visit_id: str, photo_id: str) -> bytes:
        return self._call("GET", f"/visits/{visit_id}/photos/{photo_id}").content

    def reports(self, visit_id: str) -> list[dict[str, Any]]:
        return self._json("GET", f"/visits/{visit_id}/reports")

    def report_pdf(self, visit_id: str, report_id: str) -> bytes:
        return self._call("GET", f"/visits/{visit_id}/reports/{report_id}/pdf").content

    def sealed_report(self, visit_id: str, *, wait: float = 0, poll: float = 1.0) -> bytes:
        """The newest ready report's sealed PDF, waiting up to `wait` seconds for it."""
        deadline = time.monotonic() + wait
        while True:
            ready = [r for r in self.reports(visit_id) if r["state"] == "ready"]
            if ready:
                newest = max(ready, key=lambda r: r["number"])
                return self.report_pdf(visit_id, newest["id"])
            if time.monotonic() >= deadline:
                raise TimeoutError("no ready report yet")
            time.sleep(poll)

    def exports(self, visit_id: str) -> list[dict[str, Any]]:
        return self._json("GET", f"/visits/{visit_id}/exports")

    def visit_counts(self) -> list[dict[str, Any]]:
        return self._json("GET", "/statistics/visits")

    def rating_statistics(self, date_from: str | None = None, date_to: str | None = None) -> Any:
        """Ratings per unit over a period (ISO dates; default the last four weeks)."""
        params = {k: v for k, v in {"date_from": date_from, "date_to": date_to}.items() if v}
        return self._json("GET", "/statistics/ratings", params=params)
