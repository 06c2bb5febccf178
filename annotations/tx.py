"""Transactions and clocks shared by the annotation modules.

Annotation writes come from many places at once (CLI processes, Datasette's write thread,
``write_document`` during a re-ingest), so every write is one short ``BEGIN IMMEDIATE``
transaction that waits for the lock (busy timeout) instead of failing, or a savepoint when
the caller already holds a transaction (the re-ingest: annotations move with the rows).
"""

from __future__ import annotations

import secrets
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone

BUSY_TIMEOUT_MS = 60_000


def conn_of(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def now() -> str:
    """xsd:dateTime in UTC with milliseconds, as in W3C examples: 2026-05-09T10:00:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@contextmanager
def transaction(conn: sqlite3.Connection):
    """One write transaction, or a savepoint inside the caller's."""
    if conn.in_transaction:
        name = f"ann_{secrets.token_hex(6)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # IMMEDIATE takes the write lock up front: a deferred transaction that reads first and
    # writes later can fail with SQLITE_BUSY without waiting when another writer got in.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
