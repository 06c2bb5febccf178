"""What the list of sources shows, kept right at write time (issue 17; docs/scaling.md).

Choosing a source's readable title and nesting short forms under their full citation
(:mod:`db.source_titles`) needs every citation of every source: 5 s for the list of a
10,000-document collection. So each write of a document moves what it changes, and pages
only read it:

* ``sources.citing_notes`` / ``citing_documents``: moved by the document's own citations,
  less those of the version it replaces (as ``entity_names.mentions``);
* ``source_title_votes``: how many citations give each title (case name, URL), with the first
  one giving it (ties go to the first, as :func:`db.source_titles.best_title` decides);
  ``sources.readable_title`` (+ ``_from``, ``title_words``) chosen from them;
* ``sources.short_form_of``: chosen again only for the short forms the write can change
  (those it cites, those whose full citation it changes, those a source it cites may now
  abbreviate better), by :func:`db.source_titles.short_forms`' own rules.

The result equals :func:`db.source_titles.load_sources` + ``short_forms`` over all citations
(tests/test_source_stats.py), except for what no write can know: the title check-links
fetches for a source known only by its URL is shown by the pages (:func:`titled`) but does
not change which short forms nest under it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field

from citetrace.db.errors import SchemaError
from citetrace.db.source_titles import (CITED_ORIGINS, abbreviates, author_tag, case_name,
                                        fetched_titles, is_case, is_short_form, names_author,
                                        readable_title)
from citetrace.ingest.citations.keys import norm_text

_CHUNK = 500  # ids per "in (...)"


def _marks(values) -> str:
    return ",".join("?" for _ in values)


def _chunks(values):
    values = list(values)
    for i in range(0, len(values), _CHUNK):
        yield values[i:i + _CHUNK]


# --- one document's citations ---------------------------------------------------------------

@dataclass
class Cites:
    """What one document's citations say of one source."""

    notes: set = field(default_factory=set)
    votes: Counter = field(default_factory=Counter)  # (kind, value) -> citations
    first: dict = field(default_factory=dict)  # (kind, value) -> (order key, citation id)
    texts: list = field(default_factory=list)  # (authors, text): who the citations name


@dataclass
class Cited:
    """A document's direct citations, by source (empty: a document not written yet)."""

    citation_ids: set = field(default_factory=set)
    sources: dict = field(default_factory=dict)  # source id -> Cites


def _values(kind: str | None, key: str | None, url: str | None, title, text, cited_url):
    """The (kind, value) votes of one citation of a source."""
    if title and title.strip():
        yield "title", " ".join(title.split())
    if is_case(kind, key):
        name = case_name(text)
        if name and name.strip():
            yield "case", " ".join(name.split())
    if not url and cited_url:
        yield "url", cited_url


_COLUMNS_OF_CITATIONS = """
select c.source_id, c.id, c.footnote_id, f.document_id, f.seq, c.seq, c.title, c.text, c.url,
       c.authors, s.kind, s.key, s.url
"""
_CITATIONS = _COLUMNS_OF_CITATIONS + """
from footnotes f join citations c on c.footnote_id = f.id join sources s on s.id = c.source_id
"""


def collect(conn: sqlite3.Connection, document_id: int) -> Cited:
    """The document's citations as they are in the database now."""
    out = Cited()
    for (sid, cid, note, doc, note_seq, seq, title, text, url, authors, kind, key,
         source_url) in conn.execute(_CITATIONS + "where f.document_id = ?", [document_id]):
        cites = out.sources.setdefault(sid, Cites())
        out.citation_ids.add(cid)
        cites.notes.add(note)
        cites.texts.append((authors, text))
        order = (doc, note_seq, seq if seq is not None else -1, cid)
        for vote in _values(kind, key, source_url, title, text, url):
            cites.votes[vote] += 1
            if vote not in cites.first or order < cites.first[vote][0]:
                cites.first[vote] = (order, cid)
    return out


# --- keeping it right -------------------------------------------------------------------------

def update(conn: sqlite3.Connection, before: Cited, after: Cited, created=()) -> None:
    """Move the stored figures from a document's ``before`` citations (its replaced version;
    empty for a new document) to its ``after`` ones (empty: removed), in the caller's
    transaction, after its rows are written. ``created``: sources this write added (inline
    citations' too), which need a title."""
    touched = set(before.sources) | set(after.sources) | set(created)
    if not touched:
        return
    conn.executemany("update sources set citing_notes = 0, citing_documents = 0 "
                     "where id = ? and citing_notes is null", [(i,) for i in created])
    _move_counts(conn, before, after)
    _move_votes(conn, before, after)
    _forget_absent_names(conn, after)
    retitled = _choose_titles(conn, touched)
    # sources whose standing as a full citation may have dropped: lost citations or title
    replaced = set(before.sources) | retitled
    _pair_short_forms(conn, after, touched, replaced)


