"""Which attached databases are citetrace databases (have the citetrace tables).

Datasette's ``get_metadata`` hook is synchronous and called often, so answers are cached
per ``Database`` object: a positive answer for good, a negative one for a few seconds (a
database being filled by ``citetrace ingest`` becomes a citetrace database later).
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from pathlib import Path

from citetrace.plugins import queries

NEGATIVE_TTL = 5.0

_cache: "weakref.WeakKeyDictionary[object, tuple[bool, float]]" = weakref.WeakKeyDictionary()


def _remember(db, value: bool) -> bool:
    try:
        _cache[db] = (value, time.monotonic())
    except TypeError:  # not weak-referenceable: just don't cache
        pass
    return value


def _cached(db) -> bool | None:
    try:
        hit = _cache.get(db)
    except TypeError:
        return None
    if hit is None:
        return None
    value, when = hit
    if value or time.monotonic() - when < NEGATIVE_TTL:
        return value
    return None


async def is_citetrace_db(db) -> bool:
    """Async check through Datasette's own connection (works for in-memory databases)."""
    if db.name == "_internal":
        return False
    hit = _cached(db)
    if hit is not None:
        return hit
    try:
        value = await db.execute_fn(queries.is_citetrace)
    except Exception:
        value = False
    return _remember(db, value)


def is_citetrace_db_sync(db) -> bool:
    """Sync check for hooks that cannot await: opens the file read-only (file databases)."""
    if db.name == "_internal":
        return False
    hit = _cached(db)
    if hit is not None:
        return hit
    if db.is_memory or not db.path:
        return False  # only known once the async check ran (startup, pages, queries)
    try:
        uri = Path(db.path).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=1)
        try:
            value = queries.is_citetrace(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return _remember(db, value)


def citetrace_database_names(datasette) -> list[str]:
    return [name for name, db in datasette.databases.items() if is_citetrace_db_sync(db)]
