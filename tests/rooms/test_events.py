from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from tests.helpers import GroupListener
from videocontact.rooms import events


def test_group_names_are_valid_channel_group_names() -> None:
    some_id = uuid.uuid4()
    names = [
        events.visit_group(some_id),
        events.staff_group(some_id),
        events.participant_group(some_id),
        events.peer_group(some_id),
    ]
    assert len(set(names)) == 4
    for name in names:
        assert len(name) < 100
        assert all(c.isalnum() or c in "-_." for c in name)


def test_frame_event() -> None:
    assert events.frame_event({"type": "pong"}) == {"type": "room.frame", "frame": {"type": "pong"}}


@pytest.mark.django_db(transaction=True)
def test_publish_on_commit_sends_after_commit_and_builds_lazily() -> None:
    listener = GroupListener("g-test")
    state = {"value": "before"}
    with transaction.atomic():
        events.publish_on_commit("g-test", lambda: {"type": "x", "value": state["value"]})
        state["value"] = "after"
        assert listener.nothing_more()
    assert listener.receive(1) == [{"type": "x", "value": "after"}]


@pytest.mark.django_db(transaction=True)
def test_publish_on_commit_drops_on_rollback() -> None:
    listener = GroupListener("g-test")
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish_on_commit("g-test", {"type": "x"})
        raise RuntimeError("rollback")
    assert listener.nothing_more()
