"""Write a :class:`ingest.model.Document` into the database, in one transaction."""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils.db import jsonify_if_needed  # what sqlite-utils' own inserts store

from citetrace.annotations.anchor import orphan_document, reanchor
from citetrace.db import note_sources, source_stats
from citetrace.db.errors import SchemaError, StoreError, explained, reason
from citetrace.db.migrate import ensure_schema, schema_version
from citetrace.ingest.model import Document

# Tables holding a document's extracted rows, children first (deletion order), each with
# the condition that picks the document's rows.
_OF_DOCUMENT = "document_id = ?"
DOCUMENT_TABLES = {
    "note_sources": _OF_DOCUMENT,
    "inline_citations": _OF_DOCUMENT,
    "sentences": _OF_DOCUMENT,
    "claim_footnotes": "claim_id in (select id from claims where document_id = ?)",
    "claims": _OF_DOCUMENT,
    "entities": _OF_DOCUMENT,
    "citations": "footnote_id in (select id from footnotes where document_id = ?)",
    "footnote_refs": _OF_DOCUMENT,
    "footnotes": _OF_DOCUMENT,
    "passages": _OF_DOCUMENT,
    "pages": _OF_DOCUMENT,
    "furniture": _OF_DOCUMENT,
    "extraction_checks": _OF_DOCUMENT,
}


def open_db(path: str, allow_foreign: bool = False) -> sqlite_utils.Database:
    """The database at ``path``, created or brought up to this release's schema
    (:func:`db.migrate.ensure_schema`): how every writing command opens one. A file that
    exists is looked at read-only first: one that is not SQLite, from a newer release or
    (unless ``allow_foreign``) another program's SQLite database is refused in one line and
    left byte-identical."""
    if Path(path).is_file() and Path(path).stat().st_size:
        open_readonly(path, allow_foreign=allow_foreign or None).close()
    _check_writable(path)
    with explained(path):
        return _upgraded(sqlite3.connect(path, timeout=30, isolation_level=None))


def open_existing(path: str) -> sqlite_utils.Database:
    """The citetrace database at ``path``, brought up to this release's schema, opened once;
    any other file (another program's SQLite database, not SQLite at all, a newer
    release's, none at all) is refused in one line before anything is written to it."""
    _check_writable(path)
    conn = _citetrace(path, "rw", timeout=30, isolation_level=None)
    with explained(path):
        return _upgraded(conn)


def upgrade(path: str) -> int:
    """Bring the existing citetrace database at ``path`` up to this release's schema (refused
    in one line if it is not one); returns the version it had."""
    _check_writable(path)
    conn = _citetrace(path, "rw", timeout=30, isolation_level=None)
    try:
        with explained(path):
            return ensure_schema(conn)
    finally:
        conn.close()


def open_readonly(path: str, allow_foreign: bool | None = False) -> sqlite3.Connection:
    """A read-only connection to the citetrace database at ``path``: reading never changes
    the file (an older release's database is read as it is, never upgraded), and a file that
    is not one (or is from a newer release) is refused in one line
    (:class:`db.migrate.SchemaError`). ``allow_foreign``: None accepts a file with no tables
    at all (a new database), True any SQLite file."""
    return _citetrace(path, "ro", allow_foreign)


def _check_writable(path: str) -> None:
    # SQLite writes the file and a journal beside it: both must be writable ("unable to open
    # database file" or "attempt to write a readonly database" is all SQLite would say)
    if Path(path).exists() and not (os.access(path, os.W_OK)
                                    and os.access(Path(path).resolve().parent, os.W_OK)):
        raise StoreError(f"{path}: read-only (the file, its folder or its filesystem): "
                         "nothing was saved")


def _upgraded(conn: sqlite3.Connection) -> sqlite_utils.Database:
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def _connect(path: str, mode: str, **connect) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode={mode}", uri=True, **connect)
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as e:
        # A WAL database on a read-only filesystem (or in a read-only folder) cannot get its
        # -shm file; nothing can write there, so it may be read as immutable.
        if mode != "ro" or "unable to open" not in str(e) or not os.access(path, os.R_OK) or \
                os.access(Path(path).resolve().parent, os.W_OK):
            raise
    conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, **connect)
    conn.execute("select count(*) from sqlite_master").fetchone()
    return conn


