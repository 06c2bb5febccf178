"""PDF -> Document: layout, passages, notes and the markers that link them."""

from __future__ import annotations

import hashlib
import io
import math
import re
from pathlib import Path

import pdfplumber

from citetrace.ingest.checks import TextCheck
from citetrace.ingest.cover import front_and_back_matter
from citetrace.ingest.layout import PageLayout, analyze
from citetrace.ingest.model import Document, Footnote, Furniture, Marker, PageInfo, Passage, Region, union_bbox
from citetrace.ingest.notes import RawNote, find_endnotes, find_note_zones, split_notes
from citetrace.ingest.passages import LEADER, Block, boilerplate, is_marker, reading_blocks
from citetrace.ingest.selfcheck import BodyGlyphs, check_document, note_like_lines, unlinked_raised
from citetrace.ingest.stages import timed
from citetrace.ingest.text import TextBuilder, vocabulary
from citetrace.ingest.title import document_title
from citetrace.ingest.tolerances import MAX_PAGE_SIDE, SMALL
from citetrace.ingest.urls import extends, find_urls, glyph_twin

CONTROL = re.compile(r"[\s\x00-\x1f\x7f]+")


class ExtractError(Exception):
    """A PDF that cannot be read; the message says why, in one line."""


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@timed("pdf open")
def _open(path: Path, password: str | None, max_pages: int | None = None, data: bytes | None = None):
    """Open a PDF (the file at `path`, or its bytes `data` when given: a remote worker has no
    access to the file) or raise ExtractError with a one-line reason naming `path`."""
    try:
        if data is not None:
            size, head, tail = len(data), data[:1024], data[-4096:]
        else:
            size = path.stat().st_size
            with open(path, "rb") as f:
                head = f.read(1024)
                f.seek(max(0, size - 4096))
                tail = f.read()
    except OSError as e:
        raise ExtractError(f"{path}: cannot read ({e.strerror})") from None
    if size == 0:
        raise ExtractError(f"{path}: empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise ExtractError(f"{path}: not a PDF (no %PDF header)")
    if b"%%EOF" not in tail:
        raise ExtractError(f"{path}: truncated PDF (no %%EOF at the end): copy or download it again")
    pdf = None
    try:
        pdf = _pdfplumber_open(path if data is None else io.BytesIO(data), password)
        declared = _declared_pages(pdf)
        if max_pages is not None and declared is not None and declared > max_pages:
            raise ExtractError(f"{path}: {declared} pages, more than --max-pages {max_pages}")
        pdf.pages  # parses the page tree: damage shows up here
        return pdf
    except ExtractError:
        _discard(pdf)
        raise
    except Exception as e:
        _discard(pdf)
        raise ExtractError(f"{path}: {_open_failure(e, password)}") from None


def _pdfplumber_open(path: Path | io.BytesIO, password: str | None):
    """Open with `password`; a file with no user password (owner restrictions only) opens
    with an empty one, so one --password serves a batch of mixed files."""
    try:
        return pdfplumber.open(path, password=password or "")
    except Exception as e:
        cause = e.args[0] if e.args else None
        if not password or "Password" not in type(cause).__name__:
            raise
        try:
            return pdfplumber.open(path, password="")
        except Exception:
            raise e from None


def _discard(pdf) -> None:
    """Close the file of a PDF that failed to open (`pdf.close()` would parse its pages)."""
    try:
        pdf.stream.close()
    except Exception:
        pass


def _declared_pages(pdf) -> int | None:
    """The page count the page tree declares (/Count), read without building the pages."""
    try:
        from pdfminer.pdftypes import resolve1

        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return count if isinstance(count, int) else None
    except Exception:
        return None


def _open_failure(e: Exception, password: str | None) -> str:
    """Why pdfplumber could not open a file, in a few words."""
    cause = e.args[0] if type(e).__name__ == "PdfminerException" and e.args else e
    if not isinstance(cause, BaseException):
        cause = e
    name = type(cause).__name__
    if "Password" in name:
        return "wrong password (--password)" if password else "encrypted: give --password"
    if "Encrypt" in name:
        return f"encrypted with an unsupported method ({cause})".replace("\n", " ")
    if isinstance(cause, RecursionError):
        return "objects nested too deeply to parse"
    detail = str(cause).splitlines()[0][:120] if str(cause) else ""
    return f"damaged PDF ({name}: {detail})" if detail else f"damaged PDF ({name})"


def _bad_page_box(bbox) -> str | None:
    """Why a page's box cannot be a page (an overflowing number reads as Inf), or None."""
    x0, top, x1, bottom = (float(v) for v in bbox)
    if not all(math.isfinite(v) for v in (x0, top, x1, bottom)):
        return "an impossible size (its MediaBox has a number too large to read)"
    if not (0 < x1 - x0 <= MAX_PAGE_SIDE and 0 < bottom - top <= MAX_PAGE_SIDE):
        return f"an impossible size ({x1 - x0:g} x {bottom - top:g} pt)"
    return None


@timed("other extraction")
def extract(path: str | Path, password: str | None = None, max_pages: int | None = None,
            sha256: str | None = None, data: bytes | None = None, on_page=None) -> Document:
    """``sha256``: the file's, when the caller has hashed it already (the batch loader does,
    to skip known files): a file is read in full once, not twice. ``data``: the file's bytes,
    read instead of `path` (which still names the document). ``on_page(done, total)``: called
    as each page has been parsed (progress)."""
    path = Path(path)
    if sha256 is None:
        sha256 = hashlib.sha256(data).hexdigest() if data is not None else sha256_file(path)
    doc = Document(path=str(path), sha256=sha256, filename=path.name)
    with _open(path, password, max_pages, data) as pdf:
        if not pdf.pages:
            raise ExtractError(f"{path}: the PDF has no pages")
        if max_pages is not None and len(pdf.pages) > max_pages:
            raise ExtractError(f"{path}: {len(pdf.pages)} pages, more than --max-pages {max_pages}")
        pages = pdf.pages
        for n, p in enumerate(pages, start=1):
            if why := _bad_page_box(p.bbox):
                raise ExtractError(f"{path}: page {n} has {why}")
        doc.page_count = len(pages)
        doc.pages = [PageInfo(i + 1, float(p.width), float(p.height)) for i, p in enumerate(pages)]
        check, links = TextCheck(), []

        def inspect(page, objects):
            check.see_page(objects)
            links.append(_links(page))
            if on_page:
                on_page(len(links), len(pages))

        try:
            layouts, size = analyze(pages, inspect)
        except RecursionError:
            raise ExtractError(f"{path}: objects nested too deeply to parse") from None
        if why := check.problem():
            raise ExtractError(f"{path}: {why}")
        metadata_title = _metadata_title(pdf)
    if not any(p.rows for p in layouts):
        raise ExtractError(f"{path}: no text layer: run OCR first")
    find_note_zones(layouts, size)
    find_endnotes(layouts)
    vocab = vocabulary(ln.body_text for p in layouts for ln in p.lines)
    raw_notes = split_notes(layouts)
    doc.footnotes = [_note(rn, vocab, links) for rn in raw_notes]
    blocks = reading_blocks(layouts, size)
    title = document_title(layouts, blocks, metadata_title)
    if title is not None:
        # the title is the document's name (often repeated as the running head), not body
        doc.title = title.text
        # a title that carries a note's marker (the author's note) stays in the text too
        labels = {n.label for n in doc.footnotes}
        gone = {id(b) for b in title.blocks
                if not any(is_marker(w, labels) for ln in b.lines for w in ln.words)}
        blocks = [b for b in blocks if id(b) not in gone]
    doc.furniture = [f for p in layouts for f in p.furniture]
    dropped = [(b, "boilerplate") for b in boilerplate(blocks, len(layouts), size)]
    # the title and each block that printed it: a later page's heading may repeat either
    titles = [doc.title, *(" ".join(b.text.split()) for b in title.blocks)] if title else []
    dropped += front_and_back_matter([b for b in blocks if not any(b is d for d, _ in dropped)],
                                     layouts, size, titles)
    for b, reason in dropped:
        if reason == "title":
            continue  # the document's name, already kept as its title
        box = union_bbox(ln.bbox for ln in b.lines)
        doc.furniture.append(Furniture(b.page, " ".join(b.text.split()), reason, box))
    gone = {id(b) for b, _ in dropped}
    blocks = [b for b in blocks if id(b) not in gone]
    linked = _passages(doc, blocks, vocab)
    heights = {p.page: p.height for p in layouts}
    body = BodyGlyphs(
        unlinked_raised([(b.kind, b.lines) for b in blocks], linked),
        note_like_lines([ln for b in blocks for ln in b.lines], heights, size, SMALL))
    doc.check = check_document(doc, body)
    return doc


@timed("pdf parsing")
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
            uri = CONTROL.sub("", uri)  # a stray carriage return inside a link target
            out.append((uri, (a["x0"], a["top"], a["x1"], a["bottom"])))
    return out


@timed("notes/markers")
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
    printed = list(dict.fromkeys(url for _, _, url in find_urls(text)))
    urls = list(printed)
    for uri in dict.fromkeys(uri for r in regions for uri, box in links[r.page - 1]
                             if _overlaps(box, r.bbox)):
        twin = next((u for u in printed if glyph_twin(u, uri)), None)
        if twin is not None:  # the link holds the true URL: the text layer misread a glyph
            text = text.replace(twin, uri)
            urls[urls.index(twin)] = uri
        elif (not printed or any(extends(uri, u) for u in printed)) and uri not in urls:
            urls.append(uri)  # a link on a note that prints no URL (GAO), or prints it short
    return Footnote(rn.label, rn.page, rn.kind, text, regions[0].bbox, rn.continues_on_page,
                    urls, regions)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _regions(lines) -> list[Region]:
    by_page: dict[int, list] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln.bbox)
    return [Region(p, union_bbox(bs)) for p, bs in by_page.items()]


