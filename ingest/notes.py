"""Footnotes and endnotes: find the note zone, split it into notes by their labels.

The note zone of a column is the run of lines at its foot that is set smaller than the
body (or sits under a separator rule) and starts with a labelled line, or continues the
previous page's last note. Endnotes are the labelled lines after a "Notes" heading at the
end of the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citetrace.ingest.layout import Column, PageLayout, typed_rule
from citetrace.ingest.lines import Line, Word
from citetrace.ingest.stages import timed
from citetrace.ingest.text import ends_sentence
from citetrace.ingest.tolerances import (
    BODY_LINE_LETTERS,
    ENDNOTES_END_GAP,
    ENDNOTES_TAIL,
    MIN_ENDNOTES,
    MIN_LETTER_MARKERS,
    NOTE_GAP,
    RAISED_FOOT_NOTES,
    RAISED_FOOT_SHARE,
    RAISED_LABELS,
    RULE_ROW,
    RULE_TOUCH,
    RUNNING_LINES,
    SAME_SIZE_NOTE_LINES,
    SEPARATOR_INDENT,
    SEPARATOR_REACH,
    SEPARATOR_WIDTH,
    SMALL,
    UNHEADED_RAISED,
)

NUMERIC = re.compile(r"^\d{1,3}$")
ROMAN = re.compile(r"^(?=[ivxlc])(c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
SYMBOLS = "*†‡§¶"
SYMBOL = re.compile(r"^(\*{1,3}|[†‡§¶]{1,2})$")
# a letter label (a, b, … z, then aa, bb): raised, or where the document's markers are letters
LETTER = re.compile(r"^([a-z])\1?$")
# a letter label glued to its note's text, as Writer sets an unraised label: "aOn the…", "b.See…"
GLUED_LETTER = re.compile(r"^(([a-z])\2?)\.?(?=[A-Z“\"(])")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# a label glued to its text: 8“State…; or "10.On…" where a two-digit label with its stop fills
# the hanging indent and the space after it is lost (a stop before a letter is no decimal)
GLUED_LABEL = re.compile(r"^(\d{1,3})(?:(?=[^\d\s.,:;/%)\]-])|\.(?=[^\W\d_]))")
ENDNOTES_HEADING = re.compile(r"^\s*(end\s*notes|notes|references|sources)\s*$", re.IGNORECASE)
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
          "xv", "xvi", "xvii", "xviii", "xix", "xx", "xxi", "xxii", "xxiii", "xxiv", "xxv"]


def label_kind(text: str) -> str | None:
    t = text.strip()
    if NUMERIC.match(t) and int(t) > 0:
        return "numeric"
    if ROMAN.match(t):
        return "roman"
    if SYMBOL.match(t):
        return "symbol"
    if LETTER.match(t):
        return "letter"
    return None


def marker_labels(word: Word) -> list[str]:
    """Labels carried by a raised word: '3', '12', 'iv', '*', '1,2'."""
    t = word.text.strip().strip(".,;:()[]")
    parts = [p for p in re.split(r"[,\u2009 ]+", t) if p]
    if parts and all(label_kind(p) for p in parts):
        return parts
    return []


@dataclass
class RawNote:
    label: str
    page: int
    kind: str
    lines: list[Line] = field(default_factory=list)
    continues_on_page: int | None = None
    first_words_skip: int = 0  # words of the first line that form the label
    glued_prefix: int = 0  # characters of the first word that form a glued label


def _text_width(page: PageLayout) -> float:
    return max(c.x1 for c in page.columns) - min(c.x0 for c in page.columns) if page.columns else 0.0


def _separator_above(col: Column, page: PageLayout, idx: int, doc_width: float,
                     wide: bool = False) -> bool:
    """Is there a separator rule right above line `idx` of the column?

    doc_width: the document's usual text width (a last page of a few short lines would
    make its own too narrow for the separator every other page has).
    wide: a rule across the whole text width counts too (Word sets a note continued from
    the page before under a full-width continuation separator)."""
    line = col.lines[idx]
    above = col.lines[idx - 1].bottom if idx > 0 else 0
    text_width = max(_text_width(page), doc_width)
    for r in page.rules:
        # a note separator is a short rule on its own, from the column's left edge; a
        # full-width rule or a row of rules is a table border or a section divider
        if above - SEPARATOR_REACH <= r.y <= line.top + SEPARATOR_REACH \
                and abs(r.x0 - col.x0) < SEPARATOR_INDENT \
                and (wide or r.x1 - r.x0 <= SEPARATOR_WIDTH * text_width) \
                and not any(o is not r and abs(o.y - r.y) < RULE_ROW and o.x0 <= r.x1 + RULE_TOUCH
                            and o.x1 >= r.x0 - RULE_TOUCH for o in page.rules) \
                and not any(o.y > r.y + RULE_ROW and abs(o.x0 - r.x0) < RULE_TOUCH
                            and abs(o.x1 - r.x1) < RULE_TOUCH
                            for o in page.rules):  # touching, or the same rule again below: a table
            return True
    return idx > 0 and typed_rule(col.lines[idx - 1])


def note_start(line: Line, expected: set[str], raised_only: bool = False
               ) -> tuple[str, int, int] | None:
    """If `line` starts a note, return (label, words to skip, glued chars to skip).

    raised_only: the document sets its note labels raised, so a plain number at a line
    start ("5 and 40 percent…") is text, not a label.
    """
    if not line.words:
        return None
    w = line.words[0]
    text = w.text.strip()
    if w.raised and label_kind(text.rstrip(".")):
        return text.rstrip("."), 1, 0
    if raised_only:
        return None
    core = text.rstrip(".)")
    kind = label_kind(core)
    if kind == "letter" and not text.endswith((".", ")")) and not (
            len(line.words) > 1 and line.words[1].text[:1].isupper()):
        kind = None  # "a report by…": an article, not a label "a" (that has a stop, or a capital after it)
    if kind and (kind == "symbol" or core in expected or (text.endswith((".", ")")) and kind == "numeric"
                                                          and core in expected)):
        # label followed by a space: "12 See …", "12. See …"
        if len(line.words) > 1 or core in expected:
            return core, 1, 0
    m = GLUED_LABEL.match(text) or GLUED_LETTER.match(text)
    if m and m.group(1) in expected:
        return m.group(1), 0, len(m.group(0))
    return None


def _next_expected(last: str | None, letters: bool = False) -> set[str]:
    """The labels that may come after `last`: the next two, or a restart. letters: the
    document's markers are letters (a, b, c), so a letter sequence counts too ("i" after
    "h" is a letter, not the Roman one)."""
    out = {"a"} if letters else set()
    if letters and last is not None and LETTER.match(last):
        n = LETTERS.index(last[0]) + 26 * (len(last) - 1)
        out |= {_letter(n + 1), _letter(n + 2)}
    if last is not None and last.isdigit():
        n = int(last)
        return out | {str(n + 1), str(n + 2), "1"}
    if last in ROMANS[:-2]:
        n = ROMANS.index(last)
        return out | {ROMANS[n + 1], ROMANS[n + 2], "1", "i"}
    return out | {"1", "i", "*"}


def _letter(n: int) -> str:
    """The label of the n-th letter (0-based): a … z, aa … zz."""
    return LETTERS[n % 26] * (n // 26 + 1)


def letter_markers(pages: list[PageLayout]) -> bool:
    """Are the document's note markers letters? Raised single letters after a word, several
    of them and "a" among them (a restart on each page, or a count from a)."""
    seen = [w.text.strip(".,;:()[]") for p in pages for ln in p.lines for w in ln.words[1:]
            if w.raised and LETTER.match(w.text.strip(".,;:()[]"))]
    return len(seen) >= MIN_LETTER_MARKERS and "a" in seen and "b" in seen


@timed("notes/markers")
def find_note_zones(pages: list[PageLayout], body_size: float) -> None:
    """Tag the lines of each column's foot-of-column note zone with kind 'note'.

    A zone starts at a separator, a raised label, or a label that continues the sequence
    of the labels already seen (a page whose first note is 4 after a page ending at 3)."""
    last: str | None = None
    carried: set[str] = set()  # markers of the page before whose notes it did not hold
    last_line: Line | None = None  # the last note line seen: is a note still open?
    letters = letter_markers(pages)
    widths = sorted(_text_width(p) for p in pages if p.columns)
    doc_width = widths[len(widths) // 2] if widths else 0.0
    for page in pages:
        zones: list[tuple] = []  # (x0, x1, top, bottom, type size) of this page's note zones
        for col in page.columns:
            if _body_below(page, col, body_size):
                continue  # notes end a page: small type with body text under it is a table
            lines = col.lines
            k = len(lines)
            while k > 0 and (lines[k - 1].size <= body_size * SMALL or typed_rule(lines[k - 1])):
                k -= 1
            # a separator over the small lines decides; else the first labelled line
            # (a first zone starts at 1 or *: a lone "i" list is left to the endnote rule)
            expected = {"1", "*"} | (_next_expected(last, letters) if last is not None
                                     else {"a"} if letters else set())
            start = next((i for i in range(k, len(lines)) if not typed_rule(lines[i])
                          and _separator_above(col, page, i, doc_width)), None)
            if start is None and last is not None:  # a note continued from the page before
                start = next((i for i in range(k, len(lines)) if not typed_rule(lines[i])
                              and not note_start(lines[i], expected)
                              and _separator_above(col, page, i, doc_width, wide=True)), None)
            by_label = start is None
            for i in range(k, len(lines)) if start is None else ():
                if typed_rule(lines[i]):
                    continue
                if note_start(lines[i], expected) or (lines[i].words and lines[i].words[0].raised):
                    start = i
                    break
            labelled = start  # the first labelled line (the zone may open above it)
            if by_label and start is not None and last_line is not None \
                    and not ends_sentence(last_line.text):
                # the note left open before goes on in the small type over the first label,
                # with no separator: its lines flow into the label's, a gap above them
                start = _carried_on(col, start, k)
            if by_label and start is not None and k < start and _beside_zone(zones, page, col, lines[k:start]):
                start = k  # the note left open at the foot of the note column before goes on here
            # no small type at the foot, nor in note columns set under this one
            same_size = (start is None or start == len(lines)) and k == len(lines) \
                and not _small_type_under(page, col, body_size)
            if same_size:  # no small type at the foot
                is_open = last_line is not None and not ends_sentence(last_line.text)
                start = _same_size_zone(page, col, expected, doc_width, is_open, carried, letters)
                k = labelled = start if start is not None else k
            beside = (start is None or start == len(lines)) and _beside_zone(zones, page, col, lines)
            if beside:  # a note column's lines, all carrying on the note of the one before
                start = labelled = k = 0
            if start is None or start == len(lines):
                continue
            if k == 0 and not same_size and not beside and not _separator_above(col, page, start, doc_width) \
                    and not (_body_above(page, col, body_size) and _labelled(lines, labelled, expected)):
                continue  # a whole column in small type (a syllabus, a table) is not notes
            zones.append((col.x0, col.x1, lines[start].top, lines[-1].bottom, lines[-1].size))
            for ln in lines[start:]:
                ln.kind = "furniture" if typed_rule(ln) else "note"
                label = note_start(ln, _next_expected(last, letters))
                if label and label_kind(label[0]) != "symbol":
                    last = label[0]
                if ln.kind == "note":
                    last_line = ln
            for ln in lines[k:start]:
                if typed_rule(ln):
                    ln.kind = "furniture"
        # a word processor moves a note that does not fit to the next page, away from its
        # marker: the markers past the last note label stay open for one page
        carried = {m for m in _markers([ln for ln in page.lines if ln.kind == "body"])
                   if last is None or _label_number(m, letters) > _label_number(last, letters)}


def _labelled(lines: list[Line], labelled: int, expected: set[str]) -> bool:
    """Is line `labelled` the next note's label, or, where the zone opened on a note carried
    on from the page before (its lines first, over a wide rule), the first label under it?"""
    if note_start(lines[labelled], expected):
        return True
    return labelled == 0 and any(note_start(ln, expected) for ln in lines)


def _small_type_under(page: PageLayout, col: Column, body_size: float) -> bool:
    """Is a column of small type set under `col`, across its width (the notes of a
    one-column body set in two columns): its notes are there, not in its body-size foot."""
    if not col.lines:
        return False
    bottom = col.lines[-1].bottom
    return any(other is not col and other.lines and other.lines[0].top >= bottom
               and other.x0 < col.x1 and col.x0 < other.x1
               and all(ln.size <= body_size * SMALL for ln in other.lines)
               for other in page.columns)


def _beside_zone(zones: list[tuple], page: PageLayout, col: Column, lines: list[Line]) -> bool:
    """Are `lines` (over a column's first note label, or all of it) set beside a note zone
    of a column to their left, from its top down, in its type size, both under one body
    column spanning them (notes in two or more columns under a one-column body): the top of
    a note column goes on with the note the column before ended on. (Under two body
    columns each column's notes are its own: a note carried on is read by the other rules.)"""
    return bool(lines) and any(
        x1 <= col.x0 and top <= lines[0].top + lines[0].size and lines[-1].top <= bottom
        and all(_same_size(ln, lines[0]) for ln in lines) and abs(lines[0].size - size) <= 0.02 * size
        and any(body.lines and body.x0 <= x0 + size and body.x1 >= col.x1 - size
                and body.lines[-1].bottom <= top for body in page.columns)
        for x0, x1, top, bottom, size in zones)


def _markers(lines: list[Line]) -> set[str]:
    """The labels of the raised markers in `lines` (a line's raised first word is a label)."""
    return {m for ln in lines for w in ln.words[1:] if w.raised for m in marker_labels(w)}


def _foot_label(line: Line, plain: bool, letters: bool = False) -> str | None:
    """The label a body-size note line starts with: raised ("³ See …"), or with `plain` a
    number followed by text ("3. See …", "3 See …", "10.See …"); with `letters` (the
    document's markers are letters) a letter too ("b. See …", "bSee …")."""
    w = line.words[0] if line.words else None
    if w is None:
        return None
    core = w.text.rstrip(".)") if not w.raised else w.text.rstrip(".")
    kind = label_kind(core)
    if w.raised and kind in ("numeric", "roman", "letter"):
        return core
    if plain and not w.raised and kind == "numeric" and len(line.words) > 1:
        return core
    if plain and letters and not w.raised and LETTER.match(core) and len(line.words) > 1 \
            and (w.text.endswith((".", ")")) or line.words[1].text[:1].isupper()):
        return core
    glued = (GLUED_LABEL.match(w.text) or (GLUED_LETTER.match(w.text) if letters else None)) \
        if plain and not w.raised else None
    return glued.group(1) if glued else None


def _label_number(label: str, letters: bool = False) -> int:
    """A label's place in its sequence: 3, iii -> 3; with `letters`, c -> 3 ("i" is the
    ninth letter there, not the first Roman number)."""
    if letters and LETTER.match(label):
        return LETTERS.index(label[0]) + 1 + 26 * (len(label) - 1)
    return int(label) if label.isdigit() else ROMANS.index(label) + 1 if label in ROMANS else -1


def _same_size_zone(page: PageLayout, col: Column, expected: set[str], doc_width: float,
                    is_open: bool = False, carried: frozenset[str] | set[str] = frozenset(),
                    letters: bool = False) -> int | None:
    """Where notes set in the body's own size start at the column's foot, if they do.

    With no smaller type only the other cues tell: a separator over the first note, or the
    run of labelled lines at the foot whose labels count up by one, the first continuing
    the document's sequence, each label raised after a word in the page's text above (its
    marker), the run opening after a gap or with short notes. Raised labels are read first;
    plain numbers only where they find nothing (a note's line may start with a year or a
    page number). is_open: the last note seen may carry on at the top of this zone.
    carried: labels whose markers are on the page before, their notes not yet found."""
    lines = col.lines
    foot = len(lines)
    while foot > 0 and (typed_rule(lines[foot - 1]) or _same_size(lines[foot - 1], lines[-1])):
        foot -= 1
    for i in range(foot, len(lines)):
        if not typed_rule(lines[i]) and _separator_above(col, page, i, doc_width) and (
                any(note_start(ln, expected) for ln in lines[i:]) or is_open):
            return i
    for plain in (False, True):
        start = _labelled_run(page, col, foot, expected, plain, is_open, carried, letters)
        if start is not None:
            return start
    return None


def _same_size(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) <= 0.02 * max(a.size, b.size)


def _labelled_run(page: PageLayout, col: Column, foot: int, expected: set[str],
                  plain: bool, is_open: bool, carried: frozenset[str] | set[str],
                  letters: bool = False) -> int | None:
    """The first line (top down) of a run of consecutively labelled notes down to the foot
    of the column that the page's markers (or the page before's `carried` ones) all point
    to, or of the open note's lines carried on above it; None if there is none."""
    lines = col.lines
    labelled = [(i, lab) for i in range(foot, len(lines))
                if (lab := _foot_label(lines[i], plain, letters)) is not None]
    for n, (start, lab) in enumerate(labelled):
        if lab not in expected:
            continue
        run = _consecutive(labelled[n:], letters)
        if run is None:
            continue
        zone = {id(ln) for ln in lines[start:]}
        markers = _markers([ln for c in page.columns for ln in c.lines
                                 if id(ln) not in zone]) | carried
        if not all(m in markers for _, m in run):
            continue
        top = _carried_on(col, start, foot) if is_open else start
        gaps = [b - a - 1 for (a, _), (b, _) in zip(run, run[1:] + [(len(lines), "")])]
        if _opens_after_gap(col, top) or max(gaps) <= SAME_SIZE_NOTE_LINES:
            return top
    return None


def _consecutive(labelled: list[tuple[int, str]], letters: bool = False
                 ) -> list[tuple[int, str]] | None:
    """The labels of a note run, each one more than the one before; a number far ahead of
    the count starts a line of a note's text ("115. Available at…" after note 10), any other
    break means the run is not notes."""
    run = [labelled[0]]
    for i, lab in labelled[1:]:
        step = _label_number(lab, letters) - _label_number(run[-1][1], letters)
        if step == 1:
            run.append((i, lab))
        elif step <= 2:
            return None
    return run


def _pitch(col: Column) -> float:
    steps = sorted(b.top - a.top for a, b in zip(col.lines, col.lines[1:]) if b.top > a.top)
    return steps[len(steps) // 2] if steps else 0.0


def _opens_after_gap(col: Column, i: int) -> bool:
    """Does line i open its column, or sit under a gap wider than the column's line pitch
    (the space notes keep from the text above them)?"""
    if i == 0:
        return True
    above, line = col.lines[i - 1], col.lines[i]
    return line.top - above.top > NOTE_GAP * _pitch(col)


def _carried_on(col: Column, start: int, foot: int) -> int:
    """Unlabelled lines right over the zone's first label that carry on the note left open
    on the page before: a block of its own (a gap or the column's top above it), with no
    marker in it. Returns the zone's new first line."""
    lines = col.lines
    i = start
    while i > foot and not _opens_after_gap(col, i) and start - i < 2 * SAME_SIZE_NOTE_LINES:
        if any(w.raised for w in lines[i - 1].words):
            return start  # a marker: running text, not a note
        i -= 1
    return i if i < start and _opens_after_gap(col, i) else start


def _body_above(page: PageLayout, col: Column, body_size: float) -> bool:
    """Is there running text in the body size above the column, in an earlier section of
    its page (not a heading alone)? Notes under a table set across the page are a section of
    their own."""
    top = col.lines[0].top if col.lines else 0
    return sum(len(ln.text) >= BODY_LINE_LETTERS and ln.size > body_size * SMALL
               and ln.bottom < top for other in page.columns
               if other.section < col.section and other.x0 < col.x1 and col.x0 < other.x1
               for ln in other.lines) >= RUNNING_LINES


def _body_below(page: PageLayout, col: Column, body_size: float) -> bool:
    bottom = col.lines[-1].bottom if col.lines else 0
    for other in page.columns:
        if other.section > col.section and other.x0 < col.x1 and col.x0 < other.x1:
            if any(ln.size > body_size * SMALL and ln.top > bottom for ln in other.lines):
                return True
    return False


@timed("notes/markers")
def find_endnotes(pages: list[PageLayout]) -> None:
    """Tag the labelled list after a closing 'Notes'/'Endnotes'/'References' heading as
    endnote lines, when the body carries raised markers with those labels (a plain
    reference list, cited as [1] or (Author, year), is not notes). With no heading, a list
    that opens a page in the document's second half at label 1 and runs to the end counts
    when its labels count up by one, mostly match raised markers, and it carries no marker
    itself (Writer sets endnotes on a page of their own, unheaded)."""
    flat = [ln for p in pages for ln in p.lines if ln.kind == "body"]
    raised = {lab for ln in flat for w in ln.words if w.raised for lab in marker_labels(w)}
    any_label = set(ROMANS) | {str(n) for n in range(1, 400)}
    # the foot of the heading's page may have been taken for a footnote zone (small type
    # under the heading), the rest of the list running on over the next page
    read = [ln for p in pages for ln in p.lines if ln.kind in ("body", "note")]
    # the heading closes the document: in its second half by lines, or by pages (endnotes
    # may hold more lines than the text they annotate), or after the body's last marker
    # (a short text with many long notes puts its notes heading before half of either)
    mid_page = (pages[0].page + pages[-1].page) / 2 if pages else 0
    later = next((i for i, ln in enumerate(read) if ln.page > mid_page), len(read))
    marked = max((i for i, ln in enumerate(read) if ln.kind == "body"
                  and _markers([ln])), default=len(read))
    for i in range(len(read) - 1, min(int(len(read) * ENDNOTES_TAIL), later - 1, marked), -1):
        if read[i].kind != "body" or not ENDNOTES_HEADING.match(read[i].text):
            continue
        after = read[i + 1:]
        labels = [s[0] for s in (note_start(ln, any_label) for ln in after) if s]
        if labels and note_start(after[0], {"1", "i"}) and \
                sum(lab in raised for lab in labels) >= RAISED_LABELS * len(labels):
            _tag_endnotes(after)
        return
    for i in range(int(len(flat) * ENDNOTES_TAIL) + 1, len(flat)):
        if flat[i].page != flat[i - 1].page and _unheaded_endnotes(flat[i:], raised):
            _tag_endnotes(flat[i:])
            return


def _unheaded_endnotes(after: list[Line], raised: set[str]) -> bool:
    labels: list[str] = []
    for ln in after:
        start = note_start(ln, _next_expected(labels[-1]) if labels else {"1"})
        if start:
            labels.append(start[0])
        elif not labels:
            return False  # the list opens the page
        elif any(w.raised for w in ln.words):
            return False  # a marker: running text, not the notes it points to
    return len(labels) >= MIN_ENDNOTES and labels == [str(n) for n in range(1, len(labels) + 1)] \
        and sum(lab in raised for lab in labels) >= UNHEADED_RAISED * len(labels)


def _tag_endnotes(after: list[Line]) -> None:
    prev = None
    for ln in after:
        if prev is not None and ln.page != prev.page and ln.size < after[0].size * SMALL:
            continue  # smaller type over the list's next page: a running head, left as it is
        # the list ends at a wide gap (a credits line, a back cover)
        if prev is not None and ln.page == prev.page and \
                ln.top - prev.bottom > ENDNOTES_END_GAP * max(ln.size, prev.size):
            break
        ln.kind = "endnote"
        prev = ln


@timed("notes/markers")
def split_notes(pages: list[PageLayout]) -> list[RawNote]:
    """Split note and endnote lines into notes, in reading order."""
    notes = _split(pages, raised_only=False)
    foot = [n for n in notes if n.kind == "footnote"]
    raised = sum(n.lines[0].words[0].raised for n in foot if n.first_words_skip)
    if len(foot) >= RAISED_FOOT_NOTES and raised >= RAISED_FOOT_SHARE * len(foot):
        notes = _split(pages, raised_only=True)
    return notes


def _continues(note: RawNote, page: int) -> bool:
    """May unlabelled note lines at the top of `page`'s zone carry on `note`? Only from the
    page before; past a second page break only when the note stopped mid-sentence."""
    last = note.lines[-1]
    if last.page == page:
        return True  # already carrying it on here
    if last.page != page - 1:
        return False
    return note.page == page - 1 or not ends_sentence(last.text)


def _carries_on(note: RawNote, line: Line, start: tuple[str, int, int]) -> bool:
    """Does `line`, which holds only what could be the next label, rather carry on `note`?
    A number alone on its line after a line that stops mid-sentence is the tail of a wrapped
    URL or of the note's text ("…&section=2" over "8"): a label has its note's text beside
    it. (A line ending in "-" or "=" proves nothing: a note may end in a URL cut short.)
    A raised label is a label."""
    _, skip, glued = start
    if line.words[0].raised or glued or len(line.words) > skip:
        return False
    last = note.lines[-1].text.rstrip()
    return bool(last) and not ends_sentence(last)


def _split(pages: list[PageLayout], raised_only: bool) -> list[RawNote]:
    notes: list[RawNote] = []
    last: dict[str, str | None] = {"note": None, "endnote": None}  # numbering per system
    letters = letter_markers(pages)
    for page in pages:
        started_here = False
        for ln in page.lines:
            if ln.kind not in ("note", "endnote"):
                continue
            start = note_start(ln, _next_expected(last[ln.kind], letters) | {"*", "†", "‡"},
                               raised_only and ln.kind == "note")
            if start and notes and _carries_on(notes[-1], ln, start) \
                    and (started_here or _continues(notes[-1], page.page)):
                start = None
            if start:
                label, skip, glued = start
                kind = "endnote" if ln.kind == "endnote" else (
                    "author_note" if label_kind(label) == "symbol" else "footnote")
                notes.append(RawNote(label, page.page, kind, [ln], None, skip, glued))
                if kind != "author_note":
                    last[ln.kind] = label
                started_here = True
            elif notes and (started_here or _continues(notes[-1], page.page)):
                # note lines before the page's first label continue the previous note
                if not started_here and ln.kind == "note" and notes[-1].page < page.page \
                        and notes[-1].continues_on_page is None:
                    notes[-1].continues_on_page = page.page
                notes[-1].lines.append(ln)
            else:
                ln.kind = "body"  # unlabelled small type with no note to continue
    return notes
