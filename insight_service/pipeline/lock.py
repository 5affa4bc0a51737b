"""The pipeline's mutual exclusion: a PostgreSQL *session* advisory lock.

Held on a connection kept open for the whole run, so it is released when the run ends, when
the process dies or when its connection drops - never left behind like a lock file or a
`running` row would be. Advisory locks are per database, so each warehouse has its own.
"""
from __future__ import annotations

import contextlib
import hashlib

import psycopg


def _key(name: str) -> int:
    """A stable signed 64-bit key for a lock name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


REFRESH_LOCK = _key("insight_service.pipeline.refresh")
SCHEDULER_LOCK = _key("insight_service.pipeline.scheduler")


class AdvisoryLock:
    """``try_acquire()`` once; ``release()`` (or closing the connection) frees it."""

    def __init__(self, conn: psycopg.Connection, key: int = REFRESH_LOCK):
        self.conn = conn
        self.key = key
        self.held = False

    def try_acquire(self) -> bool:
        self.held = bool(self.conn.execute("select pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0])
        return self.held

    def release(self) -> None:
        if self.held and not self.conn.closed:
            # the connection may be going away: the server drops the lock with it
            with contextlib.suppress(psycopg.Error):
                self.conn.execute("select pg_advisory_unlock(%s)", (self.key,))
        self.held = False
