"""Annotation tables: created by ``db.schema.ensure_schema`` (one call at its end).

Like the rest of the schema these are a public interface: columns are only ever added.
There are deliberately no foreign keys to passages / footnotes / claims: those rows are
deleted and re-inserted on every re-ingest, and annotations must outlive them. Triggers make
``annotation_history`` append-only and refuse to delete annotations (deletion is a state).
"""

from __future__ import annotations

import sqlite3

ANNOTATION_COLUMNS = {
    "id": "INTEGER PRIMARY KEY",
    "uuid": "TEXT NOT NULL UNIQUE",  # W3C id is urn:uuid:<uuid>; stable across databases
    "document_sha256": "TEXT NOT NULL",  # the target's source: stable across re-ingests
    "document_id": "INTEGER",
    "target_kind": "TEXT NOT NULL",  # passage | note
    "exact": "TEXT NOT NULL",  # TextQuoteSelector
    "prefix": "TEXT",
    "suffix": "TEXT",
    "start": "INTEGER",  # TextPositionSelector on the current passage (stream) / note text
    "end": "INTEGER",
    "passage_id": "INTEGER",  # current ids, NULL when orphaned
    "end_passage_id": "INTEGER",
    "footnote_id": "INTEGER",
    "claim_id": "INTEGER",
    "source_id": "INTEGER",
    "anchor": "TEXT NOT NULL DEFAULT 'exact'",  # exact | fuzzy | orphaned
    "anchor_score": "REAL",
    "body": "TEXT",  # markdown, rendered with raw HTML disabled
    "motivation": "TEXT NOT NULL DEFAULT 'commenting'",
    "tags": "TEXT NOT NULL DEFAULT '[]'",  # JSON list of review verdicts
    "author": "TEXT",
    "assignee": "TEXT",
    "state": "TEXT NOT NULL DEFAULT 'open'",
    "created": "TEXT NOT NULL",
    "modified": "TEXT NOT NULL",
}

HISTORY_COLUMNS = {
    "id": "INTEGER PRIMARY KEY",
    "annotation_id": "INTEGER NOT NULL",
    "annotation_uuid": "TEXT NOT NULL",
    "at": "TEXT NOT NULL",
    "actor": "TEXT",
    "action": "TEXT NOT NULL",  # create | update | state | assign | reanchor | orphan | import
    "changes": "TEXT NOT NULL",  # JSON {column: [old, new]}
}

INDEXES = [
    "CREATE INDEX IF NOT EXISTS idx_annotations_document_sha256 ON annotations(document_sha256)",
    "CREATE INDEX IF NOT EXISTS idx_annotations_document_id ON annotations(document_id)",
    "CREATE INDEX IF NOT EXISTS idx_annotations_state ON annotations(state)",
    "CREATE INDEX IF NOT EXISTS idx_annotation_history_annotation_id "
    "ON annotation_history(annotation_id)",
]

TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS annotation_history_append_only_update
       BEFORE UPDATE ON annotation_history
       BEGIN SELECT RAISE(ABORT, 'annotation_history is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS annotation_history_append_only_delete
       BEFORE DELETE ON annotation_history
       BEGIN SELECT RAISE(ABORT, 'annotation_history is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS annotations_never_deleted
       BEFORE DELETE ON annotations
       BEGIN SELECT RAISE(ABORT, 'annotations are never deleted: set state = deleted'); END""",
]


def _conn(db) -> sqlite3.Connection:
    return db if isinstance(db, sqlite3.Connection) else db.conn


def _ensure_table(conn: sqlite3.Connection, name: str, columns: dict[str, str]) -> None:
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    conn.execute(f"CREATE TABLE IF NOT EXISTS {name} ({cols})")
    have = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
    for col, typ in columns.items():
        if col not in have:  # added in a later version: no constraints SQLite cannot add
            conn.execute(f'ALTER TABLE {name} ADD COLUMN "{col}" {typ.split()[0]}')


def annotation_tables_exist(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "select count(*) from sqlite_master where type = 'table' "
        "and name in ('annotations', 'annotation_history')").fetchone()[0] == 2


def ensure_annotation_schema(db) -> None:
    """Create the annotation tables, indexes and triggers (idempotent).

    ``db``: a ``sqlite_utils.Database`` or a ``sqlite3.Connection``.
    """
    conn = _conn(db)
    _ensure_table(conn, "annotations", ANNOTATION_COLUMNS)
    _ensure_table(conn, "annotation_history", HISTORY_COLUMNS)
    for sql in INDEXES + TRIGGERS:
        conn.execute(sql)
