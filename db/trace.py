"""Claim traces: the one read model of a claim's chain marker -> note -> citations -> source.

``citetrace trace`` (plugins/cli/trace.py) and the web trace page (plugins/views.py) both read
claims through here and only render what they get:

* :func:`load_trace` (a file) / :func:`read_trace` (a connection): the claims of one
  document or of all, as a :class:`Trace`: the claims that cite a note or an inline citation
  (with their chain), the check-worthy ones that cite nothing (``needs_source``) and the
  others. ``Trace.to_dict()`` is the JSON of ``citetrace trace --json``.
* :func:`read_claim`: one claim and what its page shows around the chain (its passage and
  markers, the notes its short forms refer to, the sources it reaches, the other claims
  citing them), as a :class:`ClaimPage`.

Everything is read as ingest stored it: the claim's sentence from ``sentences``
(``claims.sentence_id``), the sources a note reaches, through short forms too, from
``note_sources``. The ``_q_*`` functions run the SQL and return rows; the others shape the
rows into the dataclasses.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field

from citetrace.db import ddl, note_sources
from citetrace.db.store import open_readonly


@dataclass
class Source:
    id: int
    key: str
    url: str | None
    title: str | None
    publisher: str | None
    kind: str | None
    citations: int = 0  # citations of this source, in every document
    documents: int = 0  # documents citing it


@dataclass
class CitationLink:
    id: int
    seq: int
    text: str
    kind: str | None
    title: str | None
    authors: str | None
    container: str | None
    publisher: str | None
    date: str | None
    date_text: str | None
    url: str | None
    doi: str | None
    pages: str | None
    signal: str | None
    short_form: str | None  # ibid, id, supra, hereinafter
    refers_to_note: str | None  # label of the note a short form resolves to
    source: Source | None
    refers_to_footnote_id: int | None = None  # that note's row id

    # the names the citation template (plugins/templates/citetrace_macros.html) reads
    @property
    def source_id(self) -> int | None:
        return self.source.id if self.source else None

    @property
    def source_title(self) -> str | None:
        return self.source.title if self.source else None

    @property
    def source_url(self) -> str | None:
        return self.source.url if self.source else None

    @property
    def refers_to_label(self) -> str | None:
        return self.refers_to_note


@dataclass
class NoteLink:
    marker: str | None  # the marker label printed in the body (None: no marker in the claim)
    marker_page: int | None
    id: int
    label: str
    page: int | None
    text: str
    citations: list[CitationLink] = field(default_factory=list)


@dataclass
class InlineLink:
    """A formal citation written in the claim's sentence (no note)."""

    seq: int
    text: str
    rule: str  # what kind of formal citation it is ("public law", "author-year", ...)
    kind: str | None
    title: str | None
    date: str | None
    url: str | None
    source: Source | None


@dataclass
class ClaimTrace:
    id: int
    document_id: int
    document: str  # title, else file name
    page: int | None
    kind: str
    score: float
    text: str  # the claim (a sentence, or a clause of one cut at a marker)
    sentence: str  # the whole sentence around it, as stored at ingest
    needs_source: bool
    reasons: list[str]
    notes: list[NoteLink] = field(default_factory=list)
    support: str = "none"  # marker | inline | both | none
    support_scope: str | None = None  # sentence | paragraph (its paragraph's note only) | next sentence | None
    zone: str = "body"
    inline: list[InlineLink] = field(default_factory=list)
    passage_id: int | None = None
    start: int | None = None  # offsets of the sentence in its passage's text
    end: int | None = None

    @property
    def cited(self) -> bool:
        """A note supports it."""
        return bool(self.notes)


@dataclass
class Trace:
    documents: list[dict]
    claims: list[ClaimTrace]  # supported claims (a note or an inline citation), with their chain
    needs_source: list[ClaimTrace]  # check-worthy claims with no support of their own
    other: list[ClaimTrace]  # unsupported claims that need no source

    def to_dict(self) -> dict:
        return {
            "documents": self.documents,
            "claims": [asdict(c) for c in self.claims],
            "needs_source": [asdict(c) for c in self.needs_source],
            "other": [asdict(c) for c in self.other],
        }


