"""Body sentences, whole: segmentation over the reading-order text of the body.

Passages arrive with their note markers already taken out (``Marker.start`` keeps where
each stood). A paragraph cut by a block that is not body prose (a sidebar, a figure, a
running item the layout read as a heading) is stitched back here: the pieces become one
text, so a sentence interrupted by any break is one sentence carrying all its markers.
List items that finish a lead-in ("... including: • x; • y; or • z.") join it the same way.

Segmentation follows the claims guidelines: a sentence ends at ``. ? !`` (plus closing
quotes or brackets, and any marker) followed by a capital letter, a quote, a digit or an
opening bracket; abbreviations (U.S., e.g., P.L., No., Mr., et al., initials) and colons or
semicolons do not end one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citetrace.ingest.model import Document

# Tokens ending in "." that never end a sentence.
ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.g", "i.e", "p.l", "no", "nos", "mr", "mrs", "ms", "dr", "st", "jr",
    "sr", "prof", "gen", "sen", "rep", "reps", "gov", "lt", "col", "capt", "sec", "secs", "art",
    "vol", "vols", "pp", "p", "fig", "figs", "al", "inc", "co", "corp", "ltd", "vs", "v", "cf",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ch",
    "para", "paras", "ed", "eds", "approx", "est", "dept", "div", "ave", "hon", "op", "cit",
    "u.s.c", "c.f.r", "stat", "cong", "h.r", "fed", "reg", "sess", "amend", "cl", "ord",
    "mt", "ft", "ibid", "id", "d.c", "n.y", "a.m", "p.m", "ph.d", "pub",
}
CLOSERS = "\"'”’)]»"
OPENERS = "\"'“‘([«"
BOUNDARY = re.compile(r"[.?!…]+[" + re.escape(CLOSERS) + r"]*(?=\s+|$)")
BULLET = re.compile(r"^\s*(?:[•▪◦●■▶►‣⁃–—-]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+")
# A lead-in that a list finishes: ends in ":" or in a word that wants its object.
LEAD_IN_END = re.compile(r"(?::|\b(?:including|include|includes|such as|are|is|to|and|or|of|"
                         r"for|by|that|with|were|was|the|a|an|in|on|at|from|into|as|than|"
                         r"under|over|between|about|after|before))$", re.IGNORECASE)
TERMINAL = re.compile(r"[.?!…][" + re.escape(CLOSERS) + r"]*$")


@dataclass
class Piece:
    """Part of a sentence lying in one passage: ``text[start:end]`` of passage ``passage``."""

    passage: int
    start: int
    end: int


@dataclass
class Sentence:
    text: str
    pieces: list[Piece]
    zone: str  # body | summary | abstract | textbox
    unit: int  # the stitched text (paragraph) it belongs to
    span: tuple[int, int]  # where it lies in the stitched text
    notes: list[int] = field(default_factory=list)  # Document.footnotes indexes, in order
    labels: list[str] = field(default_factory=list)  # marker labels as printed, in order
    last_in_unit: bool = False

    @property
    def passage(self) -> int:
        return self.pieces[0].passage


@dataclass
class _Span:
    """A stretch of a stitched text that comes from one passage."""

    passage: int
    offset: int  # where it starts in the stitched text
    start: int  # where it starts in the passage text
    end: int


def _strip_item(text: str) -> int:
    """Length of a list item's bullet or number ('•', '1.', '(a)'): left out of the sentence."""
    m = BULLET.match(text)
    return m.end() if m else 0


def _joins(prev_text: str, prev_kind: str, text: str, kind: str) -> bool:
    """Does body passage `text` carry on the text stitched so far (ending in `prev_text`)?"""
    head = text.lstrip()
    if not head or not prev_text.strip():
        return False
    tail = prev_text.rstrip()
    if kind == "list_item":
        body = head[_strip_item(head):]
        if prev_kind == "list_item":
            # items of one list sentence end in ';', ',' or a conjunction, the last in '.'
            return not TERMINAL.search(tail) and not body[:1].isupper() or tail.endswith((";", ","))
        return bool(LEAD_IN_END.search(tail)) and not (body[:1].isupper() and TERMINAL.search(body))
    if TERMINAL.search(tail) or tail.endswith(":"):
        return False
    # a paragraph cut mid-sentence: the rest starts in lower case, or the cut fell after a
    # lower-case word or a comma ("... to assist state and local" | "Congress ...")
    return head[0].islower() or bool(re.search(r"(?:\b[a-z][a-z'’-]*|,)$", tail))


