"""Body sentences, whole: segmentation over the reading-order text of the body.

Passages arrive with their note markers already taken out (``Marker.start`` keeps where
each stood). A paragraph cut by a block that is not body prose (a sidebar, a figure, a
running item the layout read as a heading) is stitched back here: the pieces become one
text, so a sentence interrupted by any break is one sentence carrying all its markers.
List items that finish a lead-in ("... including: • x; • y; or • z.") join it the same way,
and so do items that are not sentences of their own ("... the following actions: • Installing
new software. • Revising the manual."): such an item's full stop does not end the sentence.
Items that are full sentences stay separate.

Segmentation follows the claims guidelines: a sentence ends at ``. ? !`` (plus closing
quotes or brackets, and any marker) followed by a capital letter, a quote, a digit or an
opening bracket (or a section sign: a court's record citation "§1.01(b), id., at 9." is a
sentence of its own); abbreviations (U.S., e.g., P.L., No., Mr., et al., initials) and colons or
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
    # legal citations: "1 App. 13", "(9th Cir. 2019)", "F. Supp. 2d", "at 235, n. 5", "Tex. Ct."
    "app", "cir", "supp", "ct", "ann", "rev", "n", "nn", "pt", "pts", "subch", "ex", "dist",
    # state reporters before "App." ("161 Wn. App. 1", "Cal. App. 4th", "Tex. App.")
    "wn", "cal", "tex", "okla", "ariz", "colo", "conn", "mich", "minn", "fla",
    # inside a case citation or a record cite: "104 S.Ct. 2052", "80 L.Ed.2d", "In re Pers.
    # Restraint of", "State ex rel. Carroll", "U.S. Const. amend. VI", "Exh. 14", "(Def. Exhibit 14)"
    "s.ct", "l.ed", "pers", "rel", "const", "exh", "exhs", "def",
}
# States as reporters abbreviate them ("145 Or. App. 36", "12 Ill. 2d 5", "80 Wash. 2d 307",
# "450 Mass. 12", "3 So. 3d 9"), only when capitalised: "he fell ill." and "told me." end sentences
CAPITALISED_ABBREVIATIONS = {
    "Ala", "Ariz", "Ark", "Cal", "Colo", "Conn", "Del", "Fla", "Ga", "Haw", "Ill", "Ind", "Kan", "Ky",
    "La", "Md", "Me", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Or", "Pa",
    "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "So", "Wn",
}
# "Id." is a citation sentence of its own: before a capitalised word it ends one ("... (2003).
# Id. The court then held ..."); before a page ("Id. 5", "Id. at 5") it does not.
SENTENCE_ABBREVIATIONS = {"id", "ibid"}
CLOSERS = "\"'”’)]»"
OPENERS = "\"'“‘([«"
BOUNDARY = re.compile(r"[.?!…]+[" + re.escape(CLOSERS) + r"]*(?=\s+|$)")
BULLET = re.compile(r"^\s*(?:[•▪◦●■▶►‣⁃–—-]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+")
# A lead-in that a list finishes: ends in ":" or in a word that wants its object.
LEAD_IN_END = re.compile(r"(?::|\b(?:including|include|includes|such as|are|is|to|and|or|of|"
                         r"for|by|that|with|were|was|the|a|an|in|on|at|from|into|as|than|"
                         r"under|over|between|about|after|before))$", re.IGNORECASE)
TERMINAL = re.compile(r"[.?!…][" + re.escape(CLOSERS) + r"]*$")
# A line break that lost its space: "reference lists.The references" (a word of two or more
# lower-case letters, the stop, a capitalised word). URLs and e-mail addresses are left alone.
GLUED = re.compile(r"(?<=[a-z]{2})[.?!][" + re.escape(CLOSERS) + r"]*(?=[A-Z][a-z])")
# ... and after a closing bracket or quote: "(author, title, year, etc.).This campaign", "“...:1.33”.This
# identifier" (a number inside the quote is no domain name, "example.com”.The" is)
GLUED_AFTER_CLOSER = re.compile(r"(?<=[)\]”’\"])[.?!](?=[A-Z][a-z])")
# Words in -ing that open a sentence rather than a predicate ("During the war, ...").
NOT_GERUND = {"during", "according", "notwithstanding", "regarding", "concerning", "following",
              "nothing", "something", "everything", "anything", "morning", "evening", "king",
              "spring", "string", "thing", "things", "being", "wing", "ring", "sing", "bring"}
FINITE = {"is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "may",
          "might", "must", "should", "shall", "does", "did", "do"}
# An item that is a noun phrase carrying a non-restrictive relative clause: "Intrinsic factors,
# which depend on ...": no main verb of its own, it names what the lead-in announced.
NOUN_PHRASE_ITEM = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,4},\s+(?:which|who|whose|where)\b")
# An item that is a label and its gloss, no clause: "Primary sources: any documentary evidence,
# either in original or edited.", "Extraction of named entities: a) names of ancient authors ...".
# (With a clause after the label, "Detection of relations: since a reference is represented ...",
# it is a sentence of its own.)
LABEL_ITEM = re.compile(r"^[A-Z][\w'’-]*(?:,?\s+[\w'’()-]+){0,7}:\s+(?P<gloss>[a-z(].*)$", re.DOTALL)
# A passage of a text cited by an abbreviated title or a letter and its numbers ("Aen. 1, 33",
# "Il. 1,30; 3.87", "b. 1, c. 7"): the stop after the abbreviation is no sentence end. The numbers
# are followed by punctuation, not by words (as "low. 10 states ..." would be).
LOCUS = re.compile(r"(?<![\w.])(?:[a-z]|[A-Z][a-z]{1,3})\.$")
LOCUS_NUMBERS = re.compile(r"\d{1,4}(?:\s?[.,:]\s?\d{1,4})*\s?[,;)\]”\"’.]")


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


def is_fragment_item(body: str) -> bool:
    """Is a list item's text (bullet left out) not a sentence of its own, but a predicate or a
    name that completes its lead-in? It starts in lower case, with a gerund ("Installing new
    software and ..."), or is a noun phrase with a relative clause ("Intrinsic factors, which
    depend on ...")."""
    body = body.lstrip()
    first = re.match(r"[A-Za-z][\w'’-]*", body)
    if not first:
        return False
    word = first.group(0)
    if word[0].islower():
        return True
    lower = word.lower()
    # a gerund takes its object or a comma after it ("Installing new", "Requiring, for");
    # a name in -ing ("Boeing Special ...") or a gerund as subject ("Training is ...") does not
    after = re.match(r"\s*(,|[a-z][\w'’-]*)", body[first.end():])
    if lower.endswith("ing") and len(lower) > 5 and lower not in NOT_GERUND and after \
            and after.group(1) not in FINITE:
        return True
    if NOUN_PHRASE_ITEM.match(body):
        return True
    label = LABEL_ITEM.match(body)
    if label is None:
        return False
    gloss = label.group("gloss")
    gloss = gloss[:boundaries(gloss)[0]]  # its first sentence
    return not any(w.lower() in FINITE for w in re.findall(r"[A-Za-z]+", gloss))


def _joins(prev_text: str, prev_kind: str, text: str, kind: str, adjacent: bool = True,
           fragment: bool | None = None) -> bool:
    """Does body passage `text` carry on the text stitched so far (ending in `prev_text`, whose
    last passage is of `prev_kind`)? `adjacent`: nothing but a stray table cell was left out
    between them (no heading, table or caption). `fragment`: is_fragment_item of a list
    item's text, where the caller has it already."""
    head = text.lstrip()
    if not head or not prev_text.strip():
        return False
    tail = prev_text.rstrip()
    if kind == "list_item":
        body = head[_strip_item(head):]
        fragment = (is_fragment_item(body) if fragment is None else fragment) and adjacent
        if prev_kind == "list_item":
            # items of one list sentence end in ';', ',' or a conjunction, the last in '.';
            # items that are not sentences of their own make one unit whatever they end in
            return not TERMINAL.search(tail) and not body[:1].isupper() or tail.endswith((";", ",")) \
                or fragment
        return bool(LEAD_IN_END.search(tail)) and not (body[:1].isupper() and TERMINAL.search(body)) \
            or fragment and tail.endswith(":")
    if TERMINAL.search(tail):
        return False
    if tail.endswith(":"):
        # a colon does not end a sentence: the paragraph right after it finishes it
        # ("... has also been questioned:" | page break | "it appears clear that ...")
        # (not a bulleted line the layout left in a paragraph, nor a letter's "Dear Mr. Chairman:")
        return adjacent and kind == "paragraph" and prev_kind == "paragraph" and not BULLET.match(head) \
            and not re.search(r"(?:^|[.?!]\s)Dear\s[^:]{1,60}:$", tail)
    # a paragraph cut mid-sentence: the rest starts in lower case, or the cut fell after a
    # lower-case word or a comma ("... to assist state and local" | "Congress ..."), or the
    # text stitched so far is prose whose last sentence is left unfinished ("... The FAA will
    # post the draft Boeing 737 Flight Standardization" | table | "Board Report at ...")
    return head[0].islower() or bool(re.search(r"(?:\b[a-z][a-z'’-]*|,)$", tail)) \
        or kind == prev_kind == "paragraph" and _unfinished_prose(tail)


TAIL_WINDOW = 1000  # characters of a stitched text _unfinished_prose reads first


def _unfinished_prose(tail: str) -> bool:
    """Does the text end in a sentence begun after a finished one, and left without its end?
    Only the text's last part is read (from a word's start, TAIL_WINDOW characters back; a
    sentence end is told from the words around it): the whole text only where no sentence
    ends in that part."""
    start = tail.rfind(" ", 0, len(tail) - TAIL_WINDOW) + 1 if len(tail) > TAIL_WINDOW else 0
    cuts = boundaries(tail[start:])
    if len(cuts) < 2 and start:
        start, cuts = 0, boundaries(tail)
    last = tail[start + cuts[-2]:].strip() if len(cuts) > 1 else ""
    return len(last.split()) >= 4 and not re.search(r"[:;]$", last)


@dataclass
class Unit:
    """A stitched text: one paragraph of the body, put back together across breaks."""

    text: str
    spans: list[_Span]
    zone: str
    kind: str  # of its last passage ("list_item" also for a paragraph finishing an item)
    item: int = 0  # where its last list item starts
    glued: set[int] = field(default_factory=set)  # offsets where a full stop does not end a sentence


def stitched_units(doc: Document, zones: list[str | None]) -> list[Unit]:
    """The body as stitched texts, in reading order."""
    units: list[Unit] = []
    last = -1  # index of the last body passage taken
    for i, p in enumerate(doc.passages):
        zone = zones[i]
        if zone is None:
            continue
        skip = _strip_item(p.text) if p.kind == "list_item" else 0
        while skip < len(p.text) and p.text[skip].isspace():
            skip += 1
        if skip >= len(p.text):
            continue
        adjacent, last = last == i - 1 or _only_cells_between(doc, last, i), i
        # a sentence cut by a sidebar goes on whatever zone the sidebar's heading opened
        unit = units[-1] if units and (units[-1].zone == zone or p.text[skip:skip + 1].islower()) else None
        fragment = unit is not None and p.kind == "list_item" and is_fragment_item(p.text[skip:])
        if unit is not None and _joins(unit.text, unit.kind, p.text, p.kind, adjacent, fragment):
            if p.kind == "list_item":
                # an item that is no sentence, after an item that is one clause: the stop between
                # them does not end the sentence ("... actions: • Installing X. • Revising Y.")
                if fragment and len(boundaries(unit.text[unit.item:])) == 1:
                    unit.glued.add(len(unit.text.rstrip()))
                unit.item = len(unit.text) + 1
            unit.spans.append(_Span(i, len(unit.text) + 1, skip, len(p.text)))
            unit.text += " " + p.text[skip:]
            unit.kind = "list_item" if unit.kind == "list_item" and p.kind == "paragraph" else p.kind
        else:
            units.append(Unit(p.text[skip:], [_Span(i, 0, skip, len(p.text))], zone, p.kind))
    return units


def _only_cells_between(doc: Document, a: int, b: int) -> bool:
    """Are the passages between body passages `a` and `b` only a list's stray table cells
    ("Action") or labels, no heading?"""
    return a >= 0 and all(doc.passages[k].kind == "paragraph" and len(doc.passages[k].text.split()) <= 3
                          for k in range(a + 1, b))


def _is_abbreviation(text: str, end: int) -> bool:
    """Is the '.' at text[end - 1] the end of an abbreviation or an initial?"""
    m = re.search(r"([A-Za-z][A-Za-z.]*)\.$", text[:end])
    if not m or (m.start() > 0 and text[m.start() - 1] in "'’"):  # "last year’s." ends a sentence
        return False
    word = m.group(1)
    if word.lower() in ABBREVIATIONS or word in CAPITALISED_ABBREVIATIONS:
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
        nxt = rest[0]
        if m.group(0)[0] == "." and len(m.group(0).rstrip(CLOSERS)) == 1 and _is_abbreviation(text, m.start() + 1) \
                and not (nxt.isupper() and re.search(r"(?<![\w.])(?:" + "|".join(SENTENCE_ABBREVIATIONS) + r")\.$",
                                                     text[:m.start() + 1], re.IGNORECASE)):
            continue
        # "... its tributaries.” §1.01(b), Id., at 9.": a legal citation sentence may open with the
        # section sign (a code's "U.S.C. §" or "Stat. §" is an abbreviation, kept above)
        if nxt.isdigit() and m.group(0) == "." and LOCUS.search(text[:m.start() + 1]) \
                and LOCUS_NUMBERS.match(rest):
            continue  # "Aen. 1, 33", "b. 1, c. 7": a cited passage's numbers
        if nxt.isupper() or nxt.isdigit() or nxt in OPENERS or nxt in "[§":
            cuts.append(end)
    for m in GLUED.finditer(text):
        token = text[text.rfind(" ", 0, m.start()) + 1:m.start()]
        domain = re.match(r"(?:Com|Org|Net|Gov|Edu|Int|Mil|Info)\b", text[m.end():])  # "Example.Com"
        if not re.search(r"[/@]|www|https?:|\.\w", token) and not domain \
                and not _is_abbreviation(text, m.start() + 1):
            cuts.append(m.end())
    for m in GLUED_AFTER_CLOSER.finditer(text):
        token = text[text.rfind(" ", 0, m.start()) + 1:m.start()]
        if not re.search(r"[/@]|www|https?:|\.[A-Za-z]{2,}", token):
            cuts.append(m.end())
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
    for u, unit in enumerate(stitched_units(doc, zones)):
        text, spans, zone = unit.text, unit.spans, unit.zone
        marks = []  # (offset in stitched text, marker)
        for sp in spans:
            for m in markers_at.get(sp.passage, ()):
                if sp.start <= m.start <= sp.end:
                    marks.append((sp.offset + m.start - sp.start, m))
        marks.sort(key=lambda om: om[0])
        cuts = [c for c in boundaries(text, {o for o, _m in marks}) if c not in unit.glued]
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
