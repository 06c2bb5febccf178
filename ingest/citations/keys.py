"""Source keys: what makes two citations cite the same source (DOI, URL, report, case, title)."""

from __future__ import annotations

import unicodedata

from ..model import Citation
from ..urls import normalize_url
from .patterns import (
    BARE_REPORT_RE,
    CRS_PRODUCT_RE,
    FIRST_AUTHOR_END_RE,
    GAO_REPORT_RE,
    PUNCTUATION_RE,
    REPORTER_RE,
)
from .scan import mask_explanatory


def report_number(text: str) -> str | None:
    for pattern in (CRS_PRODUCT_RE, GAO_REPORT_RE, BARE_REPORT_RE):
        m = pattern.search(text)
        if m:
            return m.group("num").replace("/", "-")
    return None


def source_key(cite: Citation) -> str | None:
    """Dedup key: DOI, else URL, else report number, else title + first author surname."""
    if cite.doi:
        return f"doi:{cite.doi.lower()}"
    if cite.url:
        return f"url:{normalize_url(cite.url)}"
    report = report_number(cite.text)
    if report:
        return f"report:{report}"
    case = case_cite(cite.text)
    if case and not case.endswith(" at"):
        return f"case:{case}"
    if cite.title:
        key = norm_text(cite.title)
        surname = _surname(cite.authors)
        return f"title:{key}|{surname}" if surname else f"title:{key}"
    return None


def case_cite(text: str) -> str | None:
    """'505 u.s. 1003' for the first reporter citation outside parentheticals ('... at' for a pin)."""
    m = REPORTER_RE.search(mask_explanatory(text))
    if not m:
        return None
    reporter = "".join(m.group("rep").split()).lower()
    return f"{m.group('vol')} {reporter} {m.group('page')}"


def _surname(authors: str | None) -> str | None:
    if not authors:
        return None
    first = FIRST_AUTHOR_END_RE.split(authors)[0].split()
    return norm_text(first[-1]) if first else None


def norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = PUNCTUATION_RE.sub("", text)
    return " ".join(text.split())
