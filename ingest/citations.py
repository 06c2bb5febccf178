"""Parse footnote text into citations and resolve short forms (Ibid., Id., supra, hereinafter).

Pipeline per note: split the note into citation segments -> pull fields out of each segment ->
drop pure commentary.  Then, over the whole document in note order, short forms are resolved
to the note holding the full citation and inherit its source.

Everything is regex and small heuristics tuned on CRS reports, a law review, a Supreme Court
slip opinion, GAO and think-tank reports; nothing here needs a model.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

from .model import Citation, Document, Footnote
from .text import MONTH
from .urls import compare_form, find_urls, is_archive, normalize_url

# --------------------------------------------------------------------------- patterns

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# "December 14, 2012", "Feb. 13, 2004", "14 December 2012", "2012-12-14"
FULL_DATE_RE = re.compile(rf"\b(?P<m>{MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b")
DMY_DATE_RE = re.compile(rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH})\.?,?\s+(?P<y>\d{{4}})\b")
ISO_DATE_RE = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{MONTH})\.?,?\s+(?P<y>\d{{4}})\b")
# A year in parentheses, alone or at the end: "(2021)", "(6th Cir. 2024)", "(forthcoming 2025)".
PAREN_YEAR_RE = re.compile(r"\((?:[^()]*?\s)?(?P<y>\d{4})[a-z]?\)")
# A bare year closing a comma-separated field: "..., Seattle: NBR, 2007, pp. 1-2".
BARE_YEAR_RE = re.compile(r"(?:(?<=, )|(?<=^))(?P<y>\d{4})(?=[.,;)]|$)")
_MIN_YEAR, _MAX_YEAR = 1600, _dt.date.today().year + 2

PAGES_RE = re.compile(r"\bpp?\.\s?\d[\d\-–,\s]*\d\b|\bpp?\.\s?\d+\b")
PIN_RE = re.compile(r"\bat (\d[\d\-–]*(?:\s*n\.\s*\d+)?)")

# Leading signal, optionally after a lead-in clause ("For more information, see ...").
SIGNAL_RE = re.compile(
    r"^(?:(?P<lead>[A-Z][^.;:“”\"()]{0,100}?),\s+)?"
    r"(?P<sig>see generally|see also|see|cf\.|but see|but cf\.|compare|accord|contra)"
    r"(?:,?\s+e\.g\.|,?\s+for example)?,?\s+",
    re.IGNORECASE,
)
_SIGNAL_NAMES = {
    "see generally": "See generally", "see also": "See also", "see": "See", "cf.": "Cf.",
    "but see": "But see", "but cf.": "But cf.", "compare": "Compare", "accord": "Accord",
    "contra": "Contra",
}
# Lead-ins that may precede a signal: a short clause, not a sentence of prose.
LEAD_IN_RE = re.compile(r"^(?:for|as|on|in|also|and|e\.g\.)\b", re.IGNORECASE)
# "the study of this experience in Johan Engvall, Title, ..." -> "Johan Engvall, Title, ..."
LEAD_IN_NAME_RE = re.compile(r"^[a-z][^,;“\"]*?\b(?:in|by|from)\s+(?=[A-Z])")
EG_RE = re.compile(r"^(?:e\.g\.|for example),\s+", re.IGNORECASE)

IBID_RE = re.compile(r"^(?P<form>ibid|id)\.?(?=$|[\s,;.])", re.IGNORECASE)
SUPRA_RE = re.compile(r"^(?P<who>.{0,120}?),?\s+supra(?:\s+note\s+(?P<label>[\w*]+))?\b", re.IGNORECASE)
# "(hereinafter X)", "[hereinafter X]", "hereinafter “X”": the short name a note defines.
HEREINAFTER_RE = re.compile(r"[(\[]\s*hereinafter,?\s+|\bhereinafter,?\s+(?=[“\"])", re.IGNORECASE)

# CRS product numbers (R45281, RL33110, RS22331, IF12672, IN12633, LSB11111) and GAO numbers.
CRS_PRODUCT_RE = re.compile(
    r"\bCRS\s+(?:Report|In Focus|Insight|Legal Sidebar|Infographic|Testimony|Product)\s+"
    r"(?P<num>[A-Z]{1,3}\d{4,6})\b"
)
BARE_REPORT_RE = re.compile(r"\b(?P<num>(?:R|RL|RS|IF)\d{5})\b")
GAO_REPORT_RE = re.compile(r"\b(?P<num>GAO[-/](?:[A-Z]{2,5}-)?\d{2}-\d{2,4}[A-Z]{0,3})\b")
# Split "..., by A and CRS In Focus IF12576, ..." into one citation per CRS product.
CRS_JOIN_RE = re.compile(
    r",?\s+and\s+(?=CRS\s+(?:Report|In Focus|Insight|Legal Sidebar|Infographic)\s+[A-Z]{1,3}\d)"
)

# "..., p. 3, and Hannah Karp, “Title,” ...": a second work joined by "and".
AND_AUTHOR_RE = re.compile(
    r",\s+and\s+(?=(?:[A-Z][\w.'’-]*\s+|(?:and|&)\s+){0,6}[A-Z][\w.'’-]*(?:\s+et al\.)?,\s+[“\"])"
)
# "GAO-04-343SP (Washington, D.C.: ...), and Title, GAO-05-927 (...)" and "GAO-04-343SP, GAO-05-927".
GAO_JOIN_RE = re.compile(r"\)(,\s+and\s+)(?=[^()]*?\bGAO[-/])|\bGAO[-/][\w/-]+(,\s+)(?=GAO[-/])")
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"“”<>]+[^\s\"“”<>.,;)\]])")

# Legal material.  Reporters: "505 U.S. 1003", "141 S. Ct. 2063", "114 F.4th 593", "796 N.W.2d".
REPORTER_RE = re.compile(
    r"\b(?P<vol>\d+)\s+(?P<rep>U\.\s?S\.|S\.\s?Ct\.|L\.\s?Ed\.(?:\s?2d)?|F\.\s?(?:\d[a-z]{1,2}|Supp\.)|"
    r"[A-Z][A-Za-z.]*\d?d)\s+(?P<page>\d+|at\b)"
)
CASE_NAME_RE = re.compile(r"^(?P<name>[A-Z][^,;()]*?\sv\.\s[^,;()]+?),\s+\d")
DOCKET_RE = re.compile(r"\bno\.\s*\d+:\d+-cv", re.IGNORECASE)
STATUTE_RE = re.compile(
    r"U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.|\bCFR\s+\d|\bP\.\s?L\.\s+\d|\bPub\.\s+L\.|\d+\s+Stat\.\s+\d|"
    r"\bCONST\.|\bFed\.\s+Reg\.|\bFederal Register\b|§|\bAct of \w+\.? \d|\bCode\b|\bStatutes?\b"
)
# Law-review form: "Title, 35 ECOLOGY L.Q. 1, 19 (2008)" (volume, small-caps journal, page).
LAW_JOURNAL_RE = re.compile(r",\s+(?P<vol>\d+)\s+(?P<journal>[A-Z][A-Z.’'&\s]*[A-Z.])\s+(?P<page>\d+)")
JOURNAL_MARK_RE = re.compile(r"\bvol\.?\s+\d|\bno\.\s+\d|\b\d+\(\d+\),")

# "Washington: Publisher", "Lanham, MD: Rowman & Littlefield", "(Thousand Oaks, CA: Sage, 2005)".
PLACE_RE = re.compile(
    r"(?:(?<=, )|(?<=\()|(?<=^))"
    r"(?P<place>[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?){0,2}(?:,\s(?:[A-Z]{2}|D\.C\.|[A-Z][a-z]{2,5}\.))?)"
    r":\s(?P<pub>[^,;:()]+)"
)
PUBLISHER_WORD_RE = re.compile(
    r"\b(?:Institute|Press|Program|Center|Centre|University|Publish\w*|Books|Foundation|"
    r"Council|Office|Research|GPO|Littlefield|Routledge|Sage|Wiley|Springer|Elsevier)\b"
)
PRESS_RE = re.compile(r"\((?P<pub>[^():,]*(?:Press|Publishing|Publications|Books)[^():,]*),\s+\d{4}\)")

QUOTE_RE = re.compile(r"“(?P<a>[^“”]+)”|\"(?P<b>[^\"]+)\"")
DOMAIN_TOKEN_RE = re.compile(r"^(?P<dom>[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6})\b\.?\s*(?P<rest>.*)$")
# A statute cited by its name: "Water Services Pricing Act (Act No. 31 of 2021), Official Gazette
# ...", "Infrastructure Investment and Jobs Act (P.L. 117-58)", "Water Services Pricing Act, arts. 14".
NAMED_ACT_RE = re.compile(
    r"^(?P<name>(?:[A-Z][\w’'-]*\s+(?:(?:of|on|for|and|the|to)\s+)*){1,10}"
    r"(?:Act|Code|Law|Decree|Ordinance)(?:\s+of\s+\d{4})?)(?:\s*\([^()]*\))?(?:,\s*|\.?$)"
)
# A scheme cut from its "//" by a line break the extractor joined with a space: "https: //x.org".
SPLIT_SCHEME_RE = re.compile(r"\b(https?):\s+//(?=\w)", re.IGNORECASE)

_ABBREVIATIONS = {
    "no", "nos", "vol", "vols", "p", "pp", "mr", "mrs", "ms", "dr", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "co", "corp", "ltd", "al",
    "id", "ibid", "v", "vs", "rev", "stat", "cong", "sess", "ed", "eds", "st", "jr", "sr",
    "gen", "gov", "sen", "rep", "art", "cl", "ch", "ct", "supp", "cir", "app", "fed", "reg",
    "dept", "univ", "assn", "comm", "ann", "cf", "op", "cit", "n", "nn", "ex", "rel", "est",
    "amend", "const", "u", "l", "j", "q", "sec", "secs", "para", "fig", "approx", "cal", "mass",
}
# A sentence end: ". " (or ".” ") followed by a capital or an opening quote.
SENTENCE_END_RE = re.compile(r"[.?!][”\"’]?\s+(?=[A-Z“\"])")
WORD_RE = re.compile(r"[A-Za-z][\w’'-]*")
NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'.-]*|[A-Z]\.|de|da|del|der|van|von|la|le|al-\w+|bin)$")

_GOV_AUTHORS_RE = re.compile(
    r"\b(?:Congress|Senate|House|Committee|Department|Testimony|hearing|Congressional Record|"
    r"Federal Register|White House|Executive Order|Administration|Agency|Commission)\b"
)


@dataclass
class _Segment:
    start: int
    end: int


# --------------------------------------------------------------------------- public API


def parse_citations(doc: Document) -> None:
    """Fill ``doc.citations`` from ``doc.footnotes`` and resolve short forms across notes."""
    doc.citations = []
    resolver = _Resolver(doc.footnotes)
    for index, note in enumerate(doc.footnotes):
        cites = parse_note(note.text, index, note.urls)
        for cite in cites:
            resolver.resolve(cite)
            archived = cited_urls(cite)[1:]
            cite.archive_url = archived[0] if archived else None
        doc.citations.extend(cites)


def parse_note(text: str, note: int = 0, extra_urls=()) -> list[Citation]:
    """Citations of one note, without cross-note resolution.

    ``extra_urls`` are URLs the extractor found for the note (link annotations, URLs it
    repaired across line breaks); any not printed in ``text`` still get a citation.
    """
    text = SPLIT_SCHEME_RE.sub(r"\1://", text)
    urls = find_urls(text)
    cites = []
    for seg in split_note(text):
        seg_text = _trim(_focus(text, seg, urls))
        if seg_text and _is_citation(seg_text):
            cite = _build(seg_text, note)
            cites.append(cite)
            cites.extend(_nested_url_cites(text, seg, urls, cite))
    _attach_extra_urls(cites, extra_urls, note)
    for seq, cite in enumerate(cites):
        cite.seq = seq
    return cites


# --------------------------------------------------------------------------- splitting


def split_note(text: str) -> list[_Segment]:
    """Cut a note into candidate citation segments (commentary segments included)."""
    urls = find_urls(text)
    depth = _depth_map(text, urls)
    segments = _split_semicolons(text, depth, urls)
    segments = [s for seg in segments for s in _split_after_urls(text, seg, urls)]
    segments = [s for seg in segments for s in _split_sentences(text, seg, urls, depth)]
    for pattern in (CRS_JOIN_RE, AND_AUTHOR_RE, GAO_JOIN_RE):
        segments = [s for seg in segments for s in _split_pattern(text, seg, pattern, depth)]
    return _merge_continuations(text, segments)


def _depth_map(text: str, urls) -> list[int]:
    """Nesting depth (quotes, parentheses, brackets) at each character; URLs are opaque.

    When a kind of bracket is unbalanced in the note (a lost closing quote is common in
    extracted text), that kind is ignored so it cannot swallow the rest of the note.
    """
    in_url = [False] * len(text)
    for start, end, _ in urls:
        for i in range(start, end):
            in_url[i] = True
    kinds = {"quote": True, "paren": True}
    for _attempt in range(3):
        out, quote_open, paren = [], False, 0
        for i, ch in enumerate(text):
            if not in_url[i]:
                if kinds["paren"] and ch in "([":
                    paren += 1
                elif kinds["paren"] and ch in ")]" and paren > 0:
                    paren -= 1
                elif kinds["quote"] and ch == "“":
                    quote_open = True
                elif kinds["quote"] and ch == "”":
                    quote_open = False
                elif kinds["quote"] and ch == '"':
                    quote_open = not quote_open
            out.append(paren + (1 if quote_open else 0))
        if quote_open and kinds["quote"]:
            kinds["quote"] = False
        elif paren and kinds["paren"]:
            kinds["paren"] = False
        else:
            return out
    return out


def _split_semicolons(text: str, depth: list[int], urls) -> list[_Segment]:
    """Works are separated by ';' outside quotes, brackets and URLs (";jsessionid=")."""
    segments, start = [], 0
    for i, ch in enumerate(text):
        if ch == ";" and depth[i] == 0 and not any(a <= i < b for a, b, _ in urls):
            segments.append(_Segment(start, i))
            start = i + 1
    segments.append(_Segment(start, len(text)))
    return segments


_AFTER_URL_RE = re.compile(r"(?:\s*\[[^\]]*\])?(?:\s*\((?:[^()]|\([^()]*\))*\))*[\s.,]*")
_CONJ_RE = re.compile(r"(?:and|or)\s+", re.IGNORECASE)


def _split_after_urls(text: str, seg: _Segment, urls) -> list[_Segment]:
    """A URL ends a citation: start a new segment when another work follows it.

    The archive link ("[https://perma.cc/...]") and parentheticals such as
    "(hereinafter X)" stay with the URL; ", p. 8" or "where ..." (lowercase) do too.
    """
    out, start = [], seg.start
    for u_start, u_end, url in urls:
        if not (seg.start <= u_start < seg.end) or is_archive(url) and _is_bracketed(text, u_start):
            continue
        tail = _AFTER_URL_RE.match(text, u_end, seg.end)
        cut = tail.end() if tail else u_end
        rest = text[cut : seg.end]
        conj = _CONJ_RE.match(rest)
        nxt = rest[conj.end() :] if conj else rest
        if conj or nxt[:1].isupper() or nxt[:1] in "“\"" or nxt.lower().startswith("http"):
            out.append(_Segment(start, cut))
            start = cut + (conj.end() if conj else 0)
    out.append(_Segment(start, seg.end))
    return [s for s in out if text[s.start : s.end].strip()]


def _is_bracketed(text: str, pos: int) -> bool:
    return text[:pos].rstrip().endswith("[")


def _split_sentences(text: str, seg: _Segment, urls, depth) -> list[_Segment]:
    """Split at sentence ends that separate commentary from a citation, or before a signal.

    A citation may span "sentences" ("GAO, Title. GAO-95-226 (Washington, D.C.: ...)."),
    so two cited-looking sentences stay together unless the second starts with a signal;
    an author-date "(2020)." keeps its title sentence ("WHO (2020). Road traffic injuries.").
    """
    url_spans = [(a, b) for a, b, _ in urls]
    cuts = []
    for m in SENTENCE_END_RE.finditer(text, seg.start, seg.end):
        pos = m.start()
        if depth[pos] or any(a <= pos < b for a, b in url_spans) or _is_abbreviation(text, pos):
            continue
        cuts.append(m.end())
    if not cuts:
        return [seg]
    pieces = [(a, b) for a, b in zip([seg.start] + cuts, cuts + [seg.end])]
    out = [_Segment(*pieces[0])]
    for a, b in pieces[1:]:
        prev = text[out[-1].start : out[-1].end]
        cur = text[a:b]
        if _starts_with_signal(cur) or _commentary(prev) or (_commentary(cur) and not _author_date(prev)):
            out.append(_Segment(a, b))
        else:
            out[-1] = _Segment(out[-1].start, b)
    return out


def _is_abbreviation(text: str, pos: int) -> bool:
    """Is the period at ``pos`` part of an abbreviation, initial or domain ("Akorda.kz.")?"""
    if text[pos] != ".":
        return False
    word = re.search(r"(\S+)$", text[:pos])
    if not word:
        return False
    token = word.group(1).lstrip("(“\"‘'[")
    if len(token) == 1 or "." in token:
        return True
    # Small-caps journal names: "109 VA. L. REV. 233", "35 ECOLOGY L.Q. 1".
    following = re.match(r"\s+([A-Z][A-Z.’']*)", text[pos + 1 :])
    if re.fullmatch(r"[A-Z’']+", token) and following and following.group(1).rstrip(".").isupper():
        return True
    return token.lower() in _ABBREVIATIONS


def _split_pattern(text: str, seg: _Segment, pattern: re.Pattern, depth) -> list[_Segment]:
    out, start = [], seg.start
    for m in pattern.finditer(text, seg.start, seg.end):
        group = next((g for g in range(1, (pattern.groups or 0) + 1) if m.group(g) is not None), 0)
        if depth[m.start(group)] == 0:  # cut at the separator group when the pattern has one
            out.append(_Segment(start, m.start(group)))
            start = m.end(group)
    out.append(_Segment(start, seg.end))
    return out


_CONTINUATION_RE = re.compile(r"^\s*(?:also\s+)?(?:available|accessed|archived|retrieved)\b", re.IGNORECASE)


def _focus(text: str, seg: _Segment, urls) -> str:
    """"Ticketmaster bought X in 2000 (see Orwall, “Title,” WSJ, ..., https://...)." cites
    only what the parenthetical holds: use it when the words before it are prose."""
    raw = text[seg.start : seg.end]
    first = next((u for u in urls if seg.start <= u[0] < seg.end), None)
    if first is None:
        return raw
    opener = _enclosing_paren(text, seg.start, first[0])
    before = text[seg.start : opener] if opener is not None else ""
    if opener is None or not re.search(r"\b[a-z]{4,}\b", before) or _strong_cite(before):
        return raw
    return text[opener + 1 : _balanced_end(text, opener)]


def _nested_url_cites(text: str, seg: _Segment, urls, main: Citation) -> list[Citation]:
    """Citations for further URLs of a segment the split could not separate.

    They sit inside a parenthetical ("(quoting Wilkes, ..., https://...)") or a quotation;
    each gets a citation built from its parenthetical, or from the text since the URL before.
    """
    out, taken, prev_end = [], {compare_form(main.url)} if main.url else set(), seg.start
    for start, end, url in urls:
        if not seg.start <= start < seg.end:
            continue
        if is_archive(url) or compare_form(url) in taken:
            prev_end = max(prev_end, end)
            continue
        taken.add(compare_form(url))
        opener = _enclosing_paren(text, seg.start, start)
        if opener is not None:
            sub = text[opener + 1 : _balanced_end(text, opener)]
        else:
            tail = _AFTER_URL_RE.match(text, end, seg.end)
            sub = text[prev_end : tail.end() if tail else end]
        sub = LEADING_LOWER_RE.sub("", _trim(sub).lstrip("—–-\"” "))
        out.append(_build(sub or url, main.note))
        prev_end = end
    return out


LEADING_LOWER_RE = re.compile(r"^(?:[a-z][\w.]*,?\s+)+(?=[A-Z“\"h])")


def _enclosing_paren(text: str, lo: int, pos: int) -> int | None:
    """Position of the unclosed '(' before ``pos`` (not before ``lo``), if any."""
    depth = 0
    for i in range(pos - 1, lo - 1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            if depth == 0:
                return i
            depth -= 1
    return None


def _merge_continuations(text: str, segments: list[_Segment]) -> list[_Segment]:
    """"...; also available at https://..." belongs to the citation before it."""
    out: list[_Segment] = []
    for seg in segments:
        if out and _CONTINUATION_RE.match(text[seg.start : seg.end]):
            out[-1] = _Segment(out[-1].start, seg.end)
        else:
            out.append(seg)
    return out


def _trim(seg: str) -> str:
    seg = seg.strip()
    seg = re.sub(r"^(?:and|or)\s+", "", seg)
    return seg.strip(" ;,")


# --------------------------------------------------------------------------- classifying


def _prose(text: str) -> bool:
    """Running prose (many lowercase content words), as opposed to a title-case reference."""
    body = QUOTE_RE.sub(" ", text)
    words = WORD_RE.findall(body)
    lower = [w for w in words if w[0].islower() and len(w) >= 4]
    return len(lower) >= 3 and len(lower) >= 0.3 * len(words)


def _strong_cite(text: str) -> bool:
    """Features only a reference has: URL, report number, legal cite, title, short form."""
    body = _strip_signal(text)[1]
    return bool(
        find_urls(text)
        or DOI_RE.search(text)
        or _report_number(text)
        or REPORTER_RE.search(text)
        or STATUTE_RE.search(text)
        or IBID_RE.match(body)
        or re.search(r"\bsupra\b|\bhereinafter\b", text, re.IGNORECASE)
        or _title_span(text)
        or PLACE_RE.search(text)
        or LAW_JOURNAL_RE.search(text)
    )


def _commentary(text: str) -> bool:
    return _prose(text) and not _strong_cite(text)


def _author_date(text: str) -> bool:
    """Author-date styles ("WHO (2020). Road traffic injuries.") put the title in its own sentence."""
    return bool(re.search(r"\((?:\d{4}[a-z]?|n\.d\.)\)\.?\s*$|,\s\d{4}\.\s*$", text.strip()))


def _is_citation(seg: str) -> bool:
    """Keep a segment if it cites something; explanatory prose yields no citation."""
    if _strong_cite(seg):
        return True
    if _prose(seg):
        return False
    return bool(_find_date(seg)[0]) or bool(_name_chunks(_strip_signal(seg)[1])[0])


def _starts_with_signal(text: str) -> bool:
    """"See ...", "Cf. ...", or a short lead-in then a signal ("For more information, see")."""
    return _strip_signal(text.strip())[0] is not None


# --------------------------------------------------------------------------- fields


def _build(seg: str, note: int) -> Citation:
    signal, body = _strip_signal(seg)
    cite = Citation(note=note, seq=0, text=seg, signal=signal)
    urls = [u for _, _, u in find_urls(seg)]
    live = [u for u in urls if not is_archive(u)] or urls
    cite.url = live[0] if live else None
    doi = DOI_RE.search(seg)
    cite.doi = doi.group(1) if doi else None
    _short_form(cite, body)
    title = None if cite.short_form in ("ibid", "id") else _title_span(body)
    if cite.short_form in ("ibid", "id"):
        pass  # everything else comes from the antecedent
    elif title:
        cite.title = _clean_title(body[title[0] : title[1]])
        cite.authors = _authors_before(body[: title[0] - 1])
        _container(cite, body[title[1] + 1 :])
    else:
        _unquoted_fields(cite, body)
    _place_publisher(cite, body)
    plain = _mask_explanatory(_without_urls(seg))
    cite.date, cite.date_text = _find_date(plain, exclude=title and cite.title)
    pages = PAGES_RE.search(plain)
    pin = PIN_RE.search(_mask_explanatory(body)) if cite.short_form or REPORTER_RE.search(body) else None
    cite.pages = pages.group().strip() if pages else (f"at {pin.group(1)}" if pin else None)
    cite.kind = _kind(cite, body)
    cite.source_key = source_key(cite)
    return cite


def _strip_signal(seg: str) -> tuple[str | None, str]:
    """("See also", rest) for "See also, e.g., X"; lead-ins like "For details, see" are dropped."""
    m = SIGNAL_RE.match(seg)
    if m and (not m.group("lead") or LEAD_IN_RE.match(m.group("lead"))):
        return _SIGNAL_NAMES[m.group("sig").lower()], EG_RE.sub("", seg[m.end() :])
    return None, EG_RE.sub("", seg)


def _short_form(cite: Citation, body: str) -> None:
    if IBID_RE.match(body):
        cite.short_form = IBID_RE.match(body).group("form").lower()
    elif re.search(r"\bsupra\b", body[:160], re.IGNORECASE):
        cite.short_form = "supra"


def _title_span(body: str) -> tuple[int, int] | None:
    """Span of the quoted title: a quotation that starts the reference or follows a comma,
    colon or "see"/"in"/"and", or ends with a comma (the CMOS '...,"' form).

    Quotations inside prose ("defines it as “the conditions for ...”") are not titles.
    """
    for m in QUOTE_RE.finditer(body):
        inner = m.group("a") if m.group("a") is not None else m.group("b")
        if len(inner.split()) < 1 or _inside_parens(body, m.start()):
            continue
        # “Background Principles” in the Law of ...: a quoted phrase inside an unquoted title
        if re.match(r"\s+[a-z]", body[m.end() :]) and not inner.rstrip().endswith((",", ".")):
            continue
        before = body[: m.start()].rstrip()
        lead_ok = not before or before[-1] in ",:" or re.search(r"\b(?:see|in|and|also)$", before, re.I)
        if lead_ok or inner.rstrip().endswith(","):
            if re.search(r"hereinafter[^)\]]*$", before, re.IGNORECASE):
                continue
            return m.start() + 1, m.end() - 1
    return None


def _inside_parens(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) > text.count(")", 0, pos)


def _clean_title(title: str) -> str:
    """Collapse spaces; drop the comma or period CMOS puts inside the closing quote,
    but not the period of "U.S." nor a question mark."""
    title = " ".join(title.split()).rstrip(" ,;:")
    while title.endswith(".") and not _is_abbreviation(title, len(title) - 1):
        title = title[:-1].rstrip(" ,")
    return title


def _authors_before(text: str) -> str | None:
    """Authors are what precedes the title, minus a lead-in ("the study of this in X")."""
    text = re.sub(r"\([^()]*\)", "", text).strip(" ,.:")
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text) if not _is_abbreviation(text, m.start())]
    if ends:  # "42 U.S.C. §3144. The FY2025 NOFO noted that, “...”": only the last sentence
        text = text[ends[-1] :]
    if not text or len(text) > 100:
        return None
    if _prose(text) or re.search(r"\b(?:in|by)\s+[A-Z]", text) and text[:1].islower():
        m = re.search(r"\b(?:in|by|from)\s+((?:[A-Z][\w’'.-]*\s?)+)$", text)
        return m.group(1).strip() if m else None
    return text


def _container(cite: Citation, rest: str) -> None:
    """Outlet after the title: '..., Akorda.kz, Dec 14, 2012' or 'in X, eds., Book, Place: Pub'."""
    rest = rest.lstrip(" ,.”\"")
    if rest.startswith("in "):
        book = re.match(r"in\s+(?:.+?,\s+eds?\.,?\s+)?(?P<book>[^,(]+)", rest)
        if book:
            cite.container = book.group("book").strip()
        return
    chunks = _outlet_chunks(rest)
    if not chunks:
        return
    dom = DOMAIN_TOKEN_RE.match(chunks[0])
    if dom:  # "Akorda.kz Republic of Kazakhstan": the site, then its owner
        cite.container = dom.group("dom")
        if dom.group("rest") and not cite.publisher:
            cite.publisher = dom.group("rest").strip(" .")
        return
    if len(chunks) > 1 and len(chunks[-1].split()) == 1:  # "..., Data and Society, Budapest, 2019"
        cite.place = chunks.pop()
    cite.container = ", ".join(chunks).strip(" .")


def _outlet_chunks(rest: str) -> list[str]:
    """Capitalised comma-separated fields after the title, up to the date, URL or locator."""
    chunks, stopped = [], False
    for m in re.finditer(r"(?:“[^”]*”|\"[^\"]*\"|[^,(;])+", rest):
        chunk = m.group().strip()
        if (
            not chunk
            or _find_date(chunk)[0]
            or re.match(MONTH + r"\b", chunk)
            or chunk.startswith("http")
            or PAGES_RE.match(chunk)
            or JOURNAL_MARK_RE.match(chunk)
            or chunk[:1].isdigit()
        ):
            stopped = True
            break
        if chunk[:1].islower() and not DOMAIN_TOKEN_RE.match(chunk):
            break
        chunks.append(chunk)
        if len(chunks) > 4 or rest[m.end() : m.end() + 1] != ",":
            break
    # Several fields count as one outlet only when a date or URL closes them.
    return chunks if stopped and len(chunks) <= 4 else chunks[:1]


def _unquoted_fields(cite: Citation, body: str) -> None:
    """Books, reports, law-review articles and cases: no quotation marks around the title."""
    crs = CRS_PRODUCT_RE.search(body)
    if crs:
        m = re.match(r",\s*(?P<title>.+?)(?:,\s+by\s+(?P<by>.+?))?\.?$", body[crs.end() :])
        if m:
            cite.title = _clean_title(m.group("title"))
            cite.authors = m.group("by")
        return
    case = CASE_NAME_RE.match(body)
    if case:
        cite.title = case.group("name").strip()
        return
    act = NAMED_ACT_RE.match(body)
    if act:  # the act's name is its title; the gazette that printed it, its container
        cite.title = act.group("name")
        gazette = re.match(r"(?P<c>[A-Z][^,;()]+?)\s*(?:,|\.?$)", body[act.end():])
        if gazette and not re.match(r"(?:P\.\s?L\.|Pub\.|\d|Sec(?:tion|s?\.)|Title\b|Art|Chapter|Part\b|Schedule)",
                                         gazette.group("c")):
            cite.container = gazette.group("c")
        return
    if REPORTER_RE.match(body) or re.match(r"^[A-Z][^,;()]{0,60},\s+\d+\s", body) and REPORTER_RE.search(body):
        return  # "505 U.S. 1003 (1992)" or the short cite "Lucas, 505 U.S. at 1027"
    author_date = AUTHOR_DATE_RE.match(body)
    if author_date:  # "WHO (2020). Road traffic injuries. Available at: ..."
        cite.authors = author_date.group("auth").strip(" ,.")
        cite.title = _clean_title(author_date.group("title"))
        return
    if STATUTE_RE.search(body):
        return
    body = LEAD_IN_NAME_RE.sub("", body)
    names, rest = _name_chunks(body)
    if not names:
        return
    if "," in names and _no_title_follows(rest):
        # "A. Smith, Takings Law Today, 34 ECOLOGY L.Q. 307": a short title-case title
        # looks like one more name; nothing title-like after it means it was the title.
        names, _, last = names.rpartition(", ")
        rest = f"{last}, {rest}"
    cite.authors = names
    rest = re.sub(r"^(?:Essay|Note|Comment|Article),\s+", "", rest)
    title = _title_chunk(rest)
    if title:
        cite.title = title


def _no_title_follows(rest: str) -> bool:
    place = PLACE_RE.match(rest)
    return bool(re.match(r"\d", rest) or place and _plausible_place(rest, place))


def _title_chunk(rest: str) -> str | None:
    """The title after the authors: up to the journal volume, the place, a report number or
    a parenthesis; a subtitle after ':' is kept."""
    stops = [len(rest)]
    for m in (LAW_JOURNAL_RE.search(rest), PRESS_RE.search(rest), _last_place(rest)):
        if m:
            stops.append(m.start())
    gao = GAO_REPORT_RE.search(rest)
    if gao:  # "GAO, Title, With Commas, GAO-98-137 (Washington, ...)"
        stops.append(gao.start())
    else:
        m = TITLE_STOP_RE.search(rest)
        if m:
            stops.append(m.start())
    title = rest[: min(stops)].strip(" ,")
    if not title or _find_date(title)[0] == title or title.startswith("http") or title[:1].isdigit():
        return None
    return _clean_title(title)


# Author-date (APA, Harvard): "Slovic, P., 2010. The Psychology of risk. Journal, ..."
AUTHOR_DATE_RE = re.compile(
    r"^(?P<auth>[^()“\"]{2,160}?)\.?\s*(?:\((?:\d{4}[a-z]?|n\.d\.)\)|,\s\d{4})\.\s+(?P<title>[^.?]+[?]?)"
)
# A title ends at a parenthesis or a comma, but "Year Ended December 31, 2025" goes on.
TITLE_STOP_RE = re.compile(r"\s\(|,\s(?!\d{4}\b)")


def _name_chunks(body: str) -> tuple[str | None, str]:
    """Leading comma-separated person/organisation names, and the rest of the text."""
    pos, names = 0, []
    for m in re.finditer(r"[^,]+(?:,|$)", body):
        chunk = m.group().rstrip(",").strip()
        bare = re.sub(r"\s*\([^()]*\)", "", chunk)
        if _is_name_list(bare) or (names and CONTINUED_NAME_RE.match(chunk)) or (not names and _is_org(bare)):
            names.append(chunk)
            pos = m.end()
        else:
            break
    if not names:
        return None, body
    return ", ".join(names).rstrip("."), body[pos:].strip()


CONTINUED_NAME_RE = re.compile(r"^(?:Jr\.|Sr\.|et al\.|eds?\.|Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Corp\.?|Co\.)$")


def _is_org(chunk: str) -> bool:
    """'Office of New York State Attorney General Eric T. Schneiderman', 'Committee on X'."""
    tokens = chunk.split()
    if not 2 <= len(tokens) <= 12 or re.search(r"[:;“”\"?\d]", chunk):
        return False
    connectors = {"of", "the", "for", "and", "on", "&"}
    return tokens[0][0].isupper() and tokens[-1][0].isupper() and all(
        t[0].isupper() or t in connectors for t in tokens
    ) and any(t in connectors for t in tokens)


def _is_name_list(chunk: str) -> bool:
    """'S. Frederick Starr and Albert Barro', 'Tom Blake et al.', 'EDA' (an agency)."""
    chunk = re.sub(r"\s+et al\.?$", "", chunk)
    parts = re.split(r"\s+(?:and|&)\s+", chunk)
    return all(_is_name(p) for p in parts) and bool(chunk)


def _is_name(part: str) -> bool:
    tokens = part.split()
    if not 1 <= len(tokens) <= 4 or any(re.search(r"\d|[:;“”\"?]|[’']s$", t) for t in tokens):
        return False
    if len(tokens) == 1:  # one word: only an acronym or CamelCase organisation ("EDA", "IBISWorld")
        return sum(c.isupper() for c in tokens[0]) >= 2 and tokens[0][0].isupper()
    return all(NAME_TOKEN_RE.match(t) for t in tokens) and tokens[0][0].isupper()


def _last_place(text: str):
    """The last "Place: Publisher" that really is one (not "Title: Subtitle")."""
    found = [m for m in PLACE_RE.finditer(text) if _plausible_place(text, m)]
    return found[-1] if found else None


def _plausible_place(text: str, m: re.Match) -> bool:
    # A state or "D.C." after the city, a year or ")" right after the publisher, or an
    # institution-like publisher; subtitles have none of these.
    if "," in m.group("place"):
        return True
    if re.match(r"\s*(?:,\s*\d{4}\b|\))", text[m.end() :]):
        return True
    return bool(PUBLISHER_WORD_RE.search(m.group("pub")))


def _place_publisher(cite: Citation, body: str) -> None:
    place = _last_place(_without_urls(body))
    if place and not (cite.title and place.group("place") in cite.title):
        cite.place = place.group("place")
        pub = place.group("pub").strip(" .")
        if not _find_date(pub)[0] and not pub[:1].isdigit() and not re.match(MONTH + r"\b", pub):
            cite.publisher = pub
    press = PRESS_RE.search(body)
    if press and not cite.publisher:
        cite.publisher = press.group("pub").strip()


def _without_urls(text: str) -> str:
    for start, end, _ in reversed(find_urls(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


ACCESSED_RE = re.compile(
    rf"\b(?:accessed|retrieved|visited|viewed|downloaded)(?:\s+on)?:?\s+(?:{MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\.?,?\s+\d{{4}})",
    re.IGNORECASE,
)


def _mask_explanatory(text: str) -> str:
    """Blank out explanatory parentheticals ("(quoting X, May 26, 2023)", "(noting ...)"):
    their dates and pages belong to another work; so does an access date."""
    text = ACCESSED_RE.sub(lambda m: " " * len(m.group()), text)
    out, i = text, 0
    for m in re.finditer(r"\((?=\s*[a-z])(?!\s*forthcoming)", text):
        if m.start() < i:
            continue
        end = _balanced_end(text, m.start())
        out = out[: m.start()] + " " * (end + 1 - m.start()) + out[end + 1 :]
        i = end
    return out[: len(text)]


def _report_number(text: str) -> str | None:
    for pattern in (CRS_PRODUCT_RE, GAO_REPORT_RE, BARE_REPORT_RE):
        m = pattern.search(text)
        if m:
            return m.group("num").replace("/", "-")
    return None


def _kind(cite: Citation, body: str) -> str:
    outside = QUOTE_RE.sub(" ", body)
    host = normalize_url(cite.url).split("/")[0] if cite.url else ""
    if LAW_JOURNAL_RE.search(body) and cite.authors:
        return "article"
    if cite.title and not cite.authors and NAMED_ACT_RE.match(body):
        return "statute"
    if REPORTER_RE.search(outside) or DOCKET_RE.search(outside) or (
        cite.title and " v. " in cite.title and not cite.url
    ):
        return "legal_case"
    if STATUTE_RE.search(outside) and not cite.title:
        return "statute"
    if _report_number(body) or re.search(r"\b(?:Report|Working Paper|Paper|Form 10-K)\b", outside):
        return "report"
    if LAW_JOURNAL_RE.search(body) or JOURNAL_MARK_RE.search(outside) or cite.doi:
        return "article"
    if (cite.place and cite.publisher) or PRESS_RE.search(body) or re.search(r"\beds?\.", outside):
        return "book"
    gov_host = re.search(r"\.(?:gov|mil)$|\.gov\.[a-z]{2}$|^gov\.[a-z]{2}$", host)
    if gov_host or STATUTE_RE.search(outside) or _GOV_AUTHORS_RE.search(outside):
        return "government"
    if cite.title and cite.container and cite.authors:  # "Author, “Title,” Outlet, date"
        return "article"
    if cite.url:
        return "web"
    return "other"


# --------------------------------------------------------------------------- dates


def cited_urls(cite: Citation) -> list[str]:
    """The citation's URL plus archive copies (perma.cc) printed with it in the note.

    ``parse_citations`` keeps the first archive copy in ``Citation.archive_url``.
    """
    urls = [cite.url] if cite.url else []
    return urls + [u for _, _, u in find_urls(cite.text) if is_archive(u) and u not in urls]


def _find_date(text: str, exclude: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date, printed date) of the publication: the last full date, else the last
    month-year, else the last year in parentheses or closing a field.

    Dates inside the title ("... Address, September 2, 2019,") are used only if there is
    no other.
    """
    if exclude:
        outside = text.replace(exclude, " " * len(exclude))
        found = _find_date(outside)
        if found[0]:
            return found
    for pattern in (FULL_DATE_RE, DMY_DATE_RE, ISO_DATE_RE):
        best = None
        for m in pattern.finditer(text):
            iso = _iso(m.group("y"), m.group("m"), m.group("d"))
            if iso and (best is None or m.start() > best[2]):
                best = (iso, m.group(), m.start())
        if best:
            return best[0], best[1]
    for m in reversed(list(MONTH_YEAR_RE.finditer(text))):
        iso = _iso(m.group("y"), m.group("m"))
        if iso:
            return iso, m.group()
    depth = 0
    years = []
    for m in PAREN_YEAR_RE.finditer(text):
        depth = text.count("(", 0, m.start()) - text.count(")", 0, m.start())
        if depth == 0 and _iso(m.group("y")):
            years.append(m)
    years = years or [m for m in BARE_YEAR_RE.finditer(text) if _iso(m.group("y"))]
    if years:
        return years[-1].group("y"), years[-1].group("y")
    return None, None


