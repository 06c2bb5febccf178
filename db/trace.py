"""Claim traces: each claim with the chain marker -> note -> citations -> source.

:func:`load_trace` reads a citetrace database and returns a :class:`Trace`: the claims that
cite a note (with their chain), the factual claims that cite nothing (``needs_source``) and
the other claims (opinions, no source needed). ``Trace.to_dict()`` is the JSON form of
``citetrace trace --json``; the command (plugins/cli/trace.py) prints it for a terminal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field

from citetrace.db.store import open_readonly

# A sentence ends at . ? ! (maybe past a closing quote or bracket) before a capital or a quote.
_SENTENCE_END_RE = re.compile(r"[.?!…][\"'”’)\]]*\s+(?=[A-Z“\"‘(\[])")


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
    sentence: str  # the whole sentence around it
    needs_source: bool
    reasons: list[str]
    notes: list[NoteLink] = field(default_factory=list)
    support: str = "none"  # marker | inline | both | none
    support_scope: str | None = None  # sentence | paragraph (its paragraph's note only) | None
    zone: str = "body"
    inline: list[InlineLink] = field(default_factory=list)


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


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding the span [start, end) (a clause gets its whole sentence)."""
    begin = 0
    finish = len(text)
    for m in _SENTENCE_END_RE.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.end() >= end:  # the end that closes the claim, or the first after it
            finish = m.start() + len(m.group().rstrip())
            break
    return text[begin:finish].strip()


def _documents(conn: sqlite3.Connection, document: str | None) -> list[dict]:
    sql = "select id, filename, title from documents"
    if document is None:
        return [dict(r) for r in conn.execute(sql + " order by id")]
    if str(document).isdigit():
        rows = conn.execute(sql + " where id = ?", [int(document)])
    else:  # a file name (or title) works too
        rows = conn.execute(sql + " where filename = ? or title = ? or filenames like ? order by id",
                            [document, document, f'%"{document}"%'])
    return [dict(r) for r in rows]


_CLAIMS_SQL = """
select claims.*, passages.page, passages.text as passage_text
from claims
left join passages on passages.id = claims.passage_id
where claims.document_id in ({docs})
{search}
order by claims.document_id, passages.seq, claims.start
"""

_SEARCH_SQL = """
and (claims.text like :q or exists (
  select 1 from claim_footnotes cf
  join footnotes f on f.id = cf.footnote_id
  left join citations c on c.footnote_id = f.id
  left join sources s on s.id = c.source_id
  where cf.claim_id = claims.id
    and (f.text like :q or c.title like :q or c.authors like :q or c.url like :q or s.url like :q)))
"""


