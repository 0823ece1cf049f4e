from __future__ import annotations

import hashlib

import pytest

from videocontact.visits.tokens import hash_token, looks_like_token, new_token


def test_new_tokens_are_url_safe_long_and_unique() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 32  # 24 random bytes = 192 bits
        assert looks_like_token(token)


def test_hash_is_sha256_hex() -> None:
    assert hash_token("abc") == hashlib.sha256(b"abc").hexdigest()
    assert hash_token("abc") != hash_token("abd")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a" * 15,
        "a" * 65,
        "abc/def/ghi/jkl/mno",
        "a b" * 8,
        "abc%2Fdefghijklmnop",
        "abcdefghijklmnop.",
        "abcdefghijklmnop\x00",
    ],
)
def test_malformed_tokens_are_recognised(token: str) -> None:
    assert not looks_like_token(token)


@pytest.mark.parametrize("token", ["a" * 16, "a" * 64, "AZaz09-_" * 4])
def test_plausible_tokens(token: str) -> None:
    assert looks_like_token(token)
