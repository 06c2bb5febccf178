"""PDF page images for the reader: rendered on demand, validated, cached (test client)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, Footnote, PageInfo, Passage, Region
from citetrace.plugins import pages

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (72.0, 100.0, 300.0, 140.0)


def _pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(612, 792))
    for n in (1, 2):
        c.setFont("Helvetica", 14)
        c.drawString(72, 792 - 120, f"Page {n} of a tiny report.")
        c.showPage()
    c.save()
    return path


def _doc(pdf, sha=None) -> Document:
    data = pdf.read_bytes() if pdf.exists() else b""
    return Document(
        path=str(pdf), sha256=sha or hashlib.sha256(data).hexdigest(), filename=pdf.name,
        title="Tiny", page_count=2, pages=[PageInfo(1, 612, 792), PageInfo(2, 612, 792)],
        passages=[
            Passage(0, 1, "paragraph", "Page one text.", BOX),
            Passage(1, 1, "paragraph", "Runs over.", BOX,
                    regions=[Region(1, (72.0, 700.0, 300.0, 720.0)),
                             Region(2, (72.0, 72.0, 300.0, 90.0))]),
        ],
        footnotes=[Footnote("1", 2, "footnote", "A note.", (72.0, 740.0, 300.0, 750.0))],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("pages")
    pdf = _pdf(root / "tiny.pdf")
    gone = _pdf(root / "gone.pdf")
    changed = _pdf(root / "changed.pdf")
    path = root / "reports.db"
    db = open_db(str(path))
    ids = {
        "ok": write_document(db, _doc(pdf), "test"),
        "gone": write_document(db, _doc(gone, sha="1" * 64), "test"),
        "changed": write_document(db, _doc(changed, sha="2" * 64), "test"),
    }
    db.conn.close()
    gone.unlink()
    shutil.copy(pdf, changed)  # a different file than the one ingested (sha differs)
    return {"path": path, "db": "reports", **ids}


def fetch(site, url, headers=None):
    async def go():
        return await Datasette([str(site["path"])]).client.get(url, headers=headers or {})

    return asyncio.run(go())


def url(site, doc, tail):
    return f"/{site['db']}/-/citetrace/documents/{site[doc]}/{tail}"


def test_page_png_rendered_and_cached(site):
    pages.cache.clear()
    r = fetch(site, url(site, "ok", "pages/1.png"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image
    import io

    image = Image.open(io.BytesIO(r.content))
    assert image.size == (918, 1188)  # 612 x 792 points at 1.5x
    misses = pages.cache.misses
    again = fetch(site, url(site, "ok", "pages/1.png"))
    assert again.content == r.content and pages.cache.misses == misses
    etag = r.headers["etag"]
    assert fetch(site, url(site, "ok", "pages/1.png"), {"if-none-match": etag}).status_code == 304
    assert fetch(site, url(site, "ok", "pages/2.png")).status_code == 200


@pytest.mark.parametrize("tail", ["pages/0.png", "pages/3.png", "pages/0001000.png",
                                  "pages/99999999999.png", "pages/..%2F..%2Fetc%2Fpasswd.png"])
def test_bad_page_numbers_refused(site, tail):
    r = fetch(site, url(site, "ok", tail))
    assert r.status_code in (404, 302), (tail, r.status_code)
    assert r.headers.get("content-type") != "image/png"


def test_page_route_takes_digits_only():
    import re

    (pattern,) = [p for p, h in pages.routes() if h is pages.page_image]
    assert re.match(pattern, "/db/-/citetrace/documents/1/pages/12.png")
    for bad in ("/db/-/citetrace/documents/1/pages/-1.png", "/db/-/citetrace/documents/1/pages/1.jpg",
                "/db/-/citetrace/documents/1/pages/1.png/..", "/db/-/citetrace/documents/x/pages/1.png",
                "/db/-/citetrace/documents/1/pages/../../etc/passwd.png"):
        assert not re.match(pattern, bad), bad


def test_missing_or_changed_pdf_explained(site):
    r = fetch(site, url(site, "gone", "pages/1.png"))
    assert r.status_code == 404 and "no longer where it was ingested" in r.text
    assert "gone.pdf" not in r.text  # no server paths in messages
    r = fetch(site, url(site, "changed", "pages/1.png"))
    assert r.status_code == 404 and "changed since it was ingested" in r.text
    data = fetch(site, url(site, "gone", "pages.json")).json()
    assert data["available"] is False and "no longer" in data["reason"]
    assert fetch(site, f"/{site['db']}/-/citetrace/documents/999/pages/1.png").status_code == 404


def test_page_data_for_the_reader(site):
    data = fetch(site, url(site, "ok", "pages.json")).json()
    assert data["available"] is True and data["reason"] is None
    assert [(p["page"], p["width"], p["height"]) for p in data["pages"]] == [
        (1, 612.0, 792.0), (2, 612.0, 792.0)]
    assert data["pages"][1]["url"] == url(site, "ok", "pages/2.png")
    p1, p2 = sorted(data["passages"], key=int)
    assert data["passages"][p1] == [{"page": 1, "bbox": list(BOX)}]
    assert [r["page"] for r in data["passages"][p2]] == [1, 2]
    (note,) = data["notes"].values()
    assert note == [{"page": 2, "bbox": [72.0, 740.0, 300.0, 750.0]}]


def test_regions_cleaned():
    assert pages._regions('[{"page": 2, "bbox": [1, 2, 3, 4]}, {"page": "x"}, 5]', 1, None) == [
        {"page": 2, "bbox": [1.0, 2.0, 3.0, 4.0]}]
    assert pages._regions(None, 3, json.dumps([1, 2, 3, 4])) == [
        {"page": 3, "bbox": [1.0, 2.0, 3.0, 4.0]}]
    assert pages._regions("nope", 1, "[4, 3, 2, 1]") == []  # inverted box
    assert pages._regions(None, 1, "<script>") == []


def test_reader_has_page_panel(site):
    r = fetch(site, url(site, "ok", "").rstrip("/"))
    assert r.status_code == 200
    assert f'data-url="{url(site, "ok", "pages.json")}"' in r.text
    assert 'id="ct-tab-page"' in r.text and "citetrace-pages.js" in r.text


def test_private_database_pages_refused(site):
    async def go():
        ds = Datasette([str(site["path"])],
                       metadata={"databases": {site["db"]: {"allow": {"id": "x"}}}})
        return [await ds.client.get(url(site, "ok", t)) for t in ("pages/1.png", "pages.json")]

    assert [r.status_code for r in asyncio.run(go())] == [403, 403]


def test_lru_cache_is_bounded():
    cache = type(pages.cache)(max_size=10)  # the page images' cache: plugins.cache.SizedLRU
    cache.put("a", b"12345", 5)
    cache.put("b", b"12345", 5)
    cache.get("a")
    cache.put("c", b"123", 3)
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    cache.put("huge", b"x" * 11, 11)
    assert cache.get("huge") is None