def _iso(year: str, month: str | None = None, day: str | None = None) -> str | None:
    y = int(year)
    if not _MIN_YEAR <= y <= _MAX_YEAR:
        return None
    if month is None:
        return f"{y:04d}"
    m = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
    if not m or not 1 <= m <= 12:
        return None
    if day is None:
        return f"{y:04d}-{m:02d}"
    try:
        return _dt.date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def normalize_date(text: str) -> str | None:
    """ISO form of a printed date ("Feb. 13, 2004" -> "2004-02-13"); None if there is none."""
    return _find_date(text)[0]


# --------------------------------------------------------------------------- source keys


def source_key(cite: Citation) -> str | None:
    """Dedup key: DOI, else URL, else report number, else title + first author surname."""
    if cite.doi:
        return f"doi:{cite.doi.lower()}"
    if cite.url:
        return f"url:{normalize_url(cite.url)}"
    report = _report_number(cite.text)
    if report:
        return f"report:{report}"
    case = case_cite(cite.text)
    if case and not case.endswith(" at"):
        return f"case:{case}"
    if cite.title:
        key = _norm_text(cite.title)
        surname = _surname(cite.authors)
        return f"title:{key}|{surname}" if surname else f"title:{key}"
    return None


def case_cite(text: str) -> str | None:
    """'505 u.s. 1003' for the first reporter citation outside parentheticals ('... at' for a pin)."""
    m = REPORTER_RE.search(_mask_explanatory(text))
    if not m:
        return None
    reporter = "".join(m.group("rep").split()).lower()
    return f"{m.group('vol')} {reporter} {m.group('page')}"


