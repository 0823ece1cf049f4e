from __future__ import annotations

import pytest

from tests.clock import FakeClock
from videocontact.rooms import ratelimit
from videocontact.rooms.ratelimit import TokenBucket


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


def test_burst_then_refused(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=40, burst=200)
    assert all(bucket.allow() for _ in range(200))
    assert not bucket.allow()
    assert not bucket.allow()


def test_refills_at_the_rate(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=40, burst=200)
    for _ in range(200):
        bucket.allow()
    clock.advance(0.25)  # 10 frames' worth
    assert sum(bucket.allow() for _ in range(20)) == 10


def test_sustained_rate_is_allowed(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=40, burst=5)
    for _ in range(400):  # ten seconds at 40 frames a second
        clock.advance(1 / 40)
        assert bucket.allow()


def test_never_more_than_the_burst(clock: FakeClock) -> None:
    bucket = TokenBucket(rate=40, burst=10)
    clock.advance(3600)
    assert sum(bucket.allow() for _ in range(50)) == 10
