"""The extraction's own check: does what came out look like a document read right?

Counted from the extracted document alone (no gold): the notes' label sequence, notes and
markers that found no partner, raised numbers left in the text, note-like lines left in the
body, and the shape of the passages. A collapse (notes read as body text, body lines
stored one per passage) shows in these counts; the verdict says ``suspect`` with the reasons
in words, so a user knows which documents to look at before trusting them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from citetrace.ingest.lines import Line
from citetrace.ingest.model import Document, ExtractionCheck
from citetrace.ingest.notes import LETTER, LETTERS, ROMANS, label_kind, marker_labels, note_start
from citetrace.ingest.tolerances import MIN_LETTER_MARKERS

# Thresholds of the verdict; each reason names the count that crossed one.
GAP_SHARE = 0.1  # labels missing from the note sequence, per label expected
UNMARKED_SHARE = 0.34  # footnotes no marker points to, per footnote
ORPHAN_MARKERS = 3  # raised numbers in running text matching no note: at least this many…
ORPHAN_SHARE = 0.2  # …and this share of the notes found
NOTE_LIKE_LINES = 3  # labelled small-type lines left in the body: at least this many…
NOTE_LIKE_SHARE = 0.2  # …and this share of the notes found
HEADING_SHARE = 0.45  # passages that are headings (body lines taken for headings)
MIN_PASSAGES = 20  # fewer passages say too little about their shape
PASSAGES_PER_PAGE = 30  # body lines stored one per passage
RUNNING_TEXT = ("paragraph", "list_item")


def _number(label: str) -> int | None:
    if label.isdigit():
        return int(label)
    return ROMANS.index(label) + 1 if label in ROMANS else None


def _place(label: str, letters: bool, after_letter: int) -> tuple[str, int] | None:
    """A label's sequence and its place in it: ("number", 3) for 3 or iii; where the document
    letters its notes, ("letter", 3) for c. A letter that reads as a Roman number (i, v, x, ii)
    is a letter when it goes on from the letter before ("i" after "h")."""
    if letters and LETTER.match(label):
        n = LETTERS.index(label[0]) + 1 + 26 * (len(label) - 1)
        if label_kind(label) == "letter" or 0 < after_letter < n:
            return "letter", n
    n = _number(label)
    return ("number", n) if n is not None else None


def _label(stream: str, n: int, roman: bool) -> str:
    """The n-th label (1-based) of a sequence: 3, iii or c (a … z, then aa, bb)."""
    if stream == "letter":
        return LETTERS[(n - 1) % 26] * ((n - 1) // 26 + 1)
    return ROMANS[n - 1] if roman else str(n)


def _walk(labels: list[str], letters: bool = False, pages: list | None = None):
    """For each countable label read in order: (its page, its sequence, the labels skipped
    before it, a repeat?). Numbers (and Roman numbers) and letters count apart, each may
    restart at its first label (per chapter, per table, per page); letters that restart on
    each page may restart on a new page past a missed a (the page's first notes skipped,
    not a repeat)."""
    prev = {"number": 0, "letter": 0}
    last_page = None
    for i, lab in enumerate(labels):
        page = pages[i] if pages else None
        placed = _place(lab, letters, prev["letter"])
        if placed is None:
            continue
        stream, n = placed
        p = prev[stream]
        new_page = page is not None and last_page is not None and page != last_page
        if n == p:
            yield page, stream, [], True
        elif n > p:
            yield page, stream, [_label(stream, k, not lab.isdigit()) for k in range(p + 1, n)], False
        elif n == 1:
            yield page, stream, [], False
        elif stream == "letter" and new_page:
            yield page, stream, [_label(stream, k, False) for k in range(1, n)], False
        else:
            yield page, stream, [], True  # back to an earlier label without a restart
        prev[stream] = n
        last_page = page


def sequence_faults(labels: list[str], letters: bool = False, pages: list | None = None
                    ) -> tuple[int, int]:
    """(gaps, duplicates) in a run of note labels read in order. A sequence may restart
    at 1 (per chapter, per page), or at a where the notes are lettered (`letters`; with
    `pages`, the notes' pages, a letter sequence may restart on a new page); a label equal
    to the one before is a duplicate."""
    walked = list(_walk(labels, letters, pages))
    return sum(len(w[2]) for w in walked), sum(w[3] for w in walked)


def missing_labels(labels: list[str], letters: bool = False, pages: list | None = None) -> set[str]:
    """The labels skipped in a run of note labels read in order (1, 2, 4: {"3"}; lettered,
    a, b, d: {"c"}), the gaps :func:`sequence_faults` counts."""
    return {lab for w in _walk(labels, letters, pages) for lab in w[2]}


@dataclass
class BodyGlyphs:
    """What the body text still holds that looks like note apparatus."""

    # (label, block kind, after a word: a marker's place, not a label's at a line start,
    # page; None where unknown)
    raised: list[tuple] = field(default_factory=list)
    note_like: list[str] = field(default_factory=list)  # labels of note-like body lines


def unlinked_raised(lines_by_kind: list[tuple[str, list[Line]]], linked: set[int]
                    ) -> list[tuple[str, str, bool]]:
    """Raised label-like words of the body that no marker link took."""
    out = []
    for kind, lines in lines_by_kind:
        for ln in lines:
            for i, w in enumerate(ln.words):
                if w.raised and id(w) not in linked:
                    out.extend((lab, kind, i > 0, ln.page) for lab in marker_labels(w)
                               if label_kind(lab) != "symbol")
    return out


def note_like_lines(lines: list[Line], heights: dict[int, float], body_size: float,
                    small: float) -> list[str]:
    """Labels of body lines that look like notes left in the text: set small, starting with
    a number label, in the lower half of the page."""
    numbers = {str(n) for n in range(1, 1000)}
    out = []
    for ln in lines:
        if ln.size > body_size * small or len(ln.words) < 3 or ln.top < 0.5 * heights[ln.page]:
            continue
        start = note_start(ln, numbers)
        if start:
            out.append(start[0])
    return out


def _lettered(labels: set[str], raised: list[tuple]) -> bool:
    """Does the document letter its notes? Its notes' labels say so, or raised letters after
    words, a and b among them (found or not, they are its markers)."""
    if any(label_kind(lab) == "letter" for lab in labels):
        return True
    after = [r[0] for r in raised if r[2] and label_kind(r[0]) == "letter"]
    return len(after) >= MIN_LETTER_MARKERS and {"a", "b"} <= set(after)


def check_document(doc: Document, body: BodyGlyphs) -> ExtractionCheck:
    foot = [n for n in doc.footnotes if n.kind != "author_note"]
    c = ExtractionCheck(notes_found=len(doc.footnotes))
    labels = {n.label for n in doc.footnotes}
    lettered = _lettered(labels, body.raised)
    # each kind's labels in order, with the footnotes' pages (lettered footnotes may start
    # again at a on each page; endnotes count through)
    runs = [([n.label for n in foot if n.kind == kind],
             [n.page for n in foot if n.kind == kind] if kind == "footnote" else None)
            for kind in ("footnote", "endnote")]
    for run, pages in runs:
        gaps, dups = sequence_faults(run, lettered, pages)
        c.label_gaps += gaps
        c.label_duplicates += dups
    pointed = {m.note for m in doc.markers if m.note is not None}
    c.notes_without_marker = sum(doc.footnotes.index(n) not in pointed for n in foot) if foot else 0
    if not lettered:
        # raised single letters in a document whose notes are not lettered: a figure's
        # labels, a unit, not markers
        body = BodyGlyphs([r for r in body.raised if label_kind(r[0]) != "letter"], body.note_like)
    # a footnote label used on several pages (numbering afresh on each page) answers a
    # marker only from the marker's page or the next
    pages = {}
    for n in doc.footnotes:
        pages.setdefault(n.label, set()).add(n.page if n.kind != "endnote" else None)
    orphans = [lab for lab, kind, after_word, *page in body.raised
               if kind in RUNNING_TEXT and after_word and (lab not in labels or (
                   page and page[0] is not None and len(pages[lab]) > 1 and None not in pages[lab]
                   and not pages[lab] & {page[0], page[0] + 1}))]
    c.markers_without_note = len(orphans) + sum(m.note is None for m in doc.markers)
    # a label the note sequence skips while the text cites it: that note was read into its
    # neighbour (a wrapped URL's last digit taken for the next label), a collapse one gap shows
    in_text = {(lab, page[0] if page else None) for lab, kind, after_word, *page in body.raised
               if kind in RUNNING_TEXT and after_word} \
        | {(m.label, m.page) for m in doc.markers if m.note is None}
    in_text_labels = {lab for lab, _ in in_text}
    # a letter used again on every page is cited only by a marker on its note's page (or
    # the page before, where the note was moved on)
    cited = {lab for run, pages in runs for page, stream, skipped, _ in _walk(run, lettered, pages)
             for lab in skipped
             if (lab in in_text_labels if stream == "number" or page is None
                 else {(lab, page), (lab, page - 1)} & in_text)}
    c.unlinked_raised = len(body.raised)
    c.note_like_lines = sum(lab not in labels for lab in body.note_like)
    # no notes at all, yet a raised number in the text and a small line starting with it
    c.unread_pairs = len(set(orphans) & set(body.note_like)) if not foot else 0
    passages = len(doc.passages)
    c.heading_share = sum(p.kind == "heading" for p in doc.passages) / passages if passages else 0.0
    c.passages_per_page = passages / doc.page_count if doc.page_count else 0.0
    c.reasons = _reasons(c, len(foot), passages, cited)
    c.verdict = "suspect" if c.reasons else "ok"
    return c


def _order(label: str) -> tuple:
    """Numbers in their order, then letters a … z, aa …"""
    n = _number(label)
    return (n is None, n or 0, len(label), label)


def _reasons(c: ExtractionCheck, foot: int, passages: int, cited: set[str] = frozenset()
             ) -> list[str]:
    out = []
    expected = foot + c.label_gaps
    if c.label_gaps >= 2 and c.label_gaps > GAP_SHARE * expected:
        out.append(f"{c.label_gaps} labels missing from the note sequence")
    elif cited:
        out.append(f"note{'s' if len(cited) > 1 else ''} {', '.join(sorted(cited, key=_order))} "
                   "cited in the text but missing from the note sequence")
    if c.label_duplicates >= 2 and c.label_duplicates > GAP_SHARE * max(foot, 1):
        out.append(f"{c.label_duplicates} note labels repeated out of sequence")
    if foot >= 3 and c.notes_without_marker > UNMARKED_SHARE * foot:
        out.append(f"{c.notes_without_marker} of {foot} notes have no marker in the text")
    if c.markers_without_note >= ORPHAN_MARKERS and c.markers_without_note > ORPHAN_SHARE * foot:
        out.append(f"{c.markers_without_note} raised numbers in the text match no note"
                   + (" (no notes found)" if not foot else ""))
    if c.unread_pairs and not out:
        out.append(f"no notes found, yet {c.unread_pairs} raised numbers in the text have "
                   "a small-type line starting with the same number")
    if c.note_like_lines >= NOTE_LIKE_LINES and c.note_like_lines > NOTE_LIKE_SHARE * foot:
        out.append(f"{c.note_like_lines} numbered small-type lines were left in the body text")
    if passages >= MIN_PASSAGES and c.heading_share > HEADING_SHARE:
        out.append(f"{round(100 * c.heading_share)}% of the passages are headings")
    if c.passages_per_page > PASSAGES_PER_PAGE:
        out.append(f"{c.passages_per_page:.0f} passages per page (body lines stored one by one?)")
    return out


__all__ = ["BodyGlyphs", "ExtractionCheck", "check_document", "missing_labels", "sequence_faults",
           "unlinked_raised", "note_like_lines"]
