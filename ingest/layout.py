"""Page layout: furniture, columns and reading order.

A page's rows (full width) are grouped top-down into *sections*: runs of rows that share
an empty vertical channel (a gutter) with text on both sides. Each section is read column
by column, left to right; sections are read top to bottom. Rows that repeat in the page
margins across pages (running heads, footers, page numbers) are furniture.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from citetrace.ingest.lines import Boxed, Line, Word, page_glyphs, page_objects, rows, words
from citetrace.ingest.model import Furniture
from citetrace.ingest.stages import timed
from citetrace.ingest.superior import (bracketed_markers, lining_widths, split_bracketed,
                                       split_superior)
from citetrace.ingest.text import MONTH
from citetrace.ingest.tolerances import (
    BODY_LINE_LETTERS, BODY_ZONE, BRACKETED_MARKERS, ECHO_LARGER, EDGE, FALLBACK_BODY_SIZE,
    FEW_PAGES, FOLIO_SIZE,
    GLUE_AFTER, GLUE_OVERLAP, GUTTER_MIN, GUTTER_MIN_POINTS, HANGING_BELOW, HOST_GAP,
    HOST_LARGER, KNOWN_GUTTER, KNOWN_HEAD_LARGER, LABEL_CHARS, LABEL_SLAB, MARGIN, MARGIN_ROWS,
    MARKED_ROWS, MARKED_SHARE, MARKER_GLYPHS, MARKER_SMALLER, MIN_REPEATED, RAISED_LIFT,
    RAISED_SIZE, RAISED_TOP, REPEATED_LARGER, RULE_MIN_LENGTH, RULE_THICKNESS,
    SAME_HEIGHT_POINTS, SAME_HEIGHT_SHARE, SAME_SIZE, SIDEBAR_SHARE, SIZE_STEP, SMALL_LABEL,
    PROSE_EVEN, PROSE_SPACE, PROSE_WORDS, SPACE_GUTTER, SPLIT_BASELINE, STRONG_ROWS, STRONG_SIDE,
    TITLE_LARGER, VARIANT_PREFIX, WEAK_GUTTER)

PAGE_NUMBER = re.compile(
    r"^\W*(page\s+)?(\d{1,4}|[ivxlcdm]{1,7})(\s+of\s+\d+)?\W*$", re.IGNORECASE)
_MONTH = MONTH + r"\.?"
# "Updated April 22, 2026", "September 2006", "6 August 2020": a cover's date line
DATE_LINE = re.compile(
    rf"^(?:(?:updated|revised|published|issued|released|dated?)\b:?\s*)?"
    rf"(?:{_MONTH}\s+(?:\d{{1,2}},?\s+)?|\d{{1,2}}\s+{_MONTH}\s+)\d{{4}}$", re.IGNORECASE)
# a report number: one token with letters and digits ("IF12672", "GAO-06-1046", "R45741")
REPORT_NUMBER = re.compile(r"^(?=\S*\d)(?=\S*[A-Za-z])[A-Za-z0-9][\w./-]{3,24}$")


@dataclass
class Rule:
    """A horizontal rule: a drawn line/thin rect, or typed as characters (____, ——)."""

    x0: float
    x1: float
    y: float


@dataclass
class Row(Boxed):
    """Words at one height across the whole page (columns not yet told apart)."""

    words: list[Word]

    def parts(self) -> list[Word]:
        return self.words

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Column:
    section: int
    index: int
    x0: float
    x1: float
    lines: list[Line] = field(default_factory=list)
    sidebar: bool = False  # read before the main column it stands beside (_sidebars_first)


@dataclass
class PageLayout:
    page: int
    width: float
    height: float
    rows: list[Row]
    rules: list[Rule] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)  # reading order
    furniture: list[Furniture] = field(default_factory=list)
    rotated_text: str = ""

    @property
    def lines(self) -> list[Line]:
        return [ln for col in self.columns for ln in col.lines]


def read_page(page, number: int, inspect=None) -> PageLayout:
    """One page's rows, rules and rotated text; `inspect(page, objects)` may look at the
    raw objects before they are dropped."""
    objects = page_objects(page)
    if inspect is not None:
        inspect(page, objects)
    upright, rotated = page_glyphs(page, objects.chars)
    row_words = _reattach_markers([words(r) for r in rows(upright)])
    layout = PageLayout(number, float(page.width), float(page.height),
                        [Row(ws) for ws in row_words if ws])
    layout.rules = _drawn_rules(page, objects.graphics)
    layout.rotated_text = "".join(g.text for g in rotated)
    if rotated:
        layout.furniture.append(Furniture(number, layout.rotated_text, "margin stamp"))
    return layout


def _reattach_markers(row_words: list[list[Word]]) -> list[list[Word]]:
    """Move a small word caught by the wrong row (a raised marker taken by the row of the
    neighbouring column, or by a row stretched by a tall side heading) to the row where a
    word ends right before it."""
    extent = [(min(w.top for w in ws), max(w.bottom for w in ws)) for ws in row_words]
    for ri, ws in enumerate(row_words):
        if not ws:
            continue
        big = max(w.size for w in ws)
        for w in list(ws):
            # a short word, smaller than its row, or in a row of nothing but short words
            if len(w.glyphs) > MARKER_GLYPHS or (w.size > MARKER_SMALLER * big and any(
                    len(o.glyphs) > MARKER_GLYPHS for o in ws)):
                continue
            near = [o for o in ws if o.size > HOST_LARGER * w.size and
                    (abs(o.x1 - w.x0) < HOST_GAP * big or abs(w.x1 - o.x0) < HOST_GAP * big)]
            # it stays if it is raised beside its neighbours, not hanging below them
            if near and not all(w.bottom > o.bottom + HANGING_BELOW * o.size for o in near):
                continue
            for rj in sorted(range(len(row_words)), key=lambda j: abs(j - ri)):
                if rj == ri or not (extent[rj][0] < w.bottom and w.top < extent[rj][1]):
                    continue
                # the host word ends right before it (a marker) or starts right after (a label)
                host = [o for o in row_words[rj] if o.size > HOST_LARGER * w.size
                        and (-GLUE_OVERLAP < w.x0 - o.x1 < GLUE_AFTER * o.size
                             or -GLUE_OVERLAP < o.x0 - w.x1 < o.size)
                        and o.top - RAISED_TOP * o.size < w.top and w.bottom < o.bottom]
                # or the marker before it in a list of markers ("16, 17")
                host = host or [o for o in row_words[rj] if o.text.endswith(",")
                                and abs(o.size - w.size) < SAME_SIZE * w.size
                                and abs(o.top - w.top) < SAME_SIZE * w.size
                                and -GLUE_OVERLAP < w.x0 - o.x1 < w.size]
                if host:
                    ws.remove(w)
                    w.space_before = host[0].x0 > w.x0  # a leading label keeps its own word
                    row_words[rj].append(w)
                    row_words[rj].sort(key=lambda o: o.x0)
                    break
    return [ws for ws in row_words if ws]


def _drawn_rules(page, graphics: list[dict]) -> list[Rule]:
    x0, top = page.bbox[0], page.bbox[1]
    out = []
    for obj in graphics:
        if abs(obj["bottom"] - obj["top"]) <= RULE_THICKNESS and obj["x1"] - obj["x0"] >= RULE_MIN_LENGTH:
            out.append(Rule(obj["x0"] - x0, obj["x1"] - x0, (obj["top"] + obj["bottom"]) / 2 - top))
    return out


# ---------------------------------------------------------------- furniture

def _furniture_key(text: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"\d+", "#", text.lower()))


def mark_furniture(pages: list[PageLayout], body_size: float | None = None) -> None:
    """Drop running heads/footers, page numbers and cover furniture from each page's rows.

    A margin row is furniture when it is a page number, or when its text recurs near the
    same height on several pages. Digits are folded only for the outermost rows (a folio
    changes from page to page); an inner row must recur word for word, so the last line of
    a note ("…/search-results-detail/347414.") is not taken for a running foot.
    Then, among the rows left in the margins: the same line at the edge of several pages at
    different heights (a letterhead on the cover, the letter and a back page), a report
    number that the running feet print, and the first page's date line.
    """
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    title = _largest_first_page_text(pages, body_size or dominant_size(pages))
    candidates = []
    for p in pages:
        for r, outer in _margin_rows(p):
            first = r.words[0]
            if first.size < SMALL_LABEL * max(w.size for w in r.words) and re.fullmatch(
                    r"[0-9ivxlc*†‡§¶]{1,4}", first.text):
                continue  # starts with a small label: a note ("93 Id."), not a running foot
            key = _furniture_key(r.text) if outer else "=" + re.sub(r"\s+", "", r.text.lower())
            seen[key].append((p.page, r.top))
            candidates.append((p, r, key, outer))
    need = 2 if len(pages) < FEW_PAGES else 3  # a margin row recurring at one height on 3 pages
    confirmed: list[tuple[int, float, str]] = []
    sizes: dict[str, float] = {}
    rest = []
    for p, r, key, outer in candidates:
        hits = {pg for pg, y in seen[key]
                if abs(y - r.top) < SAME_HEIGHT_SHARE * p.height + SAME_HEIGHT_POINTS}
        number = outer and PAGE_NUMBER.match(r.text)
        if number or (len(hits) >= need and len(key) >= 2) or _echoes(p, r) \
                or (outer and p is not pages[0] and _repeats_title(r, title)):
            _drop(p, r, "page number" if number else "running head")
            confirmed.append((p.page, r.top, key))
            sizes[key] = max(w.size for w in r.words)
        else:
            rest.append((p, r, key, outer))
    later = []
    for p, r, key, outer in rest:
        size = max(w.size for w in r.words)
        # a known head or foot elsewhere in the margin (a title set larger that repeats the
        # running head is the title, not furniture)
        known = key in sizes and size <= KNOWN_HEAD_LARGER * sizes[key]
        # a variant of a running foot at its height (the last page's "… · VERSION 3")
        variant = any(pg != p.page and abs(y - r.top) < SAME_HEIGHT_POINTS
                      and key[:VARIANT_PREFIX] == k[:VARIANT_PREFIX] and len(k) >= VARIANT_PREFIX
                      for pg, y, k in confirmed)
        # another head at the running heads' height and size, carrying a folio ("(Slip
        # Opinion) OCTOBER TERM, 2012 1" above pages headed "2 TARRANT …", "Cite as: … 3")
        folio = outer and (r.words[0].text.isdigit() or r.words[-1].text.isdigit()) and any(
                pg != p.page and abs(y - r.top) < SAME_HEIGHT_POINTS
                and abs(sizes[k] - size) < FOLIO_SIZE
                for pg, y, k in confirmed if k in sizes)
        if known or variant or folio:
            _drop(p, r, "running head")
        else:
            later.append((p, r))
    _cover_furniture(pages, later, need, body_size or dominant_size(pages))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _largest_first_page_text(pages: list[PageLayout], body: float) -> tuple[str, float] | None:
    """The letters and size of the first page's largest text, when it is set larger than
    the body (a title, perhaps over two lines).

    Not the document's title (`title.document_title`): this runs on rows, before furniture,
    blocks and reading order exist, and asks only what a later page's running head could
    repeat in smaller type, which is the largest type whatever it names (a court's name,
    a Register section). The document's title is chosen later, from blocks, and may be a
    subject line or a caption set in body size."""
    rows_ = pages[0].rows if pages else []
    if not rows_:
        return None
    size = max(w.size for r in rows_ for w in r.words)
    if size <= TITLE_LARGER * body:
        return None
    key = _letters(" ".join(r.text for r in rows_ if max(w.size for w in r.words) >= size - 0.5))
    return (key, size) if len(key) >= MIN_REPEATED else None


def _repeats_title(r: Row, title: tuple[str, float] | None) -> bool:
    """Does an outer row of a later page repeat the first page's title in smaller type? (A
    running head seen on one page only: a two-page paper's.)"""
    return title is not None and title[0] in _letters(r.text) \
        and max(w.size for w in r.words) < title[1]


