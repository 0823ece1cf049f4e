"""The PDOK geocoder client, against a local server speaking Locatieserver's format."""

from __future__ import annotations

import socket

import pytest

from tests.checks.pdok import PdokServer
from videocontact.checks.geocoder import GeocodeError, PdokGeocoder, get_geocoder


def test_an_address_is_found(pdok: PdokServer) -> None:
    point = get_geocoder().geocode("Rivierweg 111, Capelle aan den IJssel")
    assert point.latitude == pytest.approx(51.9123468)
    assert point.longitude == pytest.approx(4.58170305)  # POINT(lon lat): order matters
    assert point.label == "Rivierweg 111, 2903AR Capelle aan den IJssel"
    sent = pdok.requests[-1]
    assert sent["q"] == ["Rivierweg 111, Capelle aan den IJssel"]
    assert sent["fq"] == ["type:adres"] and sent["rows"] == ["1"]
    assert "centroide_ll" in sent["fl"][0]


def test_an_unknown_address_is_not_found(pdok: PdokServer) -> None:
    with pytest.raises(GeocodeError) as failed:
        get_geocoder().geocode("Nergensstraat 1, Nergenshuizen")
    assert failed.value.code == "not_found"


@pytest.mark.parametrize("mode", ["error", "garbage", "bad_point"])
def test_a_broken_answer_is_unavailable(pdok: PdokServer, mode: str) -> None:
    pdok.mode = mode
    with pytest.raises(GeocodeError) as failed:
        get_geocoder().geocode("Rivierweg 111, Capelle aan den IJssel")
    assert failed.value.code == "unavailable"


def test_a_slow_service_times_out(pdok: PdokServer) -> None:
    pdok.mode = "slow"
    with pytest.raises(GeocodeError) as failed:
        get_geocoder().geocode("Rivierweg 111, Capelle aan den IJssel")
    assert failed.value.code == "unavailable"


def test_no_service_listening() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(GeocodeError) as failed:
        PdokGeocoder(f"http://127.0.0.1:{port}/free", timeout=1).geocode("Rivierweg 111")
    assert failed.value.code == "unavailable"


def test_the_geocoder_can_be_switched_off(settings: object) -> None:
    settings.CHECKS_GEOCODER = "none"  # type: ignore[attr-defined]
    with pytest.raises(GeocodeError):
        get_geocoder().geocode("Rivierweg 111")
