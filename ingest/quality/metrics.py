"""One function per measure of the scoring (the package docstring gives the rules)."""

from __future__ import annotations

import re
from collections import Counter

from .gold import GoldMarker, GoldNote
from .normalize import normalize, similarity
from .predicted import Predicted, PredNote, PredRef

# The corpus README fixes these numbers (scores must stay comparable across runs and tools):
LEAK_MIN_LETTERS = 90  # note leak: only notes this long (normalized letters) are searched
LEAK_START, LEAK_END = 5, 85  # note leak: the slice of the note searched in the passages
LEAK_TAIL = 30  # a note's last letters: found in the passages too when the note leaked whole
WINDOW = 30  # body cover and reading order: letters per window
BODY_WINDOWS = 5  # body cover: evenly spaced windows per paragraph
BODY_MIN_FOUND = 3  # body cover: windows that must be found
ORDER_MIN_LETTERS = 40  # reading order: shorter blocks are not placed
# Furniture fragments shorter than this (page numbers, "Syllabus", "IN FOCUS") occur in
# ordinary prose too, so they only count when they make up a whole passage.
FURNITURE_MIN_SUBSTRING = 20


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float | None, float | None, float]:
    """Precision, recall, F1; P (R) is None without predictions (gold), F1 is 1.0 if both empty."""
    precision = tp / n_pred if n_pred else None
    recall = tp / n_gold if n_gold else None
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 1.0
    return precision, recall, f1


def match_notes(
    gold: list[GoldNote], pred: list[PredNote]
) -> list[tuple[GoldNote, PredNote | None, float]]:
    """Pair each gold note with at most one unused predicted note: (gold, pred, similarity)."""
    unused = list(pred)
    pairs = []
    for g in gold:
        g_norm = normalize(g.text)
        candidates = [p for p in unused
                      if p.label == g.label and (g.page is None or p.page == g.page)]
        scored = [(similarity(g_norm, normalize(p.text)), p) for p in candidates]
        if not scored:
            pairs.append((g, None, 0.0))
            continue
        # max() keeps the first of equal scores: the earlier note in reading order.
        sim, best = max(scored, key=lambda s: s[0])
        unused.remove(best)
        pairs.append((g, best, sim))
    return pairs


def linked_refs(pred: Predicted) -> list[PredRef]:
    """Refs linked to a note carrying their own label (a link elsewhere does not count)."""
    label_of = {n.id: n.label for n in pred.notes}
    return [r for r in pred.refs
            if r.footnote_id is not None and label_of.get(r.footnote_id) == r.label]


def marker_counts(gold: list[GoldMarker], pred: Predicted) -> tuple[int, int, int]:
    """(matched, predicted, gold) for the (label, page) multisets."""
    gold_bag = Counter((m.label, m.page) for m in gold)
    pred_bag = Counter((r.label, r.page) for r in linked_refs(pred))
    return sum((gold_bag & pred_bag).values()), sum(pred_bag.values()), sum(gold_bag.values())


def marker_cover(gold: list[GoldNote], pred: Predicted) -> float | None:
    notes = {n.id: n for n in pred.notes}
    targets = {(notes[r.footnote_id].label, notes[r.footnote_id].page) for r in linked_refs(pred)}
    covered = [
        g for g in gold
        if any(label == g.label and (g.page is None or page == g.page) for label, page in targets)
    ]
    return len(covered) / len(gold) if gold else None


def note_leak(
    gold: list[GoldNote], haystack: str, body: str = "", extracted: dict[str, str] | None = None
) -> tuple[float | None, list[str]]:
    """(share of long gold notes found in the passages, labels of the leaked notes).

    ``body`` is the gold's own normalized body text, where it has one (CRS). A note whose
    letters 5-85 occur there is left out: the body really repeats it (crs_R46991.32 cites
    act names and a URL title word for word in the body and in notes 19, 24 and 128), so
    finding it in the passages is no leak.
    ``extracted`` maps a label to the normalized text of the document's own notes with that
    label: where that note holds the letters and the passages do not also hold the note's
    last ``LEAK_TAIL`` letters, the passages quote the note's start, they did not swallow it
    (a memo's body names the memorandum its note cites, word for word).
    """
    eligible = [(g, normalize(g.text)) for g in gold]
    eligible = [(g, t) for g, t in eligible if len(t) >= LEAK_MIN_LETTERS]
    if body:
        eligible = [(g, t) for g, t in eligible if t[LEAK_START:LEAK_END] not in body]
    extracted = extracted or {}
    leaked = [g.label for g, t in eligible if t[LEAK_START:LEAK_END] in haystack
              and (t[LEAK_START:LEAK_END] not in extracted.get(g.label, "")
                   or t[-LEAK_TAIL:] in haystack)]
    return (len(leaked) / len(eligible) if eligible else None), leaked


_QUOTED = re.compile(r'"([^"]+)"')
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")


def _fragment_sources(entry: str) -> list[list[str]]:
    """The printed strings of one entry: per fragment, its variants as printed."""
    sources = _QUOTED.findall(entry) or [entry]
    return [[part, part.replace(" / ", " ")]
            for source in sources for part in _ELLIPSIS.split(source) if normalize(part)]