def _citetrace(path: str, mode: str, allow_foreign: bool | None = False,
               **connect) -> sqlite3.Connection:
    """A connection (SQLite URI ``mode``: ro, rw) to an existing citetrace database this
    release can read; anything else refused in one line (:class:`db.migrate.SchemaError`)."""
    try:
        conn = _connect(path, mode, **connect)
    except sqlite3.DatabaseError as e:
        raise SchemaError(f"{path}: {reason(e)}") from None
    try:
        schema_version(conn)
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        if "documents" not in tables and not (allow_foreign or (allow_foreign is None and not tables)):
            hint = "" if allow_foreign is False else \
                "; `citetrace ingest --allow-foreign-db` adds citetrace's tables to it"
            raise SchemaError(f"{path}: not a citetrace database (it has no documents table){hint}")
    except BaseException:
        conn.close()
        raise
    return conn


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


def _delete_rows(db: sqlite_utils.Database, doc_id: int
                 ) -> tuple[dict[int, int], source_stats.Cited, dict[str, int]]:
    """Delete the document's extracted rows; returns the entity names they mentioned (name id
    -> mentions) and what their notes cited, for the shared rows' counts, and how many rows
    went from each table."""
    names = dict(db.conn.execute(
        "select entity_name_id, count(*) from entities where document_id = ? "
        "and entity_name_id is not null group by entity_name_id", [doc_id]))
    cited = source_stats.collect(db.conn, doc_id)
    deleted = {table: db.execute(f"delete from {table} where {rows_of_document}", [doc_id]).rowcount
               for table, rows_of_document in DOCUMENT_TABLES.items()}
    return names, cited, deleted


# Sources are shared rows and stay when the last document citing them goes (citing_documents
# 0): an annotation or a link check may name them, and the next document citing them finds them.
SOLE_SOURCES_SQL = """select count(*) from sources s
where s.id in (select c.source_id from citations c join footnotes f on f.id = c.footnote_id
               where f.document_id = :document)
  and s.citing_documents <= :going_count  -- first: the count below only for rarely cited ones
  and s.citing_documents = (
    select count(distinct f.document_id) from citations c join footnotes f on f.id = c.footnote_id
    where c.source_id = s.id and f.document_id in (select value from json_each(:going)))"""


def sole_sources(conn: sqlite3.Connection, doc_id: int, going: list[int] = ()) -> int:
    """How many sources the document's notes cite that no document but it and those of
    ``going`` (removed with it, not yet deleted: a dry run of several) cites."""
    going = sorted({doc_id, *going})
    return conn.execute(SOLE_SOURCES_SQL, {"document": doc_id, "going_count": len(going),
                                            "going": json.dumps(going)}).fetchone()[0]


@dataclass
class Removed:
    """What removing a document took away (or would: :func:`db.removal.preview`)."""

    id: int
    sha256: str
    filename: str
    rows: dict[str, int]  # table -> rows of the document, DOCUMENT_TABLES' order
    annotations: int  # annotations on it: kept, orphaned (they come back with its file)
    sole_sources: int  # sources only its notes cited (kept, cited by no document now)


