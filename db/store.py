"""Write a :class:`ingest.model.Document` into the database, in one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import sqlite_utils

from db.schema import ensure_schema
from ingest.model import Document

# Tables holding a document's extracted rows, children first (deletion order).
DOCUMENT_TABLES = ("claim_footnotes", "claims", "entities", "citations", "footnote_refs",
                   "footnotes", "passages", "pages")


def open_db(path: str) -> sqlite_utils.Database:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    ensure_schema(db)
    return db


def find_document(db: sqlite_utils.Database, sha256: str) -> dict | None:
    rows = list(db.query("select * from documents where sha256 = ?", [sha256]))
    return rows[0] if rows else None


def record_filename(db: sqlite_utils.Database, doc_id: int, filename: str) -> None:
    """Remember another name a known file was seen under (duplicates are one document)."""
    row = db["documents"].get(doc_id)
    names = json.loads(row["filenames"] or "[]")
    if filename not in names:
        names.append(filename)
        with db.conn:
            db["documents"].update(doc_id, {"filenames": json.dumps(names)})


def _delete_rows(db: sqlite_utils.Database, doc_id: int) -> None:
    db.execute(
        "delete from claim_footnotes where claim_id in (select id from claims where document_id = ?)",
        [doc_id],
    )
    db.execute(
        "delete from citations where footnote_id in (select id from footnotes where document_id = ?)",
        [doc_id],
    )
    for table in ("claims", "entities", "footnote_refs", "footnotes", "passages", "pages"):
        db.execute(f"delete from {table} where document_id = ?", [doc_id])


def _box(b) -> str | None:
    return json.dumps(list(b)) if b is not None else None


def _regions(regions) -> str:
    return json.dumps([{"page": r.page, "bbox": list(r.bbox)} for r in regions])


def write_document(db: sqlite_utils.Database, doc: Document, extractor_version: str) -> int:
    """Insert (or replace, for the same sha256) one document; returns its id.

    Everything happens in one transaction: on any error nothing of it is left.
    """
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        doc_id = _write(db, doc, extractor_version)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return doc_id


def _write(db: sqlite_utils.Database, doc: Document, extractor_version: str) -> int:
    existing = find_document(db, doc.sha256)
    row = {
        "sha256": doc.sha256,
        "filename": doc.filename,
        "title": doc.title,
        "page_count": doc.page_count,
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "extractor_version": extractor_version,
        "path": doc.path,
    }
    if existing:
        doc_id = existing["id"]
        names = json.loads(existing["filenames"] or "[]")
        if doc.filename not in names:
            names.append(doc.filename)
        row["filenames"] = json.dumps(names)
        _delete_rows(db, doc_id)
        db["documents"].update(doc_id, row)
    else:
        row["filenames"] = json.dumps([doc.filename])
        doc_id = db["documents"].insert(row).last_pk

    db["pages"].insert_all(
        {"document_id": doc_id, "page": p.page, "width": p.width, "height": p.height}
        for p in doc.pages
    )
    passage_ids = []
    for p in doc.passages:
        passage_ids.append(
            db["passages"].insert(
                {
                    "document_id": doc_id,
                    "seq": p.seq,
                    "page": p.page,
                    "kind": p.kind,
                    "text": p.text,
                    "bbox": _box(p.bbox),
                    "regions": _regions(p.regions),
                }
            ).last_pk
        )
    note_ids = []
    for i, n in enumerate(doc.footnotes):
        note_ids.append(
            db["footnotes"].insert(
                {
                    "document_id": doc_id,
                    "seq": i,
                    "label": n.label,
                    "page": n.page,
                    "kind": n.kind,
                    "text": n.text,
                    "bbox": _box(n.bbox),
                    "continues_on_page": n.continues_on_page,
                    "urls": json.dumps(n.urls),
                    "regions": _regions(n.regions),
                }
            ).last_pk
        )
    db["footnote_refs"].insert_all(
        {
            "document_id": doc_id,
            "passage_id": passage_ids[m.passage],
            "footnote_id": note_ids[m.note] if m.note is not None else None,
            "label": m.label,
            "page": m.page,
            "start": m.start,
            "end": m.end,
            "bbox": _box(m.bbox),
        }
        for m in doc.markers
    )
    for c in doc.citations:
        source_id = None
        if c.source_key:
            src = db["sources"]
            found = list(db.query("select id from sources where key = ?", [c.source_key]))
            if found:
                source_id = found[0]["id"]
            else:
                source_id = src.insert(
                    {"key": c.source_key, "url": c.url, "title": c.title,
                     "publisher": c.publisher or c.container, "kind": c.kind}
                ).last_pk
        db["citations"].insert(
            {
                "footnote_id": note_ids[c.note],
                "seq": c.seq,
                "text": c.text,
                "url": c.url,
                "archive_url": c.archive_url,
                "title": c.title,
                "authors": c.authors,
                "publisher": c.publisher,
                "date": c.date,
                "source_id": source_id,
                "kind": c.kind,
                "container": c.container,
                "place": c.place,
                "date_text": c.date_text,
                "doi": c.doi,
                "pages": c.pages,
                "signal": c.signal,
                "short_form": c.short_form,
                "refers_to_footnote_id": note_ids[c.refers_to] if c.refers_to is not None else None,
            }
        )
    name_ids: dict[tuple[str, str], int] = {}
    for e in doc.entities:
        key = (e.label, e.canonical)
        if key not in name_ids:
            found = list(db.query(
                "select id from entity_names where label = ? and name = ?", key))
            name_ids[key] = found[0]["id"] if found else db["entity_names"].insert(
                {"name": e.canonical, "label": e.label, "mentions": 0}).last_pk
    db["entities"].insert_all(
        {
            "document_id": doc_id,
            "passage_id": passage_ids[e.passage] if e.passage is not None else None,
            "footnote_id": note_ids[e.note] if e.note is not None else None,
            "start": e.start,
            "end": e.end,
            "text": e.text,
            "label": e.label,
            "entity_name_id": name_ids[(e.label, e.canonical)],
        }
        for e in doc.entities
    )
    for c in doc.claims:
        claim_id = db["claims"].insert(
            {
                "document_id": doc_id,
                "passage_id": passage_ids[c.passage],
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "kind": c.kind,
                "score": c.score,
                "reasons": json.dumps(c.reasons),
                "needs_source": int(c.needs_source),
            }
        ).last_pk
        db["claim_footnotes"].insert_all(
            ({"claim_id": claim_id, "footnote_id": note_ids[n]} for n in dict.fromkeys(c.notes)),
            ignore=True,
        )
    # Mention counts are derived: recount the names this document touches and any it dropped.
    db.execute(
        "update entity_names set mentions = "
        "(select count(*) from entities where entity_name_id = entity_names.id)"
    )
    return doc_id
