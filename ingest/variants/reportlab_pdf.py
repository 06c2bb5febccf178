"""reportlab producer: a small line-by-line layout of its own (greedy line breaks, footnotes at
the foot of each column, long notes split onto the next column or page, endnotes after the
text), drawn with the reportlab canvas and its standard fonts."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

from .content import Document, Figure, Heading, Paragraph, PullQuote, Sidebar, Table
from .style import Style, marker_text, printed_label

PAGE_W, PAGE_H = 612.0, 792.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 72.0, 70.0, 72.0
GAP = 18.0
BESIDE = 0.36  # a sidebar set beside the text takes this share of the column
SEP_GAP = 9.0  # space the separator takes above the notes
MIN_SPLIT = 2  # a note split across columns keeps at least this many lines before the break
BODY, BOLD, ITALIC, SANS = "Times-Roman", "Helvetica-Bold", "Times-Italic", "Helvetica"


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    size: float
    rise: float = 0.0
    x: float | None = None  # fixed offset in the line (table cells); None: after the last run
    note: int | None = None  # a marker's or a note label's run: the note's index (relabel_per_page)
    form: str = "{}"  # how its label is printed: "{}", "[{}]", "({})", "{}. "

    @property
    def width(self) -> float:
        return stringWidth(self.text, self.font, self.size)


@dataclass
class Line:
    runs: list[Run]
    size: float  # the main type size, for the baseline
    leading: float
    notes: tuple[int, ...] = ()  # notes whose markers are on this line
    justify: float | None = None  # stretch to this width with word spacing

    @property
    def height(self) -> float:
        return self.leading


@dataclass
class Bars:
    """A bar chart: its bars' heights and labels (in note-size type)."""

    bars: tuple[tuple[str, int], ...]
    size: float
    height: float = 80.0
    notes: tuple[int, ...] = ()


@dataclass
class Rule:
    """A stroked rule across part of the column, in the middle of its height (a pull quote's)."""

    height: float
    inset: float = 0.0


@dataclass
class Box:
    """A sidebar: its lines in a stroked, lightly filled frame, kept together in one column."""

    lines: list
    pad: float
    margin: float  # space above and below the frame
    notes: tuple[int, ...] = ()

    @property
    def height(self) -> float:
        return sum(ln.height for ln in self.lines) + 2 * self.pad + 2 * self.margin


@dataclass
class Float:
    """A sidebar box set beside the lines after it, at the column's right edge: it takes no
    height in the flow (the narrowed lines beside it do)."""

    box: Box
    width: float
    height: float = 0.0
    notes: tuple[int, ...] = ()


@dataclass
class Group:
    """Items kept together in one column (a table, a figure with its caption, a heading + line)."""

    items: list
    notes: tuple[int, ...] = ()

    @property
    def height(self) -> float:
        return sum(i.height for i in self.items)


# ------------------------------------------------------------------------------ line breaking


def _break_lines(runs_per_word: list[list[Run]], width: float, first_width: float | None = None,
           justify: bool = False, size: float = 10.0, leading: float = 12.0,
           notes_of: list[tuple[int, ...]] | None = None, narrow: tuple[int, float] = (0, 0.0)
           ) -> list[Line]:
    """Greedy line breaking of words (each a list of runs); a word wider than a line is cut.
    narrow: (n, less) the first n lines are `less` narrower (set beside a floating box)."""
    lines: list[Line] = []
    current: list[list[Run]] = []
    current_notes: list[int] = []
    space = stringWidth(" ", BODY, size)
    used = 0.0
    limit = (first_width or width) - (narrow[1] if narrow[0] else 0.0)
    queue = list(zip(runs_per_word, notes_of or [()] * len(runs_per_word)))
    while queue:
        word, notes = queue.pop(0)
        w = sum(r.width for r in word)
        need = w + (space if current else 0)
        if used + need <= limit:
            current.append(word)
            current_notes += notes
            used += need
            continue
        if not current and w > limit:  # a long URL: cut it where the line is full
            head, tail = _cut(word[0], limit)
            queue.insert(0, ([tail, *word[1:]], notes))
            queue.insert(0, ([head], ()))
            continue
        lines.append(_line(current, size, leading, tuple(current_notes), limit if justify else None))
        current, current_notes, used, limit = [], [], 0.0, width
        if len(lines) < narrow[0]:
            limit = width - narrow[1]
        queue.insert(0, (word, notes))
    if current:
        lines.append(_line(current, size, leading, tuple(current_notes), None))
    return lines