@dataclass
class Marker:
    id: int
    passage_id: int
    footnote_id: int | None  # None: no note was found for it
    label: str
    page: int | None
    start: int


@dataclass
class Passage:
    id: int
    page: int | None
    text: str


@dataclass
class DocumentName:
    id: int
    title: str | None
    filename: str


@dataclass
class SourceName:
    id: int
    title: str | None
    key: str | None


@dataclass
class OtherClaim:
    """A claim of any document whose notes reach one of the sources of the claim traced."""

    id: int
    text: str
    kind: str | None
    needs_source: bool
    document_id: int
    passage_id: int | None
    document_title: str | None
    document_filename: str
    sources: list[SourceName] = field(default_factory=list)  # the shared ones
    cited: bool = True


@dataclass
class ClaimPage:
    """One claim's trace and what stands around it on its page."""

    claim: ClaimTrace
    document: DocumentName
    passage: Passage | None
    passage_markers: list[Marker]  # every marker of the claim's passage
    markers: list[Marker]  # the sentence's: pointing at its notes, or standing in it
    referenced: dict[int, NoteLink]  # note id -> a note the claim's short forms refer to
    sources: list[Source]  # every source the claim's notes reach, in note order
    other_claims: list[OtherClaim]  # the first ``other_limit`` of them (read_claim)
    other_claims_total: int = 0  # how many claims cite one of the sources, in all

    @property
    def orphan_markers(self) -> list[Marker]:
        return [m for m in self.markers if m.footnote_id is None]

    def source_ids(self) -> set[int]:
        """Every source the page names (for the health badges)."""
        notes = [*self.claim.notes, *self.referenced.values()]
        return ({c.source_id for n in notes for c in n.citations if c.source_id is not None}
                | {s.id for s in self.sources}
                | {s.id for c in self.other_claims for s in c.sources})


# --- reading ---------------------------------------------------------------------------------


def load_trace(db_path: str, document: str | None = None, search: str | None = None) -> Trace:
    """The claims of ``db_path`` (one document by id or file name, or all) and their chains.

    ``search`` keeps the claims whose text, note, cited title, authors or URL contain it
    (case-insensitive).
    """
    conn = open_readonly(db_path)
    try:
        return read_trace(conn, document, search)
    finally:
        conn.close()


def read_trace(conn: sqlite3.Connection, document: str | None = None,
               search: str | None = None) -> Trace:
    """:func:`load_trace` on an open connection. A database written before ``note_sources``
    and not upgraded since is refused (:class:`SchemaError`), as by :func:`read_claim`: the
    chains' sources are read from it."""
    note_sources.require(conn)
    documents = _q_documents(conn, document)
    if not documents:
        return Trace([], [], [], [])
    params: dict = {f"d{i}": d["id"] for i, d in enumerate(documents)}
    where = f"claims.document_id in ({', '.join(f':{k}' for k in params)})"
    if search:
        where += _SEARCH_SQL
        params["q"] = f"%{search}%"
    names = {d["id"]: d["title"] or d["filename"] for d in documents}
    cited, needing, other = [], [], []
    for claim in _chains(conn, _q_claims(conn, where, params), names):
        supported = claim.notes or claim.inline
        (cited if supported else needing if claim.needs_source else other).append(claim)
    return Trace(documents, cited, needing, other)


