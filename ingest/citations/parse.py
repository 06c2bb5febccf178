"""The steps for one note (:func:`parse_note`) and for a document's notes (:func:`parse_citations`)."""

from __future__ import annotations


from ..model import Citation, Document
from ..urls import find_urls
from .classify import is_citation
from .extra_urls import attach_extra_urls, cited_urls
from .fields import build
from .patterns import SPLIT_SCHEME_RE
from .resolve import Resolver
from .scan import trim
from .split import focus, nested_url_cites, split_note


def parse_citations(doc: Document) -> None:
    """Fill ``doc.citations`` from ``doc.footnotes`` and resolve short forms across notes."""
    doc.citations = []
    resolver = Resolver(doc.footnotes)
    for index, note in enumerate(doc.footnotes):
        cites = parse_note(note.text, index, note.urls)
        for cite in cites:
            resolver.resolve(cite)
            archived = cited_urls(cite)[1:]
            cite.archive_url = archived[0] if archived else None
        doc.citations.extend(cites)


def parse_note(text: str, note: int = 0, extra_urls=()) -> list[Citation]:
    """Citations of one note, without cross-note resolution.

    ``extra_urls`` are URLs the extractor found for the note (link annotations, URLs it
    repaired across line breaks); any not printed in ``text`` still get a citation.
    """
    text = SPLIT_SCHEME_RE.sub(r"\1://", text)
    urls = find_urls(text)  # once for the note; once for each segment kept below
    cites = []
    for seg in split_note(text, urls):
        seg_text = trim(focus(text, seg, urls))
        seg_urls = find_urls(seg_text) if seg_text else []
        if seg_text and is_citation(seg_text, seg_urls):
            cite = build(seg_text, note, seg_urls)
            cites.append(cite)
            cites.extend(nested_url_cites(text, seg, urls, cite))
    attach_extra_urls(cites, extra_urls, note)
    for seq, cite in enumerate(cites):
        cite.seq = seq
    return cites