def _cut(run: Run, limit: float) -> tuple[Run, Run]:
    fits = 1
    while fits < len(run.text) and stringWidth(run.text[:fits + 1], run.font, run.size) <= limit:
        fits += 1
    # break after a slash, stop or hyphen near the end of what fits, as URL breaking does
    soft = max(run.text.rfind(c, 0, fits) for c in "/.-")
    cut = soft + 1 if soft > fits * 0.6 else fits
    return Run(run.text[:cut], run.font, run.size), Run(run.text[cut:], run.font, run.size)


def _line(words: list[list[Run]], size, leading, notes, justify) -> Line:
    runs: list[Run] = []
    for i, word in enumerate(words):
        if i:
            runs.append(Run(" ", BODY, size))
        runs += word
    return Line(runs, size, leading, notes, justify)


def _plain_words(text: str, font: str, size: float) -> list[list[Run]]:
    return [[Run(w, font, size)] for w in text.split()]


# ------------------------------------------------------------------------------ items


@dataclass(frozen=True)
class Metrics:
    style: Style
    col_w: float

    @property
    def body_leading(self) -> float:
        return self.style.body_size * 1.25

    @property
    def note_leading(self) -> float:
        return self.style.note_size * 1.2

    @property
    def note_w(self) -> float:
        """The footnotes' measure: the column's, or half of it less a gap in two columns."""
        k = self.style.foot_columns if self.style.notes == "footnotes" else 1
        return (self.col_w - GAP * (k - 1)) / k


def _label_run(index: int, m: Metrics, size: float, raised: bool, form: str) -> Run:
    """A marker's or a note label's run, in the document-wide numbering (relabel_per_page
    renumbers it where numbering restarts on each page)."""
    text = form.format(printed_label(m.style.marker, index + 1))
    if raised:
        return Run(text, BODY, size * 0.6, rise=size * 0.35, note=index, form=form)
    return Run(text, BODY, size, note=index, form=form)


def _marker_run(index: int, m: Metrics) -> Run:
    """A marker in the text: raised, or "[3]" on the baseline in the body size."""
    return _label_run(index, m, m.style.body_size, m.style.marker != "bracket",
                      marker_text(m.style.marker, "{}"))


def _paragraph(block: Paragraph, doc: Document, m: Metrics, narrow: tuple[int, float] = (0, 0.0)
               ) -> list[Line]:
    size, words, notes_of = m.style.body_size, [], []
    if block.number:
        words.append([Run(block.number, BODY, size)])
        notes_of.append(())
    for sentence in block.sentences:
        parts = sentence.text.split()
        for i, w in enumerate(parts):
            word = [Run(w, BODY, size)]
            notes: tuple[int, ...] = ()
            if i == len(parts) - 1 and sentence.note is not None:
                if m.style.marker_before_stop:  # "Name¹." : the stop after the marker
                    word = [Run(w[:-1], BODY, size), _marker_run(sentence.note, m),
                            Run(w[-1], BODY, size)]
                else:
                    word.append(_marker_run(sentence.note, m))
                notes = (sentence.note,)
            words.append(word)
            notes_of.append(notes)
    indent = 0 if block.number else size * 1.5
    lines = _break_lines(words, m.col_w, m.col_w - indent, True, size, m.body_leading, notes_of,
                         narrow)
    if indent:
        lines[0].runs.insert(0, Run("", BODY, size, x=indent))
    return lines


def note_lines(doc: Document, index: int, m: Metrics) -> list[Line]:
    note, size = doc.notes[index], m.style.note_size
    if m.style.label == "raised":
        label = [_label_run(index, m, size, True, "{}")]
    else:
        label = [_label_run(index, m, size, False, "{}. " if m.style.label == "plain" else "{} ")]
    words = _plain_words(note.text, BODY, size)
    words[0] = label + words[0]
    # the label hangs out of the note's text, or the first line is indented, or neither
    indent = size * 1.5
    hang, first = m.style.note_indent == "hanging", m.style.note_indent == "first-line"
    width = m.note_w
    lines = _break_lines(words, width - indent * hang, width - indent * first, False, size,
                         m.note_leading)
    for line in lines[1:] if hang else lines[:1] if first else ():
        line.runs.insert(0, Run("", BODY, size, x=indent))
    return lines


def _table(block: Table, m: Metrics) -> Group:
    size, lead = m.style.note_size, m.note_leading
    items: list = _break_lines(_plain_words(block.caption, ITALIC, size), m.col_w, size=size, leading=lead)
    n = len(block.header)
    first_w = m.col_w * 0.45
    step = (m.col_w - first_w) / (n - 1)
    for row in (block.header, *block.rows):
        runs = [Run(row[0], BODY, size, x=0.0)]
        for k, cell in enumerate(row[1:], start=1):
            right = first_w + k * step
            runs.append(Run(cell, BODY, size, x=right - stringWidth(cell, BODY, size)))
        items.append(Line(runs, size, lead))
    items.append(Line([], size, lead * 0.8))
    return Group(items)