def _move_counts(conn, before: Cited, after: Cited) -> None:
    rows = []
    for sid in set(before.sources) | set(after.sources):
        b, a = before.sources.get(sid), after.sources.get(sid)
        notes = (len(a.notes) if a else 0) - (len(b.notes) if b else 0)
        documents = (a is not None) - (b is not None)
        if notes or documents:
            rows.append((notes, documents, sid))
    conn.executemany("update sources set citing_notes = coalesce(citing_notes, 0) + ?, "
                     "citing_documents = coalesce(citing_documents, 0) + ? where id = ?", rows)


_ORDER = """select f.document_id, f.seq, coalesce(c.seq, -1), c.id
from citations c join footnotes f on f.id = c.footnote_id where c.id = ?"""


def _move_votes(conn, before: Cited, after: Cited) -> None:
    keys = {(sid, vote) for side in (before, after) for sid, cites in side.sources.items()
            for vote in cites.votes}
    for sid, vote in sorted(keys):
        b, a = before.sources.get(sid), after.sources.get(sid)
        delta = (a.votes[vote] if a else 0) - (b.votes[vote] if b else 0)
        row = conn.execute("select citations, first_citation_id from source_title_votes "
                           "where source_id = ? and kind = ? and value = ?",
                           [sid, *vote]).fetchone()
        count = (row[0] if row else 0) + delta
        if count <= 0:
            conn.execute("delete from source_title_votes where source_id = ? and kind = ? "
                         "and value = ?", [sid, *vote])
            continue
        first = row[1] if row else None
        mine = a.first.get(vote) if a else None
        if first is None or first in before.citation_ids:
            # the first was this document's replaced version: its new version is still first
            # (same document id), unless it no longer gives the value
            first = mine[1] if mine else _first_citation(conn, sid, vote)
        elif mine:
            order = conn.execute(_ORDER, [first]).fetchone()
            if order is None or mine[0] < tuple(order):
                first = mine[1]
        conn.execute("insert or replace into source_title_votes "
                     "(source_id, kind, value, citations, first_citation_id) "
                     "values (?, ?, ?, ?, ?)", [sid, *vote, count, first])


# The next document citing a source, and its citations of the source, both from
# note_sources' index on (source, document): no other document's rows read.
_NEXT_CITING = "select min(document_id) from note_sources where source_id = ? and document_id > ?"
_CITATIONS_IN = _COLUMNS_OF_CITATIONS + """
from note_sources n join citations c on c.id = n.citation_id
join footnotes f on f.id = c.footnote_id join sources s on s.id = c.source_id
where n.source_id = ? and n.document_id = ? and n.via_footnote_id is null
order by f.seq, c.seq, c.id
"""


def _first_citation(conn, sid: int, vote: tuple) -> int | None:
    """The first citation of the source giving ``vote``, in document and note order (only
    when the document that gave it first is removed or no longer gives it). Documents are
    read in order until one gives it, usually the first: reading all the source's citations
    took 100 ms a vote for a source cited by 3,000 documents, seconds for a removal."""
    doc = -1
    while (doc := conn.execute(_NEXT_CITING, [sid, doc]).fetchone()[0]) is not None:
        for row in conn.execute(_CITATIONS_IN, [sid, doc]):
            (_, cid, _, _, _, _, title, text, url, _, kind, key, source_url) = row
            if vote in _values(kind, key, source_url, title, text, url):
                return cid
    return None


def _top_vote(conn, sid: int, kind: str) -> str | None:
    row = conn.execute(
        """select v.value from source_title_votes v
           left join citations c on c.id = v.first_citation_id
           left join footnotes f on f.id = c.footnote_id
           where v.source_id = ? and v.kind = ?
           order by v.citations desc, f.document_id, f.seq, c.seq, c.id limit 1""",
        [sid, kind]).fetchone()
    return row[0] if row else None


def _first_vote(conn, sid: int, kind: str) -> str | None:
    row = conn.execute(
        """select v.value from source_title_votes v
           left join citations c on c.id = v.first_citation_id
           left join footnotes f on f.id = c.footnote_id
           where v.source_id = ? and v.kind = ?
           order by f.document_id, f.seq, c.seq, c.id limit 1""", [sid, kind]).fetchone()
    return row[0] if row else None


