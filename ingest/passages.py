"""Body lines -> blocks -> passages (paragraphs re-joined across column and page breaks)."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace

from citetrace.ingest.lines import Line, Word
from citetrace.ingest.layout import Column, PageLayout, typed_rule
from citetrace.ingest.notes import marker_labels
from citetrace.ingest.stages import timed
from citetrace.ingest.text import ends_sentence, in_capitals
from citetrace.ingest.tolerances import (
    BLOCK_GAP,
    BLOCK_GAP_EMS,
    BOILERPLATE_PAGES,
    CAPTION_SIZE,
    CENTRED_HEADING_CHARS,
    CENTRED_INSET,
    CENTRED_SLACK,
    DROP_CAP,
    QUOTE_ECHO_LETTERS,
    EDGE_SNAP,
    FIT_SLACK,
    HANGING_INSET,
    HANGING_MAJORITY,
    HEADING,
    HEADING_LINES,
    IMPRINT_SIZE,
    INDENT,
    INDENT_COLUMN,
    INDENT_MAX_SIZE,
    ITEM_ALIGN,
    LEADING,
    LINE_NEIGHBOURS,
    LONE_PITCH,
    PITCH_MAX_STEP,
    PITCH_SAME_SIZE,
    PULLQUOTE_LINES,
    SHORT_HEADING_CHARS,
    SHORT_HEADING_LINES,
    SHORT_HEADING_SIZE,
    SIZE_STEP,
    WORD_SPACE,
)

CAPTION = re.compile(r"^(figure|fig\.|table|chart|exhibit|map|source|note)s?\s*[\d:.A-Z]", re.IGNORECASE)
# "Table 2 provides data on ...", "Figures 1 and 2 show ...": a body sentence about a figure,
# not its caption (a caption's number is followed by its title, a stop or a colon)
REFERS_TO_FIGURE = re.compile(r"^(?:figure|fig\.|table|chart|exhibit|map)s?\s+[\dA-Z][\w.-]*"
                              r"(?:\s+(?:and|through|to)\s+[\dA-Z][\w.-]*)?,?\s+[a-z]", re.IGNORECASE)
# Legal and imprint text that is the publisher's, not the report's: a notice section, a
# copyright line (and the imprint after it), a section's standing description.
NOTICE_HEADING = re.compile(r"^(disclaimers?|legal notices?|copyright( notice)?|terms of use|"
                            r"rights and permissions|important notice)\W*$", re.IGNORECASE)
IMPRINT = re.compile(r"^(©|copyright\s+(©|\d{4})|\(c\)\s*\d{4})|\ball rights reserved\b",
                     re.IGNORECASE)
STANDING_TEXT = re.compile(r"^this (section|document|publication) (of|in) the .{0,60}?\b"
                           r"(contains|was prepared by|has been prepared by)\b", re.IGNORECASE)
# a contents entry: a leader (dots, middle dots, an ellipsis) and the page it points to at the
# end of the line ("Introduction ........ 1", "Miller v. Smith, 80 Wn.2d 307 ..... 24, 26")
LEADER = re.compile(r"\s*(?:(?:\.\s?){4,}|…+|(?:·\s?){4,})\s*")
TOC_LINE = re.compile(LEADER.pattern + r"(?:\d+|[ivxlcdm]+)(?:\s*[,–-]\s*\d+)*,?\s*$", re.IGNORECASE)
BULLET_GLYPHS = "•▪◦●■"
BULLET = re.compile(rf"^([{BULLET_GLYPHS}–-]|\(?[a-z0-9]{{1,2}}[.)])\s")


@dataclass
class Block:
    lines: list[Line]
    column: Column
    page: int
    kind: str = "paragraph"
    continues: bool = False  # continues the previous block (across a column/page break)
    edge: float = 0.0  # where the column's lines start (see column_blocks)

    @property
    def size(self) -> float:
        return statistics.median(ln.size for ln in self.lines)

    @property
    def text(self) -> str:
        return " ".join(ln.body_text for ln in self.lines)


def _pitch(lines: list[Line]) -> float:
    steps = [b.top - a.top for a, b in zip(lines, lines[1:])
             if abs(a.size - b.size) < PITCH_SAME_SIZE and 0 < b.top - a.top < PITCH_MAX_STEP * a.size]
    return statistics.median(steps) if steps else (lines[0].size * LEADING if lines else LONE_PITCH)


def column_blocks(page: PageLayout, col: Column, body_size: float) -> list[Block]:
    lines = _drop_caps([ln for ln in col.lines if ln.kind == "body" and not typed_rule(ln)],
                       body_size)
    if not lines:
        return []
    pitch = _pitch(lines)
    blocks: list[Block] = []
    cur: list[Line] = [lines[0]]
    width = col.x1 - col.x0
    # the left edge most lines start at: the column's edge, or an em inside it where
    # paragraphs hang (first line set out to the edge, as in a court syllabus); lines set
    # larger than the body (an inset pull quote) say nothing of the body's edge
    starts = Counter(round(ln.x0) for ln in lines if ln.size <= body_size * (1 + SIZE_STEP)) \
        or Counter(round(ln.x0) for ln in lines)
    mode, count = starts.most_common(1)[0]
    at_edge = sum(n for x, n in starts.items() if abs(x - col.x0) < EDGE_SNAP)
    edge = mode if col.x0 < mode < col.x0 + HANGING_INSET * body_size \
        and count >= HANGING_MAJORITY * at_edge else col.x0
    for i, (prev, ln) in enumerate(zip(lines, lines[1:])):
        gap = ln.top - prev.top
        size_change = abs(ln.size - prev.size) > SIZE_STEP * max(ln.size, prev.size)
        style_change = prev.bold != ln.bold
        indented = ln.x0 > edge + INDENT * ln.size and prev.x0 <= edge + INDENT * prev.size \
            and width > INDENT_COLUMN * ln.size and ln.size < body_size * INDENT_MAX_SIZE
        hanging = ln.x0 < edge - INDENT * ln.size <= prev.x0 - INDENT * ln.size
        item_x = _item_text_x(cur[0])
        if indented and item_x is not None and abs(ln.x0 - item_x) < ITEM_ALIGN * ln.size:
            indented = False  # a list item's next line, set under its text
        bullet = ln.text[:1] in BULLET_GLYPHS
        if _centred_line(ln, col) and _centred_line(prev, col):
            indented = short_end = False  # a centred heading's lines, not paragraph starts
        else:
            # a paragraph's last line leaves room for the next line's first word; measured
            # against the lines around it, not the column (a block quote is inset, ragged
            # text is uneven)
            right = max(near.x1 for near in lines[max(0, i - LINE_NEIGHBOURS):i + LINE_NEIGHBOURS + 1])
            room = right - prev.x1 - WORD_SPACE * prev.size
            short_end = room > ln.words[0].x1 - ln.words[0].x0 + FIT_SLACK * prev.size \
                and ends_sentence(prev.body_text) \
                and (not ln.text[:1].islower() or BULLET.match(ln.text) is not None)  # "a. …"
        entry = TOC_LINE.search(prev.text) is not None  # a contents entry ends on its page number
        if gap > max(pitch, BLOCK_GAP_EMS * ln.size) * BLOCK_GAP or gap < 0 or size_change or style_change \
                or indented or hanging or bullet or short_end or entry:
            blocks.append(Block(cur, col, page.page))
            cur = []
        cur.append(ln)
    blocks.append(Block(cur, col, page.page))
    for b in blocks:
        b.kind = _kind(b, body_size)
        b.edge = edge
    return blocks


def _drop_caps(lines: list[Line], body_size: float) -> list[Line]:
    """The lines with each drop cap (one capital set several lines tall, the rest of its word
    in lower case right beside it) made the first letter of that word, in the word's size
    and just before it: the paragraph's first word, not a heading of one letter."""
    out: list[Line] = []
    for ln, nxt in zip(lines, lines[1:] + [None]):
        if nxt is not None and len(ln.words) == 1 and len(ln.words[0].glyphs) == 1 \
                and ln.text.isalpha() and ln.text.isupper() and ln.size >= DROP_CAP * body_size \
                and nxt.words[0].text[:1].islower() and nxt.top < ln.bottom \
                and 0 <= nxt.x0 - ln.x1 < body_size:
            first, cap = nxt.words[0], ln.words[0].glyphs[0]
            width = (cap.x1 - cap.x0) * first.size / cap.size
            cap = replace(cap, x0=first.x0 - width, x1=first.x0, top=first.top,
                          bottom=first.bottom, size=first.size)
            nxt.words[0] = Word([cap] + first.glyphs, first.space_before)
            nxt.measure()
            continue
        out.append(ln)
    return out