def _surname(authors: str | None) -> str | None:
    if not authors:
        return None
    first = re.split(r",|\s+(?:and|&)\s+|\s+et al", authors)[0].split()
    return _norm_text(first[-1]) if first else None


def _norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"[^\w\s]", "", text)
    return " ".join(text.split())


# --------------------------------------------------------------------------- extra URLs


def _attach_extra_urls(cites: list[Citation], extra_urls, note: int) -> None:
    """Give every extractor URL of the note a citation.

    A URL equal to a printed one is already there; one that extends a printed URL (broken
    across lines in the PDF) replaces it; a link target (GAO's "getrpt?GAO-05-927") goes to
    the citation that prints its report number, or to a new citation.
    """
    for url in extra_urls or ():
        form = compare_form(url)
        if any(compare_form(u) == form for c in cites for u in cited_urls(c)):
            continue  # printed already, perhaps as the perma.cc copy of a live URL
        prefix = [c for c in cites if c.url and form.startswith(compare_form(c.url))]
        if prefix:
            prefix[0].url = url
            prefix[0].source_key = source_key(prefix[0])
            continue
        token = re.split(r"[?/=]", url.rstrip("/"))[-1]
        holder = [c for c in cites if token and token.lower() in c.text.lower()]
        if holder and holder[0].url is None:
            holder[0].url = url
            holder[0].source_key = source_key(holder[0])
            continue
        extra = Citation(note=note, seq=0, text=token if holder else url, url=url, kind="web")
        if holder:
            extra.kind = holder[0].kind
        extra.source_key = source_key(extra)
        cites.append(extra)


