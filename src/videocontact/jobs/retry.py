"""The one retry policy: exponential back-off with a cap and a number of attempts. Jobs, e-mail
and SMS, and exports to the case file each have their own figures (settings), the same rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float
    cap_seconds: float
    max_attempts: int

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed attempt: base, 2 * base, 4 * base, ... capped."""
        return float(min(self.base_seconds * 2 ** max(attempts - 1, 0), self.cap_seconds))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def jobs_policy(max_attempts: int = 5) -> RetryPolicy:
    return RetryPolicy(settings.JOBS_RETRY_BASE_SECONDS, 3600, max_attempts)


def notifications_policy() -> RetryPolicy:
    return RetryPolicy(settings.NOTIFY_RETRY_BASE_SECONDS, 3600, settings.NOTIFY_MAX_ATTEMPTS)


def exports_policy() -> RetryPolicy:
    return RetryPolicy(settings.DOSSIER_RETRY_BASE_SECONDS, 6 * 3600, settings.DOSSIER_MAX_ATTEMPTS)
