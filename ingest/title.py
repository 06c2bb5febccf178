"""The document's title: the first page's largest type near the top, or the PDF's own Title
entry when that one is sensible.

A title set over several lines (a subtitle after a colon, a long name wrapped) is one
title: the blocks of the same size that follow it on its page belong to it. The layout's
choice loses to the metadata when it is no title at all (a date line, a report number, a
one-word logo) or when the metadata is the fuller form of it (the subtitle the layout did
not see). Metadata is sensible when it names this document: words of its own that the
first pages print, not a word processor's file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citetrace.ingest.layout import DATE_LINE, REPORT_NUMBER, PageLayout
from citetrace.ingest.passages import Block
from citetrace.ingest.stages import timed
from citetrace.ingest.text import ends_sentence
from citetrace.ingest.tolerances import (HEADING_LINES, SIZE_STEP, TITLE_BELOW, TITLE_CHARS,
                                         TITLE_LARGER, TITLE_PRINTED, TITLE_TOP)

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
    if meta and (_weak(printed.text) or _key(printed.text) != _key(meta)
                 and _key(printed.text) in _key(meta)):
        return Title(meta, printed.blocks if _key(printed.text) in _key(meta) else [])
    return printed


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
    """The largest heading of page 1 when it is larger than the page's smallest text, with
    the same-size blocks right after it; else the first title-like block at the top of the
    page (bold, or in capitals, or larger than the body: a title set in the body's size)."""
    if not pages:
        return None
    first = [b for b in blocks if b.page == pages[0].page and b.text.strip()]
    heads = [b for b in first if b.kind == "heading" and not _weak(b.text)]
    best = max(heads, key=lambda b: b.size, default=None)
    if best is None or best.size <= TITLE_LARGER * min(b.size for b in first):
        best = next((b for b in first if _title_like(b, pages[0])), None)
        if best is None:
            return None
    run = [best]
    for b in first[first.index(best) + 1:]:
        prev = run[-1]
        if b.column is not prev.column or abs(b.size - prev.size) > SIZE_STEP * prev.size \
                or b.lines[0].top - prev.lines[-1].bottom > TITLE_BELOW * prev.size \
                or b.kind != prev.kind:
            break
        run.append(b)
    return Title(" ".join(" ".join(b.text for b in run).split()), run)


def _title_like(b: Block, page: PageLayout) -> bool:
    text = " ".join(b.text.split())
    letters = [c for c in text if c.isalpha()]
    capitals = letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return b.lines[0].top < TITLE_TOP * page.height and len(b.lines) <= HEADING_LINES \
        and len(text) <= TITLE_CHARS and not ends_sentence(text) and not _weak(text) \
        and not SECTION_NUMBER.match(text) \
        and (all(ln.bold for ln in b.lines) or capitals or b.kind == "heading")
