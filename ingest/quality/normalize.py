"""The README's compare forms: normalized text, normalized URLs, and their similarity."""

from __future__ import annotations

import difflib
import re
import unicodedata

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u0060"}
_QUOTES.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb"})
_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
           "\u2e3a\u2e3b\ufe58\ufe63\uff0d"}
_TRANSLATE = str.maketrans({**_QUOTES, **_DASHES})
_SPACE = re.compile(r"\s+")


def normalize(text: str | None, fold_case: bool = True) -> str:
    """README normalization: NFKC, straight quotes, plain dashes, lower case, no white space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _SPACE.sub("", text.lower() if fold_case else text)


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_WWW = re.compile(r"^www\.", re.IGNORECASE)
# Punctuation that ends a sentence or closes a bracket/quote around a printed URL.
_URL_TRAILING = "/.,;:!?)]}>'\"\u2019\u201d"


def normalize_url(url: str | None) -> str:
    """Compare form of a URL: no scheme, no ``www.``, no trailing slash or punctuation.

    Nothing else changes (case included): the README names exactly these differences.
    """
    if not url:
        return ""
    url = _SCHEME.sub("", url.strip())
    url = _WWW.sub("", url)
    return url.rstrip(_URL_TRAILING)


def similarity(a: str, b: str) -> float:
    """difflib ratio of two already normalized texts."""
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