def read_claim(conn: sqlite3.Connection, claim_id: int,
               other_limit: int | None = None) -> ClaimPage | None:
    """One claim's page (None: no such claim), with the first ``other_limit`` other claims
    citing its sources (all: None). A database written before ``note_sources`` and not
    upgraded since is refused (:class:`SchemaError`)."""
    note_sources.require(conn)
    rows = _q_claims(conn, "claims.id = :id", {"id": claim_id})
    if not rows:
        return None
    document = DocumentName(**_q_one(conn, "select id, title, filename from documents "
                                           "where id = ?", rows[0]["document_id"]))
    [claim] = _chains(conn, rows, {document.id: document.title or document.filename})
    passage_row = _q_one(conn, "select id, page, text from passages where id = ?",
                         claim.passage_id)
    passage = Passage(**passage_row) if passage_row else None
    passage_markers = [Marker(**r) for r in _q_markers(conn, [passage.id])] if passage else []
    referenced = _referenced_notes(conn, claim)
    source_ids = _q_note_sources(conn, [n.id for n in claim.notes])
    other_claims, other_total = _other_claims(conn, source_ids, claim, other_limit)
    return ClaimPage(
        claim=claim, document=document, passage=passage, passage_markers=passage_markers,
        markers=_sentence_markers(claim, passage_markers), referenced=referenced,
        sources=list(_sources(conn, source_ids).values()),
        other_claims=other_claims, other_claims_total=other_total)


# --- shaping ---------------------------------------------------------------------------------


def _chains(conn: sqlite3.Connection, rows: list[dict], names: dict[int, str]) -> list[ClaimTrace]:
    """The claims of ``rows`` (from :func:`_q_claims`) with their notes, citations, sources,
    inline citations and markers."""
    claim_ids = [r["id"] for r in rows]
    notes_of: dict[int, list[dict]] = {}
    for r in _q_claim_notes(conn, claim_ids):
        notes_of.setdefault(r["claim_id"], []).append(r)
    cites_of = _citation_links(conn, sorted({r["id"] for rs in notes_of.values() for r in rs}))
    inline_of = _inline_links(conn, claim_ids)
    markers: dict[int, list[dict]] = {}  # passage id -> its markers
    passage_ids = sorted({r[k] for r in rows for k in ("passage_id", "end_passage_id")
                          if r.get(k) is not None})
    for r in _q_markers(conn, passage_ids):
        markers.setdefault(r["passage_id"], []).append(r)
    out = []
    for r in rows:
        claim = ClaimTrace(
            id=r["id"], document_id=r["document_id"], document=names[r["document_id"]],
            page=r["page"], kind=r["kind"], score=r["score"], text=r["text"],
            # databases written before sentences were stored (0.3.0) have only the claim
            sentence=r.get("sentence_text") or r["text"],
            needs_source=bool(r["needs_source"]), reasons=json.loads(r["reasons"] or "[]"),
            support=r.get("support") or ("marker" if r["id"] in notes_of else "none"),
            support_scope=r.get("support_scope"), zone=r.get("zone") or "body",
            inline=inline_of.get(r["id"], []), passage_id=r["passage_id"], start=r["start"],
            end=r["end"])
        around = markers.get(r["passage_id"], []) + markers.get(r.get("end_passage_id"), [])
        for n in notes_of.get(r["id"], ()):
            marker = _marker_for(around, n["id"], r["start"], r["end"])
            claim.notes.append(NoteLink(
                marker=marker["label"] if marker else None,
                marker_page=marker["page"] if marker else None,
                id=n["id"], label=n["label"], page=n["page"], text=n["text"],
                citations=cites_of.get(n["id"], [])))
        out.append(claim)
    return out


def _citation_links(conn: sqlite3.Connection, note_ids: list[int]) -> dict[int, list[CitationLink]]:
    """Note id -> its citations, in order, each with its source."""
    rows = _q_citations(conn, note_ids)
    sources = _sources(conn, sorted({r["source_id"] for r in rows if r["source_id"]}))
    out: dict[int, list[CitationLink]] = {}
    for r in rows:
        out.setdefault(r["footnote_id"], []).append(CitationLink(
            id=r["id"], seq=r["seq"], text=r["text"], kind=r["kind"], title=r["title"],
            authors=r["authors"], container=r["container"], publisher=r["publisher"],
            date=r["date"], date_text=r["date_text"], url=r["url"], doi=r["doi"],
            pages=r["pages"], signal=r["signal"], short_form=r["short_form"],
            refers_to_note=r["refers_label"], source=sources.get(r["source_id"]),
            refers_to_footnote_id=r["refers_to_footnote_id"]))
    return out


