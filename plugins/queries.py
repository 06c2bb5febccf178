"""The SQL behind the citetrace pages.

Plain synchronous functions taking a ``sqlite3.Connection`` (run them through
``Database.execute_fn``) and returning plain dicts/lists, so they are easy to test and reuse.
Only tables and columns of :mod:`db.schema` are used. A page's loader is two steps: a query
function (``*_rows``: the SQL, rows as SQLite returns them) and a shaping function
(``shape_*``: the page's data). Which sources a note reaches, through short forms too, is read
from ``note_sources`` (stored at ingest); the claim trace's read model is :mod:`db.trace`.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field

from citetrace.db import ddl, note_sources

REQUIRED_TABLES = ("documents", "footnotes")

def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _one(conn: sqlite3.Connection, sql: str, params=()) -> dict | None:
    rows = _rows(conn, sql, params)
    return rows[0] if rows else None


def _qmarks(values) -> str:
    return ",".join("?" for _ in values)


def _json_list(value) -> list:
    if not value:
        return []
    try:
        out = json.loads(value)
    except (TypeError, ValueError):
        return []
    return out if isinstance(out, list) else []


def is_citetrace(conn: sqlite3.Connection) -> bool:
    names = {
        r[0]
        for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name in (%s)"
            % _qmarks(REQUIRED_TABLES),
            REQUIRED_TABLES,
        )
    }
    return names == set(REQUIRED_TABLES)


# --- home -------------------------------------------------------------------------------

# One page of the document list: the page's ids first, so the per-document counts below run
# for those rows only (a collection of 10,000 documents costs what one page of them costs).
DOCUMENTS_SQL = """
with listed as (
  select id from documents
  order by coalesce(nullif(title, ''), filename) collate nocase, id
  limit :limit offset :offset
)
select
  d.id, d.title, d.filename, d.ingested_at,
  coalesce(nullif(d.page_count, 0),
           (select count(*) from pages where pages.document_id = d.id)) as pages,
  (select count(*) from passages where passages.document_id = d.id) as passages,
  (select count(*) from footnotes where footnotes.document_id = d.id) as notes,
  (select count(*) from footnote_refs where footnote_refs.document_id = d.id) as markers,
  (select count(*) from claims where claims.document_id = d.id) as claims,
  (select count(*) from claims where claims.document_id = d.id
      and claims.needs_source) as needs_source,
  (select count(*) from claims where claims.document_id = d.id and exists
      (select 1 from claim_footnotes cf where cf.claim_id = claims.id)) as cited_claims
from listed join documents d on d.id = listed.id
order by coalesce(nullif(d.title, ''), d.filename) collate nocase, d.id
"""

DOCUMENTS_PER_PAGE = 100  # the home page lists this many documents, then links to the next


def list_documents(conn, annotations: bool = True, limit: int = DOCUMENTS_PER_PAGE,
                   offset: int = 0) -> tuple[list[dict], int]:
    """One page of the documents with their counts, and how many documents there are in all;
    open annotations only when ``annotations`` (the actor may view that table)."""
    documents = _rows(conn, DOCUMENTS_SQL, {"limit": limit, "offset": offset})
    total = conn.execute("select count(*) from documents").fetchone()[0]
    open_annotations = (open_annotation_counts(conn, [d["id"] for d in documents])
                        if annotations else None)
    for d in documents:
        # None when there is no annotations table (the home page then hides the column)
        d["open_annotations"] = (None if open_annotations is None
                                 else open_annotations.get(d["id"], 0))
    return documents, total


def extraction_verdicts(conn, document_ids: list[int] | None = None) -> dict[int, dict]:
    """The self-check's verdict and reasons per document id (table extraction_checks), of
    ``document_ids`` or of every document; none from a database written before the table."""
    if not ddl.exists(conn, "extraction_checks"):
        return {}
    sql = "select document_id, verdict, reasons from extraction_checks"
    params: list[int] = []
    if document_ids is not None:
        sql += f" where document_id in ({_qmarks(document_ids)})"
        params = list(document_ids)
    return {r[0]: {"verdict": r[1], "reasons": r[2] or ""} for r in conn.execute(sql, params)}


OPEN_ANNOTATION_STATES = ("open", "in_review")


def open_annotation_counts(conn, document_ids=None) -> dict[int, int] | None:
    """Open annotations (state open/in_review) per document id, of ``document_ids`` (all
    when None: a page of the home lists 100); None without the table.

    Annotations are tied to a document by the document's ``sha256`` (``document_sha256``:
    stable across re-ingestion, preferred) or by ``document_id``: whichever column exists.
    """
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if "state" not in columns:
        return None
    states = _qmarks(OPEN_ANNOTATION_STATES)
    # a reply is part of its annotation's thread, not one more to act on
    threads = " and in_reply_to is null" if "in_reply_to" in columns else ""
    sha = next((c for c in ("document_sha256", "sha256") if c in columns), None)
    ids = [] if document_ids is None else [int(i) for i in document_ids]
    if sha is not None:
        listed = "" if document_ids is None else f" and d.id in ({_qmarks(ids)})"
        sql = f"""select d.id, count(*) from annotations a join documents d on d.sha256 = a.{sha}
                  where a.state in ({states}){threads}{listed} group by d.id"""
    elif "document_id" in columns:
        listed = "" if document_ids is None else f" and document_id in ({_qmarks(ids)})"
        sql = f"""select document_id, count(*) from annotations
                  where state in ({states}) and document_id is not null{threads}{listed}
                  group by document_id"""
    else:
        return None
    return {doc_id: n for doc_id, n in conn.execute(sql, [*OPEN_ANNOTATION_STATES, *ids])}


TOP_SOURCES_SQL = """
select s.id, s.title, s.key, s.url, s.kind,
  count(distinct ns.footnote_id) as notes,
  count(distinct ns.document_id) as documents
