"""Words and line breaking, done by hand so that every line end is known.

reportlab's Paragraph would wrap text for us, but it would not tell us where a word was
hyphenated, where a URL was cut or on which line a marker landed; the gold file needs all of
that, so we break lines ourselves (greedy, like a word processor) and record each decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from . import markup

# Kinds of line-end breaks inside a word.
SOFT = "soft"  # hyphenation: a break hyphen is added, it is not part of the word
HARD = "hard"  # a real compound split after its own hyphen
URL_HYPHEN = "url-hyphen"  # URL cut right after a hyphen that belongs to the URL
URL_MID = "url-mid"  # URL cut between two letters or digits, nothing added
URL_OTHER = "url-other"  # URL cut after / . _ and the like

# Characters stripped before a word is looked up in the hyphenation list.
EDGE_PUNCT = "“”‘\"(),.;:?!"


@dataclass(frozen=True)
class Style:
    font: str  # base font
    alt_font: str  # font for *toggled* text
    size: float
    leading: float
    marker_size: float = 0.0
    marker_rise: float = 0.0


@dataclass(frozen=True)
class Glyph:
    char: str
    font: str
    size: float
    rise: float = 0.0
    note: str | None = None  # set on the characters of a note marker

    @property
    def width(self) -> float:
        return stringWidth(self.char, self.font, self.size)


def _note_keys(glyphs: list[Glyph]) -> list[str]:
    """The notes whose markers are among ``glyphs``, in order, each once."""
    return list(dict.fromkeys(g.note for g in glyphs if g.note))


@dataclass
class Word:
    glyphs: list[Glyph]
    # (offset into the word's plain text, kind): where the word may be broken at a line end.
    breaks: list[tuple[int, str]] = field(default_factory=list)
    is_url: bool = False

    @property
    def width(self) -> float:
        return sum(g.width for g in self.glyphs)

    @property
    def plain(self) -> str:
        return "".join(g.char for g in self.glyphs if g.note is None)

    @property
    def notes(self) -> list[str]:
        return _note_keys(self.glyphs)

    def split(self, offset: int) -> tuple[Word, Word]:
        """Cut after `offset` plain characters; markers stay with the text they follow."""
        seen = 0
        for index, glyph in enumerate(self.glyphs):
            if glyph.note is None:
                if seen == offset:
                    break
                seen += 1
        else:
            index = len(self.glyphs)
        head = Word(self.glyphs[:index], is_url=self.is_url)
        tail = Word(
            self.glyphs[index:],
            [(o - offset, k) for o, k in self.breaks if o > offset],
            self.is_url,
        )
        return head, tail


@dataclass
class Line:
    glyphs: list[Glyph]  # spaces included, as glyphs of the base font
    width: float  # natural width
    target: float  # column measure
    justify: bool
    break_kind: str | None = None  # how the last word was cut, if it was
    break_pair: tuple[str, str] | None = None  # (text before the cut, text after it)

    @property
    def notes(self) -> list[str]:
        return _note_keys(self.glyphs)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs if g.note is None)

    def word_space(self) -> float:
        """Extra space per blank for justification (PDF ``Tw``, applied to each space)."""
        spaces = sum(1 for g in self.glyphs if g.char == " ")
        if not self.justify or spaces == 0:
            return 0.0
        return max(0.0, (self.target - self.width) / spaces)

    def runs(self) -> list[tuple[str, str, float, float]]:
        """(text, font, size, rise) runs of equal style, for drawing."""
        runs: list[tuple[str, str, float, float]] = []
        for g in self.glyphs:
            style = (g.font, g.size, g.rise)
            if runs and runs[-1][1:] == style:
                runs[-1] = (runs[-1][0] + g.char, *style)
            else:
                runs.append((g.char, *style))
        return runs


def hyphenation_table(patterns: tuple[str, ...]) -> dict[str, list[int]]:
    """``"infra-struc-ture"`` -> ``{"infrastructure": [5, 10]}``."""
    table = {}
    for pattern in patterns:
        parts = pattern.split("-")
        offsets, total = [], 0
        for part in parts[:-1]:
            total += len(part)
            offsets.append(total)
        table["".join(parts)] = offsets
    return table


def make_words(
    markup_text: str,
    style: Style,
    labels: dict[str, str],
    hyphenation: dict[str, list[int]] | None = None,
    urls: bool = False,
) -> list[Word]:
    """Turn markup into words of glyphs, markers glued to the character before them.

    With `hyphenation`, words get soft breaks from the table and hard breaks after their own
    hyphens (body text).  With `urls`, URLs get breaks everywhere (notes).
    """
    parsed = markup.parse(markup_text)
    text = parsed.text
    markers_at: dict[int, list[str]] = {}
    for m in parsed.markers:
        markers_at.setdefault(m.offset, []).append(m.key)
    url_spans = markup.url_spans(text) if urls else []

    words: list[Word] = []
    current: list[Glyph] = []
    start = 0

    def flush(end: int) -> None:
        if current:
            words.append(_with_breaks(Word(list(current)), text, start, end, url_spans, hyphenation))
            current.clear()

    for pos, char in enumerate(text):
        for key in markers_at.get(pos, []):
            current.extend(_marker_glyphs(labels[key], key, style))
        if char == " ":
            flush(pos)
            start = pos + 1
            continue
        font = style.alt_font if parsed.italic[pos] else style.font
        current.append(Glyph(char, font, style.size))
    for key in markers_at.get(len(text), []):
        current.extend(_marker_glyphs(labels[key], key, style))
    flush(len(text))
    return words


def _marker_glyphs(label: str, key: str, style: Style) -> list[Glyph]:
    return [Glyph(c, style.font, style.marker_size, style.marker_rise, key) for c in label]


def _with_breaks(word, text, start, end, url_spans, hyphenation) -> Word:
    plain = text[start:end]
    for u_start, u_end in url_spans:
        if start <= u_start < end:
            word.is_url = True
            lo, hi = u_start - start, u_end - start
            # Keep at least a few characters on either side of any URL cut.
            for offset in range(lo + 8, hi - 3):
                word.breaks.append((offset, _url_break_kind(plain, offset)))
            return word
    if hyphenation is None:
        return word
    lead = len(plain) - len(plain.lstrip(EDGE_PUNCT))
    core = plain.strip(EDGE_PUNCT)
    for offset in hyphenation.get(core.lower(), []):
        word.breaks.append((lead + offset, SOFT))
    for offset, char in enumerate(plain):
        if char == "-" and 2 <= offset < len(plain) - 3:
            if plain[offset - 1].isalpha() and plain[offset + 1].isalpha():
                word.breaks.append((offset + 1, HARD))
    word.breaks.sort()
    return word


def _url_break_kind(plain: str, offset: int) -> str:
    before, after = plain[offset - 1], plain[offset]
    if before == "-":
        return URL_HYPHEN
    if before.isalnum() and after.isalnum():
        return URL_MID
    return URL_OTHER


def break_lines(words: list[Word], measure: float, style: Style, justify: bool) -> list[Line]:
    """Greedy line breaking; a word that does not fit is cut at its last break that fits."""
    space = Glyph(" ", style.font, style.size)
    hyphen = Glyph("-", style.font, style.size)
    lines: list[Line] = []
    current: list[Word] = []
    width = 0.0
    queue = list(reversed(words))  # a stack: pop() takes the next word

    def finish(kind=None, pair=None, last=False) -> None:
        glyphs: list[Glyph] = []
        for i, word in enumerate(current):
            if i:
                glyphs.append(space)
            glyphs.extend(word.glyphs)
        lines.append(Line(glyphs, width, measure, justify and not last, kind, pair))

    while queue:
        word = queue.pop()
        gap = space.width if current else 0.0
        if width + gap + word.width <= measure:
            current.append(word)
            width += gap + word.width
            continue
        cut = _best_cut(word, measure - width - gap, hyphen, bool(current))
        if cut is not None:
            offset, kind = cut
            head, tail = word.split(offset)
            if kind == SOFT:
                head.glyphs.append(hyphen)
            current.append(head)
            width += gap + head.width
            finish(kind, (head.plain, tail.plain))
            queue.append(tail)
        elif current:
            finish()
            queue.append(word)
        else:  # a single word wider than the measure: let it stick out rather than loop
            current.append(word)
            width = word.width
            finish()
        current, width = [], 0.0
    if current:
        finish(last=True)
    return lines


def _best_cut(word: Word, room: float, hyphen: Glyph, line_has_words: bool):
    """The break of `word` to use at a line end with `room` points left, or None."""
    fitting = []
    for offset, kind in word.breaks:
        head, _ = word.split(offset)
        extra = hyphen.width if kind == SOFT else 0.0
        if head.width + extra <= room:
            fitting.append((offset, kind))
    if not fitting:
        return None
    if not word.is_url:
        return fitting[-1]
    # A URL is only started on a line when a useful piece of it fits there.
    plain = word.plain
    last_offset = fitting[-1][0]
    if line_has_words and last_offset < 14:
        return None
    # Prefer a cut just after a hyphen or slash when one is close to the end of the room,
    # as a careful typesetter would; otherwise fill the line and cut mid-word.
    for offset, kind in reversed(fitting):
        if last_offset - offset > 5:
            break
        if kind in (URL_HYPHEN, URL_OTHER) and plain[offset - 1] in "-/":
            return offset, kind
    return fitting[-1]


def break_justified(words: list[Word], measure: float, style: Style) -> list[Line]:
    """Justified lines chosen for the whole paragraph at once (a small Knuth–Plass).

    Greedy filling leaves very loose lines in narrow columns; minimising the total
    "demerits" of all lines spreads the slack and uses hyphenation only where it helps.
    Spaces are only ever stretched, never shrunk, so each one stays a visible gap.
    """
    space = Glyph(" ", style.font, style.size)
    hyphen = Glyph("-", style.font, style.size)
    frags = _fragments(words)
    count = len(frags)
    # Prefix sums: widths of fragments, and the number of word ends (spaces) before i.
    widths, spaces = [0.0], [0]
    for piece, kind, _ in frags:
        widths.append(widths[-1] + piece.width)
        spaces.append(spaces[-1] + (kind == "space"))

    best = [0.0] + [float("inf")] * count
    back = [0] * (count + 1)
    for end in range(1, count + 1):
        kind = frags[end - 1][1]
        for start in range(end - 1, -1, -1):
            gaps = spaces[end - 1] - spaces[start]
            natural = widths[end] - widths[start] + gaps * space.width
            if kind == SOFT and end < count:
                natural += hyphen.width
            if natural > measure and end - start > 1:
                break  # starting earlier only makes the line longer
            cost = best[start] + _demerits(measure - natural, gaps, space.width, kind, end == count)
            if cost < best[end]:
                best[end], back[end] = cost, start

    cuts, end = [], count
    while end:
        cuts.append((back[end], end))
        end = back[end]
    lines = []
    for start, end in reversed(cuts):
        lines.append(_justified_line(frags, start, end, measure, space, hyphen, end == count))
    return lines


def _fragments(words: list[Word]) -> list[tuple[Word, str, int]]:
    """Words cut at every break point: (piece, what may follow it, index of the word)."""
    frags = []
    for index, word in enumerate(words):
        rest, consumed = word, 0
        for offset, kind in word.breaks:
            head, rest = rest.split(offset - consumed)
            consumed = offset
            frags.append((head, kind, index))
        frags.append((rest, "space", index))
    return frags


def _demerits(slack: float, gaps: int, space_width: float, kind: str, last: bool) -> float:
    if slack < 0:
        return 1e9  # a single fragment wider than the column; unavoidable
    if last:
        return 0.0
    if gaps == 0:
        badness = 1e6 if slack > 1.0 else 0.0
    else:
        # Not capped (unlike TeX's 10000): a very loose line must always cost more than
        # several slightly loose ones.
        badness = 100.0 * (slack / (gaps * space_width)) ** 3
    penalty = {SOFT: 250.0, HARD: 50.0}.get(kind, 0.0)
    return (1.0 + badness) ** 2 + penalty**2


def _justified_line(frags, start, end, measure, space, hyphen, last) -> Line:
    glyphs: list[Glyph] = []
    for i in range(start, end):
        piece, kind, _ = frags[i]
        glyphs.extend(piece.glyphs)
        if kind == "space" and i < end - 1:
            glyphs.append(space)
    kind = frags[end - 1][1]
    pair = None
    if kind in (SOFT, HARD) and not last:
        if kind == SOFT:
            glyphs.append(hyphen)
        word = frags[end - 1][2]
        head = "".join(f[0].plain for f in frags[start:end] if f[2] == word)
        tail = "".join(f[0].plain for f in frags[end:] if f[2] == word)
        pair = (head + ("-" if kind == SOFT else ""), tail)
    else:
        kind = None
    width = sum(g.width for g in glyphs)
    return Line(glyphs, width, measure, not last, kind, pair)
