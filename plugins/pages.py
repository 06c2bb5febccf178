"""PDF page images for the reader: rendered on demand, highlighted by the browser.

Routes (:func:`routes`):

* ``/<db>/-/citetrace/documents/<id>/pages/<n>.png``  page ``n`` (1-based) as a PNG
* ``/<db>/-/citetrace/documents/<id>/pages.json``     what the reader's page panel needs:
  whether the PDF can be shown, page sizes in PDF points, and the ``regions`` of every
  passage and note (``[{"page": n, "bbox": [x0, top, x1, bottom]}]``, top-left origin)

Why on demand, not stored: page images would multiply the size of the database (a 1.5x page
PNG is ~90 KB, a 70-page report ~6 MB, more than all its extracted data) for pages that are
rarely looked at, and rendering one page with pypdfium2 at 1.5x takes ~40-70 ms, plus ~40 ms
to encode a 64-colour PNG. Rendered PNGs are kept in a small in-memory LRU (bounded by bytes,
keyed by file path, size, mtime and page), so paging back and forth costs nothing and there
are no temporary files to clean up; browsers also cache them (``Cache-Control`` + ``ETag``).

Safety: the only file ever opened is the ``documents.path`` of the requested row (a relative
one, from an older release, under the server's or the database's folder), after
``view-table`` permission checks on the tables read (:data:`IMAGE_TABLES`, :data:`DATA_TABLES`); the page number comes from a
``\\d+`` URL segment and must lie within both ``documents.page_count``/``pages`` and the PDF
itself. When the file is gone, is no longer a PDF, or its sha256 differs from the one
ingested (the boxes would not match), the route answers 404 with a reason, and the reader
shows a placeholder saying so.

Bounded rendering (:mod:`plugins.page_render`): pages are rendered by :data:`RENDER_WORKERS`
worker processes, each page within ``plugins.citetrace.render_timeout`` seconds (default
:data:`RENDER_TIMEOUT`); past it the worker is killed, the route answers 503 saying so, and
that page of that file is refused at once from then on (no CPU burnt on it again). One slow
page holds one worker; the others go on serving.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import os
import stat as _stat

from datasette.utils.asgi import NotFound, Response

from citetrace.plugins import web
from citetrace.plugins.cache import SizedLRU
from citetrace.plugins.page_render import Busy, RenderFailed, RenderPool, Unavailable

SCALE = 1.5
RENDER_TIMEOUT = 10.0  # seconds; a page of a text report takes ~0.1 s
RENDER_WORKERS = 2
PLUGIN_NAME = "citetrace"
CACHE_BYTES = 64 * 1024 * 1024
MAX_PAGE_NUMBER = 100_000
IMAGE_TABLES = ("documents", "pages")
DATA_TABLES = (*IMAGE_TABLES, "passages", "footnotes")

# Process-wide, like pdfium itself was: the page images of every Datasette instance of this
# process share the renderers and what they rendered.
renderers = RenderPool(RENDER_WORKERS)
cache = SizedLRU(CACHE_BYTES)  # rendered PNG bytes, bounded by their total size
timed_out = SizedLRU(10_000)  # (file, page, scale) -> why it failed, one unit each
# (path, size, mtime_ns) -> sha256 of the file: hashed once per version of the file.
_hashes: dict[tuple, str] = {}


def _file_key(path: str) -> tuple:
    try:
        st = os.stat(path)
    except OSError:
        raise Unavailable("The PDF file is no longer where it was ingested from.")
    if not _stat.S_ISREG(st.st_mode):
        raise Unavailable("The PDF path does not point to a file.")
    return (path, st.st_size, st.st_mtime_ns)


def _sha256(path: str, key: tuple) -> str:
    digest = _hashes.get(key)
    if digest is None:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
        if len(_hashes) > 1000:
            _hashes.clear()
        _hashes[key] = digest
    return digest


def check_pdf(document: dict) -> tuple:
    """The cache key of the document's PDF file, or :class:`Unavailable`."""
    path = document.get("path")
    if not path or not isinstance(path, str) or "\x00" in path:
        raise Unavailable("The database does not record where this PDF was ingested from.")
    key = _file_key(path)
    sha = document.get("sha256")
    if sha and _sha256(path, key) != sha:
        raise Unavailable("The PDF file has changed since it was ingested.")
    return key


