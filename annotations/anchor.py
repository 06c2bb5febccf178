"""Anchoring: find an annotation's quote in the current text of its document.

Run after every document write (``db.store.write_document`` calls :func:`reanchor` inside
its transaction), because a re-ingest deletes the passage / note rows annotations point at.
The quote is looked up in the document's passage stream (passages in reading order joined
by :data:`~annotations.model.JOINER`) so that it is found however the passages are split:

1. exactly (after whitespace / Unicode normalization), the prefix / suffix context picking
   between repeated occurrences;
2. fuzzily (rapidfuzz), first locating prefix + quote + suffix, then the quote inside;
3. otherwise the annotation is marked ``orphaned``: ids cleared (they would point at other
   rows now), quote kept, never deleted.

Re-anchoring runs while the ingest holds the write lock, so it is bounded: fuzzy matching
compares pieces of at most FUZZY_PIECE characters (a long quote is placed by its head and tail,
then scored whole once), quotes over FUZZY_MAX_QUOTE characters are matched exactly only, and
fuzzy matching stops after REANCHOR_SECONDS per document (exact matches are made first, for
every annotation). What is not placed in time is ``orphaned`` like any other: its quote and
body stay, and the next re-ingest tries again.

A removed document's annotations are orphaned the same way (:func:`orphan_document`, in
``db.store.remove_document``'s transaction), its id cleared too: ingesting the same file again
re-anchors them like any re-ingest.
"""

from __future__ import annotations

import json
import sqlite3
import time
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz

from citetrace.annotations.model import JOINER, QUOTE_CONTEXT
from citetrace.annotations.tx import conn_of, now, transaction

FUZZY_MIN_SCORE = 85.0  # rapidfuzz ratio (0-100) between the quote and the text found
FUZZY_MIN_LENGTH = 8  # shorter quotes are only ever matched exactly
# partial_ratio's cost grows with the square of the needle: 8,000 characters absent from a
# 400,000-character document took 52 s, 256 take well under 0.1 s even in 1 MB.
FUZZY_PIECE = 256
FUZZY_MAX_QUOTE = 20_000  # longer quotes: exact matches only
REANCHOR_SECONDS = 5.0  # fuzzy matching per document write (the write lock is held meanwhile)
REANCHOR_ACTOR = "citetrace:reanchor"
REMOVE_ACTOR = "citetrace:remove"  # the history's actor when a removed document's annotations are detached