def _inline_links(conn: sqlite3.Connection, claim_ids: list[int]) -> dict[int, list[InlineLink]]:
    """Inline citations per claim (none in a database older than the table)."""
    if not ddl.exists(conn, "inline_citations"):
        return {}
    rows = _in(conn, """select * from inline_citations where claim_id in ({ids})
                        order by claim_id, seq""", claim_ids)
    sources = _sources(conn, sorted({r["source_id"] for r in rows if r["source_id"]}))
    out: dict[int, list[InlineLink]] = {}
    for r in rows:
        out.setdefault(r["claim_id"], []).append(InlineLink(
            seq=r["seq"], text=r["text"], rule=r["rule"], kind=r["kind"], title=r["title"],
            date=r["date"], url=r["url"], source=sources.get(r["source_id"])))
    return out


def _sources(conn: sqlite3.Connection, ids: list[int]) -> dict[int, Source]:
    """Source id -> the source, in the order of ``ids``."""
    found = {r["id"]: Source(**r) for r in _q_sources(conn, ids)}
    return {i: found[i] for i in ids if i in found}


def _marker_for(markers: list[dict], note_id: int, start: int, end: int) -> dict | None:
    """The marker of ``note_id`` closest to the claim span (a marker stands at or after its end)."""
    mine = [m for m in markers if m["footnote_id"] == note_id]
    if not mine:
        return None
    return min(mine, key=lambda m: 0 if start <= m["start"] <= end else min(
        abs(m["start"] - start), abs(m["start"] - end)))


def _sentence_markers(claim: ClaimTrace, markers: list[Marker]) -> list[Marker]:
    """The markers of the claim's sentence: those pointing at its notes, or standing inside
    it or right after it."""
    note_ids = {n.id for n in claim.notes}
    start, end = claim.start, claim.end

    def in_sentence(m: Marker) -> bool:
        if m.footnote_id in note_ids:
            return True
        return start is not None and end is not None and start <= (m.start or 0) <= end

    return [m for m in markers if in_sentence(m)]


def _referenced_notes(conn: sqlite3.Connection, claim: ClaimTrace) -> dict[int, NoteLink]:
    """The notes the claim's short forms refer back to, with their citations."""
    ids = sorted({c.refers_to_footnote_id for n in claim.notes for c in n.citations
                  if c.refers_to_footnote_id is not None})
    cites_of = _citation_links(conn, ids)
    return {r["id"]: NoteLink(marker=None, marker_page=None, citations=cites_of.get(r["id"], []),
                              **r)
            for r in _in(conn, "select id, label, page, text from footnotes "
                               "where id in ({ids})", ids)}


def _other_claims(conn: sqlite3.Connection, source_ids: list[int], claim: ClaimTrace,
                  limit: int | None) -> tuple[list[OtherClaim], int]:
    """The first ``limit`` claims citing one of ``source_ids``, other than ``claim`` (its
    document's last), one per claim listing every shared source; and how many there are."""
    merged: dict[int, OtherClaim] = {}
    rows, total = _q_other_claims(conn, source_ids, claim.id, claim.document_id, limit)
    for r in rows:
        other = merged.get(r["id"])
        if other is None:
            other = merged[r["id"]] = OtherClaim(
                id=r["id"], text=r["text"], kind=r["kind"],
                needs_source=bool(r["needs_source"]), document_id=r["document_id"],
                passage_id=r["passage_id"], document_title=r["document_title"],
                document_filename=r["document_filename"])
        other.sources.append(SourceName(r["source_id"], r["source_title"], r["source_key"]))
    return list(merged.values()), total


# --- queries -----------------------------------------------------------------------------


def _q_documents(conn: sqlite3.Connection, document: str | None) -> list[dict]:
    sql = "select id, filename, title from documents"
    if document is None:
        return _rows(conn, sql + " order by id")
    if str(document).isdigit():
        return _rows(conn, sql + " where id = ?", [int(document)])
    # a file name (or title) works too
    return _rows(conn, sql + " where filename = ? or title = ? or filenames like ? order by id",
                 [document, document, f'%"{document}"%'])


