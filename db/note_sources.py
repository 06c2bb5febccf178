"""Which sources each note cites, resolved once and stored (table ``note_sources``).

A note cites a source directly (its citation has ``source_id``), or through a short form
(Ibid., Id., supra, hereinafter) whose citation has no source of its own but refers back to
an earlier note (``citations.refers_to_footnote_id``): then every source that note cites.
Ingest resolves the short forms (ingest.citations.resolve); this statement turns them into
note -> source links, for one document as it is written (db.store) and for every document of
a database written before the table existed (migration 3, db.migrate). Readers (the web
pages, the canned queries, the CLI trace) only read the table.
"""

from __future__ import annotations

import sqlite3

from citetrace.db import ddl
from citetrace.db.errors import SchemaError

# "+c.source_id": no index on it, so one document's rows are found from its notes (the index
# on source_id would read every short form of the collection).
_FILL = """
insert into note_sources (document_id, footnote_id, source_id, citation_id, via_footnote_id)
select f.document_id, c.footnote_id, c.source_id, c.id, null
from citations c join footnotes f on f.id = c.footnote_id
where c.source_id is not null {and_document}
union
select f.document_id, c.footnote_id, r.source_id, c.id, c.refers_to_footnote_id
from citations c join footnotes f on f.id = c.footnote_id
join citations r on r.footnote_id = c.refers_to_footnote_id
where +c.source_id is null and r.source_id is not null {and_document}
"""


def fill(conn: sqlite3.Connection, document_id: int | None = None) -> None:
    """Store the note -> source links of one document (its citations just written), or of
    every document when ``document_id`` is None."""
    if document_id is None:
        conn.execute(_FILL.format(and_document=""))
    else:
        conn.execute(_FILL.format(and_document="and f.document_id = :doc"),
                     {"doc": document_id})


def stored(conn: sqlite3.Connection) -> bool:
    """The database has the table (written or upgraded by a release that fills it)."""
    return ddl.exists(conn, "note_sources")


def require(conn: sqlite3.Connection) -> None:
    """Refuse, in one line naming the command that upgrades it, a database written before the
    table and not upgraded since (the web pages read a served file as it is)."""
    if not stored(conn):
        path = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        raise SchemaError(f"{path}: written before short forms were stored (table "
                          f"note_sources): upgrade it once with `citetrace upgrade --db {path}`")