from note_sources ns
join sources s on s.id = ns.source_id
group by s.id
order by documents desc, notes desc, s.id
limit ?
"""


def top_sources(conn, limit: int = 10) -> list[dict] | None:
    """The most cited sources (note_sources: short forms count for the source they resolve
    to); None for a database written before that table (the home page then leaves them out)."""
    if not note_sources.stored(conn):
        return None
    return _rows(conn, TOP_SOURCES_SQL, [limit])


# --- reader -----------------------------------------------------------------------------


def _citations_for_notes(conn, where: str, params) -> dict[int, list[dict]]:
    rows = _rows(
        conn,
        f"""
        select ci.*, s.title as source_title, s.key as source_key, s.url as source_url,
          r.label as refers_to_label, r.document_id as refers_to_document_id
        from citations ci
        join footnotes f on f.id = ci.footnote_id
        left join sources s on s.id = ci.source_id
        left join footnotes r on r.id = ci.refers_to_footnote_id
        where {where}
        order by ci.footnote_id, ci.seq, ci.id
        """,
        params,
    )
    by_note: dict[int, list[dict]] = {}
    for row in rows:
        by_note.setdefault(row["footnote_id"], []).append(row)
    return by_note


def get_document(conn, doc_id: int) -> dict | None:
    return _one(conn, "select * from documents where id = ?", [doc_id])


@dataclass
class ReaderRows:
    """The rows of one document the reader shows, as SQLite returns them: the columns the
    page shows (:data:`READER_SQL`)."""

    document: dict
    passages: list[dict]
    notes: list[dict]
    markers: list[dict]
    claims: list[dict]
    claim_notes: list[dict]  # claim_footnotes rows of the document's claims
    entities: list[dict]
    citations: dict[int, list[dict]]  # note id -> its citations, with their sources


# What the reader renders of each table, not ``*``. A sample-report variant has ~360 entities
# and ~120 claims: building a dict of every column (the claims' sentences, scores and reasons,
# the passages' and notes' boxes) was half the reader's SQL time, for nothing shown.
READER_SQL = {
    "passages": "select id, page, kind, text from passages where document_id = ? "
                "order by seq, id",
    "notes": "select id, label, page, kind, text from footnotes where document_id = ? "
             "order by seq, id",
    "markers": "select id, passage_id, footnote_id, label, start from footnote_refs "
               "where document_id = ? order by passage_id, start, id",
    "claims": 'select id, passage_id, start, "end", kind, needs_source from claims '
              "where document_id = ? order by passage_id, start, id",
    "claim_notes": "select cf.claim_id, cf.footnote_id from claim_footnotes cf "
                   "join claims c on c.id = cf.claim_id where c.document_id = ?",
    "entities": 'select id, passage_id, footnote_id, start, "end", label from entities '
                "where document_id = ? order by start, id",
}


def reader_rows(conn, doc_id: int) -> ReaderRows | None:
    """The reader's queries (None: no such document)."""
    document = get_document(conn, doc_id)
    if document is None:
        return None
    rows = {name: _rows(conn, sql, [doc_id]) for name, sql in READER_SQL.items()}
    return ReaderRows(document=document, **rows,
                      citations=_citations_for_notes(conn, "f.document_id = ?", [doc_id]))