def _figure(block: Figure, m: Metrics) -> Group:
    size, lead = m.style.note_size, m.note_leading
    caption = _break_lines(_plain_words(block.caption, ITALIC, size), m.col_w, size=size, leading=lead)
    return Group([Bars(block.bars, size), *caption, Line([], size, lead * 0.8)])


def _pull_quote(block: PullQuote, m: Metrics) -> Group:
    """The quoted sentence in large italic type between two rules, inset from both edges."""
    size = m.style.body_size + 4
    inset = m.style.body_size * 1.5
    lines = _break_lines(_plain_words(f"\u201c{block.text}\u201d", ITALIC, size),
                         m.col_w - 2 * inset, size=size, leading=size * 1.25)
    for line in lines:
        line.runs.insert(0, Run("", ITALIC, size, x=inset))
    gap = m.style.body_size * 1.2
    return Group([Rule(gap, inset), *lines, Rule(gap, inset)])


def _sidebar(block: Sidebar, m: Metrics, share: float = 1.0) -> Box:
    """The box's heading and text in sans type a point under the body's, inside a frame
    `share` of the column wide."""
    size, pad = m.style.body_size - 1, m.style.body_size
    width = m.col_w * share - 2 * pad
    heading = _break_lines(_plain_words(block.heading, BOLD, size + 1), width, size=size + 1,
                           leading=(size + 1) * 1.4)
    text = _break_lines(_plain_words(block.text, SANS, size), width, size=size, leading=size * 1.3)
    return Box(heading + text, pad, m.style.body_size * 0.6)


