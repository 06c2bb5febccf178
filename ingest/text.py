"""Text hygiene: joining lines, undoing line-end hyphenation, keeping URLs whole."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from citetrace.ingest.stages import timed
from citetrace.ingest.tolerances import CAPITALS

URL_START = re.compile(r"(https?://|www\.)", re.IGNORECASE)
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
URL_TAIL = "/-_=&?#%~"  # a URL cut after these goes on; a final "." may end the sentence
SENTENCE_END = re.compile(r"[.!?:][\"”’')\]]*$")
# An English month, spelled out or abbreviated ("Sept", "Dec"; a following "." is the
# caller's): citation dates and a cover's date line.
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)


@timed("passages/markers")
def vocabulary(texts) -> Counter:
    """Lower-cased words (hyphenated compounds kept whole) seen inside lines."""
    vocab: Counter = Counter()
    for t in texts:
        vocab.update(m.group(0).lower() for m in TOKEN.finditer(t))
    return vocab


def in_url(text: str) -> bool:
    """Does `text` end inside a URL?"""
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    if re.search(r"https?:/{0,2}$", last):
        return True  # broken right after the scheme: "(https:" / "//example.org"
    return bool(URL_START.search(last)) and not last.endswith((")", "]", ">"))


def join_break(left: str, right: str, vocab: Counter) -> str:
    """What goes between two lines: '' (glue), ' ' (space) or remove the hyphen ('-')."""
    if not left or not right:
        return " "
    if in_url(left):
        # a URL rarely breaks after ";" or ","; a list of citations often goes on there
        if right[0] in "([<" or (left.endswith((";", ",")) and right[0].isalpha()) or (right[0].isupper() and not left.endswith(tuple(URL_TAIL))
                                  and not re.search(r"[/._=&?#%\d-]", right.split()[0])):
            return " "
        return ""
    if left.endswith("-") and len(left) > 1 and left[-2].isalnum():
        if not (left[-2].isalpha() and right[0].islower()):
            return ""  # Asia-|Caucasus, 2015-|2018: the hyphen is real
        head = TOKEN.findall(left[:-1])
        tail = TOKEN.findall(right)
        if not head or not tail:
            return ""
        a, b = head[-1].lower(), tail[0].lower()
        return "" if _real_compound(a, b, vocab) else "-"
    return " "


def _real_compound(a: str, b: str, vocab: Counter) -> bool:
    """Was "a-|b" a compound broken at its own hyphen (keep it) rather than a word
    hyphenated by the typesetter? The document's own usage decides first, then the
    lexicon: a known joined word, or two known words that are no word together."""
    if vocab[f"{a}-{b}"] != vocab[a + b]:
        return vocab[f"{a}-{b}"] > vocab[a + b]
    if zipf_frequency(a + b, "en") >= 2.0:
        return False
    return zipf_frequency(a, "en") >= 3.0 and zipf_frequency(b, "en") >= 3.0


@dataclass
class TextBuilder:
    """Accumulates lines of words into clean text, recording where markers stood."""

    vocab: Counter
    text: str = ""
    markers: list[tuple[int, object]] = field(default_factory=list)  # (offset, payload)

    def add(self, word: str, spaced: bool, line_start: bool) -> None:
        """Append a word; at a line start decide how the lines join."""
        if line_start and self.text:
            how = join_break(self.text, word, self.vocab)
            if how == "-":
                self.text = self.text[:-1]
            elif how == " ":
                self.text += " "
        elif spaced and self.text and not self.text.endswith(" "):
            self.text += " "
        self.text += word

    def mark(self, payload) -> None:
        self.markers.append((len(self.text.rstrip()), payload))

    def finish(self) -> str:
        stripped = self.text.rstrip()
        self.markers = [(min(o, len(stripped)), p) for o, p in self.markers]
        return stripped


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text.rstrip()))


def in_capitals(text: str, share: float = CAPITALS) -> bool:
    """Are at least `share` of the text's letters capitals (a heading, a caption's party)?"""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= share * len(letters)