_SEARCH_SQL = """
and (claims.text like :q or exists (
  select 1 from claim_footnotes cf
  join footnotes f on f.id = cf.footnote_id
  left join citations c on c.footnote_id = f.id
  left join sources s on s.id = c.source_id
  where cf.claim_id = claims.id
    and (f.text like :q or c.title like :q or c.authors like :q or c.url like :q or s.url like :q)))
"""


def _q_claims(conn: sqlite3.Connection, where: str, params: dict) -> list[dict]:
    """Claims matching ``where``, with their page and their stored sentence."""
    columns = _columns(conn, "claims")
    stored = "sentence_id" in columns  # since 0.3.0
    sentence = "sentences.text" if stored else "null"
    join = "left join sentences on sentences.id = claims.sentence_id" if stored else ""
    page = claim_page(conn)
    return _rows(conn, f"""
select claims.*, {page} as page, {sentence} as sentence_text
from claims
left join passages on passages.id = claims.passage_id
{join}
where {where}
order by claims.document_id, passages.seq, claims.start
""", params)


def _q_claim_notes(conn: sqlite3.Connection, claim_ids: list[int]) -> list[dict]:
    return _in(conn, """select cf.claim_id, f.id, f.label, f.page, f.text
                        from claim_footnotes cf join footnotes f on f.id = cf.footnote_id
                        where cf.claim_id in ({ids}) order by cf.claim_id, f.seq, f.id""",
               claim_ids)


def _q_citations(conn: sqlite3.Connection, note_ids: list[int]) -> list[dict]:
    return _in(conn, """select c.*, rf.label as refers_label from citations c
                        left join footnotes rf on rf.id = c.refers_to_footnote_id
                        where c.footnote_id in ({ids}) order by c.footnote_id, c.seq, c.id""",
               note_ids)


def _q_sources(conn: sqlite3.Connection, ids: list[int]) -> list[dict]:
    # documents from note_sources' covering index (a short form's note is in the document
    # of the note it refers to, so the count is that of the direct citations)
    return _in(conn, """select s.id, s.key, s.url, s.title, s.publisher, s.kind,
                          (select count(*) from citations c where c.source_id = s.id)
                            as citations,
                          (select count(distinct ns.document_id) from note_sources ns
                           where ns.source_id = s.id) as documents
                        from sources s where s.id in ({ids})""", ids)


def _q_markers(conn: sqlite3.Connection, passage_ids: list[int]) -> list[dict]:
    return _in(conn, """select id, passage_id, footnote_id, label, page, start from footnote_refs
                        where passage_id in ({ids}) order by start, id""", passage_ids)


def _q_note_sources(conn: sqlite3.Connection, note_ids: list[int]) -> list[int]:
    """The sources the notes reach (note_sources), in note and citation order; through a
    short form, in the order the referenced note cites them."""
    rows = _in(conn, """
select ns.source_id from note_sources ns
join footnotes f on f.id = ns.footnote_id
join citations c on c.id = ns.citation_id
left join citations r on r.footnote_id = ns.via_footnote_id and r.source_id = ns.source_id
where ns.footnote_id in ({ids})
group by ns.citation_id, ns.source_id
order by f.seq, f.id, c.seq, c.id, min(r.seq), min(r.id)""", note_ids)
    return list(dict.fromkeys(r["source_id"] for r in rows))


# The claims citing the sources, in page order; a source shared across a collection is cited
# by thousands of claims, so the page's first ones are chosen by id before their rows are read.
# How many there are in all is counted over the same rows (a window over the whole result,
# taken before the limit): a second query counting them read the same thousands again.
_OTHER_CLAIM_IDS_SQL = """
select c.id, count(*) over () as total from claims c
join documents d on d.id = c.document_id
where c.id in (select cf.claim_id from note_sources ns
               join claim_footnotes cf on cf.footnote_id = ns.footnote_id
               where ns.source_id in ({ids}))
  and c.id != ?
order by (c.document_id = ?), d.title, c.document_id, c.passage_id, c.start, c.id
limit ?
"""