def body_items(doc: Document, m: Metrics) -> list:
    items: list = []
    size = m.style.body_size
    pending_heading = None
    quotes = {b.paragraph: b for b in doc.blocks if isinstance(b, PullQuote)}
    floating: Box | None = None  # a sidebar to set beside the next paragraph's first lines
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Heading):
            pending_heading = Line([Run(block.text, BOLD, size + 1)], size + 1, m.body_leading * 1.6)
            continue
        if isinstance(block, Paragraph):
            beside = math.ceil(floating.height / m.body_leading) + 1 if floating else 0
            lines = _paragraph(block, doc, m, (beside, m.col_w * BESIDE + GAP) if floating else (0, 0.0))
            lines[-1].leading += size * 0.4  # paragraph spacing
            para: list = list(lines)
            if floating:  # the box and the lines beside it, kept together on one page
                para = [Group([Float(floating, m.col_w * BESIDE), *lines[:beside]],
                              tuple(n for ln in lines[:beside] for n in ln.notes)), *lines[beside:]]
                short = floating.height - sum(ln.height for ln in lines[:beside])
                if short > 0:
                    para[0].items.append(Line([], size, short))
                floating = None
            if pending_heading:  # keep a heading with the first line under it
                para[0] = Group([pending_heading, lines[0]], lines[0].notes)
                pending_heading = None
            if index in quotes:  # set inside the paragraph, between two of its lines
                para.insert(max(1, len(para) // 2), _pull_quote(quotes[index], m))
            items += para
        elif isinstance(block, Sidebar) and m.style.sidebar_beside:
            floating = _sidebar(block, m, BESIDE)
        elif isinstance(block, Sidebar):
            items.append(_sidebar(block, m))
        elif isinstance(block, Table):
            items.append(_table(block, m))
        elif isinstance(block, Figure):
            items.append(_figure(block, m))
    if m.style.notes == "endnotes":
        items.append(Line([Run(m.style.notes_heading, BOLD, size + 1)], size + 1, m.body_leading * 1.6))
        for index in range(len(doc.notes)):
            lines = note_lines(doc, index, m)
            lines[-1].leading += m.style.note_size * 0.3
            items += lines
    return items


# ------------------------------------------------------------------------------ pages


@dataclass
class Column:
    x: float
    top: float
    bottom: float
    y: float = 0.0
    body: list = field(default_factory=list)  # (item, top)
    foot: list[Line] = field(default_factory=list)
    foot_columns: int = 1  # the notes' lines fill this many columns side by side, balanced

    def __post_init__(self):
        self.y = self.top

    def place(self, item, notes: list[list[Line]]) -> None:
        self.body.append((item, self.y))
        self.y += item.height
        for lines in notes:
            self.foot += lines

    def foot_height(self, extra: int = 0, leading: float = 0.0) -> float:
        n = len(self.foot) + extra
        return SEP_GAP + math.ceil(n / self.foot_columns) * leading if n else 0.0


@dataclass
class Page:
    columns: list[Column]


def _new_page(number: int, m: Metrics, title_height: float) -> Page:
    top = MARGIN_TOP + (title_height if number == 1 else 0)
    cols = m.style.columns
    feet = m.style.foot_columns if m.style.notes == "footnotes" else 1
    return Page([Column(MARGIN_X + k * (m.col_w + GAP), top, PAGE_H - MARGIN_BOTTOM, foot_columns=feet)
                 for k in range(cols)])


def paginate(doc: Document, m: Metrics, title_height: float) -> list[Page]:
    notes = {i: note_lines(doc, i, m) for i in range(len(doc.notes))} if m.style.notes == "footnotes" else {}
    lead = m.note_leading
    pages = [_new_page(1, m, title_height)]
    free = iter(pages[0].columns)
    column = next(free)

    def next_column(carry: list[Line]) -> Column:
        nonlocal free
        following = next(free, None)
        if following is None:
            pages.append(_new_page(len(pages) + 1, m, title_height))
            free = iter(pages[-1].columns)
            following = next(free)
        following.foot = list(carry)  # the rest of a split note opens the next note area
        return following

    for item in body_items(doc, m):
        while True:
            new = [notes[n] for n in item.notes if n in notes]
            total = sum(len(n) for n in new)
            room = column.bottom - column.y - item.height
            if room >= column.foot_height(total, lead):
                column.place(item, new)
                break
            if new and len(new[-1]) > MIN_SPLIT:
                keep = _lines_that_fit(column, room, total - len(new[-1]), len(new[-1]), lead)
                if MIN_SPLIT <= keep < len(new[-1]):
                    column.place(item, [*new[:-1], new[-1][:keep]])
                    column = next_column(new[-1][keep:])
                    break
            if not column.body and not column.foot:  # too big for any column: set it anyway
                column.place(item, new)
                break
            column = next_column([])
    return pages


def _lines_that_fit(column: Column, room: float, before: int, lines: int, lead: float) -> int:
    """How many of a note's lines fit in `room` after `before` note lines in the foot."""
    if column.foot_columns == 1:
        return int((room - column.foot_height(before, lead)) // lead)
    keep = 0
    while keep < lines and column.foot_height(before + keep + 1, lead) <= room:
        keep += 1
    return keep


# ------------------------------------------------------------------------------ drawing


def relabel_per_page(pages: list[Page], doc: Document, style: Style) -> None:
    """Number the notes afresh on each page, in the order of their markers on it (the page
    a marker is on counts, as in Writer's per-page numbering)."""
    labels: dict[int, str] = {}
    for page in pages:
        count = 0
        for column in page.columns:
            for item, top in column.body:
                for sub, _ in _flatten(item, top):
                    for index in getattr(sub, "notes", ()):
                        count += 1
                        labels[index] = printed_label(style.marker, count)
    for page in pages:
        for column in page.columns:
            lines = [sub for item, top in column.body for sub, _ in _flatten(item, top)] + column.foot
            for line in lines:
                if isinstance(line, Line):
                    line.runs = [replace(r, text=r.form.format(labels[r.note])) if r.note is not None
                                 else r for r in line.runs]


def _draw_line(canvas, line: Line, x: float, top: float) -> None:
    baseline = PAGE_H - (top + line.size * 0.95)
    if not line.runs:
        return
    natural = sum(r.width for r in line.runs if r.x is None)
    spaces = sum(r.text == " " for r in line.runs)
    word_space = (line.justify - natural) / spaces if line.justify and spaces else 0.0
    text = canvas.beginText(x, baseline)
    for run in line.runs:
        if run.x is not None:
            text.setTextOrigin(x + run.x, baseline)
        text.setFont(run.font, run.size)
        text.setRise(run.rise)
        text.setWordSpace(word_space)
        text.textOut(run.text)
    canvas.drawText(text)


def _draw_bars(canvas, bars: Bars, x: float, top: float, width: float) -> None:
    base = PAGE_H - (top + bars.height - bars.size * 1.6)
    step = width / (len(bars.bars) + 1)
    canvas.setLineWidth(0.5)
    canvas.line(x, base, x + width, base)
    for i, (label, value) in enumerate(bars.bars):
        bx = x + step * (i + 0.6)
        canvas.setFillGray(0.55)
        canvas.rect(bx, base, step * 0.5, value * 0.55, stroke=0, fill=1)
        canvas.setFillGray(0)
        canvas.setFont(SANS, bars.size)
        canvas.drawString(bx, base - bars.size * 1.2, label)


def _draw_separator(canvas, kind: str, x: float, y: float) -> None:
    if kind == "line":
        canvas.setLineWidth(0.5)
        canvas.line(x, y, x + 144, y)
    elif kind == "rect":
        canvas.rect(x, y - 0.25, 144, 0.5, stroke=0, fill=1)


def _draw_rule(canvas, rule: Rule, x: float, top: float, width: float) -> None:
    y = PAGE_H - (top + rule.height / 2)
    canvas.setLineWidth(0.75)
    canvas.line(x + rule.inset, y, x + width - rule.inset, y)


def _draw_box(canvas, box: Box, x: float, top: float, width: float) -> None:
    inner = box.height - 2 * box.margin
    canvas.setLineWidth(0.75)
    canvas.setFillGray(0.9)
    canvas.rect(x, PAGE_H - (top + box.margin + inner), width, inner, stroke=1, fill=1)
    canvas.setFillGray(0)
    top += box.margin + box.pad
    for line in box.lines:
        _draw_line(canvas, line, x + box.pad, top)
        top += line.height


def _draw_column(canvas, column: Column, m: Metrics) -> None:
    for item, top in column.body:
        for sub, sub_top in _flatten(item, top):
            if isinstance(sub, Bars):
                _draw_bars(canvas, sub, column.x, sub_top, m.col_w)
            elif isinstance(sub, Rule):
                _draw_rule(canvas, sub, column.x, sub_top, m.col_w)
            elif isinstance(sub, Box):
                _draw_box(canvas, sub, column.x, sub_top, m.col_w)
            elif isinstance(sub, Float):
                _draw_box(canvas, sub.box, column.x + m.col_w - sub.width, sub_top, sub.width)
            else:
                _draw_line(canvas, sub, column.x, sub_top)
    if column.foot:
        lead = m.note_leading
        rows = math.ceil(len(column.foot) / column.foot_columns)
        top = column.bottom - rows * lead
        _draw_separator(canvas, m.style.separator, column.x, PAGE_H - (top - SEP_GAP * 0.55))
        # balanced columns of note lines, the left one read (and drawn) first
        for k in range(column.foot_columns):
            x, y = column.x + k * (m.note_w + GAP), top
            for line in column.foot[k * rows:(k + 1) * rows]:
                _draw_line(canvas, line, x, y)
                y += lead


def _flatten(item, top: float):
    if isinstance(item, Group):
        for sub in item.items:
            yield sub, top
            top += sub.height
    else:
        yield item, top


def _title_lines(doc: Document, style: Style) -> list[Line]:
    width = PAGE_W - 2 * MARGIN_X
    title = _break_lines(_plain_words(doc.title, BOLD, 18), width, size=18, leading=23)
    byline = _break_lines(_plain_words(doc.byline, ITALIC, style.body_size + 1), width,
                    size=style.body_size + 1, leading=(style.body_size + 1) * 1.3)
    byline[-1].leading += 16
    return title + byline


def typeset(doc: Document, style: Style) -> bytes:
    col_w = (PAGE_W - 2 * MARGIN_X - GAP * (style.columns - 1)) / style.columns
    m = Metrics(style, col_w)
    title = _title_lines(doc, style)
    pages = paginate(doc, m, sum(line.height for line in title))
    if style.restart:
        relabel_per_page(pages, doc, style)
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1)
    canvas.setTitle(doc.title)
    canvas.setCreator("citetrace ingest.variants (reportlab)")
    for number, page in enumerate(pages, start=1):
        if number == 1:
            top = MARGIN_TOP
            for line in title:
                _draw_line(canvas, line, MARGIN_X, top)
                top += line.height
        else:
            canvas.setFont(SANS, 8)
            canvas.drawString(MARGIN_X, PAGE_H - 40, doc.header)
            if style.head_folio:  # the page number at the head's right end, none at the foot
                canvas.drawRightString(PAGE_W - MARGIN_X, PAGE_H - 40, str(number))
        if not style.head_folio:
            canvas.setFont(SANS, 8)
            canvas.drawCentredString(PAGE_W / 2, 40, str(number))
        for column in page.columns:
            _draw_column(canvas, column, m)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def source(doc: Document, style: Style) -> tuple[Document, Style]:
    """No source file: the layout is computed here, at render time."""
    return doc, style


def render(sources: dict[str, tuple[Document, Style]], out_dir: Path) -> dict[str, Path]:
    pdfs = {}
    for stem, (doc, style) in sources.items():
        path = out_dir / f"{stem}.pdf"
        path.write_bytes(typeset(doc, style))
        pdfs[stem] = path
    return pdfs
