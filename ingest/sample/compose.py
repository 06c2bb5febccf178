"""Page composition: a title block, then two columns with footnotes at the foot of each column.

The layout is computed completely before anything is drawn.  It returns positioned drawing
operations per page plus a record of where every block, marker and note landed; the PDF is
drawn from the former and the gold file written from the latter.

Coordinates here are measured from the top of the page downwards (like pdfplumber); the
drawing code converts them to PDF's bottom-up coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.pagesizes import letter

from . import content, linebreak, markup
from .linebreak import Line, Style

PAGE_W, PAGE_H = letter
MARGIN_X = 72.0
COL_GAP = 24.0
COL_W = (PAGE_W - 2 * MARGIN_X - COL_GAP) / 2
BODY_TOP = 76.0  # below the running header
BODY_BOTTOM = PAGE_H - 70.0  # above the running footer
HEADER_BASELINE = 48.0
FOOTER_BASELINE = PAGE_H - 42.0

BODY = Style("Times-Roman", "Times-Italic", 11.5, 15.8, marker_size=7.2, marker_rise=4.2)
ABSTRACT = Style("Times-Italic", "Times-Roman", 11.0, 14.5, marker_size=7.0, marker_rise=4.0)
NOTE = Style("Times-Roman", "Times-Italic", 8.6, 11.0, marker_size=6.0, marker_rise=2.9)
HEADING = Style("Helvetica-Bold", "Helvetica-BoldOblique", 11.0, 14.0)
CAPTION = Style("Helvetica", "Helvetica-Oblique", 8.0, 10.0)
PULL = Style("Times-Italic", "Times-Roman", 13.5, 16.5)
TITLE = Style("Helvetica-Bold", "Helvetica-BoldOblique", 21.0, 25.0)
BYLINE = Style("Helvetica", "Helvetica-Oblique", 10.0, 13.0)

PARA_SPACE = 6.0
HEADING_SPACE = 14.0
FLOAT_SPACE = 9.0  # around the figure and the pull-quote
FIGURE_H = 170.0
NOTE_GAP = 1.5  # between two notes
NOTE_RULE_GAP = 7.0  # from the body to the separator rule
NOTE_SEP = 12.0  # separator block: gap + rule + gap


# ---- positioned drawing operations -------------------------------------------------------


@dataclass(frozen=True)
class TextOp:
    x: float
    baseline: float
    line: Line


@dataclass(frozen=True)
class RuleOp:
    x0: float
    y: float
    x1: float
    width: float = 0.5


@dataclass(frozen=True)
class FigureOp:
    x: float
    top: float
    width: float
    height: float
    figure: content.Figure


Op = TextOp | RuleOp | FigureOp


# ---- what the gold file needs ------------------------------------------------------------


@dataclass
class NoteRecord:
    key: str
    label: str
    page: int | None = None
    continues_on_page: int | None = None
    url_breaks: list[str] = field(default_factory=list)  # break kinds of its lines


@dataclass
class BlockRecord:
    kind: str  # heading, paragraph, caption, pullquote
    text: str
    markup: str
    page: int | None = None


@dataclass
class Layout:
    pages: list[list[Op]]
    blocks: list[BlockRecord]
    notes: dict[str, NoteRecord]  # in label order
    marker_pages: dict[str, int]
    body_breaks: list[tuple[str, str, str, int]]  # (kind, before, after, page)


# ---- items: the vertical units that fill a column ----------------------------------------


@dataclass
class Item:
    height: float
    ops: list[tuple]  # ("text", dx, baseline_dy, line) | ("rule", dx0, dy, dx1) | ("figure",)
    notes: list[str] = field(default_factory=list)
    space_before: float = 0.0
    keep_with_next: bool = False
    block: int | None = None  # index into Layout.blocks of the block starting here
    line: Line | None = None
    figure: content.Figure | None = None


def _text_items(block_lines: list[Line], style: Style, block: int, space_before: float):
    items = []
    for i, line in enumerate(block_lines):
        items.append(
            Item(
                style.leading,
                [("text", 0.0, style.leading * 0.78, line)],
                line.notes,
                space_before if i == 0 else 0.0,
                # No orphan: a first line never stays alone at the foot of a column.
                keep_with_next=(i == 0 and len(block_lines) > 1),
                block=block if i == 0 else None,
                line=line,
            )
        )
    return items


def _spacer(space: float) -> Item:
    """White space after a float; dropped at the top of a column like any space before."""
    return Item(0.0, [], space_before=space)


def _body_items(report: content.Report, labels, hyph, blocks: list[BlockRecord]) -> list[Item]:
    items: list[Item] = []
    for source in report.body:
        index = len(blocks)
        if isinstance(source, content.Heading):
            blocks.append(BlockRecord("heading", source.text, source.text))
            words = linebreak.make_words(source.text, HEADING, labels)
            heading = _text_items(linebreak.break_lines(words, COL_W, HEADING, False), HEADING, index, HEADING_SPACE)
            for item in heading:
                item.keep_with_next = True  # a heading travels with the first lines after it
            items.extend(heading)
        elif isinstance(source, content.Paragraph):
            blocks.append(BlockRecord("paragraph", markup.clean(source.text), source.text))
            words = linebreak.make_words(source.text, BODY, labels, hyph)
            items.extend(_text_items(linebreak.break_justified(words, COL_W, BODY), BODY, index, PARA_SPACE))
        elif isinstance(source, content.Figure):
            blocks.append(BlockRecord("caption", markup.clean(source.caption), source.caption))
            items.append(
                Item(FIGURE_H + 4.0, [("figure",)], space_before=FLOAT_SPACE, keep_with_next=True, figure=source)
            )
            words = linebreak.make_words(source.caption, CAPTION, labels)
            caption = _text_items(linebreak.break_lines(words, COL_W, CAPTION, False), CAPTION, index, 0.0)
            for item in caption[:-1]:
                item.keep_with_next = True
            items.extend(caption)
            items.append(_spacer(FLOAT_SPACE))
        elif isinstance(source, content.PullQuote):
            blocks.append(BlockRecord("pullquote", source.text, source.text))
            words = linebreak.make_words(source.text, PULL, labels)
            quote = _text_items(linebreak.break_lines(words, COL_W - 16, PULL, False), PULL, index, 0.0)
            for item in quote:
                item.ops = [("text", 8.0, *op[2:]) for op in item.ops]
                item.keep_with_next = True
            top = Item(8.0, [("rule", 0.0, 2.0, COL_W)], space_before=FLOAT_SPACE, keep_with_next=True)
            bottom = Item(8.0, [("rule", 0.0, 5.0, COL_W)])
            items.extend([top, *quote, bottom, _spacer(FLOAT_SPACE - 4)])
            # The block starts with the rule: that is where its first page is.
            top.block, quote[0].block = index, None
        else:  # pragma: no cover - content is fixed
            raise TypeError(source)
    return items


# ---- columns -----------------------------------------------------------------------------


@dataclass
class NoteBlock:
    key: str
    lines: list[Line]


@dataclass
class Column:
    page: int
    index: int  # 0 = left, 1 = right
    x: float
    top: float
    bottom: float
    last_on_page: bool
    cursor: float = 0.0
    notes: list[NoteBlock] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cursor = self.top

    @property
    def empty(self) -> bool:
        return self.cursor == self.top


def notes_height(blocks: list[NoteBlock]) -> float:
    if not blocks:
        return 0.0
    line_count = sum(len(b.lines) for b in blocks)
    return NOTE_SEP + line_count * NOTE.leading + NOTE_GAP * (len(blocks) - 1)


class Composer:
    """Fills columns page after page; one instance per build, nothing shared."""

    def __init__(self, note_lines: dict[str, list[Line]], layout: Layout, first_top: float):
        self.note_lines = note_lines
        self.layout = layout
        self.first_top = first_top
        self.carry: NoteBlock | None = None
        self.column = self._new_column(page=1, index=0)

    def _new_column(self, page: int, index: int) -> Column:
        while len(self.layout.pages) < page:
            self.layout.pages.append([])
        top = self.first_top if page == 1 else BODY_TOP
        x = MARGIN_X + index * (COL_W + COL_GAP)
        column = Column(page, index, x, top, BODY_BOTTOM, last_on_page=(index == 1))
        if self.carry is not None:
            column.notes.append(self.carry)
            self.carry = None
        return column

    def _next_column(self) -> None:
        self._close(self.column)
        col = self.column
        if col.index == 0:
            self.column = self._new_column(col.page, 1)
        else:
            self.column = self._new_column(col.page + 1, 0)

    def place_all(self, items: list[Item]) -> None:
        i = 0
        while i < len(items):
            if self._try_place(items, i):
                i += 1
            elif self.column.empty:
                raise RuntimeError(f"item {i} does not fit in an empty column")
            else:
                self._next_column()
        self._close(self.column)

    def _try_place(self, items: list[Item], i: int) -> bool:
        col, item = self.column, items[i]
        gap = 0.0 if col.empty else item.space_before
        chain = 0.0  # items that must share this column with this one
        j = i
        while items[j].keep_with_next and j + 1 < len(items):
            j += 1
            chain += items[j].height
        new_notes = [NoteBlock(k, self.note_lines[k]) for k in item.notes]
        body_end = col.cursor + gap + item.height
        if body_end + chain <= col.bottom - notes_height(col.notes + new_notes):
            self._put(item, gap, new_notes)
            return True
        if col.last_on_page and new_notes and chain == 0.0:
            return self._try_split(item, gap, new_notes, body_end)
        return False

    def _try_split(self, item: Item, gap: float, new_notes: list[NoteBlock], body_end: float) -> bool:
        """Place the line and start its last note here, the rest of it on the next page.

        Only in the last column of a page, so a continued note always runs from page N to
        page N+1, as in print.
        """
        col = self.column
        whole, last = new_notes[:-1], new_notes[-1]
        used = notes_height(col.notes + whole + [NoteBlock(last.key, [])])
        room = col.bottom - body_end - used
        fit = int(room // NOTE.leading)
        if fit < 2 or len(last.lines) - fit < 1:
            return False
        head = NoteBlock(last.key, last.lines[:fit])
        self.carry = NoteBlock(last.key, last.lines[fit:])  # printed without its number
        self._put(item, gap, whole + [head])
        self.layout.notes[last.key].continues_on_page = col.page + 1
        return True

    def _put(self, item: Item, gap: float, new_notes: list[NoteBlock]) -> None:
        col = self.column
        top = col.cursor + gap
        ops = self.layout.pages[col.page - 1]
        for op in item.ops:
            if op[0] == "text":
                ops.append(TextOp(col.x + op[1], top + op[2], op[3]))
            elif op[0] == "rule":
                ops.append(RuleOp(col.x + op[1], top + op[2], col.x + op[3], 0.6))
            elif op[0] == "figure":
                ops.append(FigureOp(col.x, top, COL_W, FIGURE_H, item.figure))
        if item.block is not None:
            self.layout.blocks[item.block].page = col.page
        for key in item.notes:
            self.layout.marker_pages.setdefault(key, col.page)
        if item.line is not None and item.line.break_kind in (linebreak.SOFT, linebreak.HARD):
            before, after = item.line.break_pair
            self.layout.body_breaks.append((item.line.break_kind, before, after, col.page))
        for block in new_notes:
            self.layout.notes[block.key].page = col.page
        col.notes.extend(new_notes)
        col.cursor = top + item.height

    def _close(self, col: Column) -> None:
        """Draw the column's notes at its foot, under a short rule."""
        if not col.notes:
            return
        ops = self.layout.pages[col.page - 1]
        y = col.bottom - notes_height(col.notes)
        ops.append(RuleOp(col.x, y + NOTE_RULE_GAP - 2.0, col.x + 72.0, 0.5))
        y += NOTE_SEP
        for n, block in enumerate(col.notes):
            if n:
                y += NOTE_GAP
            for line in block.lines:
                ops.append(TextOp(col.x, y + NOTE.leading * 0.78, line))
                y += NOTE.leading
                if line.break_kind and line.break_kind.startswith("url"):
                    self.layout.notes[block.key].url_breaks.append(line.break_kind)