# --------------------------------------------------------------------------- resolution


class _Resolver:
    """Resolve short forms in note order; keeps the per-document memory they need."""

    def __init__(self, notes: list[Footnote]):
        self.notes = notes
        self.by_label: dict[str, int] = {}
        for i, n in enumerate(notes):
            self.by_label.setdefault(n.label.strip(), i)
        self.seen: list[Citation] = []
        self.short_names: list[tuple[str, Citation]] = []

    def resolve(self, cite: Citation) -> None:
        body = _strip_signal(cite.text)[1]
        if cite.short_form in ("ibid", "id"):
            if self.seen:
                self._point(cite, self.seen[-1])
        elif cite.short_form == "supra":
            target = self._supra_target(body)
            if target is not None:
                self._point(cite, target)
        else:
            target = self._short_name_target(body)
            if target is not None and not cite.url:  # a printed URL makes it a full citation
                cite.short_form = "hereinafter"
                self._point(cite, target)
            elif (case := case_cite(cite.text)) and case.endswith(" at"):
                target = self._case_target(case[: -len(" at")])
                if target is not None:  # "Lucas, 505 U.S. at 1027": no short_form name for it
                    self._point(cite, target)
        for name in _hereinafter_names(cite.text):
            self.short_names.append((_norm_text(name), cite))
        self.short_names.sort(key=lambda item: -len(item[0]))
        self.seen.append(cite)

    def _supra_target(self, body: str) -> Citation | None:
        m = SUPRA_RE.match(body)
        if not m:
            return None
        who = m.group("who") or ""
        named = self._short_name_target(who) if who else None
        if m.group("label"):
            index = self.by_label.get(m.group("label"))
            pool = [c for c in self.seen if c.note == index and not c.short_form]
        else:
            pool = [c for c in self.seen if not c.short_form]
        if named is not None and (not m.group("label") or named.note == self.by_label.get(m.group("label"))):
            return named
        return _best_author_match(pool, who)

    def _case_target(self, volume_reporter: str) -> Citation | None:
        for cite in reversed(self.seen):
            if cite.source_key and cite.source_key.startswith(f"case:{volume_reporter} "):
                return cite
        return None

    def _short_name_target(self, body: str) -> Citation | None:
        text = _norm_text(body)
        for name, cite in self.short_names:
            if len(name) >= 6 and (text == name or text.startswith(name + " ")):
                return cite
        return None

    @staticmethod
    def _point(cite: Citation, target: Citation) -> None:
        """Make a short form point at its antecedent's note and source."""
        cite.refers_to = target.refers_to if target.refers_to is not None else target.note
        cite.source_key = target.source_key
        cite.title = target.title
        cite.url = cite.url or target.url
        cite.authors = target.authors
        cite.container = cite.container or target.container
        cite.publisher = cite.publisher or target.publisher
        cite.doi = cite.doi or target.doi
        cite.date, cite.date_text = (target.date, target.date_text) if target.date else (cite.date, cite.date_text)
        cite.kind = target.kind


