"""The SQL behind the citetrace pages.

Plain synchronous functions taking a ``sqlite3.Connection`` (run them through
``Database.execute_fn``) and returning plain dicts/lists, so they are easy to test and reuse.
Only tables and columns of :mod:`db.schema` are used.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict

REQUIRED_TABLES = ("documents", "footnotes")

# Which source each note cites: directly, or through a short form (ibid., supra) whose
# citation points at an earlier note (citations.refers_to_footnote_id).
NOTE_SOURCES_CTE = """
note_sources(footnote_id, source_id, citation_id, via_footnote_id) as (
  select footnote_id, source_id, id, null
  from citations where source_id is not null
  union
  select c.footnote_id, r.source_id, c.id, c.refers_to_footnote_id
  from citations c
  join citations r on r.footnote_id = c.refers_to_footnote_id
  where c.source_id is null and r.source_id is not null
)
"""


def note_sources_for(ids: str) -> str:
    """NOTE_SOURCES_CTE for the sources ``ids`` (SQL: placeholders) only. SQLite
    materializes the whole UNION (every citation) before an outer ``where source_id``
    applies; filtered inside, both branches are index lookups. The second one starts from
    the short forms without a source (few; "cross join") and finds the note each refers to
    by ``footnote_id`` (the ``+`` keeps SQLite from using the source_id index there)."""
    return f"""
note_sources(footnote_id, source_id, citation_id, via_footnote_id) as (
  select footnote_id, source_id, id, null
  from citations where source_id in ({ids})
  union
  select c.footnote_id, r.source_id, c.id, c.refers_to_footnote_id
  from citations c
  cross join citations r on r.footnote_id = c.refers_to_footnote_id
  where c.source_id is null and +r.source_id in ({ids})
)
"""


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
    open_annotations = open_annotation_counts(conn) if annotations else None
    for d in documents:
        # None when there is no annotations table (the home page then hides the column)
        d["open_annotations"] = (None if open_annotations is None
                                 else open_annotations.get(d["id"], 0))
    return documents, total


def extraction_verdicts(conn) -> dict[int, dict]:
    """The self-check's verdict and reasons per document id (table extraction_checks)."""
    return {r[0]: {"verdict": r[1], "reasons": r[2] or ""} for r in conn.execute(
        "select document_id, verdict, reasons from extraction_checks")}


OPEN_ANNOTATION_STATES = ("open", "in_review")


def open_annotation_counts(conn) -> dict[int, int] | None:
    """Open annotations (state open/in_review) per document id; None without the table.

    Annotations are tied to a document by the document's ``sha256`` (``document_sha256``:
    stable across re-ingestion, preferred) or by ``document_id``: whichever column exists.
    """
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if "state" not in columns:
        return None
    states = _qmarks(OPEN_ANNOTATION_STATES)
    sha = next((c for c in ("document_sha256", "sha256") if c in columns), None)
    if sha is not None:
        sql = f"""select d.id, count(*) from annotations a join documents d on d.sha256 = a.{sha}
                  where a.state in ({states}) group by d.id"""
    elif "document_id" in columns:
        sql = f"""select document_id, count(*) from annotations
                  where state in ({states}) and document_id is not null
                  group by document_id"""
    else:
        return None
    return {doc_id: n for doc_id, n in conn.execute(sql, OPEN_ANNOTATION_STATES)}


TOP_SOURCES_SQL = (
    "with "
    + NOTE_SOURCES_CTE
    + """
select s.id, s.title, s.key, s.url, s.kind,
  count(distinct ns.footnote_id) as notes,
  count(distinct f.document_id) as documents
from note_sources ns
join sources s on s.id = ns.source_id
join footnotes f on f.id = ns.footnote_id
group by s.id
order by documents desc, notes desc, s.id
limit ?
"""
)


def top_sources(conn, limit: int = 10) -> list[dict]:
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


