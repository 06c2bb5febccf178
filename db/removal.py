"""Which document a user means (``citetrace remove``), and what removing it would take away.

A document is named the ways a user knows it: its id (the home page, the reader's URL), a
file name it was ingested under or the path of that file (``documents.filename`` /
``filenames``, ``path``), or its sha256 (whole, or the first 8 or more hex digits, as `git`
abbreviates). A name that fits several documents (the same file name for two versions of a
report) is refused with their ids, never guessed: removing is not undone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from citetrace.db.store import DOCUMENT_TABLES, Removed, sole_sources

SHA256_PREFIX_MIN = 8  # hex digits: fewer would name many documents of a large collection
_ID_DIGITS = 16  # a longer run of digits is a sha256 prefix, not an id


@dataclass
class Found:
    """``name`` as the user gave it, and the documents it names (id, sha256, filename)."""

    name: str
    documents: list[tuple[int, str, str]]


def _is_sha256_prefix(text: str) -> bool:
    return len(text) >= SHA256_PREFIX_MIN and len(text) <= 64 and \
        all(c in "0123456789abcdef" for c in text.lower())


def find(conn: sqlite3.Connection, name: str) -> Found:
    """The documents ``name`` names: by id when it is a number, else by sha256 (prefix),
    file name or path, whichever match (one document matched several ways is one)."""
    text = name.strip()
    if text.isascii() and text.isdigit() and len(text) < _ID_DIGITS:
        rows = conn.execute("select id, sha256, filename from documents where id = ?",
                            [int(text)]).fetchall()
        return Found(name, rows)
    matched: dict[int, tuple[int, str, str]] = {}
    if _is_sha256_prefix(text):
        for row in conn.execute("select id, sha256, filename from documents where sha256 like ?",
                                [text.lower() + "%"]):
            matched[row[0]] = row
    base = Path(text).name
    resolved = str(Path(text).resolve())
    # filenames holds every name the same bytes were seen under (a JSON list)
    for row in conn.execute(
            "select id, sha256, filename from documents where filename = ? or path = ? "
            "or exists (select 1 from json_each(documents.filenames) where value = ?)",
            [base, resolved, base]):
        matched[row[0]] = row
    return Found(name, sorted(matched.values()))


def preview(conn: sqlite3.Connection, doc_id: int, going: list[int] = ()) -> Removed | None:
    """What :func:`db.store.remove_document` would take away, counted, nothing written (a
    read-only connection will do; tables an older release's file lacks count 0). ``going``:
    the documents removed before it in the same command, as if they were gone."""
    found = conn.execute("select id, sha256, filename from documents where id = ?",
                         [doc_id]).fetchone()
    if not found:
        return None
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    rows = {table: conn.execute(f"select count(*) from {table} where {where}", [doc_id]).fetchone()[0]
            if table in tables else 0 for table, where in DOCUMENT_TABLES.items()}
    annotations = conn.execute("select count(*) from annotations where document_sha256 = ?",
                               [found[1]]).fetchone()[0] if "annotations" in tables else 0
    counted = "citing_documents" in {r[1] for r in conn.execute("pragma table_info(sources)")}
    return Removed(*found, rows, annotations, sole_sources(conn, doc_id, going) if counted else 0)
