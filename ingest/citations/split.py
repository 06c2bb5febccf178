"""Cutting a note into candidate citation segments (commentary segments included)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Citation
from ..urls import compare_form, find_urls, is_archive
from .classify import commentary, is_author_date, starts_with_signal, strong_cite
from .fields import build
from .patterns import (
    AFTER_URL_RE,
    AND_AUTHOR_RE,
    CONJ_RE,
    CONTINUATION_RE,
    CRS_JOIN_RE,
    DEPTH_PASSES,
    GAO_JOIN_RE,
    LEADING_LOWER_RE,
    PROSE_WORD_RE,
    SENTENCE_END_RE,
)
from .scan import balanced_end, enclosing_paren, is_abbreviation, trim


@dataclass
class _Segment:
    start: int
    end: int


def split_note(text: str, urls=None) -> list[_Segment]:
    """Cut a note into candidate citation segments (commentary segments included).
    ``urls``: :func:`find_urls` of ``text``, when the caller has them already."""
    urls = find_urls(text) if urls is None else urls
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
    for _attempt in range(DEPTH_PASSES):
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


def _split_after_urls(text: str, seg: _Segment, urls) -> list[_Segment]:
    """A URL ends a citation: start a new segment when another work follows it.

    The archive link ("[https://perma.cc/...]") and parentheticals such as
    "(hereinafter X)" stay with the URL; ", p. 8" or "where ..." (lowercase) do too.
    """
    out, start = [], seg.start
    for u_start, u_end, url in urls:
        if not (seg.start <= u_start < seg.end) or is_archive(url) and _is_bracketed(text, u_start):
            continue
        tail = AFTER_URL_RE.match(text, u_end, seg.end)
        cut = tail.end() if tail else u_end
        rest = text[cut : seg.end]
        conj = CONJ_RE.match(rest)
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
        if depth[pos] or any(a <= pos < b for a, b in url_spans) or is_abbreviation(text, pos):
            continue
        cuts.append(m.end())
    if not cuts:
        return [seg]
    pieces = [(a, b) for a, b in zip([seg.start] + cuts, cuts + [seg.end])]
    out = [_Segment(*pieces[0])]
    for a, b in pieces[1:]:
        prev = text[out[-1].start : out[-1].end]
        cur = text[a:b]
        if starts_with_signal(cur) or commentary(prev) or (commentary(cur) and not is_author_date(prev)):
            out.append(_Segment(a, b))
        else:
            out[-1] = _Segment(out[-1].start, b)
    return out


def _split_pattern(text: str, seg: _Segment, pattern: re.Pattern, depth) -> list[_Segment]:
    out, start = [], seg.start
    for m in pattern.finditer(text, seg.start, seg.end):
        group = next((g for g in range(1, (pattern.groups or 0) + 1) if m.group(g) is not None), 0)
        if depth[m.start(group)] == 0:  # cut at the separator group when the pattern has one
            out.append(_Segment(start, m.start(group)))
            start = m.end(group)
    out.append(_Segment(start, seg.end))
    return out


def focus(text: str, seg: _Segment, urls) -> str:
    """"Ticketmaster bought X in 2000 (see Orwall, “Title,” WSJ, ..., https://...)." cites
    only what the parenthetical holds: use it when the words before it are prose."""
    raw = text[seg.start : seg.end]
    first = next((u for u in urls if seg.start <= u[0] < seg.end), None)
    if first is None:
        return raw
    opener = enclosing_paren(text, seg.start, first[0])
    before = text[seg.start : opener] if opener is not None else ""
    if opener is None or not PROSE_WORD_RE.search(before) or strong_cite(before):
        return raw
    return text[opener + 1 : balanced_end(text, opener)]


def nested_url_cites(text: str, seg: _Segment, urls, main: Citation) -> list[Citation]:
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
        opener = enclosing_paren(text, seg.start, start)
        if opener is not None:
            sub = text[opener + 1 : balanced_end(text, opener)]
        else:
            tail = AFTER_URL_RE.match(text, end, seg.end)
            sub = text[prev_end : tail.end() if tail else end]
        sub = LEADING_LOWER_RE.sub("", trim(sub).lstrip("—–-\"” "))
        out.append(build(sub or url, main.note))
        prev_end = end
    return out


def _merge_continuations(text: str, segments: list[_Segment]) -> list[_Segment]:
    """"...; also available at https://..." belongs to the citation before it."""
    out: list[_Segment] = []
    for seg in segments:
        if out and CONTINUATION_RE.match(text[seg.start : seg.end]):
            out[-1] = _Segment(out[-1].start, seg.end)
        else:
            out.append(seg)
    return out