def normalize(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs collapsed, NFKC applied and soft hyphens dropped, plus for
    every normalized character the index of the raw character it came from (and one more
    entry: ``len(text)``), so matches map back to raw offsets."""
    out: list[str] = []
    index: list[int] = []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        if ch == "\u00ad":
            continue
        norm = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for c in norm:
            out.append(c)
            index.append(i)
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    index.append(len(text))
    return "".join(out), index


def norm(text: str) -> str:
    return normalize(text or "")[0]


@dataclass
class Stream:
    """The texts of one kind of row (passages or notes) of a document, joined."""

    kind: str  # passage | note
    ids: list[int]
    starts: list[int]  # raw offset of each row's text
    texts: list[str]
    raw: str
    normal: str
    index: list[int]

    @classmethod
    def build(cls, kind: str, rows: list[tuple[int, str]]) -> "Stream":
        ids, starts, texts, pos = [], [], [], 0
        for row_id, text in rows:
            ids.append(row_id)
            starts.append(pos)
            texts.append(text or "")
            pos += len(text or "") + len(JOINER)
        raw = JOINER.join(texts)
        normal, index = normalize(raw)
        return cls(kind, ids, starts, texts, raw, normal, index)

    def row_at(self, raw_pos: int) -> int:
        """Index of the row holding raw offset ``raw_pos`` (a joiner belongs to the next row)."""
        i = bisect_right(self.starts, raw_pos) - 1
        i = max(0, i)
        if raw_pos >= self.starts[i] + len(self.texts[i]) and i + 1 < len(self.ids):
            return i + 1
        return i

    def offset_of(self, row_id: int) -> int | None:
        try:
            return self.starts[self.ids.index(row_id)]
        except ValueError:
            return None

    def context(self, raw_start: int, raw_end: int) -> tuple[str, str]:
        """Prefix and suffix of a span, as stored in a TextQuoteSelector."""
        return (self.raw[max(0, raw_start - QUOTE_CONTEXT):raw_start],
                self.raw[raw_end:raw_end + QUOTE_CONTEXT])


@dataclass
class Match:
    stream: Stream
    raw_start: int
    raw_end: int
    method: str  # exact | fuzzy
    score: float

    def position(self) -> dict:
        """Row ids and TextPositionSelector offsets (relative to the first row)."""
        s = self.stream
        first = s.row_at(self.raw_start)
        last = max(first, s.row_at(max(self.raw_start, self.raw_end - 1)))
        base = s.starts[first]
        start, end = self.raw_start - base, self.raw_end - base
        if s.kind == "note":
            # Notes do not continue into each other: clip to the note the quote starts in.
            end = min(end, len(s.texts[first]))
            return {"footnote_id": s.ids[first], "passage_id": None, "end_passage_id": None,
                    "start": start, "end": end}
        return {"passage_id": s.ids[first], "end_passage_id": s.ids[last], "footnote_id": None,
                "start": start, "end": end}


def _context_score(stream: Stream, ns: int, ne: int, prefix: str, suffix: str) -> float:
    score = 0.0
    if prefix:
        before = stream.normal[max(0, ns - len(prefix) - 1):ns]
        score += fuzz.ratio(prefix.strip(), before.strip())
    if suffix:
        after = stream.normal[ne:ne + len(suffix) + 1]
        score += fuzz.ratio(suffix.strip(), after.strip())
    return score


def _to_raw(stream: Stream, ns: int, ne: int) -> tuple[int, int]:
    return stream.index[ns], stream.index[ne - 1] + 1


def _exact(stream: Stream, quote: str, prefix: str, suffix: str, hint: int | None):
    hits, at = [], stream.normal.find(quote)
    while at >= 0:
        hits.append(at)
        at = stream.normal.find(quote, at + 1)
    if not hits:
        return None

    def rank(ns):
        distance = abs(stream.index[ns] - hint) if hint is not None else 0
        return (-_context_score(stream, ns, ns + len(quote), prefix, suffix), distance, ns)

    ns = min(hits, key=rank) if len(hits) > 1 else hits[0]
    return Match(stream, *_to_raw(stream, ns, ns + len(quote)), "exact", 100.0)


def _refine(text: str, quote: str, ws: int, we: int) -> tuple[int, int, float]:
    """Nudge a fuzzy window's ends to the best ratio (alignment windows are approximate)."""
    slack = max(2, min(12, len(quote) // 4))
    best = (fuzz.ratio(quote, text[ws:we]), ws, we)
    for s in range(max(0, ws - slack), min(len(text), ws + slack) + 1):
        for e in range(max(s + 1, we - slack), min(len(text), we + slack) + 1):
            score = fuzz.ratio(quote, text[s:e])
            if score > best[0]:
                best = (score, s, e)
    return best[1], best[2], best[0]


def _fuzzy(stream: Stream, quote: str, prefix: str, suffix: str) -> Match | None:
    if not (FUZZY_MIN_LENGTH <= len(quote) <= FUZZY_MAX_QUOTE) or not stream.normal:
        return None
    long = len(quote) > FUZZY_PIECE
    span = (_long_span if long else _span)(stream.normal, quote, prefix, suffix)
    if span is None:
        return None
    ns, ne, score = span
    return Match(stream, *_to_raw(stream, ns, ne), "fuzzy", round(score, 1))


def _span(text: str, quote: str, prefix: str, suffix: str) -> tuple[int, int, float] | None:
    """Normalized offsets and score of a quote of at most FUZZY_PIECE characters."""
    if not text:
        return None
    lo, hi = 0, len(text)
    if prefix or suffix:
        # The context narrows the search to the right occurrence of a short, common quote.
        ctx = fuzz.partial_ratio_alignment(f"{prefix}{quote}{suffix}", text)
        if ctx is not None and ctx.score >= FUZZY_MIN_SCORE - 10:
            margin = len(quote) // 2 + 4
            lo, hi = max(0, ctx.dest_start - margin), min(len(text), ctx.dest_end + margin)
    found = fuzz.partial_ratio_alignment(quote, text[lo:hi])
    if found is None and (lo, hi) != (0, len(text)):
        found = fuzz.partial_ratio_alignment(quote, text)
        lo = 0
    if found is None or found.score < FUZZY_MIN_SCORE - 5:
        return None
    ns, ne, score = _refine(text, quote, lo + found.dest_start, lo + found.dest_end)
    # Boundaries on spaces are noise of the alignment, not part of the quote.
    while ns < ne and text[ns] == " ":
        ns += 1
    while ne > ns and text[ne - 1] == " ":
        ne -= 1
    if score < FUZZY_MIN_SCORE or ne <= ns:
        return None
    return ns, ne, score


def _long_span(text: str, quote: str, prefix: str, suffix: str) -> tuple[int, int, float] | None:
    """A long quote placed by its first and last FUZZY_PIECE characters (the second looked
    for where the first says it should be), then scored whole with one ratio."""
    n = len(quote)
    head, tail = quote[:FUZZY_PIECE], quote[-FUZZY_PIECE:]
    slack = n // 5  # the text between may have grown or shrunk by a fifth
    if first := _span(text, head, prefix, ""):
        ns = first[0]
        last = _span_in(text, tail, max(ns, ns + n - FUZZY_PIECE - slack), ns + n + slack)
        ne = last[1] if last else None
    elif last := _span(text, tail, "", suffix):
        ne = last[1]
        first = _span_in(text, head, ne - n - slack, ne - n + FUZZY_PIECE + slack)
        ns = first[0] if first else None
    else:
        return None
    if ns is None or ne is None or not (n - slack <= ne - ns <= n + slack):
        return None
    score = fuzz.ratio(quote, text[ns:ne])
    return (ns, ne, score) if score >= FUZZY_MIN_SCORE else None


def _span_in(text: str, piece: str, lo: int, hi: int) -> tuple[int, int, float] | None:
    """:func:`_span` of ``piece`` inside ``text[lo:hi]``, in offsets of ``text``."""
    lo, hi = max(0, lo), min(len(text), hi)
    found = _span(text[lo:hi], piece, "", "")
    return (lo + found[0], lo + found[1], found[2]) if found else None


def locate(streams: list[Stream], exact: str, prefix: str = "", suffix: str = "",
           hint: int | None = None, fuzzy: bool = True) -> Match | None:
    """Where the quote is now: the first stream with an exact match, else (unless ``fuzzy``
    is off) the best fuzzy one."""
    quote = norm(exact)
    if not quote:
        return None
    nprefix, nsuffix = norm(prefix)[-QUOTE_CONTEXT:], norm(suffix)[:QUOTE_CONTEXT]
    for i, stream in enumerate(streams):
        m = _exact(stream, quote, nprefix, nsuffix, hint if i == 0 else None)
        if m:
            return m
    if not fuzzy:
        return None
    found = [m for s in streams if (m := _fuzzy(s, quote, nprefix, nsuffix))]
    return max(found, key=lambda m: m.score) if found else None


# --- the document's rows ----------------------------------------------------------------


def load_streams(conn: sqlite3.Connection, document_id: int) -> dict[str, Stream]:
    passages = conn.execute(
        "select id, text from passages where document_id = ? order by seq, id", [document_id]
    ).fetchall()
    notes = conn.execute(
        "select id, text from footnotes where document_id = ? order by seq, id", [document_id]
    ).fetchall()
    return {"passage": Stream.build("passage", passages), "note": Stream.build("note", notes)}


def claim_for(conn: sqlite3.Connection, passage_id: int | None, start: int, end: int) -> int | None:
    """The claim overlapping the start of the span the most (in the passage it starts in)."""
    if passage_id is None:
        return None
    best, best_overlap = None, 0
    for cid, cs, ce in conn.execute(
            "select id, start, end from claims where passage_id = ? order by id", [passage_id]):
        if cs is None or ce is None:
            continue
        overlap = min(end, ce) - max(start, cs)
        if overlap > best_overlap:
            best, best_overlap = cid, overlap
    return best


def source_for(conn: sqlite3.Connection, footnote_id: int | None, claim_id: int | None,
               exact: str) -> int | None:
    """The cited source the span is about: a note's citation containing the quote, or the
    single source of the note / of the claim's notes."""
    if footnote_id is not None:
        rows = conn.execute(
            "select text, source_id from citations where footnote_id = ? and source_id is not null "
            "order by seq", [footnote_id]).fetchall()
        quote = norm(exact)
        for text, source_id in rows:
            if quote and (quote in norm(text) or norm(text) in quote):
                return source_id
        sources = {r[1] for r in rows}
    elif claim_id is not None:
        sources = {r[0] for r in conn.execute(
            "select distinct c.source_id from claim_footnotes cf join citations c "
            "on c.footnote_id = cf.footnote_id where cf.claim_id = ? and c.source_id is not null",
            [claim_id])}
    else:
        return None
    return sources.pop() if len(sources) == 1 else None


def position_fields(conn: sqlite3.Connection, match: Match, exact: str) -> dict:
    pos = match.position()
    pos["target_kind"] = match.stream.kind
    pos["claim_id"] = claim_for(conn, pos["passage_id"], pos["start"], pos["end"])
    pos["source_id"] = source_for(conn, pos["footnote_id"], pos["claim_id"], exact)
    pos["anchor"] = "exact" if match.method == "exact" else "fuzzy"
    pos["anchor_score"] = match.score
    return pos


ORPHAN = {"passage_id": None, "end_passage_id": None, "footnote_id": None, "claim_id": None,
          "source_id": None, "start": None, "end": None, "anchor": "orphaned",
          "anchor_score": None}


def anchored_text(conn: sqlite3.Connection, row: dict) -> str | None:
    """The text an annotation points at now (None when orphaned)."""
    if row.get("anchor") == "orphaned" or row.get("start") is None:
        return None
    if row.get("footnote_id") is not None:
        text = conn.execute("select text from footnotes where id = ?", [row["footnote_id"]]).fetchone()
        return text[0][row["start"]:row["end"]] if text else None
    if row.get("passage_id") is None:
        return None
    doc = conn.execute("select document_id from passages where id = ?", [row["passage_id"]]).fetchone()
    if not doc:
        return None
    stream = load_streams(conn, doc[0])["passage"]
    base = stream.offset_of(row["passage_id"])
    return stream.raw[base + row["start"]:base + row["end"]]


def reanchor(db, document_id: int, actor: str = REANCHOR_ACTOR,
             seconds: float = REANCHOR_SECONDS) -> dict[str, int]:
    """Re-attach every annotation of a document (all states) to its current rows.

    Exact matches first, for every annotation; then fuzzy ones for the rest, until
    ``seconds`` have passed: the others are orphaned (counted under ``out_of_time`` too).
    Writes a history row for each annotation whose anchor changed. Returns counts by anchor.
    ``modified`` is left alone: it dates the reviewer's annotation, not the extraction's ids.
    """
    conn = conn_of(db)
    doc = conn.execute("select sha256 from documents where id = ?", [document_id]).fetchone()
    if not doc:
        return {}
    if not conn.execute("select 1 from sqlite_master where name = 'annotations'").fetchone():
        return {}
    rows = _of_document(conn, doc[0])
    counts: dict[str, int] = {}
    if not rows:
        return counts
    streams = load_streams(conn, document_id)
    deadline = time.monotonic() + seconds

    def place(row: dict, fuzzy: bool) -> Match | None:
        order = ["note", "passage"] if row["target_kind"] == "note" else ["passage", "note"]
        return locate([streams[k] for k in order], row["exact"], row["prefix"] or "",
                      row["suffix"] or "", fuzzy=fuzzy)

    matches = {row["id"]: place(row, fuzzy=False) for row in rows}
    for row in rows:
        if matches[row["id"]] is None:
            if time.monotonic() < deadline:
                matches[row["id"]] = place(row, fuzzy=True)
            else:
                counts["out_of_time"] = counts.get("out_of_time", 0) + 1
    at = now()
    with transaction(conn):
        for row in rows:
            match = matches[row["id"]]
            new = position_fields(conn, match, row["exact"]) if match else dict(ORPHAN)
            new["document_id"] = document_id
            counts[new["anchor"]] = counts.get(new["anchor"], 0) + 1
            _move(conn, row, new, at, actor)
    return counts


def _move(conn: sqlite3.Connection, row: dict, new: dict, at: str, actor: str) -> bool:
    """Write an annotation's new anchor (``new``: its changed columns) with a history row
    saying what changed; nothing when nothing did. True when it was written."""
    changes = {k: [row[k], v] for k, v in new.items() if row.get(k) != v}
    if not changes:
        return False
    sets = ", ".join(f'"{k}" = ?' for k in changes)
    conn.execute(f"update annotations set {sets} where id = ?",
                 [v[1] for v in changes.values()] + [row["id"]])
    conn.execute(
        "insert into annotation_history (annotation_id, annotation_uuid, at, actor, action, "
        "changes) values (?, ?, ?, ?, ?, ?)",
        [row["id"], row["uuid"], at, actor,
         "orphan" if new["anchor"] == "orphaned" else "reanchor", json.dumps(changes)])
    return True


def _of_document(conn: sqlite3.Connection, sha256: str) -> list[dict]:
    cur = conn.execute("select * from annotations where document_sha256 = ? order by id", [sha256])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def orphan_document(db, sha256: str, actor: str = REMOVE_ACTOR) -> int:
    """Detach every annotation of a document that is being removed (all states), as a
    re-ingest detaches those whose text is gone: ids cleared (the rows they name are deleted,
    and a later document may be given the same ids), ``anchor`` orphaned, quote and body
    kept, one history row each. Ingesting the same file again (same sha256) re-anchors them.
    Runs in the caller's transaction when there is one. Returns how many are tied to the
    document (already orphaned ones included)."""
    conn = conn_of(db)
    if not conn.execute("select 1 from sqlite_master where name = 'annotations'").fetchone():
        return 0
    rows = _of_document(conn, sha256)
    at = now()
    with transaction(conn):
        for row in rows:
            _move(conn, row, {**ORPHAN, "document_id": None}, at, actor)
    return len(rows)
