"""The audit trail is hash-chained: the command finds the first changed, removed or inserted
event; the database refuses to change an event."""

from __future__ import annotations

import itertools
import threading
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from videocontact.privacy.audit import audit
from videocontact.privacy.chain import GENESIS, verify
from videocontact.privacy.models import AuditEvent
from videocontact.visits.models import Visit

pytestmark = pytest.mark.django_db


def events(visit: Visit, n: int) -> list[AuditEvent]:
    return [audit(action="test.event", obj=visit, visit_id=visit.id, n=i) for i in range(n)]


def test_each_event_seals_the_previous_one(visit: Visit, capsys: Any) -> None:
    made = events(visit, 3)
    everything = list(AuditEvent.objects.order_by("id"))
    assert everything[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(everything):
        assert after.prev_hash == before.hash
    assert made[-1].hash == everything[-1].hash
    call_command("verify_audit_chain")
    assert f"intact: {len(everything)} events" in capsys.readouterr().out


def _raw(sql: str, params: list[Any]) -> None:
    """What someone with database access would do, past the triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS privacy_auditevent_no_update")
            cursor.execute(sql, params)
        else:
            cursor.execute("SET session_replication_role = replica")  # a superuser's way round
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")


def test_a_changed_event_is_named(visit: Visit) -> None:
    made = events(visit, 4)
    _raw("UPDATE privacy_auditevent SET data = %s WHERE id = %s", ['{"n": 99}', made[2].pk])
    with pytest.raises(CommandError, match=f"broken at event {made[2].pk} .*changed"):
        call_command("verify_audit_chain")


def test_a_removed_event_is_named(visit: Visit) -> None:
    made = events(visit, 4)
    _raw("DELETE FROM privacy_auditevent WHERE id = %s", [made[1].pk])
    _checked, broken = verify()
    assert broken is not None and broken.event_id == made[2].pk


def test_removing_the_newest_events_is_noticed(visit: Visit) -> None:
    made = events(visit, 3)
    _raw("DELETE FROM privacy_auditevent WHERE id = %s", [made[2].pk])
    _checked, broken = verify()
    assert broken is not None and "newest" in broken.reason


def test_the_database_refuses_to_change_an_event(visit: Visit) -> None:
    made = events(visit, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=made[0].pk).update(action="something.else")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_concurrent_writers_make_one_chain(visit: Visit) -> None:
    def write() -> None:
        try:
            for _ in range(10):
                with transaction.atomic():
                    audit(action="test.concurrent", obj=visit, visit_id=visit.id)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked, broken = verify()
    assert broken is None
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 60
    assert checked == AuditEvent.objects.count()
