"""Group commit of the live questionnaire's writes (rooms/group_commit.py), on the real database:
writes that arrive together share one transaction, each keeps its own outcome (a conflict or a
failure stays its own), and nobody is answered before the commit that holds their write.

They need a database with transaction ids, row locks and deferred constraints: PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import IntegrityError, connection

from tests.helpers import GroupListener
from videocontact.questionnaires import services
from videocontact.questionnaires.models import Answer, Questionnaire
from videocontact.rooms import events
from videocontact.rooms.group_commit import group_write
from videocontact.visits.models import Participant, Visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="transaction ids and deferred constraints"
    ),
]


@pytest.fixture(autouse=True)
def _window(settings: Any) -> None:
    settings.ROOM_GROUP_COMMIT_MS = 100  # generous: a loaded machine must not split a batch


def transaction_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        return int(cursor.fetchone()[0])


def save(q: Questionnaire, resident: Participant, question: str, value: Any, base: int) -> Answer:
    return services.answer_save(
        questionnaire_id=q.id,
        participant=resident,
        question_id=question,
        value=value,
        base_version=base,
    )


@database_sync_to_async
def stored() -> dict[str, tuple[Any, int]]:
    return {a.question_id: (a.value, a.version) for a in Answer.objects.all()}


async def test_writes_that_arrive_together_share_one_transaction() -> None:
    ids = await asyncio.gather(*(group_write(f"visit-{n}", transaction_id) for n in range(5)))
    assert len(set(ids)) == 1, ids


async def test_a_conflict_inside_a_batch_is_that_write_alone(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    key = str(visit.id)
    first, second, other = await asyncio.gather(
        group_write(key, save, questionnaire, resident, "name", "Amina", 0),
        group_write(key, save, questionnaire, resident, "name", "Other tab", 0),
        group_write(key, save, questionnaire, resident, "household", 2, 0),
        return_exceptions=True,
    )
    # in order of arrival: the first write of version 0 wins, the second is a conflict
    assert isinstance(first, Answer) and first.version == 1
    assert isinstance(second, services.AnswerConflict)
    assert (second.answer.value, second.answer.version) == ("Amina", 1)
    assert isinstance(other, Answer) and other.version == 1
    assert await stored() == {"name": ("Amina", 1), "household": (2, 1)}
    echoed = [m["frame"] for m in listener.receive(2)]
    assert [(f["question"], f["value"], f["version"]) for f in echoed] == [
        ("name", "Amina", 1),
        ("household", 2, 1),
    ]
    assert listener.nothing_more()  # nothing for the conflicting write


async def test_pipelined_writes_of_one_field_in_one_batch_build_on_each_other(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    key = str(visit.id)
    saved = await asyncio.gather(
        *(
            group_write(key, save, questionnaire, resident, "name", "A" * n, n - 1)
            for n in (1, 2, 3)
        )
    )
    assert [a.version for a in saved] == [1, 2, 3]
    assert await stored() == {"name": ("AAA", 3)}


def broken_write() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")  # a database error: the transaction is aborted here


async def test_a_failing_write_does_not_fail_the_others(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    key = str(visit.id)
    ids: list[int] = []

    def save_and_note(question: str, value: Any) -> Answer:
        ids.append(transaction_id())
        return save(questionnaire, resident, question, value, 0)

    results = await asyncio.gather(
        group_write(key, save_and_note, "name", "Amina"),
        group_write(key, broken_write),
        group_write(key, save, questionnaire, resident, "household", "not a number", 0),
        group_write(key, save_and_note, "remarks", "Graag snel"),
        return_exceptions=True,
    )
    assert isinstance(results[0], Answer)
    assert "division by zero" in str(results[1])
    assert isinstance(results[2], services.AnswerInvalid) and results[2].code == "type"
    assert isinstance(results[3], Answer)
    assert len(ids) == 2 and ids[0] == ids[1]  # still one transaction: a savepoint per write
    assert await stored() == {"name": ("Amina", 1), "remarks": ("Graag snel", 1)}


def orphan_answer() -> None:
    # PostgreSQL checks Django's foreign keys at COMMIT (deferred): the whole batch fails there
    Answer.objects.create(questionnaire_id=uuid.uuid4(), question_id="name", value="x")


async def test_a_failed_commit_tries_each_write_again_alone(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    key = str(visit.id)
    results = await asyncio.gather(
        group_write(key, save, questionnaire, resident, "name", "Amina", 0),
        group_write(key, orphan_answer),
        group_write(key, save, questionnaire, resident, "household", 2, 0),
        return_exceptions=True,
    )
    assert isinstance(results[0], Answer) and results[0].version == 1
    assert isinstance(results[1], IntegrityError)
    assert isinstance(results[2], Answer) and results[2].version == 1
    assert await stored() == {"name": ("Amina", 1), "household": (2, 1)}
    # the failed batch's echoes were dropped with it; each write was echoed once, after its commit
    assert sorted(m["frame"]["question"] for m in listener.receive(2)) == ["household", "name"]
    assert listener.nothing_more()


async def test_nobody_is_answered_before_the_commit(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    def slow() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")

    key = str(visit.id)
    fast = asyncio.ensure_future(group_write(key, save, questionnaire, resident, "name", "A", 0))
    later = asyncio.ensure_future(group_write(key, slow))
    done, _ = await asyncio.wait([fast], timeout=0.4)
    assert not done  # saved, but the transaction holding it has not committed yet
    assert await stored() == {}  # and nobody else can see it either
    await asyncio.gather(fast, later)
    assert await stored() == {"name": ("A", 1)}


async def test_a_caller_that_stops_waiting_does_not_stop_its_write(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    key = str(visit.id)
    task = asyncio.ensure_future(group_write(key, save, questionnaire, resident, "name", "A", 0))
    await asyncio.sleep(0.01)
    task.cancel()  # the socket closed while its write waited for the batch
    others = await group_write(key, save, questionnaire, resident, "household", 2, 0)
    assert others.version == 1
    assert await stored() == {"name": ("A", 1), "household": (2, 1)}
