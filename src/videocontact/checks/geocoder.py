"""Geocoding the visit's registered address, behind a small interface.

`PdokGeocoder` is the real implementation: PDOK Locatieserver's free search (v3.1), the Dutch
government's geocoder over the BAG, no key needed. `CHECKS_GEOCODER` chooses the implementation
("pdok" or "none"); `CHECKS_PDOK_URL` points at the endpoint (tests: a local server speaking its
format). Only the address is sent, never anything about the resident's own position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from videocontact.core.errors import ServiceError

_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$")


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float
    label: str


class GeocodeError(ServiceError):
    """`not_found` (no address matched), `unavailable` (the service failed or answered nonsense)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = 502 if code == "unavailable" else 404


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeoPoint:
        """The address's point, or GeocodeError."""
        ...


class NoGeocoder:
    def geocode(self, address: str) -> GeoPoint:
        raise GeocodeError("unavailable", "no geocoder is configured")


class PdokGeocoder:
    """PDOK Locatieserver `free` search: `?q=<address>&fq=type:adres&rows=1&fl=...`; the answer is
    a Solr envelope `{"response": {"numFound": n, "docs": [{"weergavenaam": ...,
    "centroide_ll": "POINT(lon lat)", ...}]}}`."""

    FIELDS = "id,type,weergavenaam,centroide_ll,score"

    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout

    def geocode(self, address: str) -> GeoPoint:
        params = {"q": address, "fq": "type:adres", "rows": "1", "fl": self.FIELDS}
        try:
            response = httpx.get(
                self.url,
                params=params,
                timeout=self.timeout,
                headers={"Accept": "application/json"},
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise GeocodeError("unavailable", f"the geocoder did not answer: {exc}") from exc
        if response.status_code != 200:
            raise GeocodeError("unavailable", f"the geocoder answered {response.status_code}")
        try:
            docs = response.json()["response"]["docs"]
        except (ValueError, KeyError, TypeError) as exc:
            raise GeocodeError("unavailable", "the geocoder's answer was not understood") from exc
        if not isinstance(docs, list) or not docs:
            raise GeocodeError("not_found", "the address was not found")
        return _point(docs[0])


def _point(doc: Any) -> GeoPoint:
    if not isinstance(doc, dict):
        raise GeocodeError("unavailable", "the geocoder's answer was not understood")
    match = _POINT.match(str(doc.get("centroide_ll", "")))
    if match is None:
        raise GeocodeError("unavailable", "the geocoder gave no point")
    longitude, latitude = float(match.group(1)), float(match.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise GeocodeError("unavailable", "the geocoder gave a point off the earth")
    return GeoPoint(latitude, longitude, str(doc.get("weergavenaam", ""))[:200])


def get_geocoder() -> Geocoder:
    name = settings.CHECKS_GEOCODER
    if name == "pdok":
        return PdokGeocoder(settings.CHECKS_PDOK_URL, timeout=settings.CHECKS_GEOCODER_TIMEOUT)
    if name == "none":
        return NoGeocoder()
    return import_string(name)()  # type: ignore[no-any-return]  # a dotted path to a class