def stitched_units(doc: Document, zones: list[str | None]) -> list[tuple[str, list[_Span], str]]:
    """The body as stitched texts: (text, its spans, zone), in reading order."""
    units: list[tuple[list[str], list[_Span], str, str]] = []  # parts, spans, zone, last kind
    for i, p in enumerate(doc.passages):
        zone = zones[i]
        if zone is None:
            continue
        skip = _strip_item(p.text) if p.kind == "list_item" else 0
        while skip < len(p.text) and p.text[skip].isspace():
            skip += 1
        if skip >= len(p.text):
            continue
        # a sentence cut by a sidebar goes on whatever zone the sidebar's heading opened
        carried = units and (units[-1][2] == zone or p.text[skip:skip + 1].islower())
        if carried and _joins("".join(units[-1][0]), units[-1][3], p.text, p.kind):
            parts, spans, zone, _kind = units[-1]
            parts.append(" ")
            offset = sum(len(x) for x in parts)
            parts.append(p.text[skip:])
            spans.append(_Span(i, offset, skip, len(p.text)))
            units[-1] = (parts, spans, zone, p.kind)
        else:
            units.append(([p.text[skip:]], [_Span(i, 0, skip, len(p.text))], zone, p.kind))
    return [("".join(parts), spans, zone) for parts, spans, zone, _k in units]


def _is_abbreviation(text: str, end: int) -> bool:
    """Is the '.' at text[end - 1] the end of an abbreviation or an initial?"""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\.$", text[:end])
    if not m or (m.start() > 0 and text[m.start() - 1] in "'’"):  # "last year’s." ends a sentence
        return False
    word = m.group(1)
    if word.lower() in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "Svante E. Cornell"
        return True
    return bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word))  # "U.S", "D.C"


def boundaries(text: str, marker_offsets: set[int] = frozenset()) -> list[int]:
    """Offsets where sentences end in `text` (the last one is len(text))."""
    cuts = []
    for m in BOUNDARY.finditer(text):
        end = m.end()
        rest = text[end:].lstrip()
        if not rest:
            continue
        if m.group(0)[0] == "." and len(m.group(0).rstrip(CLOSERS)) == 1 and _is_abbreviation(text, m.start() + 1):
            continue
        nxt = rest[0]
        if nxt.isupper() or nxt.isdigit() or nxt in OPENERS or nxt == "[":
            cuts.append(end)
    # a marker glued to the next word ("lanes.11Next" lost its space) still ends the sentence
    for off in marker_offsets:
        if 0 < off < len(text) and TERMINAL.search(text[:off]) and text[off:off + 1].isupper():
            cuts.append(off)
    cuts = sorted(set(cuts))
    return cuts + [len(text)]


def body_sentences(doc: Document, zones: list[str | None]) -> list[Sentence]:
    """Every body sentence with its pieces and the markers it carries."""
    markers_at: dict[int, list] = {}
    for m in doc.markers:
        markers_at.setdefault(m.passage, []).append(m)
    out: list[Sentence] = []
    for u, (text, spans, zone) in enumerate(stitched_units(doc, zones)):
        marks = []  # (offset in stitched text, marker)
        for sp in spans:
            for m in markers_at.get(sp.passage, ()):
                if sp.start <= m.start <= sp.end:
                    marks.append((sp.offset + m.start - sp.start, m))
        marks.sort(key=lambda om: om[0])
        cuts = boundaries(text, {o for o, _m in marks})
        start = 0
        unit_sents: list[Sentence] = []
        for end in cuts:
            s, e = _trim(text, start, end)
            start = end
            if s >= e:
                continue
            pieces = _pieces(spans, s, e)
            unit_sents.append(Sentence(text=text[s:e], pieces=pieces, zone=zone, unit=u, span=(s, e)))
        # A marker belongs to the last sentence starting before it: the one it closes or sits in.
        for off, m in marks:
            owner = None
            for sent in unit_sents:
                if sent.span[0] < off or (owner is None and sent.span[0] <= off):
                    owner = sent
            if owner is not None:
                owner.labels.append(m.label)
                if m.note is not None and m.note not in owner.notes:
                    owner.notes.append(m.note)
        if unit_sents:
            unit_sents[-1].last_in_unit = True
        out.extend(unit_sents)
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _pieces(spans: list[_Span], s: int, e: int) -> list[Piece]:
    out = []
    for sp in spans:
        length = sp.end - sp.start
        lo, hi = max(s, sp.offset), min(e, sp.offset + length)
        if lo < hi:
            out.append(Piece(sp.passage, sp.start + lo - sp.offset, sp.start + hi - sp.offset))
    return out
