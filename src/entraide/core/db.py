"""Database helpers shared by the domain.

SQLite has one writer at a time. Its busy handler makes a waiting writer sleep and poll with a
growing back-off, so under load (many threads of one server writing at once) writers wait far
longer than the write itself takes: that was the fan-out benchmark's tail (bench/fanout.py).
Inside one process, writers therefore queue on a lock and go as soon as the previous one is
done; other processes (a cron command, a second server) still meet the busy timeout. On
PostgreSQL the row locks of the transaction do the job and this lock is not taken.
"""

import threading
from contextlib import nullcontext

from django.db import connection

_sqlite_writer = threading.Lock()


def serialised_writes():
    """Wrap a write transaction: ``with serialised_writes(), transaction.atomic(): ...``."""
    return _sqlite_writer if connection.vendor == "sqlite" else nullcontext()
