"""Front and back matter that is not the document's text: a publisher's cover sheet, a
filing clerk's stamp, the dateline and byline of a summary's sidebar, an appended
transmittal sheet, stray numbers of charts and tables.

Each rule looks at where and how the text is set against the rest of the document, not at
what it says: the same title set again as the heading of a later page makes page 1 a cover
sheet, and so does a first page with no running text on it (title, date, publisher lines)
before pages that have some; text above the top edge every other page's text keeps, in another size, is a stamp;
a last page whose text starts far outside every other page's column was added by another
program.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from citetrace.ingest.layout import DATE_LINE, REPORT_NUMBER, PageLayout
from citetrace.ingest.passages import Block
from citetrace.ingest.tolerances import (COVER_ECHO_PAGES, ECHO_LETTERS, EDGE_SHARE, HEADING,
                                         HEADING_LINES, PROSE_WORDS, SHEET_OVERHANG, SIZE_STEP,
                                         STAMP_CLEARANCE, STAMP_SIZE, STRAY_CHARS)

_LETTERS = re.compile(r"[^\w]|[\d_]")
SENTENCE_STOP = re.compile(r"[^\W\d_]{2}[.!?][\"”’')\]]*(?:\s|$)")


def _key(text: str) -> str:
    return _LETTERS.sub("", text.casefold())


def front_and_back_matter(blocks: list[Block], pages: list[PageLayout], body_size: float,
                          titles: list[str]) -> list[tuple[Block, str]]:
    """(block, reason) for every block that is cover, stamp, appended sheet or stray number;
    reason "title" marks the article's title repeated after a cover sheet (not furniture)."""
    out: list[tuple[Block, str]] = []
    taken: set[int] = set()

    def take(b: Block, reason: str) -> None:
        if id(b) not in taken:
            taken.add(id(b))
            out.append((b, reason))

    if len(pages) > 1:
        first, last = pages[0].page, pages[-1].page
        echo = _cover_sheet(blocks, first, body_size, titles)
        for b in echo:
            take(b, "title")  # the article's own title page: the title, not body text
        if echo or _bare_first_page(blocks, first):
            for b in blocks:
                if b.page == first:
                    take(b, "cover page")
        for b in _stamp(blocks, pages, body_size):
            take(b, "margin stamp")
        for b in _sidebar_byline(blocks, first):
            take(b, "byline")
        if _appended_sheet(blocks, last, body_size):
            for b in blocks:
                if b.page == last:
                    take(b, "appended sheet")
    for b in blocks:
        text = b.text.strip()
        if len(text) <= STRAY_CHARS and not any(c.isalpha() for c in text):
            take(b, "stray number")
    return out


def _cover_sheet(blocks: list[Block], first: int, body_size: float, titles: list[str]
                 ) -> list[Block]:
    """The heading of a page soon after page 1 that repeats a heading of page 1 (or its
    title, or one of the title's blocks: a country named over a report's title), with the headings of its size right after it that carry the repeated title on
    (its subtitle): page 1 is then a cover sheet set before the article's own first page."""
    heads = {_key(b.text) for b in blocks if b.page == first and b.size >= HEADING * body_size}
    heads |= {_key(t) for t in titles}
    heads.discard("")
    for i, b in enumerate(blocks):
        if first < b.page <= first + COVER_ECHO_PAGES and b.kind == "heading" \
                and b.size >= HEADING * body_size:
            h = _key(b.text)
            if any((h.startswith(k) or k.startswith(h)) and min(len(h), len(k)) >= ECHO_LETTERS
                   for k in heads):
                run = [b]
                for nxt in blocks[i + 1:]:
                    h += _key(nxt.text)
                    if nxt.page != b.page or nxt.kind != "heading" \
                            or abs(nxt.size - b.size) > SIZE_STEP * b.size \
                            or not any(k.startswith(h) for k in heads):
                        break
                    run.append(nxt)
                return run
    return []


def _bare_first_page(blocks: list[Block], first: int) -> bool:
    """Is page 1 a cover: no running text on it (title, date, publisher, address lines),
    where later pages have some?"""
    mine = [b for b in blocks if b.page == first]
    return bool(mine) and not any(_prose(b) for b in mine) \
        and any(_prose(b) for b in blocks if b.page != first)


def _prose(b: Block) -> bool:
    """Running text: a paragraph or list item of some length with a sentence end in it."""
    text = " ".join(b.text.split())
    return b.kind in ("paragraph", "list_item") and len(text.split()) >= PROSE_WORDS \
        and SENTENCE_STOP.search(text) is not None


def _sidebar_byline(blocks: list[Block], first: int) -> list[Block]:
    """The date line of a sidebar on the first pages (with a report number right over it)
    and the short lines after it in that sidebar (author names and their titles): the
    report's number, dateline and byline, set beside
    its summary, make no claims. The date anchors the rule: a sidebar of running text (a
    box of key findings) has none and stays text."""
    out: list[Block] = []
    for col in {id(b.column): b.column for b in blocks
                if b.column.sidebar and b.page <= first + COVER_ECHO_PAGES}.values():
        mine = [b for b in blocks if b.column is col]
        start = next((i for i, b in enumerate(mine) if DATE_LINE.match(" ".join(b.text.split()))), None)
        if start is None:
            continue
        # the report's number set over its date belongs to the same header
        while start and REPORT_NUMBER.match(" ".join(mine[start - 1].text.split())):
            start -= 1
        for b in mine[start:]:
            text = " ".join(b.text.split())
            if _prose(b) or len(b.lines) > HEADING_LINES or SENTENCE_STOP.search(text):
                break
            out.append(b)
    return out


def _top_edge(blocks: list[Block], page: int) -> float | None:
    tops = [ln.top for b in blocks if b.page == page for ln in b.lines]
    return min(tops) if tops else None


def _stamp(blocks: list[Block], pages: list[PageLayout], body_size: float) -> list[Block]:
    """Blocks of page 1 above the top every other page's text starts at, set in another
    size than the body (a clerk's filing stamp)."""
    tops = [t for p in pages[1:-1] if (t := _top_edge(blocks, p.page)) is not None]
    if len(tops) < 2:
        return []
    usual = statistics.median(tops)
    first = pages[0].page
    return [b for b in blocks if b.page == first
            and 2 * sum(ln.bottom < usual - STAMP_CLEARANCE * body_size for ln in b.lines)
            > len(b.lines)
            and abs(b.size - body_size) > STAMP_SIZE * body_size and b.size < HEADING * body_size]


def _appended_sheet(blocks: list[Block], last: int, body_size: float) -> bool:
    """Does the last page's text start far left of the document's text columns, with no
    line at any column's edge? (A transmittal sheet another program added.)"""
    left = Counter(round(b.column.x0) for b in blocks if b.page != last for _ in b.lines)
    mine = [ln.x0 for b in blocks if b.page == last for ln in b.lines]
    if not left or not mine:
        return False
    # the columns' left edges, by the lines they hold (two in a two-column document: one
    # median line start would fall on either column as the share of lines shifts)
    edges = [x for x, n in left.items() if n >= EDGE_SHARE * sum(left.values())] or \
        [statistics.median(left.elements())]
    return min(mine) < min(edges) - SHEET_OVERHANG * body_size and not any(
        abs(x - edge) < body_size for x in mine for edge in edges)