def _echoes(p: PageLayout, r: Row) -> bool:
    """Does a small margin row repeat a heading set much larger on its page? (A running head
    naming the section that starts on this page.)"""
    size = max(w.size for w in r.words)
    return len(r.text) >= MIN_REPEATED and any(
        o is not r and o.text == r.text and min(w.size for w in o.words) > ECHO_LARGER * size
        for o in p.rows)


def _cover_furniture(pages: list[PageLayout], rest: list[tuple[PageLayout, Row]],
                     need: int, body: float) -> None:
    """Margin rows that do not repeat at one height but are furniture all the same."""
    text_pages: dict[str, set[int]] = defaultdict(set)
    for p, r in rest:
        text_pages[" ".join(r.text.split())].add(p.page)
    printed = " ".join(f.text for p in pages for f in p.furniture)
    for p, r in rest:
        text = " ".join(r.text.split())
        size = max(w.size for w in r.words)
        if len(text_pages[text]) >= need and len(text) >= MIN_REPEATED and size <= REPEATED_LARGER * body:
            _drop(p, r, "repeated line")
        elif REPORT_NUMBER.match(text) and re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", printed):
            _drop(p, r, "report number")
        elif p is pages[0] and DATE_LINE.match(text):
            _drop(p, r, "date line")


def _drop(p: PageLayout, r: Row, reason: str) -> None:
    p.rows.remove(r)
    p.furniture.append(Furniture(p.page, r.text, reason, tuple(round(v, 2) for v in r.bbox)))