def load_reader(conn, doc_id: int) -> dict | None:
    """Everything the reader view shows for one document."""
    document = get_document(conn, doc_id)
    if document is None:
        return None
    document["filenames"] = _json_list(document.get("filenames"))
    passages = _rows(
        conn, "select * from passages where document_id = ? order by seq, id", [doc_id]
    )
    notes = _rows(
        conn,
        "select * from footnotes where document_id = ? order by seq, id",
        [doc_id],
    )
    markers = _rows(
        conn,
        "select * from footnote_refs where document_id = ? order by passage_id, start, id",
        [doc_id],
    )
    claims = _rows(
        conn, "select * from claims where document_id = ? order by passage_id, start, id",
        [doc_id],
    )
    claim_notes = _rows(
        conn,
        """select cf.claim_id, cf.footnote_id from claim_footnotes cf
           join claims c on c.id = cf.claim_id where c.document_id = ?""",
        [doc_id],
    )
    entities = _rows(
        conn, "select * from entities where document_id = ? order by start, id", [doc_id]
    )
    citations = _citations_for_notes(conn, "f.document_id = ?", [doc_id])

    notes_by_claim: dict[int, list[int]] = {}
    claims_by_note: dict[int, list[int]] = {}
    for row in claim_notes:
        notes_by_claim.setdefault(row["claim_id"], []).append(row["footnote_id"])
        claims_by_note.setdefault(row["footnote_id"], []).append(row["claim_id"])

    by_passage: dict[int, dict[str, list]] = {
        p["id"]: {"markers": [], "claims": [], "entities": []} for p in passages
    }
    markers_by_note: dict[int, list[dict]] = {}
    for m in markers:
        if m["passage_id"] in by_passage:
            by_passage[m["passage_id"]]["markers"].append(m)
        if m["footnote_id"] is not None:
            markers_by_note.setdefault(m["footnote_id"], []).append(m)
    for c in claims:
        c["note_ids"] = notes_by_claim.get(c["id"], [])
        c["cited"] = bool(c["note_ids"])
        c["reasons"] = _json_list(c.get("reasons"))
        if c["passage_id"] in by_passage:
            by_passage[c["passage_id"]]["claims"].append(c)
    entities_by_note: dict[int, list[dict]] = {}
    labels: dict[str, int] = {}
    for e in entities:
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
        n["citations"] = citations.get(n["id"], [])
        n["markers"] = markers_by_note.get(n["id"], [])
        n["entities"] = entities_by_note.get(n["id"], [])
        n["claim_ids"] = claims_by_note.get(n["id"], [])
        n["urls"] = _json_list(n.get("urls"))

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
        "orphan_markers": [m for m in markers if m["footnote_id"] is None],
        "unreferenced_notes": [n for n in notes if not n["markers"]],
    }


# --- claim trace ------------------------------------------------------------------------

OTHER_CLAIMS_SQL = (
    "with {note_sources}"
    + """
select distinct c.id, c.text, c.kind, c.needs_source, c.document_id, c.passage_id,
  d.title as document_title, d.filename as document_filename,
  ns.source_id, s.title as source_title, s.key as source_key
from note_sources ns
join claim_footnotes cf on cf.footnote_id = ns.footnote_id
join claims c on c.id = cf.claim_id
join documents d on d.id = c.document_id
join sources s on s.id = ns.source_id
where c.id != ?
order by (c.document_id = ?) , d.title, c.document_id, c.passage_id, c.start, c.id
"""
)


