"""Superior figures: note markers drawn as the body font's own superscript digits, and
bracketed markers set on the baseline ("…as Smith found.[3]").

Some layout programs (InDesign with OpenType 'sups') set a marker as a superior-figure glyph:
in the text layer it has the body size and sits on the body baseline, glued to the word
before it ("accurately.1"). Only its width tells it apart: narrower than the same digit of
the same font where it is set as a lining figure. Such a trailing run is split off as a
word of its own and marked raised, so it is read as a marker like any other.
"""

from __future__ import annotations

import re
from collections import defaultdict

from citetrace.ingest.lines import Word

from citetrace.ingest.tolerances import LINING_SAMPLES, SUPERIOR_WIDTH, WORD_LETTERS

_DIGIT = re.compile(r"\d")


def _ratio(g) -> float:
    return (g.x1 - g.x0) / g.size if g.size else 0.0


def lining_widths(words: list[Word]) -> dict[tuple[str, str], float]:
    """(font, digit) -> width/size of its lining form, where the document shows two forms."""
    seen: dict[tuple[str, str], list[float]] = defaultdict(list)
    for w in words:
        if not _DIGIT.search(w.text):
            continue
        for g in w.glyphs:
            if g.text.isdigit():
                seen[(g.font, g.text)].append(_ratio(g))
    out = {}
    for key, ratios in seen.items():
        wide = max(ratios)
        if sum(r > SUPERIOR_WIDTH * wide for r in ratios) >= LINING_SAMPLES:
            out[key] = wide
    return out


def split_superior(words: list[Word], lining: dict[tuple[str, str], float]) -> list[Word]:
    """The row's words with trailing superior-figure runs split off (raised)."""
    out = []
    for w in words:
        if not w.text[-1:].isdigit():
            out.append(w)
            continue
        gs = w.glyphs
        k = len(gs)
        while k > 0 and (gs[k - 1].text.isdigit() or (gs[k - 1].text == "," and k < len(gs))):
            k -= 1
        tail = [g for g in gs[k:] if g.text.isdigit()]
        if not tail or sum(g.text.isalpha() for g in gs[:k]) < WORD_LETTERS or not all(
                (g.font, g.text) in lining and _ratio(g) < SUPERIOR_WIDTH * lining[(g.font, g.text)]
                for g in tail):
            out.append(w)
            continue
        out.append(Word(gs[:k], w.space_before))
        out.append(Word(gs[k:], False, superior=True))
    return out


# a bracketed number glued to the end of a word, before any closing punctuation: "found.[3]",
# "found[3]." (a reference cited as "[3]" after a space is a word of its own: left alone)
_BRACKETED = re.compile(r"^(.*[^\W\d_][.,;:!?’”\"')]*)(\[\d{1,3}\])([.,;:!?’”\"']*)$")


def bracketed_markers(words: list[Word]) -> int:
    """How many words end with a glued bracketed number."""
    return sum(_BRACKETED.match(w.text) is not None for w in words)


def split_bracketed(words: list[Word]) -> list[Word]:
    """The row's words with each glued "[3]" split off as a raised word of its own (a marker
    set on the baseline in the body size, as some word processors' templates print them)."""
    out = []
    for w in words:
        m = _BRACKETED.match(w.text)
        if m is None or sum(g.text.isalpha() for g in w.glyphs) < WORD_LETTERS:
            out.append(w)
            continue
        a, b = len(m.group(1)), len(m.group(1)) + len(m.group(2))
        if len(w.glyphs) != len(w.text):  # a glyph of several characters: offsets unknown
            out.append(w)
            continue
        out.append(Word(w.glyphs[:a], w.space_before))
        out.append(Word(w.glyphs[a:b], False, superior=True))
        if b < len(w.glyphs):
            out.append(Word(w.glyphs[b:], False))
    return out