def _margin_rows(p: PageLayout) -> list[tuple[Row, bool]]:
    """The outermost rows at the top and the bottom of the page's text.

    Bands are measured from the text's own extent, not the paper: a journal page printed
    on letter paper has its running head well inside the sheet.
    """
    ordered = sorted(p.rows, key=lambda r: r.top)
    if not ordered:
        return []
    band = MARGIN * p.height
    top, bottom = ordered[0].top, max(r.bottom for r in ordered)
    out = [r for r in ordered[:MARGIN_ROWS] if r.bottom < top + band]
    out += [r for r in ordered[-MARGIN_ROWS:] if r.top > bottom - band and r not in out]
    return [(r, r is ordered[0] or r is ordered[-1]) for r in out]


# ---------------------------------------------------------------- columns

def _free(row: Row, left: float, right: float, min_gap: float) -> list[tuple[float, float]]:
    """The row's empty spans at least `min_gap` wide; a space between two words must also
    be wider than a word space of their own type (a title's 22-pt word space is wider than
    a gutter measured in body ems, and would split the title into columns)."""
    ws = sorted(row.words, key=lambda w: w.x0)
    out, cur, size = [], left, 0.0
    for w in ws:
        need = max(min_gap, GUTTER_MIN * max(size, w.size))
        if w.x0 - cur >= need:
            out.append((cur, w.x0))
        if w.x1 > cur:
            cur, size = w.x1, w.size
    if right - cur >= max(min_gap, GUTTER_MIN * size):
        out.append((cur, right))
    return out


