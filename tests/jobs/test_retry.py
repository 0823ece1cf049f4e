"""The one retry policy that jobs, messages and exports share."""

from __future__ import annotations

from typing import Any

from videocontact.jobs.retry import RetryPolicy, exports_policy, notifications_policy


def test_doubles_from_the_base_up_to_the_cap() -> None:
    policy = RetryPolicy(base_seconds=60, cap_seconds=300, max_attempts=4)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]
    assert not policy.exhausted(3) and policy.exhausted(4)


def test_each_part_reads_its_own_settings(settings: Any) -> None:
    settings.NOTIFY_RETRY_BASE_SECONDS, settings.NOTIFY_MAX_ATTEMPTS = 10, 3
    settings.DOSSIER_RETRY_BASE_SECONDS, settings.DOSSIER_MAX_ATTEMPTS = 60, 8
    assert notifications_policy() == RetryPolicy(10, 3600, 3)
    assert exports_policy().delay(20) == 6 * 3600