def _choose_titles(conn, ids) -> set[int]:
    """Choose the readable title of the sources ``ids``; returns those whose title changed."""
    changed = set()
    for chunk in _chunks(sorted(ids)):
        rows = conn.execute(f"select id, key, url, title, kind, title_words, readable_title_from "
                            f"from sources where id in ({_marks(chunk)})", chunk).fetchall()
        for sid, key, url, title, kind, old_words, old_from in rows:
            if title and title.strip() and old_from == "title":
                continue  # the stored title is never replaced
            title_, origin = readable_title(
                sid, key, title, _top_vote(conn, sid, "title"),
                _top_vote(conn, sid, "case") if is_case(kind, key) else None, None,
                url or _first_vote(conn, sid, "url"))
            words = norm_text(title_)
            conn.execute("update sources set readable_title = ?, readable_title_from = ?, "
                         "title_words = ? where id = ?", [title_, origin, words, sid])
            if words != old_words:
                changed.add(sid)
    return changed


# --- short forms ---------------------------------------------------------------------------

@dataclass
class _Source:
    id: int
    key: str | None
    url: str | None
    words: tuple
    notes: int
    full_id: int | None

    @property
    def rank(self) -> tuple:  # of two full citations a short form may abbreviate: the first
        return (len(self.words), self.id)


_SOURCE = "select id, key, url, title_words, citing_notes, short_form_of from sources "


def _sources(conn, where: str, params=()) -> list[_Source]:
    return [_Source(sid, key, url, tuple((words or "").split()), notes or 0, full)
            for sid, key, url, words, notes, full in conn.execute(_SOURCE + where, params)]


def _cited_together(conn, after: Cited, a: int, b: int) -> bool:
    if a in after.sources and b in after.sources:
        return True
    return conn.execute(
        """select 1 from note_sources x where x.source_id = ? and x.via_footnote_id is null
           and exists (select 1 from note_sources y where y.source_id = ?
                       and y.document_id = x.document_id and y.via_footnote_id is null)
           limit 1""", [a, b]).fetchone() is not None


def _names_author(conn, after: Cited, tag: str | None, full_id: int) -> bool:
    mine = after.sources.get(full_id)
    if tag is None or (mine and names_author(tag, mine.texts)):
        return True
    if conn.execute("select 1 from source_names_absent where source_id = ? and word = ?",
                    [full_id, tag]).fetchone():
        return False
    found = names_author(tag, conn.execute("select authors, text from citations "
                                           "where source_id = ?", [full_id]))
    if not found:
        conn.execute("insert or ignore into source_names_absent (source_id, word) "
                     "values (?, ?)", [full_id, tag])
    return found


def _forget_absent_names(conn, after: Cited) -> None:
    """A written citation naming a word remembered as absent from its source: forgotten
    (removals only take words away, so what was absent stays absent)."""
    for sid, cites in after.sources.items():
        absent = [r[0] for r in conn.execute(
            "select word from source_names_absent where source_id = ?", [sid])]
        if absent:
            words = set(norm_text(" ".join(f"{a or ''} {t or ''}" for a, t in cites.texts)).split())
            conn.executemany("delete from source_names_absent where source_id = ? and word = ?",
                             [(sid, w) for w in absent if w in words])


def _abbreviates(conn, after: Cited, short: _Source, full: _Source) -> bool:
    return (full.id != short.id and full.notes > 0
            and abbreviates(short.words, full.words, full.key)
            and _cited_together(conn, after, short.id, full.id)
            and _names_author(conn, after, author_tag(short.key), full.id))


def _full_of(conn, after: Cited, short: _Source) -> int | None:
    """The full citation ``short`` abbreviates, from all that may (db.source_titles rules)."""
    if not (short.notes and short.words and is_short_form(short.key, short.url)):
        return None
    text = " ".join(short.words)
    fulls = _sources(conn, "where (title_words = ? or (title_words > ? and title_words < ?)) "
                     "and citing_notes > 0", [text, text + " ", text + "!"])
    for full in sorted(fulls, key=lambda s: s.rank):
        if _abbreviates(conn, after, short, full):
            return full.id
    return None


def _pair_short_forms(conn, after: Cited, touched: set, replaced: set) -> None:
    was, pairs = {}, {}
    # 1. the short forms the write cites, and those whose full citation lost citations or
    # changed title: chosen again
    again = {s.id: s for chunk in _chunks(sorted(touched))
             for s in _sources(conn, f"where id in ({_marks(chunk)})", chunk)}
    for chunk in _chunks(sorted(replaced)):
        again.update((s.id, s) for s in _sources(
            conn, f"where short_form_of in ({_marks(chunk)})", chunk))
    for short in again.values():
        was[short.id], pairs[short.id] = short.full_id, _full_of(conn, after, short)
    # 2. a source the write cites may now be a better full citation of other short forms
    # (it gained an author's name, or a title): the others keep theirs
    for full in [s for s in again.values() if s.id in touched and s.notes and s.words]:
        starts = sorted({" ".join(full.words[:n]) for n in range(1, len(full.words) + 1)})
        for short in _sources(conn, f"where title_words in ({_marks(starts)}) "
                              "and citing_notes > 0", starts):
            if short.id in again or not is_short_form(short.key, short.url):
                continue
            was.setdefault(short.id, short.full_id)
            current = pairs.get(short.id, short.full_id)
            if current is not None:
                words = conn.execute("select title_words from sources where id = ?",
                                     [current]).fetchone()[0]
                if (len((words or "").split()), current) <= full.rank:
                    continue
            if _abbreviates(conn, after, short, full):
                pairs[short.id] = full.id
    conn.executemany("update sources set short_form_of = ? where id = ?",
                     [(full, short) for short, full in pairs.items() if full != was[short]])


