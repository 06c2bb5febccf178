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
from citetrace.ingest.notes import ROMANS, label_kind, marker_labels, note_start
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


def sequence_faults(labels: list[str]) -> tuple[int, int]:
    """(gaps, duplicates) in a run of note labels read in order. A sequence may restart
    at 1 (per chapter, per page); a label equal to the one before is a duplicate."""
    gaps = dups = 0
    prev = 0
    for lab in labels:
        n = _number(lab)
        if n is None:
            continue
        if n == prev:
            dups += 1
        elif n > prev:
            gaps += n - prev - 1
        elif n != 1:
            dups += 1  # back to an earlier label without a restart
        prev = n
    return gaps, dups


def missing_labels(labels: list[str]) -> set[str]:
    """The labels skipped in a run of note labels read in order (1, 2, 4: {"3"}), the gaps
    :func:`sequence_faults` counts."""
    out: set[str] = set()
    prev = 0
    for lab in labels:
        n = _number(lab)
        if n is None:
            continue
        out.update(str(k) if lab.isdigit() else ROMANS[k - 1] for k in range(prev + 1, n))
        prev = n
    return out


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
    for kind in ("footnote", "endnote"):
        gaps, dups = sequence_faults([n.label for n in foot if n.kind == kind])
        c.label_gaps += gaps
        c.label_duplicates += dups
    pointed = {m.note for m in doc.markers if m.note is not None}
    c.notes_without_marker = sum(doc.footnotes.index(n) not in pointed for n in foot) if foot else 0
    labels = {n.label for n in doc.footnotes}
    if not _lettered(labels, body.raised):
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
    skipped = set().union(*(missing_labels([n.label for n in foot if n.kind == kind])
                            for kind in ("footnote", "endnote")))
    cited = skipped & ({lab for lab, kind, after_word, *_ in body.raised
                        if kind in RUNNING_TEXT and after_word}
                       | {m.label for m in doc.markers if m.note is None})
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


def _reasons(c: ExtractionCheck, foot: int, passages: int, cited: set[str] = frozenset()
             ) -> list[str]:
    out = []
    expected = foot + c.label_gaps
    if c.label_gaps >= 2 and c.label_gaps > GAP_SHARE * expected:
        out.append(f"{c.label_gaps} labels missing from the note sequence")
    elif cited:
        out.append(f"note{'s' if len(cited) > 1 else ''} {', '.join(sorted(cited, key=_number))} "
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
