"""PDF -> Document: layout, passages, notes and the markers that link them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber

from ingest.layout import PageLayout, analyze
from ingest.model import Document, Footnote, Marker, PageInfo, Passage, Region, union_bbox
from ingest.notes import RawNote, find_endnotes, find_note_zones, split_notes
from ingest.passages import Block, is_marker, reading_blocks
from ingest.text import TextBuilder, find_urls, vocabulary


class ExtractError(Exception):
    """A PDF that cannot be read; the message says why, in one line."""


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _open(path: Path, password: str | None):
    """Open a PDF or raise ExtractError with a one-line reason."""
    size = path.stat().st_size
    if size == 0:
        raise ExtractError(f"{path}: empty file (0 bytes)")
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise ExtractError(f"{path}: not a PDF (no %PDF header)")
    try:
        pdf = pdfplumber.open(path, password=password or "")
        pdf.pages  # parses the page tree: damage shows up here
        return pdf
    except Exception as e:
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            why = "wrong password" if password else "encrypted: give --password"
            raise ExtractError(f"{path}: {why}") from None
        raise ExtractError(f"{path}: damaged or truncated PDF ({name})") from None


def extract(path: str | Path, password: str | None = None, max_pages: int | None = None) -> Document:
    path = Path(path)
    doc = Document(path=str(path), sha256=sha256_file(path), filename=path.name)
    with _open(path, password) as pdf:
        if not pdf.pages:
            raise ExtractError(f"{path}: the PDF has no pages")
        if max_pages is not None and len(pdf.pages) > max_pages:
            raise ExtractError(f"{path}: {len(pdf.pages)} pages, more than --max-pages {max_pages}")
        pages = pdf.pages
        doc.page_count = len(pages)
        doc.pages = [PageInfo(i + 1, float(p.width), float(p.height)) for i, p in enumerate(pages)]
        try:
            layouts, size = analyze(pages)
        except RecursionError:
            raise ExtractError(f"{path}: objects nested too deeply to parse") from None
        links = [_links(p) for p in pages]
    if not any(p.rows for p in layouts):
        raise ExtractError(f"{path}: no text layer: run OCR first")
    find_note_zones(layouts, size)
    find_endnotes(layouts)
    vocab = vocabulary(ln.body_text for p in layouts for ln in p.lines)
    raw_notes = split_notes(layouts)
    doc.footnotes = [_note(rn, vocab, links) for rn in raw_notes]
    blocks = reading_blocks(layouts, size)
    title = _title(layouts, blocks)
    if title is not None:
        # the title is the document's name (often repeated as the running head), not body
        doc.title = " ".join(title.text.split())
        blocks.remove(title)
    _passages(doc, blocks, vocab)
    _link_markers(doc)
    doc.furniture = [t for p in layouts for t in p.furniture]
    return doc


def _links(page) -> list[tuple[str, tuple]]:
    """URI link annotations of a page; malformed annotations are skipped, not fatal."""
    try:
        annots = page.annots
    except Exception:  # pdfplumber raises on malformed annotation dictionaries
        return []
    out = []
    for a in annots:
        uri = a.get("uri")
        if isinstance(uri, bytes):
            uri = uri.decode("latin-1", "replace")
        if uri and isinstance(uri, str) and uri.startswith(("http", "www")):
            out.append((uri, (a["x0"], a["top"], a["x1"], a["bottom"])))
    return out


def _note(rn: RawNote, vocab, links) -> Footnote:
    tb = TextBuilder(vocab)
    for i, ln in enumerate(rn.lines):
        ws = ln.words[rn.first_words_skip:] if i == 0 else ln.words
        for j, w in enumerate(ws):
            text = w.text[rn.glued_prefix:] if i == 0 and j == 0 else w.text
            if text:
                tb.add(text, w.space_before, j == 0)
    text = tb.finish().strip()
    regions = _regions(rn.lines)
    urls = find_urls(text)
    if not urls:  # notes that print no URL may still carry a link (GAO)
        for r in regions:
            for uri, box in links[r.page - 1]:
                if _overlaps(box, r.bbox) and uri not in urls:
                    urls.append(uri)
    return Footnote(rn.label, rn.page, rn.kind, text, regions[0].bbox, rn.continues_on_page,
                    urls, regions)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _regions(lines) -> list[Region]:
    by_page: dict[int, list] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln.bbox)
    return [Region(p, union_bbox(bs)) for p, bs in by_page.items()]


def _passages(doc: Document, blocks: list[Block], vocab) -> None:
    labels = {n.label for n in doc.footnotes}
    groups: list[list[Block]] = []
    for b in blocks:
        if b.continues and groups:
            groups[-1].append(b)
        else:
            groups.append([b])
    for group in groups:
        tb = TextBuilder(vocab)
        lines = [ln for b in group for ln in b.lines]
        for ln in lines:
            first = True
            for w in ln.words:
                found = is_marker(w, labels)
                if found:
                    for lab in found:
                        tb.mark((lab, ln.page, w.x0, w.top, w.x1, w.bottom))
                    continue
                tb.add(w.text, w.space_before, first)
                first = False
        text = tb.finish()
        if not text.strip():
            continue
        regions = _regions(lines)
        index = len(doc.passages)
        doc.passages.append(Passage(index, regions[0].page, group[0].kind, text,
                                    regions[0].bbox, regions))
        for offset, (lab, page, x0, top, x1, bottom) in tb.markers:
            doc.markers.append(Marker(index, lab, page, offset, offset, None, (x0, top, x1, bottom)))


def _link_markers(doc: Document) -> None:
    """Point each marker at its note: same label, on the same page if there is one,
    else the first unclaimed note with that label on or after the marker's page."""
    by_label: dict[str, list[int]] = {}
    for i, n in enumerate(doc.footnotes):
        by_label.setdefault(n.label, []).append(i)
    claimed: set[int] = set()
    for m in doc.markers:
        cands = by_label.get(m.label, [])
        same = [i for i in cands if doc.footnotes[i].page == m.page]
        later = [i for i in cands if doc.footnotes[i].page >= m.page and i not in claimed]
        pick = (same or later or [i for i in cands if i not in claimed] or cands or [None])[0]
        m.note = pick
        if pick is not None:
            claimed.add(pick)


def _title(pages: list[PageLayout], blocks: list[Block]) -> Block | None:
    """The largest heading of the first page, when it is larger than the body."""
    first = [b for b in blocks if pages and b.page == pages[0].page]
    heads = [b for b in first if b.kind == "heading" and b.text.strip()]
    if not heads:
        return None
    best = max(heads, key=lambda b: b.size)
    return best if best.size > 1.15 * min(b.size for b in first) else None
