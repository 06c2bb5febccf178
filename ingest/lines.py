"""From pdfplumber chars to words and text lines, in one pass over a page's chars.

Sizes are relative: word spacing, raised glyphs and line grouping are judged against each
glyph's own font size, so tight justified text is not fused and small notes are not split.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTContainer, LTCurve, LTImage
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.utils import apply_matrix_rect

from citetrace.ingest.stages import timed
from citetrace.ingest.tolerances import (
    MONO_SPACE, RAISED_SIZE, URL_GLUE_CELLS, URL_GLUE_SAME, URL_STRETCH, WORD_GAP)

# Private-use and symbol-font glyphs that stand for ordinary punctuation.
GLYPH_FIXES = {"\u2010": "-", "\u2011": "-", "\u00ad": "-", "\ufb00": "ff", "\ufb01": "fi",
               "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\uf0b7": "•", "\u2212": "-"}


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str

    @property
    def bold(self) -> bool:
        return _font_style(self.font)[0]

    @property
    def italic(self) -> bool:
        return _font_style(self.font)[1]


@lru_cache(maxsize=1024)  # a document has a handful of fonts and many thousand glyphs
def _font_style(font: str) -> tuple[bool, bool]:
    """(bold, italic) as the font's name says."""
    f = font.lower()
    return ("bold" in f or "black" in f or "heavy" in f or f.endswith(("-bd", ",bd")),
            "italic" in f or "oblique" in f or f.endswith(("-it", ",it")))


URL_MARKS = frozenset("/.-:?=&_#%~")  # where LaTeX's url package may break and stretch a URL
MONOSPACED = re.compile(r"mono|courier|consol|typewriter|cmtt|sftt|(?:^|\+)lmtt", re.IGNORECASE)


@lru_cache(maxsize=256)
def _monospaced(font: str) -> bool:
    return MONOSPACED.search(font) is not None


class Boxed:
    """The bounding box of a run of words (a line, a row)."""

    def parts(self) -> list:
        raise NotImplementedError

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.parts())

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.parts())

    @property
    def top(self) -> float:
        return min(p.top for p in self.parts())

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.parts())

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class Word:
    glyphs: list[Glyph]
    space_before: bool = True  # False: glued to the previous word (a marker, a size change)
    raised: bool = False  # set by the line: smaller glyphs above the baseline
    # superior-figure glyphs (a marker at body size on the baseline; only narrower than the
    # font's lining digits): raised whatever the line measures
    superior: bool = False
    # the box and size, computed once: words are read many times by every later stage
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    size: float = field(init=False)
    text: str = field(init=False)

    def __post_init__(self):
        gs = self.glyphs  # (list comprehensions: faster than generators on a few items)
        self.x0 = min([g.x0 for g in gs])
        self.x1 = max([g.x1 for g in gs])
        self.top = min([g.top for g in gs])
        self.bottom = max([g.bottom for g in gs])
        self.size = max([g.size for g in gs])
        self.text = "".join([g.text for g in gs])


@dataclass
class Line(Boxed):
    """Words on one baseline within one column, left to right."""

    page: int
    words: list[Word]
    size: float = 0.0  # dominant font size
    baseline: float = 0.0
    kind: str = "body"  # body | note | furniture (set by later stages)
    column: int = 0
    section: int = 0
    tags: set = field(default_factory=set)

    def __post_init__(self):
        self.measure()

    def measure(self) -> None:
        glyphs = [g for w in self.words for g in w.glyphs]
        sizes: dict[float, int] = {}
        for g in glyphs:
            key = round(g.size, 1)
            sizes[key] = sizes.get(key, 0) + len(g.text)
        self.size = max(sizes, key=lambda s: (sizes[s], s))
        main = [g for g in glyphs if abs(g.size - self.size) < 0.6] or glyphs
        self.baseline = _median([g.bottom for g in main])
        top = _median([g.top for g in main])
        for w in self.words:
            # smaller and lifted: clearly above the baseline, or hanging from the cap height
            # (digits of another font can sit a little off the letters' baseline)
            w.raised = w.superior or w.size < self.size * RAISED_SIZE and (
                w.bottom < self.baseline - 0.18 * self.size
                or (w.top <= top + 0.1 * self.size and w.bottom < self.baseline - 0.05 * self.size))

    def parts(self) -> list[Word]:
        return self.words

    @property
    def text(self) -> str:
        return join_words(self.words)

    @property
    def body_text(self) -> str:
        """Text without raised words (markers), for matching and statistics."""
        return join_words([w for w in self.words if not w.raised])

    @property
    def bold(self) -> bool:
        # nearly all bold: a bold lead-in ("The Office of X, which runs…") is not a bold line
        glyphs = [g for w in self.words if not w.raised for g in w.glyphs if not g.text.isspace()]
        return sum(g.bold for g in glyphs) > 0.85 * len(glyphs)

    @property
    def italic(self) -> bool:
        glyphs = [g for w in self.words for g in w.glyphs if not g.text.isspace()]
        return sum(g.italic for g in glyphs) > 0.6 * len(glyphs)