def page_png(document: dict, page: int, timeout: float) -> bytes:
    """The PNG of one page of a document row: from the cache, or rendered now by a worker
    within ``timeout`` seconds. A page that timed out is remembered and refused at once
    (:class:`RenderFailed` again) until the file changes or the server restarts."""
    key = check_pdf(document)
    cache_key = (*key, page, SCALE)
    png = cache.get(cache_key)
    if png is not None:
        return png
    failed = timed_out.get(cache_key)
    if failed is not None:
        raise RenderFailed(failed)
    try:
        png = renderers.render(key[0], page, SCALE, timeout)
    except RenderFailed as e:  # too slow, or crashed its worker
        timed_out.put(cache_key, str(e), 1)
        raise
    cache.put(cache_key, png, len(png))
    return png


def render_timeout(datasette) -> float:
    """Seconds a page may take to render: ``plugins.citetrace.render_timeout``, else
    :data:`RENDER_TIMEOUT`."""
    value = (datasette.plugin_config(PLUGIN_NAME) or {}).get("render_timeout")
    try:
        value = float(value)
    except (TypeError, ValueError):
        return RENDER_TIMEOUT
    return value if 0 < value < float("inf") else RENDER_TIMEOUT


# --- SQL ---------------------------------------------------------------------------------


def _document_pages(conn, doc_id: int) -> tuple[dict | None, list[dict]]:
    cur = conn.execute(
        "select id, path, sha256, filename, page_count from documents where id = ?", [doc_id]
    )
    row = cur.fetchone()
    if row is None:
        return None, []
    document = dict(zip([d[0] for d in cur.description], row))
    document["path"] = _locate(conn, document["path"])
    pages = [
        {"page": p, "width": _size(w), "height": _size(h)}
        for p, w, h in conn.execute(
            "select page, width, height from pages where document_id = ? order by page",
            [doc_id],
        )
    ]
    return document, pages


def _locate(conn, path):
    """The PDF's path: absolute since this release; a relative one (written by an older
    release, relative to the folder it ran in) is looked for under the server's folder, then
    the database's (the sha256 check still has to pass)."""
    if not isinstance(path, str) or not path or os.path.isabs(path) or "\x00" in path:
        return path
    db_file = conn.execute("PRAGMA database_list").fetchone()[2]
    for folder in (os.getcwd(), os.path.dirname(db_file) if db_file else None):
        if folder and os.path.isfile(os.path.join(folder, path)):
            return os.path.join(folder, path)
    return path