def shape_reader(rows: ReaderRows) -> dict:
    """The reader's page data: passages carrying their markers, claims and entities, notes
    carrying theirs and their citations, and the counts."""
    document, passages, notes, claims = rows.document, rows.passages, rows.notes, rows.claims
    document["filenames"] = _json_list(document.get("filenames"))
    notes_by_claim: dict[int, list[int]] = {}
    claims_by_note: dict[int, list[int]] = {}
    for row in rows.claim_notes:
        notes_by_claim.setdefault(row["claim_id"], []).append(row["footnote_id"])
        claims_by_note.setdefault(row["footnote_id"], []).append(row["claim_id"])

    by_passage: dict[int, dict[str, list]] = {
        p["id"]: {"markers": [], "claims": [], "entities": []} for p in passages
    }
    markers_by_note: dict[int, list[dict]] = {}
    for m in rows.markers:
        if m["passage_id"] in by_passage:
            by_passage[m["passage_id"]]["markers"].append(m)
        if m["footnote_id"] is not None:
            markers_by_note.setdefault(m["footnote_id"], []).append(m)
    for c in claims:
        c["note_ids"] = notes_by_claim.get(c["id"], [])
        c["cited"] = bool(c["note_ids"])
        if c["passage_id"] in by_passage:
            by_passage[c["passage_id"]]["claims"].append(c)
    entities_by_note: dict[int, list[dict]] = {}
    labels: dict[str, int] = {}
    for e in rows.entities:
        if e["passage_id"] is not None and e["passage_id"] in by_passage:
            by_passage[e["passage_id"]]["entities"].append(e)
        elif e["footnote_id"] is not None:
            entities_by_note.setdefault(e["footnote_id"], []).append(e)
        else:
            continue
        labels[e["label"] or ""] = labels.get(e["label"] or "", 0) + 1
    for p in passages:
        p.update(by_passage[p["id"]])
    for n in notes:
        n["citations"] = rows.citations.get(n["id"], [])
        n["markers"] = markers_by_note.get(n["id"], [])
        n["entities"] = entities_by_note.get(n["id"], [])
        n["claim_ids"] = claims_by_note.get(n["id"], [])

    claim_counts = {
        "total": len(claims),
        "cited": sum(1 for c in claims
                     if not c["needs_source"] and (c["cited"] or c["kind"] == "cited")),
        "needs_source": sum(1 for c in claims if c["needs_source"]),
    }
    claim_counts["other"] = claim_counts["total"] - claim_counts["cited"] - claim_counts[
        "needs_source"
    ]
    return {
        "document": document,
        "passages": passages,
        "notes": notes,
        "claims": claims,
        "claim_counts": claim_counts,
        "entity_labels": sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])),
        "orphan_markers": [m for m in rows.markers if m["footnote_id"] is None],
        "unreferenced_notes": [n for n in notes if not n["markers"]],
    }


def load_reader(conn, doc_id: int) -> dict | None:
    """Everything the reader view shows for one document (:func:`reader_rows`, then
    :func:`shape_reader`)."""
    rows = reader_rows(conn, doc_id)
    return None if rows is None else shape_reader(rows)


# --- source -----------------------------------------------------------------------------

# The source page lists the citing documents a page at a time: a source of a whole
# collection is cited in every document (10,000 documents: a 30 MB page before paging).
DOCUMENTS_PER_SOURCE_PAGE = 50

SOURCE_DOCUMENTS_SQL = """
select d.id from documents d
where d.id in (select ns.document_id from note_sources ns where ns.source_id = :source)
order by d.title collate nocase, d.id
limit :limit offset :offset
"""

SOURCE_COUNTS_SQL = """
select count(distinct ns.document_id) as documents, count(distinct ns.footnote_id) as notes,
  (select count(distinct cf.claim_id) from note_sources n2
   join claim_footnotes cf on cf.footnote_id = n2.footnote_id
   where n2.source_id = :source) as claims
from note_sources ns where ns.source_id = :source
"""

