"""Group commit of the live questionnaire's keystrokes (rooms/group_commit.py with
questionnaires/answer_batch.py), on the real database: writes that arrive together share one
transaction, each keeps its own outcome (a conflict or a failure stays its own), and nobody is
answered before the commit that holds their write.

They need PostgreSQL: transaction ids, and the errors it raises where SQLite stores anything."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import DataError, connection

from tests import factories
from tests.helpers import GroupListener
from videocontact.accounts.models import Process, User
from videocontact.questionnaires import services
from videocontact.questionnaires.answer_batch import AnswerWrite, NoQuestionnaire, answers_save
from videocontact.questionnaires.models import Answer, Questionnaire
from videocontact.rooms import events
from videocontact.rooms.group_commit import group_write
from videocontact.visits.models import Participant, ParticipantRole, Visit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture(autouse=True)
def _window(settings: Any) -> None:
    settings.ROOM_GROUP_COMMIT_MS = 100  # generous: a loaded machine must not split a batch


def transaction_ids(items: list[int]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        (txid,) = cursor.fetchone()
    return [txid for _ in items]


@database_sync_to_async
def stored() -> dict[str, tuple[Any, int]]:
    return {a.question_id: (a.value, a.version) for a in Answer.objects.all()}


def write(visit: Visit, who: Participant, question: str, value: Any, base: int) -> Any:
    return group_write(answers_save, AnswerWrite(visit.id, who, question, value, base))


def echoes(listener: GroupListener, count: int) -> list[tuple[str, Any, int]]:
    frames = [m["frame"] for m in listener.receive(count)]
    assert all(f["type"] == "form-answer" for f in frames)
    return [(f["question"], f["value"], f["version"]) for f in frames]


async def test_writes_that_arrive_together_share_one_transaction() -> None:
    ids = await asyncio.gather(*(group_write(transaction_ids, n) for n in range(5)))
    assert len(set(ids)) == 1, ids


async def test_a_conflict_inside_a_batch_is_that_write_alone(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    first, second, other = await asyncio.gather(
        write(visit, resident, "name", "Amina", 0),
        write(visit, resident, "name", "Other tab", 0),
        write(visit, resident, "household", 2, 0),
        return_exceptions=True,
    )
    # in order of arrival: the first write of version 0 wins, the second is a conflict
    assert isinstance(first, Answer) and (first.value, first.version) == ("Amina", 1)
    assert isinstance(second, services.AnswerConflict) and second.code == "conflict"
    assert (second.answer.value, second.answer.version) == ("Amina", 1)
    assert isinstance(other, Answer) and other.version == 1
    assert await stored() == {"name": ("Amina", 1), "household": (2, 1)}
    assert echoes(listener, 2) == [("name", "Amina", 1), ("household", 2, 1)]
    assert listener.nothing_more()  # nothing for the conflicting write


async def test_a_first_write_must_be_based_on_version_0(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    with pytest.raises(services.AnswerConflict) as caught:
        await write(visit, resident, "name", "Amina", 1)
    assert (caught.value.answer.value, caught.value.answer.version) == (None, 0)
    assert await stored() == {}


async def test_pipelined_writes_of_one_field_in_one_batch_build_on_each_other(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    await write(visit, resident, "name", "A", 0)  # an answer that is stored already
    listener = GroupListener(events.visit_group(visit.id))
    saved = await asyncio.gather(
        *(write(visit, resident, "name", "A" * n, n - 1) for n in (2, 3, 4)),
        write(visit, resident, "benefits", ["child_budget", "rent_allowance"], 0),
    )
    assert [a.version for a in saved] == [2, 3, 4, 1]
    assert await stored() == {
        "name": ("AAAA", 4),
        "benefits": (["rent_allowance", "child_budget"], 1),
    }
    assert echoes(listener, 4)[:3] == [("name", "AA", 2), ("name", "AAA", 3), ("name", "AAAA", 4)]


@pytest.fixture
def others(
    visit: Visit, process: Process, caseworker: User
) -> tuple[Participant, Visit, Participant]:
    """The visit's caseworker, and another visit (no questionnaire started) with its resident."""
    staff = visit.participants.get(role=ParticipantRole.CASEWORKER)
    other_visit, _ = factories.make_visit(process=process, caseworker=caseworker)
    return staff, other_visit, other_visit.participants.get(role=ParticipantRole.RESIDENT)


async def test_who_may_answer_and_what_stays_as_answer_save_has_it(
    visit: Visit,
    questionnaire: Questionnaire,
    resident: Participant,
    others: tuple[Participant, Visit, Participant],
) -> None:
    staff, other_visit, other_resident = others
    results = await asyncio.gather(
        write(visit, staff, "name", "Sanne", 0),
        write(other_visit, other_resident, "name", "Amina", 0),  # not started there
        write(visit, resident, "intro", "x", 0),  # an info block takes no answer
        write(visit, resident, "household", "two", 0),
        write(visit, resident, "name", "Amina", 0),
        return_exceptions=True,
    )
    assert isinstance(results[0], services.NotAllowedToAnswer)
    assert isinstance(results[1], NoQuestionnaire)
    assert isinstance(results[2], services.AnswerInvalid) and results[2].code == "not_answerable"
    assert isinstance(results[3], services.AnswerInvalid) and results[3].code == "type"
    assert isinstance(results[4], Answer)
    assert await stored() == {"name": ("Amina", 1)}


async def test_a_failing_write_does_not_fail_the_others(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    listener = GroupListener(events.visit_group(visit.id))
    results = await asyncio.gather(
        write(visit, resident, "name", "Amina", 0),
        write(visit, resident, "remarks", "a NUL \x00 PostgreSQL will not store", 0),
        write(visit, resident, "household", 2, 0),
        return_exceptions=True,
    )
    assert isinstance(results[0], Answer) and results[0].version == 1
    assert isinstance(results[1], DataError)  # the batch failed; each was tried again alone
    assert isinstance(results[2], Answer) and results[2].version == 1
    assert await stored() == {"name": ("Amina", 1), "household": (2, 1)}
    # the failed batch's echoes went with it: each saved answer is echoed once, after its commit
    assert sorted(echoes(listener, 2)) == [("household", 2, 1), ("name", "Amina", 1)]
    assert listener.nothing_more()


def slow_answers(writes: list[AnswerWrite]) -> list[Any]:
    outcomes = answers_save(writes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.5)")  # the batch's transaction is still open
    return outcomes


async def test_nobody_is_answered_before_the_commit(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    item = AnswerWrite(visit.id, resident, "name", "Amina", 0)
    task = asyncio.ensure_future(group_write(slow_answers, item))
    done, _ = await asyncio.wait([task], timeout=0.4)
    assert not done  # written, but the transaction holding it has not committed
    assert await stored() == {}  # so nobody else sees it either
    assert (await task).version == 1
    assert await stored() == {"name": ("Amina", 1)}


async def test_a_caller_that_stops_waiting_does_not_stop_its_write(
    visit: Visit, questionnaire: Questionnaire, resident: Participant
) -> None:
    task = asyncio.ensure_future(write(visit, resident, "name", "Amina", 0))
    await asyncio.sleep(0.01)
    task.cancel()  # the socket closed while its write waited for the batch
    assert (await write(visit, resident, "household", 2, 0)).version == 1
    assert await stored() == {"name": ("Amina", 1), "household": (2, 1)}