def _item_text_x(first: Line) -> float | None:
    """Where the text of a list item starts, after its bullet or number."""
    if len(first.words) > 1 and BULLET.match(first.text):
        return first.words[1].x0
    return None


def _kind(b: Block, body_size: float) -> str:
    text = b.text.strip()
    first = b.lines[0]
    if TOC_LINE.search(b.lines[-1].text):
        return "toc"
    if CAPTION.match(text) and (b.size <= body_size * CAPTION_SIZE) and not _refers_to_figure(text):
        return "caption"
    italic = all(ln.italic for ln in b.lines)
    if b.size >= body_size * HEADING:
        if italic and len(b.lines) >= PULLQUOTE_LINES and not text.isupper():
            return "pullquote"
        return "heading"
    if (first.bold or all(ln.bold for ln in b.lines)) and len(b.lines) <= HEADING_LINES \
            and not ends_sentence(text):
        return "heading"
    capitals = in_capitals(text)
    if len(b.lines) <= HEADING_LINES and len(text) < CENTRED_HEADING_CHARS and text[:1].isupper() \
            and _centred(b) \
            and (not ends_sentence(text) or capitals):
        return "heading"  # a centred line of its own ("Syllabus", "OPINION OF THE COURT")
    if len(b.lines) <= SHORT_HEADING_LINES and len(text) < SHORT_HEADING_CHARS \
            and not ends_sentence(text) and text[:1].isupper() \
            and b.size >= body_size * SHORT_HEADING_SIZE and (first.bold or text.istitle() or text.isupper()):
        return "heading"
    if BULLET.match(text):
        return "list_item"
    return "paragraph"


