"""The ZGW client keeps only URLs of the configured APIs (they are stored and shown as links)."""

from __future__ import annotations

import pytest

from videocontact.dossier.zgw import ZgwClient, ZgwConfig, ZgwRefused, ZgwUnavailable

CONFIG = ZgwConfig(
    documenten_url="https://documenten.gemeente.nl/api/v1",
    zaken_url="https://zaken.gemeente.nl/api/v1/",
    client_id="ovc",
    secret="x" * 32,
    user_id="ovc",
    user_representation="Open Videocontact",
)


@pytest.mark.parametrize(
    "url",
    [
        "https://documenten.gemeente.nl/api/v1/enkelvoudiginformatieobjecten/1",
        "https://zaken.gemeente.nl/api/v1/zaakinformatieobjecten/2",
    ],
)
def test_urls_of_the_configured_apis_are_kept(url: str) -> None:
    with ZgwClient(CONFIG) as client:
        assert client._url_of({"url": url}) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://phish.example/enkelvoudiginformatieobjecten/1",
        "https://documenten.gemeente.nl.evil.example/api/v1/x",
        "javascript:alert(1)",
        "https://documenten.gemeente.nl/api/v1/" + "a" * 1000,
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    with ZgwClient(CONFIG) as client, pytest.raises(ZgwRefused):
        client._url_of({"url": url})


def test_a_response_without_url_is_a_temporary_problem() -> None:
    with ZgwClient(CONFIG) as client, pytest.raises(ZgwUnavailable):
        client._url_of({"identificatie": "x"})