_OTHER_CLAIMS_SQL = """
select distinct c.id, c.text, c.kind, c.needs_source, c.document_id, c.passage_id,
  d.title as document_title, d.filename as document_filename,
  ns.source_id, s.title as source_title, s.key as source_key
from claims c  -- CROSS JOIN keeps this order: from the few chosen claims, not the source's notes
cross join claim_footnotes cf on cf.claim_id = c.id
-- a note's note_sources rows are in its claim's document: with it, the lookup is one seek in
-- the (source_id, document_id, footnote_id) index, not a walk of all the source's notes
cross join note_sources ns on ns.footnote_id = cf.footnote_id and ns.document_id = c.document_id
join documents d on d.id = c.document_id
join sources s on s.id = ns.source_id
where c.id in ({claims}) and ns.source_id in ({ids})
order by (c.document_id = ?), d.title, c.document_id, c.passage_id, c.start, c.id, s.id
"""


def _q_other_claims(conn: sqlite3.Connection, source_ids: list[int], claim_id: int,
                    document_id: int, limit: int | None) -> tuple[list[dict], int]:
    """The rows of the first ``limit`` claims citing the sources (one per claim and source),
    and how many claims cite them in all."""
    if not source_ids:
        return [], 0
    marks = ", ".join("?" for _ in source_ids)
    chosen = conn.execute(_OTHER_CLAIM_IDS_SQL.format(ids=marks),
                          [*source_ids, claim_id, document_id, -1 if limit is None else limit]
                          ).fetchall()
    claim_ids = [r[0] for r in chosen]
    total = chosen[0][1] if chosen else \
        _q_other_claims_count(conn, source_ids, claim_id) if limit == 0 else 0
    rows = []
    for start in range(0, len(claim_ids), 500):  # within SQLite's limit on parameters
        chunk = claim_ids[start:start + 500]
        rows += _rows(conn, _OTHER_CLAIMS_SQL.format(claims=", ".join("?" for _ in chunk),
                                                     ids=marks),
                      [*chunk, *source_ids, document_id])
    order = {cid: i for i, cid in enumerate(claim_ids)}
    # stable: each claim's sources stay in order
    return sorted(rows, key=lambda r: order[r["id"]]), total


def _q_other_claims_count(conn: sqlite3.Connection, source_ids: list[int], claim_id: int) -> int:
    """How many claims cite the sources, the claim itself left out (when none is listed: a
    limit of 0 lists none, yet says how many there are)."""
    marks = ", ".join("?" for _ in source_ids)
    return conn.execute(f"""select count(distinct cf.claim_id) from note_sources ns
                            join claim_footnotes cf on cf.footnote_id = ns.footnote_id
                            where ns.source_id in ({marks}) and cf.claim_id != ?""",
                        [*source_ids, claim_id]).fetchone()[0]


def _q_one(conn: sqlite3.Connection, sql: str, key) -> dict | None:
    rows = _rows(conn, sql, [key]) if key is not None else []
    return rows[0] if rows else None


def _rows(conn: sqlite3.Connection, sql: str, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def _in(conn: sqlite3.Connection, sql: str, ids: list[int], chunk: int = 500) -> list[dict]:
    """Run ``sql`` with ``{ids}`` bound to ``ids``, in chunks under SQLite's variable limit."""
    out: list[dict] = []
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        out.extend(_rows(conn, sql.format(ids=", ".join("?" * len(part))), part))
    return out


def claim_page(conn: sqlite3.Connection, claims: str = "claims", passages: str = "passages") -> str:
    """SQL for the page where a claim's sentence starts (claims.page, since 0.4.7); a file
    written before has only its passage's first page. ``claims``/``passages``: the aliases."""
    if "page" in _columns(conn, "claims"):
        return f"coalesce({claims}.page, {passages}.page)"
    return f"{passages}.page"


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"pragma table_info({table})")}