def _refers_to_figure(text: str) -> bool:
    """Does the block open with a sentence about a figure or table ("Table 2 provides ...")?
    The label is matched case-sensitively after it: "Table 1 Estimated Ownership" is a title."""
    m = REFERS_TO_FIGURE.match(text)
    return bool(m) and text[m.end() - 1].islower()


def _centred_line(ln: Line, col: Column) -> bool:
    """Are the line's two margins in its column equal?"""
    left, right = ln.x0 - col.x0, col.x1 - ln.x1
    return abs(left - right) <= max(ln.size, CENTRED_SLACK * (col.x1 - col.x0))


def _centred(b: Block) -> bool:
    """Every line centred in its column, at least one set well inside it."""
    col = b.column
    return all(_centred_line(ln, col) for ln in b.lines) and any(
        min(ln.x0 - col.x0, col.x1 - ln.x1) >= CENTRED_INSET * ln.size for ln in b.lines)


@timed("passages/markers")
def reading_blocks(pages: list[PageLayout], body_size: float) -> list[Block]:
    """All body blocks in reading order, with paragraphs split by a column or page break
    marked as continuing their predecessor."""
    out: list[Block] = []
    last_para: Block | None = None
    # pull quotes read after the paragraph they stand in: held until a block that does not
    # carry it on, over a column or page break too (a quote at a column's foot or head)
    held: list[Block] = []
    quoted = False  # a pull quote stands between the last block read and the next
    laid = [[column_blocks(page, col, body_size) for col in page.columns] for page in pages]
    letters = [_body_letters(columns) for columns in laid]
    for k, columns in enumerate(laid):
        # a quote may repeat a sentence its paragraph prints over the page break
        _echoes(columns, body_size, "".join(letters[max(k - 1, 0):k + 2]))
        for blocks in columns:
            first = True  # the column's first block that is not a pull quote
            for b in blocks:
                if b.kind == "pullquote":
                    held.append(b)
                    quoted = True
                    continue
                # a list item (a numbered paragraph) is carried on only mid-sentence (a
                # bullet's text often ends with no stop) and where nothing (a caption) came
                # after it
                if first and last_para is not None and b.kind == "paragraph" and \
                        _continues(last_para, b) and (last_para.kind == "paragraph" or (
                            b.text.lstrip()[:1].islower() and out and out[-1] is last_para)):
                    b.continues = True
                cut = out[-1] if quoted and out else None  # the text block the quote cut
                if cut is not None and cut.kind in ("paragraph", "list_item") and \
                        b.kind == "paragraph" and (_continues(cut, b) or _resumes(cut, b)):
                    b.continues = True
                if not b.continues:
                    out += held
                    held = []
                out.append(b)
                first = quoted = False
                if b.kind in ("paragraph", "list_item"):
                    last_para = b
                elif b.kind in ("heading", "toc"):
                    last_para = None
            if blocks:
                last = blocks[-1]
                last_para = last if last.kind in ("paragraph", "list_item") else last_para
    return out + held


