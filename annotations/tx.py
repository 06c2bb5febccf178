"""Transactions and clocks shared by the annotation modules.

Annotation writes come from many places at once (CLI processes, Datasette's write thread,
``write_document`` during a re-ingest), so every write is one short ``BEGIN IMMEDIATE``
transaction that waits for the lock (busy timeout, then retries) for at most
WRITE_WAIT_SECONDS, or a savepoint when the caller already holds a transaction (the
re-ingest: annotations move with the rows). A write that could not get the lock in time is
not made at all and says so (:class:`~annotations.model.DatabaseBusy`), never a traceback.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone

from citetrace.annotations.model import DatabaseBusy, DiskFull

# An ingest holds the lock while it writes a document and re-anchors its annotations
# (annotations.anchor.REANCHOR_SECONDS): a reviewer waits well past that, then is told.
WRITE_WAIT_SECONDS = 30.0
BUSY_TIMEOUT_MS = int(WRITE_WAIT_SECONDS * 1000)
_RETRY_PAUSE = 0.05  # between two attempts when SQLite answers "busy" without waiting


def conn_of(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def now() -> str:
    """xsd:dateTime in UTC with milliseconds, as in W3C examples: 2026-05-09T10:00:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _busy(e: sqlite3.OperationalError) -> bool:
    return "locked" in str(e) or "busy" in str(e)


def _full(e: BaseException) -> bool:
    # SQLITE_FULL: the disk or the filesystem's quota (or PRAGMA max_page_count) is reached
    return isinstance(e, sqlite3.OperationalError) and "database or disk is full" in str(e)


def _until(conn: sqlite3.Connection, sql: str, deadline: float, wait: float) -> None:
    """Run ``sql`` (BEGIN / COMMIT), retrying while the database is busy, up to ``deadline``."""
    while True:
        left = deadline - time.monotonic()
        conn.execute(f"PRAGMA busy_timeout = {max(1, int(left * 1000))}")
        try:
            conn.execute(sql)
            return
        except sqlite3.OperationalError as e:
            if _full(e):
                raise DiskFull() from e
            if not _busy(e):
                raise
            if time.monotonic() + _RETRY_PAUSE >= deadline:
                raise DatabaseBusy(wait) from e
        time.sleep(_RETRY_PAUSE)


@contextmanager
def transaction(conn: sqlite3.Connection):
    """One write transaction, or a savepoint inside the caller's."""
    if conn.in_transaction:
        name = f"ann_{secrets.token_hex(6)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException as e:
            if conn.in_transaction:  # SQLite may have rolled the whole transaction back (full)
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            if _full(e):
                raise DiskFull() from e
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    wait = WRITE_WAIT_SECONDS
    deadline = time.monotonic() + wait
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads first and
    # writes later can fail with SQLITE_BUSY without waiting when another writer got in.
    _until(conn, "BEGIN IMMEDIATE", deadline, wait)
    try:
        yield conn
        _until(conn, "COMMIT", deadline, wait)  # a rollback journal's commit waits for readers
    except BaseException as e:
        if conn.in_transaction:  # after SQLITE_FULL SQLite may have rolled back already
            conn.execute("ROLLBACK")
        if _full(e):
            raise DiskFull() from e
        if isinstance(e, sqlite3.OperationalError) and _busy(e):
            raise DatabaseBusy(wait) from e
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