def join_words(ws: list[Word]) -> str:
    return "".join((" " if i and w.space_before else "") + w.text for i, w in enumerate(ws))


def normalize_glyph(text: str) -> str:
    text = GLYPH_FIXES.get(text, text)
    if text.isascii():
        return text
    if len(text) == 1 and "\ue000" <= text <= "\uf8ff":
        return ""  # private-use glyph with no known meaning
    if len(text) == 1 and unicodedata.decomposition(text).startswith(("<super>", "<sub>")):
        return text  # m³, CO₂: NFKC would make them m3, CO2
    return unicodedata.normalize("NFKC", text)


@dataclass
class PageObjects:
    """What ingest reads of a page: its chars, thin graphics (rules) and image count."""

    chars: list[dict]
    graphics: list[dict]
    images: int


class _PageReader(PDFPageAggregator):
    """pdfminer's page device, keeping each glyph as the dict ingest reads instead of an
    ``LTChar`` (building those costs a quarter of pdfminer's time); graphics and images stay
    in the layout tree as usual."""

    def __init__(self, rsrcmgr, pageno: int, x0: float, top: float, height: float):
        super().__init__(rsrcmgr, pageno=pageno, laparams=None)
        self.chars: list[dict] = []
        self._shift = (x0, top + height)  # pdfminer's y grows upwards; pdfplumber's top downwards

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate) -> float:
        # The arithmetic of pdfminer's PDFLayoutAnalyzer.render_char and LTChar.__init__.
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        adv = font.char_width(cid) * fontsize * scaling
        vertical = font.is_vertical()
        if vertical:
            vx, vy = font.char_disp(cid)
            vx = fontsize * 0.5 if vx is None else vx * fontsize * 0.001
            vy = (1000 - vy) * fontsize * 0.001
            bbox = (-vx, vy + rise + adv, -vx + fontsize, vy + rise)
        else:
            descent = font.get_descent() * fontsize
            bbox = (0, descent + rise, adv, descent + rise + fontsize)
        a, b, c, d, e, f = matrix
        if b == 0 and c == 0:  # unrotated: apply_matrix_rect's sums, less its four points
            x0, x1 = sorted((a * bbox[0] + e, a * bbox[2] + e))
            y0, y1 = sorted((d * bbox[1] + f, d * bbox[3] + f))
        else:
            x0, y0, x1, y1 = apply_matrix_rect(matrix, bbox)
        fontname = font.fontname
        dx, dy = self._shift
        self.chars.append({
            "text": text, "x0": x0 + dx, "x1": x1 + dx, "top": dy - y1, "bottom": dy - y0,
            "size": x1 - x0 if vertical else y1 - y0,
            "upright": a * d * scaling > 0 and b * c <= 0,
            "fontname": fontname.decode("latin-1") if isinstance(fontname, bytes) else fontname})
        return adv


@timed("pdf parsing")
def page_objects(page) -> PageObjects:
    """Chars (as pdfplumber's dicts, with the keys ingest uses) and graphics of a page.

    A pdfplumber page is interpreted by pdfminer with a device of our own: pdfplumber's
    ``page.chars`` converts every attribute of every object into a dict, which costs more
    than pdfminer's parsing itself. Anything else with ``chars`` (a constructed test page)
    is read as it is.
    """
    if not hasattr(page, "page_obj"):
        return PageObjects(list(page.chars), list(page.lines) + list(page.rects),
                           len(getattr(page, "images", ())))
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    height = page.height
    rsrcmgr = page.pdf.rsrcmgr
    device = _PageReader(rsrcmgr, page.page_number, mb_x0, mb_top, height)
    PDFPageInterpreter(rsrcmgr, device).process_page(page.page_obj)
    graphics, images = [], 0
    stack = list(device.get_result())
    while stack:
        obj = stack.pop()
        if isinstance(obj, LTCurve):  # lines and rects too
            graphics.append({"x0": obj.x0 + mb_x0, "x1": obj.x1 + mb_x0,
                             "top": height - obj.y1 + mb_top, "bottom": height - obj.y0 + mb_top})
        elif isinstance(obj, LTImage):
            images += 1
        elif isinstance(obj, LTContainer):
            stack.extend(obj)
    return PageObjects(device.chars, graphics, images)