def remove_document(db: sqlite_utils.Database, doc_id: int) -> Removed | None:
    """Delete a document and its extracted rows in one transaction, moving the counts of the
    names and sources it shared with others; None when there is no such document.
    Annotations stay, orphaned (:func:`annotations.anchor.orphan_document`: tied to the
    file's sha256, they are re-anchored if it is ingested again)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = conn.execute("select id, sha256, filename from documents where id = ?",
                             [doc_id]).fetchone()
        if found:
            sole = sole_sources(conn, doc_id)
            names, cited, deleted = _delete_rows(db, doc_id)
            conn.executemany("update entity_names set mentions = mentions - ? where id = ?",
                             [(n, nid) for nid, n in sorted(names.items())])
            annotations = orphan_document(conn, found[1])
            conn.execute("delete from documents where id = ?", [doc_id])
            source_stats.update(conn, cited, source_stats.Cited())
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return Removed(*found, deleted, annotations, sole) if found else None


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
        # Annotations point at rows just replaced: re-attach them by quote, same transaction.
        reanchor(db, doc_id)
    except BaseException:
        if conn.in_transaction:  # SQLite rolls back by itself on a full disk: no second error
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return doc_id


# Rows are written with one executemany per table (not one sqlite-utils insert per row: that
# re-reads the table's schema each time). Ids are assigned here, as SQLite would: max(id) + 1
# upwards, in the same order as row-by-row inserts, so passages, notes and claims can be
# referenced before they are written.
_PARAMS_PER_QUERY = 500  # keys per "in (...)" lookup, well under SQLITE_MAX_VARIABLE_NUMBER


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return conn.execute(f"select coalesce(max(id), 0) + 1 from [{table}]").fetchone()[0]


def _insert_rows(conn: sqlite3.Connection, table: str, rows: list[dict], ignore: bool = False) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in one executemany."""
    if not rows:
        return
    cols = list(rows[0])
    sql = (f"insert {'or ignore ' if ignore else ''}into [{table}] "
           f"({', '.join(f'[{c}]' for c in cols)}) values ({', '.join('?' for _ in cols)})")
    conn.executemany(sql, [[jsonify_if_needed(r[c]) for c in cols] for r in rows])


def _lookup(conn: sqlite3.Connection, sql: str, keys: list, params: list = ()) -> dict:
    """{key: id} for `sql` ("select key, id ... where key in ({})"; `params` come before the
    keys) over `keys`, in chunks."""
    found: dict = {}
    for i in range(0, len(keys), _PARAMS_PER_QUERY):
        chunk = keys[i:i + _PARAMS_PER_QUERY]
        found.update(conn.execute(sql.format(", ".join("?" for _ in chunk)),
                                  [*params, *chunk]).fetchall())
    return found


def _write(db: sqlite_utils.Database, doc: Document, extractor_version: str) -> int:
    """The document's rows, table group by table group (in the order of their references)."""
    conn = db.conn
    first_new_source = _next_id(conn, "sources")
    doc_id, dropped_names, replaced = _write_document_row(db, doc, extractor_version)
    passage_ids = _write_layout(conn, doc_id, doc)
    if doc.check is not None:
        _insert_rows(conn, "extraction_checks", [
            {"document_id": doc_id, **asdict(doc.check), "reasons": "; ".join(doc.check.reasons)}])
    note_ids = _write_notes(conn, doc_id, doc, passage_ids)
    source_ids = _write_citations(conn, doc, note_ids)
    note_sources.fill(conn, doc_id)
    _write_entities(conn, doc_id, doc, passage_ids, note_ids, dropped_names)
    _write_claims(conn, doc, doc_id, passage_ids, note_ids, source_ids)
    source_stats.update(conn, replaced, source_stats.collect(conn, doc_id),
                        created=range(first_new_source, _next_id(conn, "sources")))
    return doc_id


def _write_document_row(db: sqlite_utils.Database, doc: Document, extractor_version: str
                        ) -> tuple[int, dict[int, int], source_stats.Cited]:
    """Insert the documents row, or for a known file update it and delete its old rows.
    Returns its id, the entity names its replaced version mentioned (to recount) and what
    that version's notes cited (to move the sources' figures)."""
    conn = db.conn
    existing = find_document(db, doc.sha256)
    row = {
        "sha256": doc.sha256,
        "filename": doc.filename,
        "title": doc.title,
        "page_count": doc.page_count,
        "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "extractor_version": extractor_version,
        # absolute: the server that shows its pages may run in another folder
        "path": str(Path(doc.path).resolve()) if doc.path else doc.path,
    }
    if not existing:
        row["filenames"] = json.dumps([doc.filename])
        return db["documents"].insert(row).last_pk, {}, source_stats.Cited()
    doc_id = existing["id"]
    names = json.loads(existing["filenames"] or "[]")
    if doc.filename not in names:
        names.append(doc.filename)
    row["filenames"] = json.dumps(names)
    dropped_names, replaced, _ = _delete_rows(db, doc_id)
    db["documents"].update(doc_id, row)
    return doc_id, dropped_names, replaced