def _intersect(a, b, min_gap):
    out = []
    for x0, x1 in a:
        for y0, y1 in b:
            lo, hi = max(x0, y0), min(x1, y1)
            if hi - lo >= min_gap:
                out.append((lo, hi))
    return out


def _sides(rows: list[Row], gap: tuple[float, float]) -> tuple[int, int]:
    left = sum(any(w.x1 <= gap[0] + 0.01 for w in r.words) for r in rows)
    right = sum(any(w.x0 >= gap[1] - 0.01 for w in r.words) for r in rows)
    return left, right


def find_sections(p: PageLayout, size: float, known: list[float]) -> list[tuple[list[Row], list[float]]]:
    """Group the page's rows into sections with their gutter positions (x of each split)."""
    if not p.rows:
        return []
    rows_ = sorted(p.rows, key=lambda r: r.top)
    left = min(w.x0 for r in rows_ for w in r.words)
    right = max(w.x1 for r in rows_ for w in r.words)
    min_gap = max(GUTTER_MIN * size, GUTTER_MIN_POINTS)
    free = [_free(r, left, right, min_gap) for r in rows_]
    out: list[tuple[list[Row], list[float]]] = []
    single: list[Row] = []
    i = 0
    while i < len(rows_):
        inter, j = free[i], i + 1
        while j < len(rows_):
            nxt = _intersect(inter, free[j], min_gap)
            if not any(_interior(g, left, right) for g in nxt):
                break
            inter, j = nxt, j + 1
        if j - i > 1 and _prose_row(rows_[j - 1]) and any(
                _interior(g, left, right) and all(_sides([rows_[j - 1]], g)) for g in inter):
            # a run's last row that is one justified line of prose across its gaps (its
            # spaces lined up with a table's gutters above it) is no row of the run
            j -= 1
            inter = free[i]
            for k in range(i + 1, j):
                inter = _intersect(inter, free[k], min_gap)
        run = rows_[i:j]
        gutters = []
        for g in inter:
            if not _interior(g, left, right):
                continue
            lcount, rcount = _sides(run, g)
            mid = (g[0] + g[1]) / 2
            strong = len(run) >= STRONG_ROWS and lcount >= STRONG_SIDE and rcount >= STRONG_SIDE
            # a short run (a column's last lines under a figure) is trusted only where
            # a gutter was already seen
            weak = (len(run) >= 2 and lcount >= 1 and rcount >= 1
                    and g[1] - g[0] >= WEAK_GUTTER * size
                    and any(abs(mid - k) < KNOWN_GUTTER for k in known)
                    and g[1] - g[0] > SPACE_GUTTER * _word_space(run, g))
            if (strong or weak) and not _label_slab(run, gutters, g, size) \
                    and not _word_slab(run, g, size):
                gutters.append(mid)
        if gutters:
            if single:
                out.append((single, []))
                single = []
            out.append((run, gutters))
            known.extend(gutters)
            i = j
        else:
            single.append(rows_[i])
            i += 1
    if single:
        out.append((single, []))
    return out