def page_glyphs(page, chars: list[dict]) -> tuple[list[Glyph], list[Glyph]]:
    """Upright glyphs inside the page, and rotated ones (margin stamps, watermarks)."""
    x0, top, x1, bottom = page.bbox
    upright, rotated = [], []
    normal: dict[str, str] = {}  # a page has few distinct glyphs
    for c in chars:
        text = normal.get(c["text"])
        if text is None:
            text = normal[c["text"]] = normalize_glyph(c["text"])
        if not text:
            continue
        if c["x1"] < x0 or c["x0"] > x1 or c["bottom"] < top or c["top"] > bottom:
            continue
        g = Glyph(text, c["x0"] - x0, c["x1"] - x0, c["top"] - top, c["bottom"] - top,
                  c["size"] or (c["bottom"] - c["top"]), c["fontname"])
        (upright if c.get("upright", True) else rotated).append(g)
    return upright, rotated


def rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into rows across the full page width.

    A glyph joins a row of its own size whose core (the first glyph's vertical extent)
    holds its centre, or a row of another size that shares its baseline (small caps, a
    digit font). A raised marker thus starts a row of its own and is reattached to its
    line later; smaller type in a neighbouring column never chains two rows together.
    """
    out: list[tuple] = []
    open_rows: list[tuple] = []  # (top, bottom, size, centre, glyphs)
    inked = [g for g in glyphs if not g.text.isspace()]
    for g in sorted(inked, key=attrgetter("top", "x0")):
        gsize, gbottom = g.size, g.bottom
        mid = (g.top + gbottom) / 2
        best = best_d = None
        for r in open_rows:
            top, bottom, size, centre, _ = r
            if abs(gsize - size) <= 0.15 * (size if size > gsize else gsize):  # same size
                if not top - 0.01 <= mid <= bottom + 0.01:
                    continue
            elif abs(gbottom - bottom) > 0.25 * (gsize if size > gsize else size):
                continue
            d = abs(centre - mid)
            if best is None or d < best_d:
                best, best_d = r, d
        if best is None:
            # rows well above this glyph's top can take no more glyphs
            still = []
            for r in open_rows:
                (still if r[1] > g.top - 2 * gsize else out).append(r)
            open_rows = still
            open_rows.append((g.top, gbottom, gsize, (g.top + gbottom) / 2, [g]))
        else:
            best[4].append(g)
    out.extend(open_rows)
    result = [sorted(r[4], key=attrgetter("x0")) for r in out]
    result.sort(key=lambda gs: _median([g.top for g in gs]))
    return result


def _median(values: list[float]) -> float:
    """statistics.median, without its generality (it is called for every row and line)."""
    values.sort()
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def _url_glue(row: list[Glyph], i: int, gap: float, cell: float) -> bool:
    """Is the gap before row[i] the url package's glue around a break mark ("/", "."): the
    same gap stands beside another mark of the row, in the same font (a justified line
    spreads its stretch evenly; a typewriter space has none)?"""
    if gap > URL_GLUE_CELLS * cell:
        return False
    font = row[i].font
    for j in range(1, len(row)):
        a, b = row[j - 1], row[j]
        if j != i and (a.text in URL_MARKS or b.text in URL_MARKS) and a.font == b.font == font \
                and abs(b.x0 - a.x1 - gap) <= URL_GLUE_SAME * cell:
            return True
    return False


def words(row: list[Glyph]) -> list[Word]:
    """Split a row (sorted by x) into words at gaps wider than WORD_GAP x font size."""
    out: list[Word] = []
    cur: list[Glyph] = []
    spaced = True
    prev = None
    for i, g in enumerate(row):
        if prev is not None:
            gap = g.x0 - prev.x1
            gsize, psize = g.size, prev.size
            size = gsize if gsize < psize else psize
            wide = gap > WORD_GAP * size or gap < -0.5 * size
            if wide and gap > 0 and g.font == prev.font and _monospaced(g.font):
                # a space in a typewriter font is a whole cell: a narrower gap is the
                # stretch LaTeX's url package puts around a URL's "/" and "." (up to
                # nearly a cell in a narrow justified column, more in a tight one: then
                # the same stretch on the mark's other side tells it)
                cell = prev.x1 - prev.x0
                wide = gap >= (URL_STRETCH if g.text in URL_MARKS or prev.text in URL_MARKS
                               else MONO_SPACE) * cell \
                    and not _url_glue(row, i, gap, cell)
            # a size jump (marker glued to a word) is its own word, so it can be raised
            if wide or abs(gsize - psize) > 0.2 * (psize if psize > gsize else gsize):
                out.append(Word(cur, spaced))
                cur, spaced = [], wide
        cur.append(g)
        prev = g
    if cur:
        out.append(Word(cur, spaced))
    return out