_LETTERS = re.compile(r"[^\w]+")
# a quoted sentence's end: a stop, not the colon a heading may end with
QUOTE_END = re.compile(r"[.!?][\"”’')\]]*$")


def _body_letters(columns: list[list[Block]]) -> str:
    """The letters of a page's paragraphs, lower-cased, without spaces or punctuation."""
    return "".join(_LETTERS.sub("", b.text.lower()) for blocks in columns for b in blocks
                   if b.kind == "paragraph")


def _echoes(columns: list[list[Block]], body_size: float, body: str) -> None:
    """Mark as pull quotes the large-type blocks of a page that repeat a sentence of `body`
    (the letters of the page's paragraphs and its neighbours'): a pull quote of one line has
    no second line to tell it from a heading: its words do; a heading never repeats a whole
    sentence of the text under it, though it may name the report's subject in as many
    letters: "Economic Development Administration:" above a summary that opens with it,
    hence the sentence's end."""
    for blocks in columns:
        for b in blocks:
            letters = _LETTERS.sub("", b.text.lower())
            if b.kind in ("heading", "pullquote") and b.size >= body_size * HEADING \
                    and len(letters) >= QUOTE_ECHO_LETTERS and QUOTE_END.search(b.text.strip()) \
                    and letters in body:
                b.kind = "pullquote"


def boilerplate(blocks: list[Block], page_count: int, body_size: float) -> list[Block]:
    """Blocks of publisher boilerplate: a notice section (its heading and everything up to
    the next heading), and, on the first two or last two pages, a copyright line with the
    small-type imprint after it on its page, or a section's standing description."""
    out: list[Block] = []
    notice: int | None = None  # page of the notice section being read
    imprint: int | None = None  # page of the copyright line just read
    for b in blocks:
        text = b.text.strip()
        edge = b.page <= BOILERPLATE_PAGES or b.page > page_count - BOILERPLATE_PAGES
        if b.kind == "heading":
            notice = b.page if NOTICE_HEADING.match(text) else None
            imprint = None
            if notice is None:
                continue
        elif notice is not None and (b.page == notice or b.continues):
            notice = b.page
        elif imprint == b.page and b.size < IMPRINT_SIZE * body_size:
            pass
        elif edge and IMPRINT.search(text):
            imprint = b.page
        elif not (edge and STANDING_TEXT.match(text)):
            notice = imprint = None
            continue
        out.append(b)
    return out


def _continues(a: Block, b: Block) -> bool:
    """Does paragraph `b` (first of its column) carry on paragraph `a`?"""
    if abs(a.size - b.size) > SIZE_STEP * a.size:
        return False
    a_text, b_text = a.text.rstrip(), b.text.lstrip()
    if not b_text:
        return False
    first = b.lines[0]
    indented = first.x0 > b.edge + INDENT * first.size
    if not ends_sentence(a_text):
        return not indented or b_text[0].islower()
    return b_text[0].islower()


def _resumes(a: Block, b: Block) -> bool:
    """Does paragraph `b`, right under a pull quote, carry on paragraph `a` over it although
    `a` ends a sentence? Yes where `a`'s last line runs to the measure (a paragraph's end
    leaves room) and `b` starts at the edge, not indented like a new paragraph."""
    first, last = b.lines[0], a.lines[-1]
    full = last.x1 >= max(ln.x1 for ln in a.lines) - a.size and len(a.lines) > 1 \
        or last.x1 >= a.column.x1 - a.size
    return full and first.x0 <= b.edge + INDENT * first.size \
        and abs(a.size - b.size) <= SIZE_STEP * a.size


def is_marker(word, known_labels: set[str]) -> list[str]:
    """Labels of a raised word that should be read as a note marker."""
    if not word.raised:
        return []
    labels = marker_labels(word)
    return [lab for lab in labels if lab in known_labels]
