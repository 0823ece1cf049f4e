"""The job queue: due jobs run once, failures retry with backoff, keys never duplicate."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from videocontact.jobs import registry
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import job_cancel, job_enqueue, job_retry_now, run_due

pytestmark = pytest.mark.django_db

calls: list[dict[str, Any]] = []


@registry.register("test.record")
def _record(payload: dict[str, Any]) -> None:
    calls.append(payload)


@registry.register("test.flaky")
def _flaky(payload: dict[str, Any]) -> None:
    calls.append(payload)
    if len(calls) < payload["succeed_on"]:
        raise ConnectionError("the far side is down")


@registry.register("test.permanent")
def _permanent(payload: dict[str, Any]) -> None:
    raise registry.PermanentFailure("the configuration is wrong")


@registry.register("test.later")
def _later(payload: dict[str, Any]) -> None:
    raise registry.Retry(60, "not yet")


@pytest.fixture(autouse=True)
def _reset() -> None:
    calls.clear()


def test_due_job_runs_once() -> None:
    job = job_enqueue(kind="test.record", payload={"n": 1})
    assert run_due() == 1
    assert run_due() == 0
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.finished_at is not None
    assert calls == [{"n": 1}]


def test_future_job_waits_for_its_time() -> None:
    now = timezone.now()
    job_enqueue(kind="test.record", payload={}, run_at=now + timedelta(hours=1))
    assert run_due(now=now) == 0
    assert run_due(now=now + timedelta(hours=1)) == 1


def test_dedupe_key_gives_back_the_first_job() -> None:
    first = job_enqueue(kind="test.record", payload={"n": 1}, dedupe_key="k")
    second = job_enqueue(kind="test.record", payload={"n": 2}, dedupe_key="k")
    assert first.pk == second.pk
    run_due()
    job_enqueue(kind="test.record", payload={"n": 3}, dedupe_key="k")  # after it ran, too
    assert run_due() == 0
    assert calls == [{"n": 1}]


def test_failure_retries_with_backoff_then_succeeds() -> None:
    job = job_enqueue(kind="test.flaky", payload={"succeed_on": 2})
    now = timezone.now()
    assert run_due(now=now) == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "far side is down" in job.last_error
    assert job.run_at > now
    assert run_due(now=now) == 0  # not before the backoff
    assert run_due(now=job.run_at) == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.attempts == 2


def test_gives_up_after_max_attempts_and_can_be_retried_by_hand() -> None:
    job = job_enqueue(kind="test.flaky", payload={"succeed_on": 99}, max_attempts=2)
    now = timezone.now()
    run_due(now=now)
    run_due(now=now + timedelta(days=1))
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 2
    job_retry_now(job=job)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0


def test_permanent_failure_does_not_retry() -> None:
    job = job_enqueue(kind="test.permanent")
    run_due()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "configuration is wrong" in job.last_error


def test_unknown_kind_fails_with_a_reason() -> None:
    job = job_enqueue(kind="test.nobody")
    run_due()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "no handler" in job.last_error


def test_retry_signal_reschedules_without_counting_an_attempt() -> None:
    job = job_enqueue(kind="test.later")
    now = timezone.now()
    run_due(now=now)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.attempts == 0
    assert job.run_at == now + timedelta(seconds=60)


def test_job_of_a_dead_worker_runs_again_after_its_lock_expires() -> None:
    now = timezone.now()
    job = job_enqueue(kind="test.record", payload={"n": 7})
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=1, locked_until=now + timedelta(minutes=5)
    )
    assert run_due(now=now) == 0  # still locked by the (dead) worker
    assert run_due(now=now + timedelta(minutes=6)) == 1
    assert calls == [{"n": 7}]


def test_cancel_stops_a_queued_job() -> None:
    job_enqueue(kind="test.record", dedupe_key="reminder-1")
    assert job_cancel(dedupe_key="reminder-1") is True
    assert run_due() == 0
    assert job_cancel(dedupe_key="reminder-1") is False


@registry.register("test.slow")
def _slow(payload: dict[str, Any]) -> None:
    import time

    time.sleep(payload["seconds"])
    job = Job.objects.get(pk=payload["job"]) if "job" in payload else None
    calls.append({"locked_until": job.locked_until if job else None})


@pytest.mark.django_db(transaction=True)
def test_a_long_job_keeps_its_lock_while_it_runs(settings: Any) -> None:
    """A job that outlives JOBS_LOCK_SECONDS is not run a second time by another worker."""
    settings.JOBS_LOCK_SECONDS = 1
    job = job_enqueue(kind="test.slow", payload={})
    Job.objects.filter(pk=job.pk).update(payload={"seconds": 2.5, "job": job.pk})
    started = timezone.now()
    assert run_due() == 1
    (seen,) = calls
    # The lock was pushed forward while the handler slept, past its first expiry.
    assert seen["locked_until"] > started + timedelta(seconds=1.5)
