"""The tiny markup of :mod:`ingest.sample.content`: parsed once, used by both the typesetter
and the gold writer, so the PDF and its gold cannot drift apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER_RE = re.compile(r"\[\^([\w-]+)\]")
NOTE_REF_RE = re.compile(r"\{note:([\w-]+)\}")
URL_RE = re.compile(r"https?://\S+")
# Trailing characters that end the sentence around a URL rather than belong to it.
URL_TRAILING = ".,;:)”’"
# A sentence ends at . ? or ! (optionally followed by closing quotes or a bracket) when white
# space and then an upper-case letter, a digit or an opening quote follow.  The body avoids
# abbreviations with full stops, so this is exact for our own prose.
SENTENCE_END_RE = re.compile(r"[.?!][”’)]*(?=\s+[A-Z0-9“‘(])")


@dataclass(frozen=True)
class Marker:
    key: str  # note key
    offset: int  # position in the clean text where the marker stands


@dataclass(frozen=True)
class Parsed:
    text: str  # clean text: no markers, no italic asterisks
    italic: tuple[bool, ...]  # per character of `text`: toggled away from the base style
    markers: tuple[Marker, ...]


def parse(markup: str) -> Parsed:
    """Split markup into clean text, italic flags and marker positions."""
    chars: list[str] = []
    flags: list[bool] = []
    markers: list[Marker] = []
    italic = False
    pos = 0
    while pos < len(markup):
        match = MARKER_RE.match(markup, pos)
        if match:
            markers.append(Marker(match.group(1), len(chars)))
            pos = match.end()
            continue
        char = markup[pos]
        if char == "*":
            italic = not italic
        else:
            chars.append(char)
            flags.append(italic)
        pos += 1
    return Parsed("".join(chars), tuple(flags), tuple(markers))


def clean(markup: str) -> str:
    return parse(markup).text


def note_order(body_markups: list[str]) -> list[str]:
    """Note keys in order of first marker: that order gives the printed numbers."""
    keys: list[str] = []
    for markup in body_markups:
        for match in MARKER_RE.finditer(markup):
            if match.group(1) not in keys:
                keys.append(match.group(1))
    return keys


def resolve_note_refs(note_markup: str, labels: dict[str, str]) -> str:
    """Replace ``{note:key}`` cross-references by the printed number of that note."""
    return NOTE_REF_RE.sub(lambda m: labels[m.group(1)], note_markup)


def urls(text: str) -> list[str]:
    return [m.group(0).rstrip(URL_TRAILING) for m in URL_RE.finditer(text)]


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every URL in `text`, trailing punctuation excluded."""
    spans = []
    for m in URL_RE.finditer(text):
        spans.append((m.start(), m.start() + len(m.group(0).rstrip(URL_TRAILING))))
    return spans


def sentence_at(text: str, offset: int) -> str:
    """The sentence that contains the character just before `offset` (a marker closes it)."""
    start = 0
    for m in SENTENCE_END_RE.finditer(text):
        if m.end() >= offset:
            return text[start : m.end()].strip()
        start = m.end()
    return text[start:].strip()


def words_before(text: str, offset: int, count: int = 6) -> str:
    return " ".join(text[:offset].split()[-count:])
