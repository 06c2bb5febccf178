"""Bring a database up to this release's schema: the declared tables, then numbered migrations.

The schema version is SQLite's ``PRAGMA user_version`` (also written to
``citetrace_meta.schema_version`` for SQL users). Opening a database (``ensure_schema``):

1. a version above :data:`SCHEMA_VERSION` is refused (written by a newer citetrace);
2. whatever the declared schema (:data:`db.schema.SCHEMA`) has and the file lacks is created:
   tables, columns, indexes, full-text indexes, triggers, changed views. Adding a table or a
   column is therefore only a declaration, with no migration;
3. each migration numbered above the file's version runs, in order: what declarations cannot
   say (filling a new column from old ones, moving data). Then the version is advanced.

Steps 2-3 are one transaction: a failing migration leaves the file as it was. A database
already up to date is only read (no write lock): many reviewers may open it at once.

To change the schema: add the table or column to its declaration; if existing rows need new
values, append a :class:`Migration` with the next number (never renumber or edit a released
one) and test it on ``tests/data/release-1.db``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from citetrace.db import ddl, note_sources, source_stats
from citetrace.db.errors import SchemaError
from citetrace.db.schema import SCHEMA


@dataclass(frozen=True)
class Migration:
    version: int  # the schema version the database has once this has run
    summary: str
    run: Callable[[sqlite3.Connection], None] | None = None  # data changes; None: none needed


MIGRATIONS = (
    Migration(1, "Every release before version 2 wrote 1, whatever its tables (they were "
              "added in place), so a version-1 database may lack any table, column, index or "
              "view added since: the declared schema adds them."),
    Migration(2, "Versions are read: from here on a database's version says which migrations "
              "it has had. No data to change."),
    Migration(3, "Short forms are resolved once and stored: note_sources (which sources each "
              "note cites, directly or through an Ibid./supra) is filled from the citations.",
              note_sources.fill),
    Migration(4, "The list of sources is stored: each source's readable title, its citing "
              "notes and documents and the full citation a short form abbreviates (sources), "
              "and the titles its notes give it (source_title_votes), from the citations.",
              source_stats.fill),
    Migration(5, "Every column referring to another table's id has an index (the declared "
              "schema creates them): a re-ingest or removal of one document no longer reads "
              "whole tables for each row it deletes. No data to change."),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def _conn(db: sqlite_utils.Database | sqlite3.Connection) -> sqlite3.Connection:
    return db.conn if isinstance(db, sqlite_utils.Database) else db


def _file(conn: sqlite3.Connection) -> str:
    return conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"


def schema_version(conn: sqlite3.Connection, latest: int = SCHEMA_VERSION) -> int:
    """The database's version; one above ``latest`` is refused."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > latest:
        raise SchemaError(f"{_file(conn)}: schema version {version} is newer than this "
                          f"citetrace knows ({latest}): upgrade citetrace to open it")
    return version


def ensure_schema(db: sqlite_utils.Database | sqlite3.Connection, schema: ddl.Schema = SCHEMA,
                  migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Create or upgrade the citetrace schema in ``db`` (see the module doc); returns the
    version it had. Safe to call from several processes at once."""
    conn = _conn(db)
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    latest = migrations[-1].version
    if schema_version(conn, latest) == latest and not ddl.missing(conn, schema):
        return latest
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn, latest)  # again: another process may have upgraded it
        ddl.apply(conn, ddl.missing(conn, schema))
        for m in migrations:
            if m.version > version and m.run:
                m.run(conn)
        conn.execute("insert or replace into citetrace_meta (key, value) "
                     "values ('schema_version', ?)", [str(latest)])
        conn.execute(f"PRAGMA user_version = {int(latest)}")
    except BaseException:
        if conn.in_transaction:  # SQLite rolls back by itself on a full disk: no second error
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return version