def _new_ids(conn: sqlite3.Connection, table: str, count: int) -> list[int]:
    first = _next_id(conn, table)
    return list(range(first, first + count))


def _write_layout(conn: sqlite3.Connection, doc_id: int, doc: Document) -> list[int]:
    """pages, passages, furniture; returns the passage ids."""
    _insert_rows(conn, "pages", [
        {"document_id": doc_id, "page": p.page, "width": p.width, "height": p.height}
        for p in doc.pages
    ])
    passage_ids = _new_ids(conn, "passages", len(doc.passages))
    _insert_rows(conn, "passages", [
        {
            "id": pid,
            "document_id": doc_id,
            "seq": p.seq,
            "page": p.page,
            "kind": p.kind,
            "text": p.text,
            "bbox": _box(p.bbox),
            "regions": _regions(p.regions),
        }
        for pid, p in zip(passage_ids, doc.passages)
    ])
    _insert_rows(conn, "furniture", [
        {"document_id": doc_id, "page": f.page, "reason": f.reason, "text": f.text,
         "bbox": _box(f.bbox)}
        for f in doc.furniture
    ])
    return passage_ids


def _write_notes(conn: sqlite3.Connection, doc_id: int, doc: Document,
                 passage_ids: list[int]) -> list[int]:
    """footnotes and the markers pointing at them (footnote_refs); returns the note ids."""
    note_ids = _new_ids(conn, "footnotes", len(doc.footnotes))
    _insert_rows(conn, "footnotes", [
        {
            "id": nid,
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
        for i, (nid, n) in enumerate(zip(note_ids, doc.footnotes))
    ])
    _insert_rows(conn, "footnote_refs", [
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
    ])
    return note_ids


def _write_citations(conn: sqlite3.Connection, doc: Document, note_ids: list[int]) -> dict:
    """sources (known ones by key, new ones in order of first citation) and citations;
    returns {source key: id} for the inline citations."""
    keys = list(dict.fromkeys(c.source_key for c in doc.citations if c.source_key))
    source_ids = _lookup(conn, "select key, id from sources where key in ({})", keys)
    new_sources = []
    next_source = _next_id(conn, "sources")
    for c in doc.citations:
        if c.source_key and c.source_key not in source_ids:
            source_ids[c.source_key] = next_source
            new_sources.append({"id": next_source, "key": c.source_key, "url": c.url,
                                "title": c.title, "publisher": c.publisher or c.container,
                                "kind": c.kind})
            next_source += 1
    _insert_rows(conn, "sources", new_sources)
    _insert_rows(conn, "citations", [
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
            "source_id": source_ids[c.source_key] if c.source_key else None,
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
        for c in doc.citations
    ])
    return source_ids


def _write_entities(conn: sqlite3.Connection, doc_id: int, doc: Document, passage_ids: list[int],
                    note_ids: list[int], dropped_names: dict[int, int]) -> None:
    """entity_names (known ones by (label, name), new ones in order of first mention),
    entities, and the mention counts of every name touched."""
    name_keys = list(dict.fromkeys((e.label, e.canonical) for e in doc.entities))
    name_ids: dict[tuple[str, str], int] = {}
    for label in dict.fromkeys(label for label, _name in name_keys):
        names_of = [name for lab, name in name_keys if lab == label]
        for name, nid in _lookup(conn, "select name, id from entity_names where label = ? "
                                 "and name in ({})", names_of, [label]).items():
            name_ids[(label, name)] = nid
    new_names = []
    next_name = _next_id(conn, "entity_names")
    for key in name_keys:
        if key not in name_ids:
            name_ids[key] = next_name
            new_names.append({"id": next_name, "name": key[1], "label": key[0], "mentions": 0})
            next_name += 1
    _insert_rows(conn, "entity_names", new_names)
    _insert_rows(conn, "entities", [
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
    ])
    # Mention counts move by this document's own mentions, less those it had before (a
    # re-ingest): recounting every touched name would read all of a common name's mentions
    # (a country named in every report of a collection) at each write.
    delta = Counter(name_ids[(e.label, e.canonical)] for e in doc.entities)
    delta.subtract(dropped_names)
    conn.executemany("update entity_names set mentions = mentions + ? where id = ?",
                     [(n, nid) for nid, n in sorted(delta.items()) if n])


def _write_claims(conn: sqlite3.Connection, doc: Document, doc_id: int, passage_ids: list[int],
                  note_ids: list[int], source_ids: dict) -> None:
    """Body sentences, the check-worthy ones as claims, their notes and inline citations."""
    sentences = doc.sentences or doc.claims  # a Document built without sentences: claims only
    first = _next_id(conn, "sentences")
    sentence_ids = list(range(first, first + len(sentences)))
    first = _next_id(conn, "claims")
    claim_of: dict[int, int] = {}  # sentence position -> claim id
    for k, i in enumerate(i for i, s in enumerate(sentences) if s.is_claim):
        claim_of[i] = first + k

    def where(c) -> dict:
        return {"document_id": doc_id, "passage_id": passage_ids[c.passage], "start": c.start,
                "end": c.end, "text": c.text, "zone": c.zone, "support": c.support,
                "support_scope": c.support_scope, "needs_source": int(c.needs_source),
                "end_passage_id": passage_ids[c.end_passage] if c.end_passage is not None else None,
                "page": c.page}

    _insert_rows(conn, "claims", [
        {"id": claim_of[i], **where(c), "kind": c.kind, "score": c.score,
         "reasons": json.dumps(c.reasons), "sentence_id": sentence_ids[i]}
        for i, c in enumerate(sentences) if i in claim_of
    ])
    _insert_rows(conn, "sentences", [
        {"id": sid, **where(c), "check_worthy": int(c.check_worthy), "kind": c.kind,
         "reasons": json.dumps(c.reasons), "footnote_ids": json.dumps([note_ids[n] for n in c.notes]),
         "claim_id": claim_of.get(i)}
        for i, (sid, c) in enumerate(zip(sentence_ids, sentences))
    ])
    _insert_rows(conn, "claim_footnotes", [
        {"claim_id": claim_of[i], "footnote_id": note_ids[n]}
        for i, c in enumerate(sentences) if i in claim_of for n in dict.fromkeys(c.notes)
    ], ignore=True)
    # Inline citations resolve to sources like notes' citations do, by the same key.
    keys = list(dict.fromkeys(ic.source_key for c in sentences for ic in c.inline
                              if ic.source_key and ic.source_key not in source_ids))
    source_ids.update(_lookup(conn, "select key, id from sources where key in ({})", keys))
    new_sources = []
    next_source = _next_id(conn, "sources")
    for c in sentences:
        for ic in c.inline:
            if ic.source_key and ic.source_key not in source_ids:
                source_ids[ic.source_key] = next_source
                cite = ic.citation
                new_sources.append({"id": next_source, "key": ic.source_key, "url": cite.url,
                                    "title": cite.title or ic.text, "publisher": cite.publisher,
                                    "kind": cite.kind})
                next_source += 1
    _insert_rows(conn, "sources", new_sources)
    _insert_rows(conn, "inline_citations", [
        {"document_id": doc_id, "sentence_id": sentence_ids[i], "claim_id": claim_of.get(i),
         "seq": seq, "start": ic.start, "end": ic.end, "text": ic.text, "rule": ic.rule,
         "kind": ic.citation.kind, "title": ic.citation.title, "authors": ic.citation.authors,
         "date": ic.citation.date, "url": ic.citation.url,
         "source_id": source_ids.get(ic.source_key) if ic.source_key else None}
        for i, c in enumerate(sentences) for seq, ic in enumerate(c.inline)
    ])
