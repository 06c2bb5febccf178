"""Does a segment cite something, or is it commentary? (Features only a reference has.)"""

from __future__ import annotations


from ..urls import find_urls
from .dates import find_date
from .fields import name_chunks, strip_signal, title_span
from .keys import report_number
from .patterns import (
    AUTHOR_DATE_END_RE,
    DOI_RE,
    IBID_RE,
    LAW_JOURNAL_RE,
    PLACE_RE,
    REPORTER_RE,
    SHORT_FORM_WORD_RE,
    STATUTE_RE,
)
from .scan import prose


def strong_cite(text: str, urls=None) -> bool:
    """Features only a reference has: URL, report number, legal cite, title, short form.
    ``urls``: :func:`find_urls` of ``text``, when the caller has them already."""
    body = strip_signal(text)[1]
    return bool(
        (find_urls(text) if urls is None else urls)
        or DOI_RE.search(text)
        or report_number(text)
        or REPORTER_RE.search(text)
        or STATUTE_RE.search(text)
        or IBID_RE.match(body)
        or SHORT_FORM_WORD_RE.search(text)
        or title_span(text)
        or PLACE_RE.search(text)
        or LAW_JOURNAL_RE.search(text)
    )


def commentary(text: str) -> bool:
    return prose(text) and not strong_cite(text)


def is_author_date(text: str) -> bool:
    """Author-date styles ("WHO (2020). Road traffic injuries.") put the title in its own sentence."""
    return bool(AUTHOR_DATE_END_RE.search(text.strip()))


def is_citation(seg: str, urls=None) -> bool:
    """Keep a segment if it cites something; explanatory prose yields no citation.
    ``urls``: :func:`find_urls` of ``seg``, when the caller has them already."""
    if strong_cite(seg, urls):
        return True
    if prose(seg):
        return False
    return bool(find_date(seg)[0]) or bool(name_chunks(strip_signal(seg)[1])[0])


def starts_with_signal(text: str) -> bool:
    """"See ...", "Cf. ...", or a short lead-in then a signal ("For more information, see")."""
    return strip_signal(text.strip())[0] is not None
