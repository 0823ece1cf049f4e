"""Group commit: small writes that arrive within a few milliseconds share one transaction.

Every keystroke of a resident's answer is a write. One transaction each meant one commit (a WAL
flush) and half a dozen round trips each, in as many database threads: at 500 rooms PostgreSQL
fell seconds behind, and the threads' ORM work starved the event loop that relays the calls'
signalling (docs/performance.md). Here a process collects the writes of one kind that arrive
while it waits (at most `ROOM_GROUP_COMMIT_MS` after the first, or `ROOM_GROUP_COMMIT_MAX`
writes) and hands them, in order of arrival, to that kind's batch function, which does them in a
few queries for the whole batch; it runs in ONE transaction, in one database thread.

- The batch function returns one outcome per write, in order: its result, or the exception its
  caller gets (a conflict, an invalid answer); those are settled in memory, per write.
- The callers get their outcomes only after the commit, and what the writes publish
  (`events.publish_on_commit`) is sent only after it: nothing is reported saved before it is
  durable.
- If the transaction fails (a database error in one write, a deadlock, the connection lost),
  nothing of the batch was saved: each write is done again alone, in a transaction of its own,
  so one failing write does not fail the others.
- One batch at a time per process and kind: while one commits, the next collects (under load
  batches grow by themselves), and the order of arrival is the order of the writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import structlog
from django.conf import settings
from django.db import transaction

from videocontact.rooms.frames import db_run

log = structlog.get_logger("rooms")

I = TypeVar("I")  # noqa: E741 (an item)
# One outcome per item, in order: a result, or an exception to raise in the item's caller.
BatchFunction = Callable[[list[I]], list[Any]]


def commit_batch(batch_fn: BatchFunction[I], items: list[I]) -> list[Any]:
    """Synchronous (a database thread): the batch in one transaction; if that fails, each item
    alone."""
    outcomes: list[Any] = []
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic():
            transaction.on_commit(mark_committed)  # the first callback: runs right after COMMIT
            outcomes = batch_fn(items)
    except Exception as exc:
        if committed:  # an after-commit callback failed: the writes are saved all the same
            log.warning("room.after_commit_failed", error=type(exc).__name__)
            return outcomes
        if len(items) == 1:
            return [exc]
        log.warning("room.group_commit_failed", writes=len(items), error=type(exc).__name__)
        return [commit_batch(batch_fn, [item])[0] for item in items]
    if len(outcomes) != len(items):
        raise RuntimeError(f"{batch_fn.__qualname__} returned {len(outcomes)} outcomes")
    return outcomes


@dataclass
class _Write(Generic[I]):
    item: I
    future: asyncio.Future[Any]
    arrived: float


class GroupCommit(Generic[I]):
    """The writer of one kind of write in one event loop (one per server process)."""

    def __init__(self, batch_fn: BatchFunction[I], window: float, max_batch: int) -> None:
        self.batch_fn = batch_fn
        self.window = window
        self.max_batch = max(1, max_batch)
        self.pending: list[_Write[I]] = []
        self.full = asyncio.Event()
        self.flusher: asyncio.Task[None] | None = None

    async def submit(self, item: I) -> Any:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        future.add_done_callback(_retrieve)  # no warning when the caller stopped waiting
        self.pending.append(_Write(item, future, loop.time()))
        if len(self.pending) >= self.max_batch:
            self.full.set()
        if self.flusher is None or self.flusher.done():
            self.flusher = loop.create_task(self.flush())
        # The write goes on even if its caller stops waiting (the socket closed): shielded.
        return await asyncio.shield(future)

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
                outcomes = await db_run(commit_batch, self.batch_fn, [w.item for w in batch])
            except asyncio.CancelledError:  # the loop is closing: nobody will be answered
                for write in batch + self.pending:
                    write.future.cancel()
                raise
            except Exception as exc:  # the database thread could not run it
                outcomes = [exc] * len(batch)
            for write, outcome in zip(batch, outcomes, strict=True):
                if write.future.done():
                    continue
                if isinstance(outcome, Exception):
                    write.future.set_exception(outcome)
                else:
                    write.future.set_result(outcome)


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


_writers: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[Callable[..., Any], GroupCommit[Any]]
] = weakref.WeakKeyDictionary()


async def group_write(batch_fn: BatchFunction[I], item: I) -> Any:
    """Do `item` in this process's next batch of `batch_fn` (synchronous ORM code, called with
    the items in order of arrival inside the batch's transaction); returns the item's outcome
    (or raises it) once that transaction has committed."""
    loop = asyncio.get_running_loop()
    writers = _writers.setdefault(loop, {})
    writer = writers.get(batch_fn)
    if writer is None:
        window = settings.ROOM_GROUP_COMMIT_MS / 1000
        writer = writers[batch_fn] = GroupCommit(batch_fn, window, settings.ROOM_GROUP_COMMIT_MAX)
    return await writer.submit(item)