def _best_author_match(pool: list[Citation], who: str) -> Citation | None:
    """Among candidate citations, the latest whose authors or title share a word with ``who``."""
    words = set(_norm_text(who).split())
    for cite in reversed(pool):
        hay = set(_norm_text(f"{cite.authors or ''} {cite.title or ''}").split())
        if words and words & hay:
            return cite
    return pool[0] if pool and len({c.note for c in pool}) == 1 else None


def _hereinafter_names(text: str) -> list[str]:
    """Short names a citation defines: '(hereinafter X)', '[hereinafter X]', 'hereinafter "X"'."""
    names = []
    for m in HEREINAFTER_RE.finditer(text):
        opener = m.group()[0]
        if opener in "([":
            end = _balanced_end(text, m.start())
            name = text[m.end() : end]
        else:
            q = QUOTE_RE.match(text, m.end())
            name = (q.group("a") or q.group("b")) if q else ""
        name = name.strip(" ,.").strip("“”\"")
        if name:
            names.append(name)
    return names


def _balanced_end(text: str, open_pos: int) -> int:
    """Index of the bracket closing the one at ``open_pos`` (end of text if none)."""
    pairs = {"(": ")", "[": "]"}
    opener, closer = text[open_pos], pairs[text[open_pos]]
    depth = 0
    for i in range(open_pos, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    return len(text)
