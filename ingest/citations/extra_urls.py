"""A citation's printed URLs and archive copies; URLs the extractor found beside the text."""

from __future__ import annotations


from ..model import Citation
from ..urls import compare_form, is_archive
from .keys import source_key
from .patterns import URL_TOKEN_SEP_RE


def cited_urls(cite: Citation) -> list[str]:
    """The citation's URL plus archive copies (perma.cc) printed with it in the note.

    ``parse_citations`` keeps the first archive copy in ``Citation.archive_url``.
    """
    urls = [cite.url] if cite.url else []
    return urls + [u for u in cite.printed_urls if is_archive(u) and u not in urls]


def attach_extra_urls(cites: list[Citation], extra_urls, note: int) -> None:
    """Give every extractor URL of the note a citation.

    A URL equal to a printed one is already there; one that extends a printed URL (broken
    across lines in the PDF) replaces it; a link target (GAO's "getrpt?GAO-05-927") goes to
    the citation that prints its report number, or to a new citation.
    """
    for url in extra_urls or ():
        form = compare_form(url)
        if any(compare_form(u) == form for c in cites for u in cited_urls(c)):
            continue  # printed already, perhaps as the perma.cc copy of a live URL
        prefix = [c for c in cites if c.url and form.startswith(compare_form(c.url))]
        if prefix:
            prefix[0].url = url
            prefix[0].source_key = source_key(prefix[0])
            continue
        token = URL_TOKEN_SEP_RE.split(url.rstrip("/"))[-1]
        holder = [c for c in cites if token and token.lower() in c.text.lower()]
        if holder and holder[0].url is None:
            holder[0].url = url
            holder[0].source_key = source_key(holder[0])
            continue
        extra = Citation(note=note, seq=0, text=token if holder else url, url=url, kind="web")
        if holder:
            extra.kind = holder[0].kind
        extra.source_key = source_key(extra)
        cites.append(extra)
