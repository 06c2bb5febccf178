"""The document model: what extraction produces and the store writes.

Data flows one way: PDF -> layout (passages) -> notes/markers -> citations -> NLP -> store.
Each stage fills in its part of a :class:`Document`; nothing reaches back.
Bounding boxes are ``(x0, top, x1, bottom)`` in PDF points, origin top-left, like pdfplumber.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]

PASSAGE_KINDS = ("heading", "paragraph", "caption", "pullquote", "list_item", "toc")
NOTE_KINDS = ("footnote", "endnote", "author_note")
CLAIM_KINDS = ("cited", "quantitative", "attributed", "event", "evaluative", "legal", "factual")
SUPPORT = ("marker", "inline", "both", "none")
ZONES = ("body", "summary", "abstract", "textbox")


def union_bbox(boxes) -> BBox:
    boxes = list(boxes)
    return (
        round(min(b[0] for b in boxes), 2),
        round(min(b[1] for b in boxes), 2),
        round(max(b[2] for b in boxes), 2),
        round(max(b[3] for b in boxes), 2),
    )


@dataclass
class PageInfo:
    page: int  # physical, 1-based
    width: float
    height: float


@dataclass
class Region:
    """Where a passage or note lies: one box per page it covers."""

    page: int
    bbox: BBox


FURNITURE_REASONS = ("running head", "page number", "margin stamp", "repeated line",
                     "report number", "date line", "boilerplate", "cover page",
                     "appended sheet", "stray number")


@dataclass
class Furniture:
    """Printed text kept out of the passages, and why (so the removal can be audited)."""

    page: int
    text: str
    reason: str  # one of FURNITURE_REASONS
    bbox: BBox | None = None


@dataclass
class Passage:
    seq: int  # reading order within the document, 0-based
    page: int  # page where it starts
    kind: str  # one of PASSAGE_KINDS
    text: str  # clean text: no markers, hyphenation undone
    bbox: BBox  # on `page`
    regions: list[Region] = field(default_factory=list)  # all pages it covers
    # (offset, page): where in `text` each page after the first begins (a paragraph run over
    # a page break); a sentence's page is the page of its first character
    page_breaks: list[tuple[int, int]] = field(default_factory=list)

    def page_at(self, offset: int) -> int:
        """The page the character at `offset` of the text is printed on."""
        page = self.page
        for start, p in self.page_breaks:
            if start > offset:
                break
            page = p
        return page


@dataclass
class Footnote:
    label: str  # as printed: "1", "iv", "*"
    page: int
    kind: str  # one of NOTE_KINDS
    text: str
    bbox: BBox
    continues_on_page: int | None = None
    urls: list[str] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)


@dataclass
class Marker:
    """A note marker in the body, removed from the passage text.

    ``start == end``: the offset in the passage text where the marker stood.
    ``note`` indexes ``Document.footnotes`` (None when no note was found for it).
    """

    passage: int  # index into Document.passages
    label: str
    page: int
    start: int
    end: int
    note: int | None = None
    bbox: BBox | None = None


@dataclass
class Citation:
    note: int  # index into Document.footnotes
    seq: int  # order within the note
    text: str
    kind: str = "other"  # web, report, article, book, legal_case, statute, government, other
    url: str | None = None
    archive_url: str | None = None  # an archived copy printed beside the URL (perma.cc, Wayback)
    title: str | None = None
    authors: str | None = None
    container: str | None = None
    publisher: str | None = None
    place: str | None = None
    date: str | None = None  # ISO (YYYY, YYYY-MM or YYYY-MM-DD)
    date_text: str | None = None  # as printed
    doi: str | None = None
    pages: str | None = None
    signal: str | None = None  # See, See also, Cf., See generally
    short_form: str | None = None  # ibid, id, supra, hereinafter
    refers_to: int | None = None  # note index a short form resolves to
    source_key: str | None = None  # dedup key of the cited source
    # URLs printed in `text` (found once, as it is parsed: ingest.citations.fields.build)
    printed_urls: list[str] = field(default_factory=list)


@dataclass
class Entity:
    passage: int | None  # index into Document.passages (None: in a note)
    note: int | None  # index into Document.footnotes
    start: int
    end: int
    text: str
    label: str
    canonical: str  # canonical name, shared by mentions of one entity


@dataclass
class InlineCitation:
    """A formal citation written in a sentence (not in a note): "(P.L. 119-21)"."""

    start: int  # offsets in the sentence's text
    end: int
    text: str
    rule: str  # the kind of formal citation recognised ("public law", "author-year", ...)
    citation: Citation  # parsed like a note's citation (its ``note`` is -1)
    source_key: str | None = None


@dataclass
class Claim:
    """A body sentence. Check-worthy ones, and ones carrying a note marker (the author chose
    to support them), are the document's claims (:attr:`is_claim`).

    A sentence may run over several passages (a paragraph cut by a sidebar, a figure or a
    list): it starts at ``start`` in ``passage`` and ends at ``end`` in ``end_passage``.
    """

    passage: int
    start: int
    end: int
    text: str
    kind: str  # one of CLAIM_KINDS, or what a non-claim is ("judgement", "question", ...)
    score: float  # check-worthiness in [0, 1]
    reasons: list[str] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)  # indexes into Document.footnotes
    needs_source: bool = False
    end_passage: int | None = None  # None: ends in `passage`
    check_worthy: bool = True
    zone: str = "body"  # one of ZONES
    support: str = "none"  # one of SUPPORT
    # "sentence": its own marker or citation; "paragraph": none of its own, but its paragraph's
    # last sentence carries a note (shown, never counted as support); None: neither
    support_scope: str | None = None
    inline: list[InlineCitation] = field(default_factory=list)
    page: int | None = None  # page where the sentence starts (None: the passage's page)

    @property
    def is_claim(self) -> bool:
        return self.check_worthy or bool(self.notes)


@dataclass
class ExtractionCheck:
    """One document's extraction report (table ``extraction_checks``; see ingest.selfcheck)."""

    notes_found: int = 0
    label_gaps: int = 0
    label_duplicates: int = 0
    notes_without_marker: int = 0
    markers_without_note: int = 0
    unlinked_raised: int = 0
    note_like_lines: int = 0
    unread_pairs: int = 0
    heading_share: float = 0.0
    passages_per_page: float = 0.0
    verdict: str = "ok"
    reasons: list[str] = field(default_factory=list)


@dataclass
class Document:
    path: str
    sha256: str
    filename: str
    title: str | None = None
    page_count: int = 0
    pages: list[PageInfo] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # the check-worthy sentences
    sentences: list[Claim] = field(default_factory=list)  # every body sentence
    furniture: list[Furniture] = field(default_factory=list)  # kept out of passages
    check: ExtractionCheck | None = None  # the extraction's self-check
