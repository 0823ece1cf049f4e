"""A small typed client for the two ZGW calls the export needs (Documenten API 1.5, Zaken API 1.5).

Authentication follows the ZGW convention: a JWT signed with HS256 with the client secret, with
`iss`, `iat`, `client_id`, `user_id` and `user_representation`. Errors come in two kinds:
`ZgwUnavailable` (network trouble, 5xx, 429: try again later) and `ZgwRefused` (the API said no,
e.g. a 400 validation error: trying again will not help; `reason` holds the API's own words).
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import jwt

# The Zaken API requires these on every request about zaken (even a GET without geometry).
CRS_HEADERS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}


class ZgwError(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class ZgwUnavailable(ZgwError):
    """The API could not be reached or had a temporary problem: try again later."""


class ZgwRefused(ZgwError):
    """The API refused the request (validation, authorisation, not found): do not retry as is."""


@dataclass(frozen=True)
class ZgwConfig:
    documenten_url: str
    zaken_url: str
    client_id: str
    secret: str
    user_id: str
    user_representation: str
    timeout: float = 30.0


@dataclass(frozen=True)
class DocumentIn:
    """An enkelvoudiginformatieobject to create, with its content."""

    identificatie: str
    bronorganisatie: str
    informatieobjecttype: str
    vertrouwelijkheidaanduiding: str
    titel: str
    auteur: str
    bestandsnaam: str
    formaat: str
    creatiedatum: date
    content: bytes
    sha256: str
    signed_on: date | None = None  # `ondertekening` (digitaal) for a signed document
    beschrijving: str = ""
    taal: str = "dut"

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "identificatie": self.identificatie,
            "bronorganisatie": self.bronorganisatie,
            "creatiedatum": self.creatiedatum.isoformat(),
            "titel": self.titel,
            "auteur": self.auteur,
            "taal": self.taal,
            "informatieobjecttype": self.informatieobjecttype,
            "vertrouwelijkheidaanduiding": self.vertrouwelijkheidaanduiding,
            "formaat": self.formaat,
            "bestandsnaam": self.bestandsnaam,
            "inhoud": base64.b64encode(self.content).decode("ascii"),
            "integriteit": {
                "algoritme": "sha_256",
                "waarde": self.sha256,
                "datum": self.creatiedatum.isoformat(),
            },
        }
        if self.beschrijving:
            body["beschrijving"] = self.beschrijving[:1000]
        if self.signed_on is not None:
            body["ondertekening"] = {"soort": "digitaal", "datum": self.signed_on.isoformat()}
        return body


@dataclass(frozen=True)
class FoundDocument:
    url: str
    sha256: str  # integriteit.waarde when its algoritme is sha_256, else ""


def problem_reason(response: httpx.Response) -> str:
    """The API's own explanation from a problem+json body (title, detail, invalid parameters)."""
    try:
        problem = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if not isinstance(problem, dict):
        return f"HTTP {response.status_code}"
    parts = [str(problem.get("title") or f"HTTP {response.status_code}")]
    if problem.get("detail") and problem.get("detail") != problem.get("title"):
        parts.append(str(problem["detail"]))
    for param in problem.get("invalidParams") or []:
        if isinstance(param, dict):
            parts.append(f"{param.get('name', '?')}: {param.get('reason', '')}".strip())
    return " · ".join(parts)[:1000]


class ZgwClient:
    def __init__(self, config: ZgwConfig, *, transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._http = httpx.Client(
            timeout=config.timeout,
            headers={"Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> ZgwClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def token(self) -> str:
        claims = {
            "iss": self.config.client_id,
            "iat": int(time.time()),
            "client_id": self.config.client_id,
            "user_id": self.config.user_id,
            "user_representation": self.config.user_representation,
        }
        return jwt.encode(claims, self.config.secret, algorithm="HS256")

    def _url(self, base: str, path: str) -> str:
        return base.rstrip("/") + "/" + path

    def _call(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        expect: int,
    ) -> Any:
        all_headers = {"Authorization": f"Bearer {self.token()}", **(headers or {})}
        try:
            response = self._http.request(
                method, url, params=params, json=json, headers=all_headers
            )
        except httpx.TransportError as exc:  # refused, reset, timed out, dropped mid-response
            raise ZgwUnavailable(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == expect:
            try:
                return response.json()
            except ValueError as exc:
                raise ZgwUnavailable(f"HTTP {expect} without a JSON body") from exc
        reason = problem_reason(response)
        if response.status_code in TRANSIENT_STATUS:
            raise ZgwUnavailable(reason, response.status_code)
        raise ZgwRefused(reason, response.status_code)

    @staticmethod
    def _results(data: Any) -> list[dict[str, Any]]:
        items = data.get("results") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ZgwUnavailable("unexpected list response")
        return [item for item in items if isinstance(item, dict)]

    def _url_of(self, data: Any) -> str:
        url = data.get("url") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url:
            raise ZgwUnavailable("the response has no url")
        # The URL is stored and shown to staff as a link: only one of the configured APIs'.
        bases = [
            self.config.documenten_url.rstrip("/") + "/",
            self.config.zaken_url.rstrip("/") + "/",
        ]
        if len(url) > 1000 or not any(url.startswith(base) for base in bases):
            raise ZgwRefused(f"the API answered with a URL outside its own address: {url[:80]}")
        return url

    # Zaken API

    def find_zaak(self, *, identificatie: str, bronorganisatie: str) -> str | None:
        data = self._call(
            "GET",
            self._url(self.config.zaken_url, "zaken"),
            params={"identificatie": identificatie, "bronorganisatie": bronorganisatie},
            headers=CRS_HEADERS,
            expect=200,
        )
        found = self._results(data)
        return self._url_of(found[0]) if found else None

    def find_link(self, *, zaak: str, informatieobject: str) -> str | None:
        data = self._call(
            "GET",
            self._url(self.config.zaken_url, "zaakinformatieobjecten"),
            params={"zaak": zaak, "informatieobject": informatieobject},
            expect=200,
        )
        found = self._results(data)
        return self._url_of(found[0]) if found else None

    def create_link(self, *, zaak: str, informatieobject: str, titel: str = "") -> str:
        body = {"zaak": zaak, "informatieobject": informatieobject}
        if titel:
            body["titel"] = titel[:200]
        data = self._call(
            "POST",
            self._url(self.config.zaken_url, "zaakinformatieobjecten"),
            json=body,
            expect=201,
        )
        return self._url_of(data)

    # Documenten API

    def find_document(self, *, bronorganisatie: str, identificatie: str) -> FoundDocument | None:
        data = self._call(
            "GET",
            self._url(self.config.documenten_url, "enkelvoudiginformatieobjecten"),
            params={"bronorganisatie": bronorganisatie, "identificatie": identificatie},
            expect=200,
        )
        found = self._results(data)
        if not found:
            return None
        integriteit = found[0].get("integriteit") or {}
        return FoundDocument(
            url=self._url_of(found[0]),
            sha256=str(integriteit.get("waarde") or "")
            if integriteit.get("algoritme") == "sha_256"
            else "",
        )

    def create_document(self, document: DocumentIn) -> str:
        data = self._call(
            "POST",
            self._url(self.config.documenten_url, "enkelvoudiginformatieobjecten"),
            json=document.as_json(),
            expect=201,
        )
        return self._url_of(data)
