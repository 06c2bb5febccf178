"""Find URLs in note text and normalize them for comparison and dedup.

Kept apart from citations.py because the scorer, the store and the citation parser all need
the same idea of "the same URL".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A URL runs to the next white space or quote mark; quotes and angle brackets never occur
# unescaped in the URLs of our corpus, but they do close quoted titles right after a URL.
URL_RE = re.compile(r"""(?:https?://|www\.)[^\s<>"“”‘’]+""", re.IGNORECASE)
# A bare host in angle brackets, as MHRA prints a URL without its scheme: <opac.sbn.it>
BRACKETED_RE = re.compile(r"<((?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s<>]*)?)>", re.IGNORECASE)

# Sentence or list punctuation printed right after a URL ("..., https://x.gov/a.").
_TRAILING_PUNCT = ".,;:!?'’*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

GLYPH_TWIN_MIN = 8  # shorter URLs are too alike by chance to be called twins
GLYPH_TWIN_SHARE = 20  # at most one differing character per this many

PERMA_RE = re.compile(r"^https?://(?:www\.)?perma\.cc/", re.IGNORECASE)


def clean_url(raw: str) -> str:
    """Strip punctuation that belongs to the sentence, not to the URL.

    A closing bracket is kept only when the URL itself opened it ("wiki/Foo_(bar)").
    """
    url = raw
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCT:
            url = url[:-1]
        elif last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) of every URL printed in ``text``, trailing punctuation removed."""
    found = []
    for m in URL_RE.finditer(text):
        url = clean_url(m.group())
        if len(url) > len("www.x.y"):
            found.append((m.start(), m.start() + len(url), url))
    for m in BRACKETED_RE.finditer(text):
        if not any(a <= m.start(1) < b for a, b, _ in found):
            found.append((m.start(1), m.end(1), m.group(1)))
    return sorted(found)


def glyph_twin(printed: str, target: str) -> bool:
    """Is `printed` the link `target` with a few glyphs misread by the text layer ("="
    drawn from a symbol font and extracted as "p")? Same length, a few characters differ."""
    a, b = compare_form(printed), compare_form(target)
    if a == b or len(a) != len(b) or len(a) < GLYPH_TWIN_MIN:
        return False
    return sum(x != y for x, y in zip(a, b)) <= max(1, len(a) // GLYPH_TWIN_SHARE)


def extends(target: str, printed: str) -> bool:
    """Does the link `target` carry on a URL printed short (only "www.gov.uk" shown)?"""
    a, b = compare_form(printed), compare_form(target)
    return len(b) > len(a) and b.lower().startswith(a.lower()) and b[len(a)] in "/?#"


def is_archive(url: str) -> bool:
    """perma.cc links are archive copies of the URL printed before them."""
    return bool(PERMA_RE.match(url))


def normalize_url(url: str) -> str:
    """Dedup form: no scheme, lowercase host without ``www.``, no fragment, no trailing slash."""
    url = clean_url(url.strip())
    parts = urlsplit(url if "://" in url else "http://" + url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def compare_form(url: str) -> str:
    """Scoring form (corpus README): no scheme, ``www.``, trailing slash or punctuation.

    Unlike :func:`normalize_url` the fragment and the path case are kept.
    """
    url = re.sub(r"^https?://", "", clean_url(url.strip()), flags=re.IGNORECASE)
    url = re.sub(r"^www\.", "", url, flags=re.IGNORECASE)
    return url.rstrip("/").rstrip(_TRAILING_PUNCT)