def load_claim_trace(conn, claim_id: int) -> dict | None:
    """sentence -> markers -> notes -> citations -> sources, plus claims citing the same."""
    claim = _one(conn, "select * from claims where id = ?", [claim_id])
    if claim is None:
        return None
    claim["reasons"] = _json_list(claim.get("reasons"))
    document = get_document(conn, claim["document_id"])
    passage = _one(conn, "select * from passages where id = ?", [claim["passage_id"]])
    notes = _rows(
        conn,
        """select f.* from claim_footnotes cf join footnotes f on f.id = cf.footnote_id
           where cf.claim_id = ? order by f.seq, f.id""",
        [claim_id],
    )
    note_ids = [n["id"] for n in notes]
    claim["note_ids"] = note_ids
    claim["cited"] = bool(note_ids)
    markers = []
    if passage:
        markers = _rows(
            conn,
            "select * from footnote_refs where passage_id = ? order by start, id",
            [passage["id"]],
        )
    # Markers of the sentence: those pointing at its notes, or standing inside/right after it.
    start, end = claim.get("start"), claim.get("end")

    def in_sentence(m):
        if m["footnote_id"] in note_ids:
            return True
        return start is not None and end is not None and start <= (m["start"] or 0) <= end

    sentence_markers = [m for m in markers if in_sentence(m)]
    citations = _citations_for_notes(conn, f"ci.footnote_id in ({_qmarks(note_ids)})",
                                     note_ids) if note_ids else {}
    # Short forms: show what the referenced note cites.
    ref_ids = sorted({c["refers_to_footnote_id"] for cs in citations.values() for c in cs
                      if c.get("refers_to_footnote_id") is not None})
    referenced = {}
    if ref_ids:
        ref_notes = _rows(conn, f"select * from footnotes where id in ({_qmarks(ref_ids)})",
                          ref_ids)
        ref_cits = _citations_for_notes(conn, f"ci.footnote_id in ({_qmarks(ref_ids)})",
                                        ref_ids)
        for rn in ref_notes:
            rn["citations"] = ref_cits.get(rn["id"], [])
            referenced[rn["id"]] = rn
    source_ids: list[int] = []
    for n in notes:
        n["markers"] = [m for m in sentence_markers if m["footnote_id"] == n["id"]]
        n["citations"] = citations.get(n["id"], [])
        for c in n["citations"]:
            c["referenced_note"] = referenced.get(c.get("refers_to_footnote_id"))
            sid = c["source_id"]
            if sid is None and c["referenced_note"]:
                for rc in c["referenced_note"]["citations"]:
                    if rc["source_id"] is not None and rc["source_id"] not in source_ids:
                        source_ids.append(rc["source_id"])
            elif sid is not None and sid not in source_ids:
                source_ids.append(sid)
    sources = []
    if source_ids:
        found = {s["id"]: s for s in _rows(
            conn, f"select * from sources where id in ({_qmarks(source_ids)})", source_ids)}
        sources = [found[i] for i in source_ids if i in found]
    other_claims = []
    if source_ids:
        other_claims = _rows(
            conn,
            OTHER_CLAIMS_SQL.format(note_sources=note_sources_for(_qmarks(source_ids))),
            [*source_ids, *source_ids, claim_id, claim["document_id"]],
        )
        # One row per claim, listing every shared source.
        merged: OrderedDict[int, dict] = OrderedDict()
        for row in other_claims:
            item = merged.setdefault(row["id"], {**row, "cited": True, "sources": []})
            item["sources"].append(
                {"id": row["source_id"], "title": row["source_title"], "key": row["source_key"]}
            )
        other_claims = list(merged.values())
    return {
        "other_claims_total": len(other_claims),
        "claim": claim,
        "document": document,
        "passage": passage,
        "markers": sentence_markers,
        "passage_markers": markers,
        "orphan_markers": [m for m in sentence_markers if m["footnote_id"] is None],
        "notes": notes,
        "sources": sources,
        "other_claims": other_claims,
    }


# --- source -----------------------------------------------------------------------------

SOURCE_NOTES_SQL = (
    "with "
    + note_sources_for("?")
    + """
select distinct f.*, d.title as document_title, d.filename as document_filename,
  ns.via_footnote_id
from note_sources ns
join footnotes f on f.id = ns.footnote_id
join documents d on d.id = f.document_id
order by d.title collate nocase, d.id, f.seq, f.id
"""
)


def load_source(conn, source_id: int) -> dict | None:
    """A source, with every note (grouped by document) and claim that cites it."""
    source = _one(conn, "select * from sources where id = ?", [source_id])
    if source is None:
        return None
    notes = _rows(conn, SOURCE_NOTES_SQL, [source_id, source_id])
    # A note can reach the source directly and through a short form: keep one row.
    unique: OrderedDict[int, dict] = OrderedDict()
    for n in notes:
        if n["id"] in unique:
            if n["via_footnote_id"] is None:
                unique[n["id"]]["via_footnote_id"] = None
            continue
        unique[n["id"]] = n
    notes = list(unique.values())
    note_ids = [n["id"] for n in notes]
    citations = _citations_for_notes(conn, f"ci.footnote_id in ({_qmarks(note_ids)})",
                                     note_ids) if note_ids else {}
    claims_by_note: dict[int, list[dict]] = {}
    if note_ids:
        for row in _rows(
            conn,
            f"""select cf.footnote_id, c.* from claim_footnotes cf
                join claims c on c.id = cf.claim_id
                where cf.footnote_id in ({_qmarks(note_ids)})
                order by c.passage_id, c.start, c.id""",
            note_ids,
        ):
            row["cited"] = True
            claims_by_note.setdefault(row.pop("footnote_id"), []).append(row)
    documents: OrderedDict[int, dict] = OrderedDict()
    claim_ids: set[int] = set()
    for n in notes:
        n["citations"] = citations.get(n["id"], [])
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
    return {
        "source": source,
        "documents": list(documents.values()),
        "note_count": len(notes),
        "claim_count": len(claim_ids),
    }
