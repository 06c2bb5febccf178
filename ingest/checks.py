"""Is there usable text in a PDF at all? Checks run by ``extract()`` right after layout.

A scan without a text layer has (next to) no characters but images; a PDF whose fonts lack a
Unicode mapping (no ``ToUnicode``, custom encodings) yields ``(cid:NN)`` placeholders,
private-use or control characters instead of letters. Both are refused with the reason, so no
garbage reaches the database.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from citetrace.ingest.stages import timed

# Refused when more than this share of the characters are unmapped glyphs.
GARBLED_SHARE = 0.3
# A scanned page: images and fewer characters than this (a stamp, a page number, a
# "scanned by" line). Refused when most pages are scans.
SCAN_CHARS_PER_PAGE = 40


def unmapped(text: str) -> bool:
    """A glyph the PDF gives no Unicode for: (cid:NN), private use, control, U+FFFD."""
    if text.startswith("(cid:"):
        return True
    if len(text) != 1 or text.isspace():
        return False
    return text == "\ufffd" or unicodedata.category(text) in ("Co", "Cc", "Cs", "Cn")


@dataclass
class TextCheck:
    """Counts gathered page by page, while each page is read once."""

    total: int = 0
    bad: int = 0
    scans: int = 0
    pages: int = 0
    fonts: Counter = field(default_factory=Counter)

    @timed("checks")
    def see_page(self, objects) -> None:
        """Count one page's chars and images (ingest.lines.PageObjects)."""
        chars = 0
        for c in objects.chars:
            text = c.get("text") or ""
            if not text or text.isspace():
                continue
            self.total += 1
            if unmapped(text):
                self.bad += 1
                self.fonts[c.get("fontname") or "?"] += 1
            else:
                chars += 1
        self.scans += bool(objects.images) and chars < SCAN_CHARS_PER_PAGE
        self.pages += 1

    def problem(self) -> str | None:
        """Why the text of the pages seen is unusable, or None when it is fine."""
        if self.scans and self.scans * 2 > self.pages:
            return (f"no text layer: run OCR first ({self.scans} of {self.pages} pages are "
                    f"images without text)")
        if self.total and self.bad > GARBLED_SHARE * self.total:
            font = self.fonts.most_common(1)[0][0]
            return (f"text is garbled: {100 * self.bad // self.total}% of the characters have "
                    f"no Unicode mapping (font {font} has no ToUnicode): run OCR first")
        return None


__all__ = ["TextCheck", "unmapped"]
