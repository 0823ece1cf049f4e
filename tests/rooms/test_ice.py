"""TURN credentials follow coturn's REST API convention (use-auth-secret)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from videocontact.rooms.ice import ice_servers_for, ice_transport_policy, turn_credentials


def test_turn_credentials_known_answer() -> None:
    creds = turn_credentials("peer-1", secret="s3cret", ttl=3600, now=1_700_000_000)
    assert creds["username"] == "1700003600:peer-1"
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"1700003600:peer-1", hashlib.sha1).digest()
    ).decode()
    assert creds["credential"] == expected
    assert len(base64.b64decode(creds["credential"])) == 20  # SHA-1


def test_turn_credentials_change_with_peer_secret_and_time() -> None:
    base = turn_credentials("p", secret="a", ttl=60, now=1000)
    assert turn_credentials("q", secret="a", ttl=60, now=1000) != base
    assert turn_credentials("p", secret="b", ttl=60, now=1000)["credential"] != base["credential"]
    assert turn_credentials("p", secret="a", ttl=60, now=1001)["username"] == "1061:p"


def test_no_ice_servers_unless_configured(settings: Any) -> None:
    settings.STUN_URLS = []
    settings.TURN_URLS = []
    settings.TURN_SECRET = ""
    assert ice_servers_for("peer") == []


def test_turn_needs_a_secret(settings: Any) -> None:
    settings.STUN_URLS = []
    settings.TURN_URLS = ["turn:turn.example.test:443"]
    settings.TURN_SECRET = ""
    assert ice_servers_for("peer") == []


def test_stun_and_turn(settings: Any) -> None:
    settings.STUN_URLS = ["stun:stun.example.test:3478"]
    settings.TURN_URLS = ["turn:turn.example.test:3478", "turns:turn.example.test:443"]
    settings.TURN_SECRET = "s3cret"
    settings.TURN_CREDENTIAL_TTL = 600
    stun, turn = ice_servers_for("peer-9")
    assert stun == {"urls": ["stun:stun.example.test:3478"]}
    assert turn["urls"] == ["turn:turn.example.test:3478", "turns:turn.example.test:443"]
    expiry, peer = turn["username"].split(":")
    assert peer == "peer-9"
    assert (
        turn["credential"]
        == base64.b64encode(
            hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
        ).decode()
    )
    assert int(expiry) > 0


def test_ice_transport_policy(settings: Any) -> None:
    settings.ICE_TRANSPORT_POLICY = "relay"
    assert ice_transport_policy() == "relay"
    settings.ICE_TRANSPORT_POLICY = "all"
    assert ice_transport_policy() == "all"
    settings.ICE_TRANSPORT_POLICY = "anything-else"
    assert ice_transport_policy() == "all"
