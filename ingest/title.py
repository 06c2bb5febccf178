"""The document's title: a title its kind states by convention (a memo's subject line, a
Federal Register document's subject above its "AGENCY:" header, a court caption), else the
first page's largest type near the top, or the PDF's own Title entry when that one is sensible.

A title set over several lines (a subtitle after a colon, a long name wrapped, title lines a
blank line apart) is one title: the blocks of the same size that follow it in its column on
its page belong to it, even where another column's block (a date beside it) comes between
them in reading order. The layout's choice loses to the metadata when it is no title at all
(a date line, a report number, a one-word logo) or when the metadata is the fuller form of
it (the subtitle the layout did not see; a report number put in front is not fuller).
Metadata is sensible when it names this document: words of its own that the first pages
print, not a word processor's file name.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from citetrace.ingest.layout import DATE_LINE, REPORT_NUMBER, PageLayout
from citetrace.ingest.passages import Block
from citetrace.ingest.stages import timed
from citetrace.ingest.text import ends_sentence, in_capitals, join_break
from citetrace.ingest.title_conventions import convention_title
from citetrace.ingest.tolerances import (HEADING_LINES, SIZE_STEP, TITLE_BELOW, TITLE_CHARS,
                                         TITLE_FULLER, TITLE_LARGER, TITLE_PRINTED, TITLE_TOP)

WORD = re.compile(r"[^\W\d_]{2,}")
# a word processor's or a scanner's name for the file, not the document's
PRODUCER_TITLE = re.compile(r"^(?:microsoft\s+\w+\s+-|untitled\b|document\d*$|slide\s*\d+$)|"
                            r"\.(?:docx?|pdf|rtf|odt|indd|tex|txt|pptx?|xlsx?)\s*$", re.IGNORECASE)
SECTION_NUMBER = re.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])[.)]?\s")


@dataclass
class Title:
    text: str
    blocks: list[Block]  # the page-1 blocks that print it (taken out of the body text)


@timed("passages/markers")
def document_title(pages: list[PageLayout], blocks: list[Block], metadata: str | None
                   ) -> Title | None:
    """The best title of the document, with the blocks of the first page that print it."""
    printed = _page_title(pages, blocks)
    meta = _sensible(metadata, pages)
    if printed is None:
        return Title(meta, []) if meta else None
    if meta and (_weak(printed.text) or _fuller(meta, printed.text)):
        return Title(meta, printed.blocks if _key(printed.text) in _key(meta) else [])
    return printed


def _fuller(meta: str, printed: str) -> bool:
    """Is the metadata the printed title with more words (a subtitle the page sets apart)?
    Not when all it adds is a report number or an initialism ("GAO-06-1046, GRANTS ...")."""
    return _key(printed) != _key(meta) and _key(printed) in _key(meta) \
        and len(WORD.findall(meta)) - len(WORD.findall(printed)) >= TITLE_FULLER


def _key(text: str) -> str:
    return "".join(WORD.findall(text.casefold()))


def _weak(text: str) -> bool:
    """No title, though set large: a date line, a report number, a single word (a logo)."""
    return bool(DATE_LINE.match(text) or REPORT_NUMBER.match(text)) or len(WORD.findall(text)) < 2


def _sensible(metadata: str | None, pages: list[PageLayout]) -> str | None:
    """The metadata Title, when it names this document (most of its words are printed on
    the first pages)."""
    text = " ".join((metadata or "").split())
    words = {w.casefold() for w in WORD.findall(text)}
    if len(words) < 2 or PRODUCER_TITLE.search(text):
        return None
    seen = {w.casefold() for p in pages[:2] for ln in p.lines for w in WORD.findall(ln.text)}
    seen |= {w.casefold() for p in pages[:2] for f in p.furniture for w in WORD.findall(f.text)}
    return text if len(words & seen) >= TITLE_PRINTED * len(words) else None


def _page_title(pages: list[PageLayout], blocks: list[Block]) -> Title | None:
    """A title page 1 states by its kind's convention; else its largest heading when that is
    larger than the page's smallest text, with the same-size blocks right after it in its
    column; else the first title-like block at the top of the page (bold, or in capitals,
    or larger than the body: a title set in the body's size)."""
    if not pages:
        return None
    first = [b for b in blocks if b.page == pages[0].page and b.text.strip()]
    if not first:
        return None
    if (conv := convention_title(first, pages[0].height)) is not None:
        return Title(*conv)
    runs = _runs(first)
    heads = [r for r in runs if r[0].kind == "heading" and not _weak(_joined(r))]
    best = max(heads, key=lambda r: r[0].size, default=None)
    if best is None or best[0].size <= TITLE_LARGER * min(b.size for b in first):
        best = next((r for r in runs if _title_like(r[0], pages[0])), None)
        if best is None:
            return None
    return Title(_joined(best), best)


def _joined(run: list[Block]) -> str:
    """The run's text, its lines joined as body text is (a word hyphenated at a line end is
    one word again); lines in capitals before a line that is not ("GRANTS MANAGEMENT" over
    "Enhancing Performance ...") are the title before its subtitle, joined with a colon."""
    out = ""
    for ln in (ln for b in run for ln in b.lines):
        part = " ".join(ln.body_text.split())
        if out and in_capitals(out) and not in_capitals(part) and part[:1].isupper() \
                and out[-1:].isalnum():
            out += ": " + part
        else:
            out = _glue(out, part) if out else part
    return out


def _glue(left: str, right: str) -> str:
    how = join_break(left, right, Counter())  # no vocabulary: the lexicon decides
    return left[:-1] + right if how == "-" else left + how + right


def _runs(first: list[Block]) -> list[list[Block]]:
    """Page 1's blocks in runs: a block goes on with the last block above it in its column
    (the last one its width overlaps) when it is set in the same size and kind right under
    it: a title over several lines or blocks, even with a date set beside it in between."""
    runs: list[list[Block]] = []
    for b in first:
        above = next((r for r in reversed(runs) if r[-1].column is b.column and _overlap(r[-1], b)),
                     None)
        if above is not None and _goes_on(above[-1], b):
            above.append(b)
        else:
            runs.append([b])
    return runs


def _overlap(a: Block, b: Block) -> bool:
    return max(ln.x1 for ln in a.lines) > min(ln.x0 for ln in b.lines) \
        and max(ln.x1 for ln in b.lines) > min(ln.x0 for ln in a.lines)


def _goes_on(prev: Block, b: Block) -> bool:
    return abs(b.size - prev.size) <= SIZE_STEP * prev.size and b.kind == prev.kind \
        and 0 <= b.lines[0].top - prev.lines[-1].bottom <= TITLE_BELOW * prev.size \
        and (b.kind == "heading" or not ends_sentence(b.text))


def _title_like(b: Block, page: PageLayout) -> bool:
    text = " ".join(b.text.split())
    capitals = in_capitals(text)
    return b.lines[0].top < TITLE_TOP * page.height and len(b.lines) <= HEADING_LINES \
        and len(text) <= TITLE_CHARS and not ends_sentence(text) and not _weak(text) \
        and not SECTION_NUMBER.match(text) \
        and (all(ln.bold for ln in b.lines) or capitals or b.kind == "heading")
