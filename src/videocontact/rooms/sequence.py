"""A counter that orders presence snapshots across threads and server processes.

Presence is read after each commit on whichever thread committed, so two snapshots can reach a
page in the wrong order (an older list last: a peer that is in the call seems gone, and its
connection is closed). Each snapshot takes the next number *before* it reads; a snapshot with a
higher number was read later and so sees every change an earlier one saw. The consumer passes on
only snapshots newer than the last it sent.
"""

from __future__ import annotations

import itertools
import threading
import time

from django.db import connection

SEQUENCE = "rooms_presence_seq"

# Without PostgreSQL (the embedded demo: one process) a process-wide counter does; it starts at
# the clock so a restarted process does not count from zero again.
_local = itertools.count(time.time_ns() // 1000)
_local_lock = threading.Lock()


def next_presence_seq() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [SEQUENCE])
            return int(cursor.fetchone()[0])
    with _local_lock:
        return next(_local)
