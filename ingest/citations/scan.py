"""Small scans of a note's text shared by the steps: brackets, abbreviations, prose, masking."""

from __future__ import annotations


from ..urls import find_urls
from .patterns import (
    ABBREVIATIONS,
    ACCESSED_RE,
    CAPS_TOKEN_RE,
    EXPLANATORY_PAREN_RE,
    LAST_TOKEN_RE,
    LEADING_CONJ_RE,
    NEXT_CAPS_RE,
    PROSE_MIN_SHARE,
    PROSE_MIN_WORD,
    PROSE_MIN_WORDS,
    QUOTE_RE,
    WORD_RE,
)


def is_abbreviation(text: str, pos: int) -> bool:
    """Is the period at ``pos`` part of an abbreviation, initial or domain ("Akorda.kz.")?"""
    if text[pos] != ".":
        return False
    word = LAST_TOKEN_RE.search(text[:pos])
    if not word:
        return False
    token = word.group(1).lstrip("(“\"‘'[")
    if len(token) == 1 or "." in token:
        return True
    # Small-caps journal names: "109 VA. L. REV. 233", "35 ECOLOGY L.Q. 1".
    following = NEXT_CAPS_RE.match(text[pos + 1 :])
    if CAPS_TOKEN_RE.fullmatch(token) and following and following.group(1).rstrip(".").isupper():
        return True
    return token.lower() in ABBREVIATIONS


def enclosing_paren(text: str, lo: int, pos: int) -> int | None:
    """Position of the unclosed '(' before ``pos`` (not before ``lo``), if any."""
    depth = 0
    for i in range(pos - 1, lo - 1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            if depth == 0:
                return i
            depth -= 1
    return None


def trim(seg: str) -> str:
    seg = seg.strip()
    seg = LEADING_CONJ_RE.sub("", seg)
    return seg.strip(" ;,")


def prose(text: str) -> bool:
    """Running prose (many lowercase content words), as opposed to a title-case reference."""
    body = QUOTE_RE.sub(" ", text)
    words = WORD_RE.findall(body)
    lower = [w for w in words if w[0].islower() and len(w) >= PROSE_MIN_WORD]
    return len(lower) >= PROSE_MIN_WORDS and len(lower) >= PROSE_MIN_SHARE * len(words)


def inside_parens(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) > text.count(")", 0, pos)


def without_urls(text: str, urls=None) -> str:
    """``text`` with its URLs blanked (``urls``: :func:`find_urls` of it, if known)."""
    for start, end, _ in reversed(find_urls(text) if urls is None else urls):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def mask_explanatory(text: str) -> str:
    """Blank out explanatory parentheticals ("(quoting X, May 26, 2023)", "(noting ...)"):
    their dates and pages belong to another work; so does an access date."""
    text = ACCESSED_RE.sub(lambda m: " " * len(m.group()), text)
    out, i = text, 0
    for m in EXPLANATORY_PAREN_RE.finditer(text):
        if m.start() < i:
            continue
        end = balanced_end(text, m.start())
        out = out[: m.start()] + " " * (end + 1 - m.start()) + out[end + 1 :]
        i = end
    return out[: len(text)]


def balanced_end(text: str, open_pos: int) -> int:
    """Index of the bracket closing the one at ``open_pos`` (end of text if none)."""
    pairs = {"(": ")", "[": "]"}
    opener, closer = text[open_pos], pairs[text[open_pos]]
    depth = 0
    for i in range(open_pos, len(text)):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                return i
    return len(text)
