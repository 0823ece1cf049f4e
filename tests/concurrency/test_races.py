"""Two transactions racing for the same row: the `select_for_update` paths hold.

Each test starts two threads (two database connections) behind a barrier, so both reach the
locking query at the same moment. They need a database with row locks: on SQLite, which
serialises every writer, there is no race to test, so they run on PostgreSQL (`make test` uses it
where the machine has it, as CI does)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests import factories
from videocontact.evidence import services as evidence_services
from videocontact.evidence.models import Photo
from videocontact.jobs import registry
from videocontact.jobs.models import Job, JobState
from videocontact.jobs.services import job_enqueue, run_due
from videocontact.notifications import services as notify_services
from videocontact.notifications.models import MessagingSettings, SmsCode
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantState, Visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (make test uses it)"
    ),
]

T = TypeVar("T")
runs: list[int] = []


@registry.register("test.race")
def _race(payload: dict[str, Any]) -> None:
    runs.append(payload["n"])


def race(fn: Callable[[], T], *, times: int = 2) -> list[T | BaseException]:
    """Run `fn` in `times` threads released together; each thread has its own connection."""
    barrier = threading.Barrier(times)
    results: list[T | BaseException] = [RuntimeError("did not run")] * times

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = fn()
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_workers_claim_a_job_once() -> None:
    runs.clear()
    job = job_enqueue(kind="test.race", payload={"n": 1})
    results = race(run_due, times=3)
    assert sorted(r for r in results if isinstance(r, int)) == [0, 0, 1], results
    assert runs == [1]
    assert Job.objects.get(pk=job.pk).state == JobState.DONE


def test_the_same_code_entered_twice_at_once_lets_in_one_browser(
    visit: Visit, process: Any
) -> None:
    MessagingSettings.objects.create(process=process, require_sms_code=True)
    resident = factories.resident_of(visit)
    row = SmsCode.objects.create(
        participant=resident,
        created_at=timezone.now(),
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(minutes=10),
    )
    row.code_hash = notify_services._code_hash(row, "123456")
    row.save(update_fields=["code_hash"])

    results = race(lambda: notify_services.code_verify(participant=resident, code="123456"))
    oks = [r.ok for r in results if not isinstance(r, BaseException)]
    assert sorted(oks) == [False, True], results
    row.refresh_from_db()
    assert row.attempts == 1  # the loser saw a used code and counted no try


def test_two_uploads_for_one_photo_request_store_one_photo(visit: Visit, caseworker: Any) -> None:
    from tests.evidence.test_hygiene import jpeg

    resident = factories.resident_of(visit)
    Participant.objects.filter(pk=resident.pk).update(state=ParticipantState.ADMITTED)
    RoomConnection.objects.create(participant=resident, channel_name="test.resident")
    resident.refresh_from_db()
    request = evidence_services.photo_request_create(
        visit_id=visit.id, by_user=caseworker, target_id=resident.id, from_peer="peer"
    )
    data = jpeg()

    def upload() -> Any:
        return evidence_services.photo_upload(
            visit_id=visit.id, participant=resident, request_id=request.id, data=data
        )

    results = race(upload)
    uploads = [r for r in results if not isinstance(r, BaseException)]
    assert len(uploads) == 2, results
    assert sorted(u.created for u in uploads) == [False, True]
    assert uploads[0].photo.pk == uploads[1].photo.pk
    assert Photo.objects.filter(visit=visit).count() == 1
