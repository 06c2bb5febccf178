"""Verdict rules: what one check of a URL says about the cited source.

* ``unreachable`` no usable answer: DNS, refused, TLS, timeout, redirect loop, or a status
  that says "not now / not you" (401, 403, 407, 408, 429, 5xx) after the retries
* ``dead``        404, 410 and the other 4xx
* ``soft-404``    2xx, but the page's title or heading (or a short page's text) says "not
  found", or a deep link lands on a site's home page
* ``moved``       2xx on another site (host not equal to, nor a subdomain of, the cited one)
* ``redirected``  2xx on the same site at another address
* ``ok``          2xx at the cited address (http->https, ``www.`` and trailing-slash
  redirects count as the same address)
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import urlsplit

from citetrace.ingest.urls import normalize_url

NOT_NOW = {401, 403, 407, 408, 429}

# "Not found" in a title or heading. Bare "404" is not enough: titles cite "Section 404".
_NOT_FOUND = re.compile(
    r"not\s+found|\b(?:error|http)\s*40[14]\b|\b40[14]\b\s*(?:[-–—:|]\s*)?(?:error|page)"
    r"|page\s+(?:does\s+not|doesn['’]t)\s+exist|no\s+longer\s+(?:available|exists?)"
    r"|(?:cannot|can['’]t|could\s+not|couldn['’]t)\s+be\s+found"
    r"|page\s+(?:is\s+)?(?:missing|unavailable)"
    r"|has\s+been\s+(?:removed|deleted)",
    re.I,
)
# Sentences that say so in the body of a short page (a real article mentioning them is long).
_BODY_NOT_FOUND = re.compile(
    r"page\s+not\s+found|page\s+you\s+(?:are|were|'re)\s+looking\s+for|page\s+you\s+requested"
    r"|(?:could|can)\s*not\s+be\s+found|no\s+longer\s+available|does\s+not\s+exist",
    re.I,
)
SHORT_PAGE = 3000  # characters of visible text
# Hostile pages are as long as max_body (256 KiB): every scan below is linear (str.find and
# regexes that cannot backtrack over the body), and a title or heading is cut before cleaning.
TITLE_MAX = 300  # characters of a title kept
ELEMENT_SCAN = 4096  # raw characters of a <title> / <h1> looked at
_TAG_STRIP = re.compile(r"<[^<>]*>")  # a '<' never starts a match that spans another '<'
_SKIPPED = re.compile(r"<(script|style|noscript)\b", re.I)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", htmlmod.unescape(_TAG_STRIP.sub(" ", s))).strip()


def _element(body: str, tag: str) -> str:
    """The raw content of the first ``<tag ...>...</tag>``, at most ELEMENT_SCAN characters."""
    m = re.search(rf"<{tag}(?=[\s/>])", body, re.I)
    if not m:
        return ""
    opened = body.find(">", m.end())
    if opened < 0:
        return ""
    close = re.compile(rf"</{tag}\s*>", re.I).search(body, opened + 1)
    if not close:
        return ""
    return body[opened + 1:min(close.start(), opened + 1 + ELEMENT_SCAN)]


def page_title(body: str | None) -> str | None:
    if not body:
        return None
    return _clean(_element(body, "title"))[:TITLE_MAX] or None


def _heading(body: str) -> str:
    return _clean(_element(body, "h1"))


def _visible_text(body: str) -> str:
    """The text outside scripts and styles (an unclosed one runs to the end, as in browsers)."""
    kept, pos = [], 0
    while m := _SKIPPED.search(body, pos):
        kept.append(body[pos:m.start()])
        close = re.compile(rf"</{m.group(1)}\s*>", re.I).search(body, m.end())
        pos = close.end() if close else len(body)
    kept.append(body[pos:])
    return _clean(" ".join(kept))


def says_not_found(title: str | None, body: str | None) -> bool:
    if title and _NOT_FOUND.search(title):
        return True
    if not body:
        return False
    if _NOT_FOUND.search(_heading(body)):
        return True
    text = _visible_text(body)
    return len(text) <= SHORT_PAGE and bool(_BODY_NOT_FOUND.search(text))


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(a: str, b: str) -> bool:
    """Same host, or one a subdomain of the other (example.gov / data.example.gov)."""
    ha, hb = _host(a), _host(b)
    return ha == hb or ha.endswith("." + hb) or hb.endswith("." + ha)


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def verdict_for(url: str, status: int | None, final_url: str | None, error_kind: str | None,
                title: str | None = None, body: str | None = None) -> str:
    """The verdict of one check (see the module docstring for the rules)."""
    if status is None or error_kind in ("redirects", "dns", "timeout", "tls", "refused", "invalid"):
        return "unreachable"
    if status >= 500 or status in NOT_NOW:
        return "unreachable"
    if status >= 400:
        return "dead"
    final = final_url or url
    if says_not_found(title, body) or (_is_root(final) and not _is_root(url)):
        return "soft-404"
    if not same_site(url, final):
        return "moved"
    if normalize_url(final) != normalize_url(url):
        return "redirected"
    return "ok"