def _size(value) -> float | None:
    """A page dimension fit for JSON: a finite positive number, else None (unknown)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if 0 < value < math.inf else None


def _regions(value, page, bbox) -> list[dict]:
    """``regions`` JSON (else ``page`` + ``bbox``) reduced to clean numbers."""
    out = []
    items = None
    if value:
        try:
            items = json.loads(value)
        except (TypeError, ValueError):
            items = None
    if not isinstance(items, list) or not items:
        try:
            items = [{"page": page, "bbox": json.loads(bbox) if bbox else None}]
        except (TypeError, ValueError):
            items = []
    for item in items:
        if not isinstance(item, dict):
            continue
        box = item.get("bbox")
        try:
            pno = int(item.get("page"))
            box = [float(v) for v in box]
        except (TypeError, ValueError):
            continue
        # a 400-digit MediaBox is stored as Infinity: JSON has no such number
        if len(box) != 4 or not all(map(math.isfinite, box)) \
                or not (box[0] < box[2] and box[1] < box[3]):
            continue
        out.append({"page": pno, "bbox": [round(v, 2) for v in box]})
    return out


def load_page_data(conn, doc_id: int) -> dict | None:
    document, pages = _document_pages(conn, doc_id)
    if document is None:
        return None
    passages = {
        pid: _regions(regions, page, bbox)
        for pid, page, bbox, regions in conn.execute(
            "select id, page, bbox, regions from passages where document_id = ?", [doc_id]
        )
    }
    notes = {
        nid: _regions(regions, page, bbox)
        for nid, page, bbox, regions in conn.execute(
            "select id, page, bbox, regions from footnotes where document_id = ?", [doc_id]
        )
    }
    return {"document": document, "pages": pages, "passages": passages, "notes": notes}


def _valid_page(document: dict, pages: list[dict], n: int) -> bool:
    known = {p["page"] for p in pages}
    count = document.get("page_count") or 0
    if known:
        return n in known
    return 1 <= n <= min(count, MAX_PAGE_NUMBER)


# --- handlers ----------------------------------------------------------------------------


def _page_url(ct, doc_id: int, page: int) -> str:
    return f"{ct.document(doc_id)}/pages/{int(page)}.png"


async def page_image(datasette, request):
    page = await web.readable(datasette, request, IMAGE_TABLES)
    doc_id = web.url_id(request)
    raw_page = request.url_vars["page"]
    if len(raw_page) > 6:
        raise NotFound("No such page")
    n = int(raw_page)
    document, pages = await page.read(_document_pages, doc_id=doc_id)
    if document is None:
        raise NotFound(f"No document {doc_id}")
    if not _valid_page(document, pages, n):
        raise NotFound(f"Document {doc_id} has no page {n}")
    etag = f'"{document.get("sha256") or doc_id}-{n}-{SCALE}"'
    if request.headers.get("if-none-match") == etag:
        return Response("", status=304, headers={"ETag": etag})
    loop = asyncio.get_running_loop()
    try:
        png = await loop.run_in_executor(None, page_png, document, n,
                                         render_timeout(datasette))
    except (RenderFailed, Busy) as e:  # the file is fine; this page cannot be had now
        return Response.text(str(e), status=503, headers={"Cache-Control": "no-store"})
    except Unavailable as e:
        return Response.text(str(e), status=404)
    return Response(
        png,
        content_type="image/png",
        headers={"Cache-Control": "private, max-age=3600", "ETag": etag,
                 "X-Content-Type-Options": "nosniff"},
    )


async def page_data(datasette, request):
    page = await web.readable(datasette, request, DATA_TABLES)
    doc_id = web.url_id(request)
    data = await page.read(load_page_data, doc_id=doc_id)
    if data is None:
        raise NotFound(f"No document {doc_id}")
    document = data["document"]
    ct = web.Links(datasette, page.name)
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, check_pdf, document)
        available, reason = True, None
    except Unavailable as e:
        available, reason = False, str(e)
    pages = data["pages"]
    if not pages and document.get("page_count"):
        pages = [{"page": i, "width": None, "height": None}
                 for i in range(1, min(document["page_count"], MAX_PAGE_NUMBER) + 1)]
    for p in pages:
        p["url"] = _page_url(ct, doc_id, p["page"])
    body = {
        "document": doc_id,
        "filename": document.get("filename"),
        "available": available,
        "reason": reason,
        "scale": SCALE,
        "pages": pages,
        "passages": data["passages"],
        "notes": data["notes"],
    }
    # allow_nan=False: a non-finite number left in would be a 500 here, not a page tab
    # broken in the browser (JSON.parse refuses Infinity)
    return Response(json.dumps(body, allow_nan=False), content_type="application/json",
                    headers={"Cache-Control": "no-store"})


def routes():
    document = r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)"
    return [(document + r"/pages/(?P<page>\d+)\.png$", page_image),
            (document + r"/pages\.json$", page_data)]