@timed("passages/markers")
def _passages(doc: Document, blocks: list[Block], vocab) -> set[int]:
    """Passages and their markers; returns the ids of the words linked as markers."""
    links = _link_markers(doc, blocks)
    groups: list[list[Block]] = []
    for b in blocks:
        if b.continues and groups:
            groups[-1].append(b)
        else:
            groups.append([b])
    for group in groups:
        tb = TextBuilder(vocab)
        lines = [ln for b in group for ln in b.lines]
        page_breaks: list[tuple[int, int]] = []
        for ln in lines:
            first, after_marker = True, False
            for w in ln.words:
                if id(w) in links:
                    for lab, note in links[id(w)]:
                        tb.mark((lab, note, ln.page, (w.x0, w.top, w.x1, w.bottom)))
                    after_marker = True
                    continue
                # punctuation printed after a marker closes the word before it
                spaced = w.space_before and not (after_marker and w.text[0] in ",.;:)]”’")
                tb.add(w.text, spaced, first)
                if ln.page != (page_breaks[-1][1] if page_breaks else lines[0].page):
                    page_breaks.append((len(tb.text) - len(w.text), ln.page))
                first, after_marker = False, False
        text = tb.finish()
        if not text.strip():
            continue
        if group[0].kind == "toc" and not tb.markers:
            text = LEADER.sub(" … ", text)  # the leader is spacing, not text: a row of dots
        regions = _regions(lines)
        index = len(doc.passages)
        doc.passages.append(Passage(index, regions[0].page, group[0].kind, text,
                                    regions[0].bbox, regions, page_breaks))
        for offset, (lab, note, page, box) in tb.markers:
            doc.markers.append(Marker(index, lab, page, offset, offset, note, box))
    return set(links)


