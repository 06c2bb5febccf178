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

# Sentence or list punctuation printed right after a URL ("..., https://x.gov/a.").
_TRAILING_PUNCT = ".,;:!?'’*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}

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
    return found


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
