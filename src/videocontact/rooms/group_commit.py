"""Group commit: small writes that arrive within a few milliseconds share one transaction.

Every keystroke of a resident's answer is a write. One transaction each meant one commit (a WAL
flush) each, and a database thread each: at 500 rooms PostgreSQL fell seconds behind and the
threads' ORM work starved the event loop that relays the calls' signalling (docs/performance.md).
Here a process collects the writes that arrive while it waits (at most `ROOM_GROUP_COMMIT_MS`
after the first, or `ROOM_GROUP_COMMIT_MAX` writes) and runs them in ONE transaction, one after
the other, in one database thread:

- each write runs in a savepoint of its own: one that fails (a conflict, an invalid answer, a
  database error) is rolled back alone and its caller gets its exception; the others go on;
- the callers get their results only after the commit, and what a write publishes
  (`events.publish_on_commit`) is sent only after it: nothing is reported saved before it is
  durable (the publishes of a write rolled back to its savepoint are dropped, as Django does);
- the writes run sorted by their key (stable: writes with the same key keep their order of
  arrival), so two processes' batches take their row locks in the same order (no deadlock);
- if the commit itself fails (a deadlock, the connection lost), nothing of the batch was saved
  and each write is tried again alone, in a transaction of its own;
- one batch at a time per process: while one commits, the next collects (so under load batches
  grow by themselves), and one socket's writes (its lane waits for each) stay in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog
from django.conf import settings
from django.db import transaction

from videocontact.rooms.frames import db_run

log = structlog.get_logger("rooms")

T = TypeVar("T")


@dataclass
class _Write:
    key: str
    call: Callable[[], Any]
    future: asyncio.Future[Any]
    arrived: float


Outcome = tuple[bool, Any]  # (True, result) or (False, the exception)


def _alone(write: _Write) -> Outcome:
    try:
        with transaction.atomic():
            return True, write.call()
    except Exception as exc:
        return False, exc


def commit_batch(batch: list[_Write]) -> list[Outcome]:
    """Synchronous (a database thread): the batch in one transaction, each write in a savepoint."""
    outcomes: list[Outcome] = [(False, None)] * len(batch)
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            transaction.on_commit(mark_committed)  # the first callback: runs right after COMMIT
            for index in sorted(range(len(batch)), key=lambda i: batch[i].key):
                try:
                    with transaction.atomic():
                        outcomes[index] = (True, batch[index].call())
                except Exception as exc:
                    outcomes[index] = (False, exc)
    except Exception as exc:
        if committed:  # an after-commit callback failed: the writes are saved all the same
            log.warning("room.after_commit_failed", error=type(exc).__name__)
            return outcomes
        log.warning("room.group_commit_failed", writes=len(batch), error=type(exc).__name__)
        if len(batch) == 1:
            return [(False, exc)]
        order = sorted(range(len(batch)), key=lambda i: batch[i].key)
        for index in order:
            outcomes[index] = _alone(batch[index])
    return outcomes


class GroupCommit:
    """The writer of one event loop (one per server process)."""

    def __init__(self, window: float, max_batch: int) -> None:
        self.window = window
        self.max_batch = max(1, max_batch)
        self.pending: list[_Write] = []
        self.full = asyncio.Event()
        self.flusher: asyncio.Task[None] | None = None

    async def run(self, key: str, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        future.add_done_callback(_retrieve)  # no warning when the caller stopped waiting
        self.pending.append(_Write(key, lambda: fn(*args, **kwargs), future, loop.time()))
        if len(self.pending) >= self.max_batch:
            self.full.set()
        if self.flusher is None or self.flusher.done():
            self.flusher = loop.create_task(self.flush())
        # The write goes on even if the caller stops waiting (its socket closed): shield it.
        result: T = await asyncio.shield(future)
        return result

    async def flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self.pending:
            wait = self.pending[0].arrived + self.window - loop.time()
            if wait > 0 and len(self.pending) < self.max_batch:
                self.full.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.full.wait(), wait)
            batch = self.pending[: self.max_batch]
            del self.pending[: self.max_batch]
            try:
                outcomes = await db_run(commit_batch, batch)
            except asyncio.CancelledError:  # the loop is closing: nobody will be answered
                for write in batch + self.pending:
                    write.future.cancel()
                raise
            except Exception as exc:  # the thread could not run it
                outcomes = [(False, exc)] * len(batch)
            _settle(batch, outcomes)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


def _settle(batch: list[_Write], outcomes: list[Outcome]) -> None:
    for write, (ok, value) in zip(batch, outcomes, strict=True):
        if write.future.done():
            continue
        if ok:
            write.future.set_result(value)
        else:
            write.future.set_exception(value)


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommit] = (
    weakref.WeakKeyDictionary()
)


def writer() -> GroupCommit:
    loop = asyncio.get_running_loop()
    found = _writers.get(loop)
    if found is None:
        found = GroupCommit(settings.ROOM_GROUP_COMMIT_MS / 1000, settings.ROOM_GROUP_COMMIT_MAX)
        _writers[loop] = found
    return found


async def group_write(key: str, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run a small synchronous (ORM) write in this process's next group commit; returns its
    result (or raises its exception) once the transaction that holds it has committed. `key`
    orders the batch (the row the write locks first, e.g. its visit)."""
    return await writer().run(key, fn, *args, **kwargs)