# ---- the whole document ------------------------------------------------------------------


def note_lines(report: content.Report, labels: dict[str, str]) -> dict[str, list[Line]]:
    """Each note set at column width, its number raised at the start of its first line."""
    result = {}
    for key, label in labels.items():
        text = markup.resolve_note_refs(report.notes[key], labels)
        words = linebreak.make_words(text, NOTE, labels, urls=True)
        # The number is a word of its own, so a space separates it from the note text.
        number = linebreak.Word([linebreak.Glyph(c, NOTE.font, NOTE.marker_size, NOTE.marker_rise) for c in label])
        result[key] = linebreak.break_lines([number, *words], COL_W, NOTE, False)
    return result


def compose(report: content.Report) -> Layout:
    order = markup.note_order([b.text for b in report.body if isinstance(b, content.Paragraph)])
    missing = set(report.notes) - set(order)
    if missing:
        raise ValueError(f"notes without a marker: {sorted(missing)}")
    labels = {key: str(n) for n, key in enumerate(order, start=1)}
    hyph = linebreak.hyphenation_table(report.hyphenation)

    layout = Layout([], [], {k: NoteRecord(k, labels[k]) for k in order}, {}, [])
    first_page, first_top = _title_block(report, labels, hyph, layout.blocks)
    items = _body_items(report, labels, hyph, layout.blocks)
    composer = Composer(note_lines(report, labels), layout, first_top)
    layout.pages[0][:0] = first_page
    composer.place_all(items)
    return layout


def _title_block(report, labels, hyph, blocks: list[BlockRecord]) -> tuple[list[Op], float]:
    """Title, byline and the full-width italic abstract on page 1; returns where columns start."""
    width = PAGE_W - 2 * MARGIN_X
    ops: list[Op] = []
    y = 58.0
    for text, style, kind in (
        (report.title, TITLE, "heading"),
        (report.authors, BYLINE, "paragraph"),
        (report.abstract, ABSTRACT, "paragraph"),
    ):
        blocks.append(BlockRecord(kind, markup.clean(text), text, page=1))
        is_abstract = style is ABSTRACT
        words = linebreak.make_words(text, style, labels, hyph if is_abstract else None)
        if is_abstract:
            set_lines = linebreak.break_justified(words, width, style)
        else:
            set_lines = linebreak.break_lines(words, width, style, justify=False)
        for line in set_lines:
            ops.append(TextOp(MARGIN_X, y + style.leading * 0.78, line))
            y += style.leading
        y += 10.0
    ops.append(RuleOp(MARGIN_X, y, PAGE_W - MARGIN_X, 0.8))
    return ops, y + 14.0