def load_trace(db_path: str, document: str | None = None, search: str | None = None) -> Trace:
    """The claims of ``db_path`` (one document by id or file name, or all) and their chains.

    ``search`` keeps the claims whose text, note, cited title, authors or URL contain it
    (case-insensitive).
    """
    conn = open_readonly(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return _load(conn, document, search)
    finally:
        conn.close()


def _load(conn: sqlite3.Connection, document: str | None, search: str | None) -> Trace:
    documents = _documents(conn, document)
    names = {d["id"]: d["title"] or d["filename"] for d in documents}
    if not documents:
        return Trace([], [], [], [])
    params: dict = {f"d{i}": d["id"] for i, d in enumerate(documents)}
    sql = _CLAIMS_SQL.format(docs=", ".join(f":{k}" for k in params),
                             search=_SEARCH_SQL if search else "")
    if search:
        params["q"] = f"%{search}%"
    rows = conn.execute(sql, params).fetchall()
    claim_ids = [r["id"] for r in rows]

    notes_of: dict[int, list[sqlite3.Row]] = {}
    for r in _in(conn, """select cf.claim_id, f.id, f.label, f.page, f.text
                          from claim_footnotes cf join footnotes f on f.id = cf.footnote_id
                          where cf.claim_id in ({ids}) order by cf.claim_id, f.seq, f.id""", claim_ids):
        notes_of.setdefault(r["claim_id"], []).append(r)
    note_ids = sorted({r["id"] for rs in notes_of.values() for r in rs})

    cites_of: dict[int, list[CitationLink]] = {}
    cite_rows = _in(conn, """select c.*, rf.label as refers_label from citations c
                             left join footnotes rf on rf.id = c.refers_to_footnote_id
                             where c.footnote_id in ({ids}) order by c.footnote_id, c.seq""", note_ids)
    sources = _sources(conn, sorted({r["source_id"] for r in cite_rows if r["source_id"]}))
    for r in cite_rows:
        cites_of.setdefault(r["footnote_id"], []).append(CitationLink(
            id=r["id"], seq=r["seq"], text=r["text"], kind=r["kind"], title=r["title"],
            authors=r["authors"], container=r["container"], publisher=r["publisher"],
            date=r["date"], date_text=r["date_text"], url=r["url"], doi=r["doi"],
            pages=r["pages"], signal=r["signal"], short_form=r["short_form"],
            refers_to_note=r["refers_label"], source=sources.get(r["source_id"])))

    inline_of = _inline(conn, claim_ids)
    markers: dict[int, list[sqlite3.Row]] = {}  # passage id -> its markers
    passage_ids = sorted({r[k] for r in rows for k in ("passage_id", "end_passage_id")
                          if k in r.keys() and r[k] is not None})
    for r in _in(conn, """select passage_id, footnote_id, label, page, start from footnote_refs
                          where passage_id in ({ids}) order by start""", passage_ids):
        markers.setdefault(r["passage_id"], []).append(r)

    cited, needing, other = [], [], []
    for r in rows:
        # databases written before claims were whole sentences (0.3.0) lack the newer columns
        row = dict(zip(r.keys(), r))
        whole = "support" in row  # claims are whole sentences since 0.3.0
        passage = r["passage_text"] or r["text"]
        claim = ClaimTrace(
            id=r["id"], document_id=r["document_id"], document=names[r["document_id"]],
            page=r["page"], kind=r["kind"], score=r["score"], text=r["text"],
            sentence=sentence_around(passage, r["start"], r["end"]) if r["passage_text"] and not whole
            else r["text"],
            needs_source=bool(r["needs_source"]), reasons=json.loads(r["reasons"] or "[]"),
            support=row.get("support") or ("marker" if r["id"] in notes_of else "none"),
            support_scope=row.get("support_scope"), zone=row.get("zone") or "body",
            inline=inline_of.get(r["id"], []))
        around = markers.get(r["passage_id"], []) + markers.get(row.get("end_passage_id"), [])
        for n in notes_of.get(r["id"], ()):
            marker = _marker_for(around, n["id"], r["start"], r["end"])
            claim.notes.append(NoteLink(
                marker=marker["label"] if marker else None,
                marker_page=marker["page"] if marker else None,
                id=n["id"], label=n["label"], page=n["page"], text=n["text"],
                citations=cites_of.get(n["id"], [])))
        supported = claim.notes or claim.inline
        (cited if supported else needing if claim.needs_source else other).append(claim)
    return Trace(documents, cited, needing, other)


def _inline(conn: sqlite3.Connection, claim_ids: list[int]) -> dict[int, list[InlineLink]]:
    """Inline citations per claim (none in a database older than the table)."""
    if not conn.execute("select 1 from sqlite_master where name = 'inline_citations'").fetchone():
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


def _marker_for(markers, note_id: int, start: int, end: int):
    """The marker of ``note_id`` closest to the claim span (a marker stands at or after its end)."""
    mine = [m for m in markers if m["footnote_id"] == note_id]
    if not mine:
        return None
    return min(mine, key=lambda m: 0 if start <= m["start"] <= end else min(
        abs(m["start"] - start), abs(m["start"] - end)))


def _sources(conn: sqlite3.Connection, ids: list[int]) -> dict[int, Source]:
    out = {}
    for r in _in(conn, """select s.id, s.key, s.url, s.title, s.publisher, s.kind,
                                 count(c.id) as citations, count(distinct f.document_id) as documents
                          from sources s
                          left join citations c on c.source_id = s.id
                          left join footnotes f on f.id = c.footnote_id
                          where s.id in ({ids}) group by s.id""", ids):
        out[r["id"]] = Source(**dict(r))
    return out


def _in(conn: sqlite3.Connection, sql: str, ids: list[int], chunk: int = 500) -> list[sqlite3.Row]:
    """Run ``sql`` with ``{ids}`` bound to ``ids``, in chunks under SQLite's variable limit."""
    out: list[sqlite3.Row] = []
    for i in range(0, len(ids), chunk):
        part = ids[i:i + chunk]
        out.extend(conn.execute(sql.format(ids=", ".join("?" * len(part))), part).fetchall())
    return out