def furniture_fragments(entry: str) -> list[tuple[str, ...]]:
    """Normalized search strings for one gold furniture entry.

    Some entries are the printed text itself ("Kazakhstan's June Referendum: ..."), others
    describe it in prose and quote the printed text in straight double quotes
    ('Running header on pages 2-3: "Russia's Nuclear Weapons"'). Rules:

    * an entry with straight-quoted strings stands for those strings only (the prose around
      them is description); an entry without is searched as a whole;
    * an ellipsis ("..." or "…") marks omitted text: the parts around it are separate fragments;
    * " / " is a line break in some entries (CRS masthead) and printed text in others (Federal
      Register running head), so each fragment has two variants, with and without the slash.

    Returns one tuple of alternative variants per fragment.
    """
    return [tuple(sorted({normalize(v) for v in variants})) for variants in _fragment_sources(entry)]


def furniture_leaked(entry: str, passages: list[tuple[str | None, str]]) -> bool:
    """Whether any fragment of ``entry`` leaked into ``passages`` ((kind, text)).

    A fragment of 20+ letters leaks when it starts or ends a passage (any case), or occurs
    inside one as printed (capitals kept: a running head glued into a paragraph keeps its
    print, while the same words in prose - "Russia's nuclear weapons" under the running head
    "Russia's Nuclear Weapons" - are not furniture); a shorter one only when it is a passage's
    whole text (any case). One occurrence that is a whole ``heading`` passage is tolerated:
    running heads often repeat the title or a section heading (the report replicas print the
    title as title and as running head), and that heading is body text. Passages are searched
    one by one so that the end of one and the start of the next cannot form a false match.
    """
    texts = [(kind, normalize(text), normalize(text, fold_case=False)) for kind, text in passages]
    for variants in _fragment_sources(entry):
        for raw in variants:
            folded, printed = normalize(raw), normalize(raw, fold_case=False)
            whole = sum(t == folded for _, t, _ in texts)
            tolerated = any(kind == "heading" and t == folded for kind, t, _ in texts)
            if len(folded) < FURNITURE_MIN_SUBSTRING:
                found = whole
            else:
                found = sum(max(p.count(printed), t.startswith(folded) or t.endswith(folded))
                            for _, t, p in texts)
            if found > int(tolerated):
                return True
    return False


def _windows(text: str, count: int = BODY_WINDOWS, size: int = WINDOW) -> list[str]:
    """``count`` evenly spaced windows from start to end (the whole text if shorter)."""
    if len(text) <= size:
        return [text]
    span = len(text) - size
    return [text[round(i * span / (count - 1)) :][:size] for i in range(count)]


def paragraph_found(paragraph: str, haystack: str) -> bool:
    """At least 3 of 5 evenly spaced 30-letter windows occur (a paragraph of 30 letters or
    fewer must occur whole)."""
    text = normalize(paragraph)
    windows = _windows(text)
    if len(windows) == 1:
        return windows[0] in haystack
    return sum(w in haystack for w in windows) >= BODY_MIN_FOUND


def body_cover(paragraphs: list[str], haystack: str) -> float | None:
    paragraphs = [p for p in paragraphs if normalize(p)]
    if not paragraphs:
        return None
    return sum(paragraph_found(p, haystack) for p in paragraphs) / len(paragraphs)


def pullquote_faults(quote: str, paragraph: str, body: list[str]) -> tuple[bool, bool]:
    """(read twice, paragraph split) of a pull quote against the normalized body passages
    (those not marked as pull quotes): its sentence occurs more than once in them, or no
    one passage holds the paragraph it stands in whole (the quote cut it in two, or was
    read into it)."""
    paragraph = normalize(paragraph)
    return "".join(body).count(normalize(quote)) > 1, not any(paragraph in p for p in body)


def sidebar_apart(heading: str, text: str, passages: list[str], body: str = "") -> bool:
    """Is a sidebar read as passages of its own: every normalized passage that holds a piece
    of its text (a 30-letter shingle, every 10 letters, that the normalized gold `body` does
    not also hold: the prose shares phrases) is part of the box (its heading and text), and
    those passages hold its text whole, in order (not interleaved with the body)."""
    box, whole = normalize(text), normalize(heading) + normalize(text)
    shingles = [box[i:i + WINDOW] for i in range(0, max(1, len(box) - WINDOW + 1), 10)]
    shingles = [w for w in shingles if w not in body]
    own = [p for p in passages if p and any(w in p for w in shingles)]
    return bool(own) and all(p in whole for p in own) and box in "".join(own)


def reading_order_agreement(passage_texts: list[str], block_texts: list[str]) -> float:
    """Share of consecutive located gold blocks that the passages read in the same order.

    Both sides are normalized; each gold block of 40+ letters is located in the concatenated
    passages by the 30-letter window from its middle. Blocks that are shorter, not found, or
    whose window occurs more than once (a quotation repeated in the text: its place is
    ambiguous) are skipped. Of the located blocks, taken in gold order, each consecutive pair
    counts as agreeing when the second is found after the first. Returns 0.0 when fewer than
    two blocks are located (no evidence of agreement).
    """
    haystack = "".join(normalize(t) for t in passage_texts)
    positions = []
    for block in block_texts:
        text = normalize(block)
        if len(text) < ORDER_MIN_LETTERS:
            continue
        middle = (len(text) - WINDOW) // 2
        window = text[middle : middle + WINDOW]
        position = haystack.find(window)
        if position >= 0 and haystack.find(window, position + 1) < 0:
            positions.append(position)
    pairs = list(zip(positions, positions[1:]))
    return sum(b > a for a, b in pairs) / len(pairs) if pairs else 0.0