MARKER_HOME = {"paragraph": 3, "list_item": 3, "pullquote": 2, "heading": 2, "caption": 1}


def _link_markers(doc: Document, blocks: list[Block]) -> dict[int, list[tuple[str, int]]]:
    """Decide which raised words are markers and the note each points to.

    A footnote is printed on its marker's page (or the next), and has one marker: where
    several raised labels compete for it (a figure's subscripts), the one in running text
    wins. Endnotes may be cited more than once. Returns {id(word): [(label, note)]}.
    """
    by_label: dict[str, list[int]] = {}
    for i, n in enumerate(doc.footnotes):
        by_label.setdefault(n.label, []).append(i)
    candidates = []  # (label, word, page, rank, order)
    for b in blocks:
        for ln in b.lines:
            for prev, w in zip([None] + ln.words, ln.words):
                if prev is not None and len(prev.text) == 1 and prev.text.isalpha():
                    continue  # a subscript-like index (x1, i2) or letter-spaced chart text
                for lab in is_marker(w, set(by_label)):
                    candidates.append((lab, w, ln.page, MARKER_HOME.get(b.kind, 0), len(candidates)))
    best: dict[int, tuple] = {}
    endnote_links = []
    for cand in candidates:
        lab, w, page, rank, order = cand
        notes = by_label[lab]
        foot = [i for i in notes if doc.footnotes[i].kind != "endnote"
                and doc.footnotes[i].page in (page, page + 1)]
        if foot:
            note = min(foot, key=lambda i: (doc.footnotes[i].page != page, i))
            if note not in best or rank > best[note][3]:
                best[note] = cand
            continue
        ends = [i for i in notes if doc.footnotes[i].kind == "endnote"]
        if ends:
            later = [i for i in ends if doc.footnotes[i].page >= page] or ends
            endnote_links.append((cand, later[0]))
    out: dict[int, list[tuple[str, int]]] = {}
    for note, (lab, w, *_rest) in best.items():
        out.setdefault(id(w), []).append((lab, note))
    for (lab, w, *_rest), note in endnote_links:
        out.setdefault(id(w), []).append((lab, note))
    return out


def _metadata_title(pdf) -> str | None:
    """The document information dictionary's Title, as text (absent or unreadable: None)."""
    try:
        value = pdf.metadata.get("Title")
    except Exception:  # a damaged information dictionary is no reason to refuse the file
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    return value if isinstance(value, str) else None
