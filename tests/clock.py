"""A manual clock standing in for the `time` module inside videocontact.rooms.ratelimit, so that
rate-limit tests do not depend on how fast the machine is (and never sleep)."""

from __future__ import annotations


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