# --- a database written before these columns (migration 4) --------------------------------

def fill(conn: sqlite3.Connection) -> None:
    """Everything above, for every document of an existing database: its documents' votes
    and counts one by one, then every title and short form once."""
    conn.execute("delete from source_title_votes")
    conn.execute("delete from source_names_absent")
    conn.execute("update sources set citing_notes = 0, citing_documents = 0, "
                 "short_form_of = null, readable_title_from = null")
    empty = Cited()
    for (doc,) in conn.execute("select id from documents order by id").fetchall():
        cited = collect(conn, doc)
        _move_counts(conn, empty, cited)
        _move_votes(conn, empty, cited)
    _choose_titles(conn, [r[0] for r in conn.execute("select id from sources")])
    shorts = _sources(conn, "where citing_notes > 0 and title_words != ''")
    conn.executemany("update sources set short_form_of = ? where id = ?",
                     [(_full_of(conn, empty, s), s.id) for s in shorts])


# --- reading ------------------------------------------------------------------------------

def stored(conn: sqlite3.Connection) -> bool:
    return "short_form_of" in {r[1] for r in conn.execute("pragma table_info(sources)")}


def require(conn: sqlite3.Connection) -> None:
    """Refuse, in one line naming the command that upgrades it, a database written before
    these columns and not upgraded since (pages read a served file as it is)."""
    if not stored(conn):
        path = conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"
        raise SchemaError(f"{path}: written before the list of sources was stored (column "
                          f"sources.short_form_of): upgrade it once with "
                          f"`citetrace upgrade --db {path}`")


def titled(conn, rows: list[dict], page_titles: bool) -> list[dict]:
    """``rows`` (with ``id``, ``readable_title``, ``readable_title_from``) get ``title``: the
    readable title, or for a source known only by its URL the page title check-links
    fetched, when the reader may see it (``page_titles``)."""
    by_url = [r["id"] for r in rows if r["readable_title_from"] not in CITED_ORIGINS]
    fetched = fetched_titles(conn, by_url) if page_titles and by_url else {}
    for r in rows:
        page = fetched.get(r["id"])
        r["title"] = " ".join(page.split()) if page and page.strip() else r["readable_title"]
    return rows


_COLUMNS = ("id", "key", "url", "kind", "readable_title", "readable_title_from",
            "citing_notes", "citing_documents", "short_form_of")


def cited_sources(conn, page_titles: bool) -> list[dict]:
    """Every source a note cites, with its title, counts and the full citation it abbreviates."""
    require(conn)
    cur = conn.execute(f"select {', '.join(_COLUMNS)} from sources where citing_notes > 0 "
                       "order by id")
    return titled(conn, [dict(zip(_COLUMNS, r)) for r in cur], page_titles)


def sources_by_id(conn, ids, page_titles: bool) -> dict[int, dict]:
    require(conn)
    out = []
    for chunk in _chunks(sorted({int(i) for i in ids})):
        cur = conn.execute(f"select {', '.join(_COLUMNS)} from sources "
                           f"where id in ({_marks(chunk)})", chunk)
        out += [dict(zip(_COLUMNS, r)) for r in cur]
    return {r["id"]: r for r in titled(conn, out, page_titles)}


def forms_of(conn, source_id: int, page_titles: bool) -> dict:
    """The source page's title, the full citation it abbreviates and its short forms."""
    require(conn)
    ids = [source_id, *(r[0] for r in conn.execute(
        "select short_form_of from sources where id = ? and short_form_of is not null",
        [source_id])), *(r[0] for r in conn.execute(
            "select id from sources where short_form_of = ? order by id", [source_id]))]
    found = sources_by_id(conn, ids, page_titles)
    me = found.get(source_id)

    def brief(sid):
        return {"id": sid, "title": found[sid]["title"]}
    return {"title": me["title"] if me else None,
            "full_form": brief(me["short_form_of"]) if me and me["short_form_of"] else None,
            "short_forms": [brief(s) for s in ids[1:] if found[s]["short_form_of"] == source_id]}
