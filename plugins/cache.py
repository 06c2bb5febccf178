"""Rendered HTML of a database snapshot, kept per Datasette instance: the reader's passages
and notes, and search results (the costly parts of those pages, the same for every visitor
until the data changes).

Invalidation: any commit to a database (a re-ingest, an annotation, a link check; from this
process or another) drops every entry of that database. SQLite's ``PRAGMA data_version``
changes, on a connection, when another connection has committed since it was last asked; each
read connection reports it with the request (:func:`data_version`) and the cache compares it
with what that connection showed the previous time. A connection seen for the first time
also drops the entries (nothing is known about what it missed).

Entries are bounded by their total size (characters) and evicted least recently used first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_CHARS = 64 * 1024 * 1024
ATTRIBUTE = "_citetrace_snapshot_cache"


def data_version(conn) -> tuple[int, int]:
    """(connection id, data_version): run it in ``execute_fn``, with the reads it guards."""
    return id(conn), conn.execute("pragma data_version").fetchone()[0]


class SizedLRU:
    """Least recently used entries, bounded by their total size (measured by the caller);
    thread-safe. Also the page images' cache (plugins/pages.py)."""

    def __init__(self, max_size: int):
        self.max_size = max_size
        self._items: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[0]

    def put(self, key, value, size: int) -> None:
        if size > self.max_size:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.max_size:
                self._size -= self._items.popitem(last=False)[1][1]

    def discard(self, keep) -> None:
        """Drop every entry whose key ``keep(key)`` refuses."""
        with self._lock:
            for key in [k for k in self._items if not keep(k)]:
                self._size -= self._items.pop(key)[1]

    def clear(self) -> None:
        self.discard(lambda key: False)

    def __len__(self) -> int:
        return len(self._items)


class SnapshotCache:
    """Entries per (database, key), dropped by :meth:`observe` when the database changed.
    Called on the event loop thread only (never inside ``execute_fn``)."""

    def __init__(self, max_chars: int = MAX_CHARS):
        self._lru = SizedLRU(max_chars)
        self._seen: dict[tuple, int] = {}  # (database, connection id) -> data_version
        self._generation: dict[str, int] = {}

    @property
    def hits(self) -> int:
        return self._lru.hits

    def observe(self, database: str, seen: tuple[int, int]) -> int:
        """Record what a read connection saw (:func:`data_version`); a change drops the
        database's entries. Returns the generation to hand back to :meth:`put`."""
        conn_id, version = seen
        if self._seen.get((database, conn_id)) != version:
            self._seen[(database, conn_id)] = version
            self.drop(database)
        return self._generation.get(database, 0)

    def drop(self, database: str) -> None:
        self._generation[database] = self._generation.get(database, 0) + 1
        self._lru.discard(lambda key: key[0] != database)

    def get(self, database: str, key):
        return self._lru.get((database, key))

    def put(self, database: str, key, value, size: int, generation: int) -> None:
        """Store ``value`` read at ``generation``; dropped if the data changed since."""
        if generation == self._generation.get(database, 0):
            self._lru.put((database, key), value, size)

    def __len__(self) -> int:
        return len(self._lru)


def snapshot_cache(datasette) -> SnapshotCache:
    """The cache of this Datasette instance (made on first use; held by the instance)."""
    cache = getattr(datasette, ATTRIBUTE, None)
    if cache is None:
        cache = SnapshotCache()
        setattr(datasette, ATTRIBUTE, cache)
    return cache