def _prose_row(row: Row) -> bool:
    """Is the row one justified line of prose: many words, all spaced alike (a justified line
    spreads its spaces evenly), under an em apart?"""
    ws = sorted(row.words, key=lambda w: w.x0)
    if len(ws) < PROSE_WORDS:
        return False
    spaces = [b.x0 - a.x1 for a, b in zip(ws, ws[1:])]
    em = max(w.size for w in ws)
    return 0 < min(spaces) and max(spaces) - min(spaces) <= PROSE_EVEN * em \
        and max(spaces) <= PROSE_SPACE * em


def _word_space(run: list[Row], g) -> float:
    """The median space between words on the rows of `run` that have text on both sides
    of gap `g`, the gap itself left out (0 if there is none)."""
    spaces = []
    for r in run:
        ws = sorted(r.words, key=lambda w: w.x0)
        if any(w.x1 <= g[0] + 0.01 for w in ws) and any(w.x0 >= g[1] - 0.01 for w in ws):
            spaces += [b.x0 - a.x1 for a, b in zip(ws, ws[1:])
                       if not (a.x1 <= g[0] + 0.01 and b.x0 >= g[1] - 0.01)]
    spaces.sort()
    return spaces[len(spaces) // 2] if spaces else 0.0


def _label_slab(run: list[Row], gutters: list[float], g, size: float) -> bool:
    """Is the slab left of gap `g` only a narrow run of short labels (hanging note or
    list numbers)? Then the gap is not a gutter: labels belong to the text beside them."""
    lo = gutters[-1] if gutters else -1e9
    slab = [w for r in run for w in r.words if lo <= w.x0 and w.x1 <= g[0] + 0.01]
    if not slab:
        return False
    width = max(w.x1 for w in slab) - min(w.x0 for w in slab)
    return width < LABEL_SLAB * size and all(len(w.text) <= LABEL_CHARS for w in slab)


def _word_slab(run: list[Row], g, size: float) -> bool:
    """Is all text right of gap `g` a narrow slab of short words at the text's right edge
    (the last word of each justified line stretched away from the rest: "… Available  at"
    over a URL too long for the line)? Then the gap is no gutter either."""
    slab = [w for r in run for w in r.words if w.x0 >= g[1] - 0.01]
    if not slab:
        return False
    width = max(w.x1 for w in slab) - min(w.x0 for w in slab)
    if width >= LABEL_SLAB * size:
        return False
    # short words, or longer ones ("tariffs", "rather") where on every row the space before
    # the slab is no wider than that row's own word spaces: one justified paragraph's lines
    return all(len(w.text) <= LABEL_CHARS for w in slab) or _word_spaced(run, g)


def _word_spaced(run: list[Row], g) -> bool:
    """Is gap `g`, on every row with text on both sides of it, no wider than SPACE_GUTTER
    times the row's other word spaces? (A justified line spaces all its words alike.)"""
    rows_seen = 0
    for r in run:
        ws = sorted(r.words, key=lambda w: w.x0)
        cut = [i for i, (a, b) in enumerate(zip(ws, ws[1:]))
               if a.x1 <= g[0] + 0.01 and b.x0 >= g[1] - 0.01]
        if not cut:
            continue
        k = cut[0]
        others = sorted(b.x0 - a.x1 for i, (a, b) in enumerate(zip(ws, ws[1:])) if i != k)
        if not others or ws[k + 1].x0 - ws[k].x1 > SPACE_GUTTER * others[len(others) // 2]:
            return False
        rows_seen += 1
    return rows_seen > 0


def _interior(g, left, right) -> bool:
    return g[0] > left + EDGE and g[1] < right - EDGE


def build_columns(p: PageLayout, size: float, known: list[float]) -> None:
    """Fill p.columns, in reading order, with the page's lines."""
    for s, (run, gutters) in enumerate(find_sections(p, size, known)):
        edges = [-1e9] + sorted(gutters) + [1e9]
        cols = []
        for c in range(len(edges) - 1):
            xs = [w for r in run for w in r.words if edges[c] <= (w.x0 + w.x1) / 2 < edges[c + 1]]
            if not xs:
                continue
            col = Column(s, c, min(w.x0 for w in xs), max(w.x1 for w in xs))
            for r in run:
                ws = [w for w in r.words if edges[c] <= (w.x0 + w.x1) / 2 < edges[c + 1]]
                if ws:
                    ln = Line(p.page, ws)
                    ln.section, ln.column = s, c
                    col.lines.append(ln)
            col.lines = _join_split_lines(col.lines)
            cols.append(col)
        p.columns.extend(cols)
    p.columns = _sidebars_first(p.columns, size)


def _sidebars_first(cols: list[Column], size: float) -> list[Column]:
    """Columns in reading order with each sidebar read before the text it stands beside.

    A sidebar is a column right of a section's main column, much narrower than it, where the
    main column's text goes on in the next section across the sidebar's width (a summary
    box with the date and authors, wrapped by the summary): read between the two, it would
    cut the text in half."""
    sections: list[list[Column]] = []
    for c in cols:
        if sections and sections[-1][0].section == c.section:
            sections[-1].append(c)
        else:
            sections.append([c])
    out: list[Column] = []
    for sec, nxt in zip(sections, sections[1:] + [[]]):
        main = max(sec, key=lambda c: c.x1 - c.x0)
        flow = nxt[0] if nxt else None
        sides = [c for c in sec if flow is not None and c is not main and c.x0 >= main.x1
                 and c.x1 - c.x0 < SIDEBAR_SHARE * (main.x1 - main.x0)
                 and abs(flow.x0 - main.x0) < size and flow.x1 > c.x0]
        for c in sides:
            c.sidebar = True
        out += sides + [c for c in sec if all(c is not s for s in sides)]
    return out


def _join_split_lines(lines: list[Line]) -> list[Line]:
    """Join the pieces of one line that rows across the page split: with the columns'
    baselines out of step, a line's first word can join the other column's row and the rest
    (set in another font, a URL) start a row of its own."""
    out: list[Line] = []
    for ln in lines:
        # the same size: a size change beyond SIZE_STEP would start a block of its own
        twin = next((o for o in out[-2:] if abs(o.size - ln.size) <= SIZE_STEP * max(o.size, ln.size)
                     and abs(o.baseline - ln.baseline) <= SPLIT_BASELINE * ln.size
                     and (o.x1 <= ln.x0 or ln.x1 <= o.x0)), None)
        if twin is None:
            out.append(ln)
            continue
        joined = Line(ln.page, sorted(twin.words + ln.words, key=lambda w: w.x0))
        joined.section, joined.column = ln.section, ln.column
        out[out.index(twin)] = joined
    return out


def typed_rule(line: Line) -> bool:
    """A rule or divider typed as characters: ____, ——, * * *."""
    t = line.text.replace(" ", "")
    return len(t) >= 3 and set(t) <= set("_—–-─━=*·•")


def dominant_size(pages: list[PageLayout]) -> float:
    """The body font size: the size most letters of body-like rows are set in (rows with
    many words of letters), in the upper part of the pages where long footnotes cannot
    outweigh the body. Tables of figures and short chart labels, often set in the notes'
    size, do not count. Where the rows that carry note markers are set in another size
    (pages of endnotes in the notes' size outweigh the body), the markers' rows decide:
    markers stand in the running text."""
    body: Counter = Counter()
    other: Counter = Counter()
    marked: Counter = Counter()  # body-like rows carrying a marker, by size
    for p in pages:
        for r in p.rows:
            if r.top > BODY_ZONE * p.height:
                continue
            row: Counter = Counter()
            for w in r.words:
                if w.text[:1].isalpha():
                    row[round(w.size, 1)] += len(w.text)
            letters = sum(row.values())
            (body if letters >= BODY_LINE_LETTERS else other).update(row)
            # (a paragraph's last line, often short, is where many markers stand)
            if letters >= BODY_LINE_LETTERS / 2 and _carries_marker(r):
                marked[row.most_common(1)[0][0]] += 1
    count = body or other
    if not count:
        return FALLBACK_BODY_SIZE
    size = count.most_common(1)[0][0]
    if marked:
        by_markers, rows_ = marked.most_common(1)[0]
        if rows_ >= MARKED_ROWS and marked[size] < MARKED_SHARE * rows_:
            return by_markers
    return size


def _carries_marker(r: Row) -> bool:
    """Does the row hold a marker: a short number set smaller than the word it follows,
    touching it and lifted off its baseline?"""
    for prev, w in zip(r.words, r.words[1:]):
        if len(w.text) <= MARKER_GLYPHS and w.text.strip(".,;:").isdigit() \
                and w.size < RAISED_SIZE * prev.size and not prev.text[-1:].isdigit() \
                and w.x0 - prev.x1 < GLUE_AFTER * prev.size \
                and w.bottom < prev.bottom - RAISED_LIFT * prev.size:
            return True
    return False


def _superior_figures(pages: list[PageLayout]) -> None:
    """Split superior-figure markers and glued bracketed markers ("found.[3]", where the
    document has several) off the words they are glued to (ingest.superior)."""
    words = [w for p in pages for r in p.rows for w in r.words]
    lining = lining_widths(words)
    if lining:
        for p in pages:
            p.rows = [Row(split_superior(r.words, lining)) for r in p.rows]
    if bracketed_markers(words) >= BRACKETED_MARKERS:
        for p in pages:
            p.rows = [Row(split_bracketed(r.words)) for r in p.rows]


@timed("layout")
def analyze(pdf_pages, inspect=None) -> tuple[list[PageLayout], float]:
    """Read every page, drop furniture, find columns. Returns the pages and the body size.

    `inspect(page, objects)` sees each pdfplumber page and its objects while it is open;
    the page is closed right after, so a long PDF never holds every page's objects at once.
    """
    pages = []
    for i, pg in enumerate(pdf_pages):
        pages.append(read_page(pg, i + 1, inspect))
        pg.close()
    _superior_figures(pages)
    size = dominant_size(pages)
    mark_furniture(pages, size)
    known: list[float] = []
    for p in pages:
        build_columns(p, size, known)
    return pages, size

