"""Is there usable text in a PDF at all? Checks run by ``extract()`` right after layout.

A scan without a text layer has (next to) no characters but images; a PDF whose fonts lack a
Unicode mapping (no ``ToUnicode``, custom encodings) yields ``(cid:NN)`` placeholders,
private-use or control characters instead of letters. Both are refused with the reason, so no
garbage reaches the database.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

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


def text_problem(pdf_pages, layouts=None) -> str | None:
    """Why the text of these (pdfplumber) pages is unusable, or None when it is fine."""
    total = bad = scans = 0
    fonts: Counter = Counter()
    for page in pdf_pages:
        chars = 0
        for c in page.chars:
            text = c.get("text") or ""
            if not text or text.isspace():
                continue
            total += 1
            if unmapped(text):
                bad += 1
                fonts[c.get("fontname") or "?"] += 1
            else:
                chars += 1
        scans += bool(getattr(page, "images", None)) and chars < SCAN_CHARS_PER_PAGE
    pages = len(pdf_pages)
    if scans and scans * 2 > pages:
        return (f"no text layer: run OCR first ({scans} of {pages} pages are images "
                f"without text)")
    if total and bad > GARBLED_SHARE * total:
        font = fonts.most_common(1)[0][0]
        return (f"text is garbled: {100 * bad // total}% of the characters have no Unicode "
                f"mapping (font {font} has no ToUnicode): run OCR first")
    return None


__all__ = ["text_problem", "unmapped"]