SOURCE_NOTES_SQL = """
select distinct f.*, d.title as document_title, d.filename as document_filename,
  ns.via_footnote_id
from note_sources ns
join footnotes f on f.id = ns.footnote_id
join documents d on d.id = f.document_id
where ns.source_id = ? and ns.document_id in ({documents})
order by d.title collate nocase, d.id, f.seq, f.id
"""


@dataclass
class SourceRows:
    """The rows the source page shows, as SQLite returns them."""

    source: dict
    notes: list[dict]  # the page's notes reaching the source (note_sources), once each
    citations: dict[int, list[dict]]  # note id -> its citations
    claims: list[dict]  # the claims of those notes, each with the footnote_id citing
    counts: dict = field(default_factory=dict)  # documents, notes, claims: in all, every page
    offset: int = 0  # of the page's first document among all citing the source


def source_rows(conn, source_id: int, offset: int = 0) -> SourceRows | None:
    """The source page's queries (None: no such source): the citing documents from
    ``offset``, :data:`DOCUMENTS_PER_SOURCE_PAGE` of them."""
    note_sources.require(conn)
    source = _one(conn, "select * from sources where id = ?", [source_id])
    if source is None:
        return None
    counts = _one(conn, SOURCE_COUNTS_SQL, {"source": source_id})
    documents = [r[0] for r in conn.execute(SOURCE_DOCUMENTS_SQL, {
        "source": source_id, "limit": DOCUMENTS_PER_SOURCE_PAGE, "offset": offset})]
    if not documents:
        return SourceRows(source, [], {}, [], counts, offset)
    # A note can reach the source directly and through a short form: keep one row.
    unique: OrderedDict[int, dict] = OrderedDict()
    for n in _rows(conn, SOURCE_NOTES_SQL.format(documents=_qmarks(documents)),
                   [source_id, *documents]):
        if n["id"] in unique:
            if n["via_footnote_id"] is None:
                unique[n["id"]]["via_footnote_id"] = None
            continue
        unique[n["id"]] = n
    note_ids = list(unique)
    ids = _qmarks(note_ids)
    return SourceRows(
        source, list(unique.values()),
        _citations_for_notes(conn, f"ci.footnote_id in ({ids})", note_ids),
        _rows(conn, f"""select cf.footnote_id, c.* from claim_footnotes cf
                        join claims c on c.id = cf.claim_id
                        where cf.footnote_id in ({ids})
                        order by c.passage_id, c.start, c.id""", note_ids),
        counts, offset)


def shape_source(rows: SourceRows) -> dict:
    """The source page's data: the notes grouped by document, each with its citations and
    claims, and the counts."""
    claims_by_note: dict[int, list[dict]] = {}
    for row in rows.claims:
        row["cited"] = True
        claims_by_note.setdefault(row.pop("footnote_id"), []).append(row)
    documents: OrderedDict[int, dict] = OrderedDict()
    claim_ids: set[int] = set()
    for n in rows.notes:
        n["citations"] = rows.citations.get(n["id"], [])
        n["claims"] = claims_by_note.get(n["id"], [])
        claim_ids.update(c["id"] for c in n["claims"])
        doc = documents.setdefault(
            n["document_id"],
            {"id": n["document_id"], "title": n["document_title"],
             "filename": n["document_filename"], "notes": [], "claims": []},
        )
        doc["notes"].append(n)
        seen = {c["id"] for c in doc["claims"]}
        doc["claims"].extend(c for c in n["claims"] if c["id"] not in seen)
    size = DOCUMENTS_PER_SOURCE_PAGE
    total = rows.counts.get("documents", len(documents))
    return {
        "source": rows.source,
        "documents": list(documents.values()),
        "document_count": total,
        "note_count": rows.counts.get("notes", len(rows.notes)),
        "claim_count": rows.counts.get("claims", len(claim_ids)),
        "first": rows.offset + 1 if documents else 0,
        "last": rows.offset + len(documents),
        "previous": max(rows.offset - size, 0) if rows.offset else None,
        "next": rows.offset + size if rows.offset + size < total else None,
    }


def load_source(conn, source_id: int, offset: int = 0) -> dict | None:
    """A source, with the notes (grouped by document, a page of documents from ``offset``)
    and claims that cite it (:func:`source_rows`, then :func:`shape_source`)."""
    rows = source_rows(conn, source_id, offset)
    return None if rows is None else shape_source(rows)
