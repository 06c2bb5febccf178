"""The reader in a real headless Chromium, against a real `citetrace serve` process.

Needs Debian's Chromium at /usr/bin/chromium (`apt-get install chromium`; .ci/run installs
it); Playwright drives it, no browser is ever downloaded. Skipped when it is missing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from servers import free_port, running

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = "<img src=x onerror=window.__xss=2>"


@contextmanager
def serve(db_path: Path, log_dir: Path):
    """`citetrace serve DB --port N` in a subprocess; yields the base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "citetrace.plugins.cli", "serve", str(db_path), "--host", "127.0.0.1",
           "--port", str(port)]
    with running(cmd, base + "/-/versions.json", log_dir / f"datasette-{port}.log", cwd=ROOT):
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    yield pg
    context.close()


@pytest.fixture(scope="module")
def sample_db(sample, tmp_path_factory):
    from citetrace.db.load import ingest

    pdf, _ = sample
    db_path = tmp_path_factory.mktemp("browser") / "sample.db"
    summary = ingest([str(pdf)], str(db_path))
    assert not summary.failed
    return db_path


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_reader_marker_opens_its_note(sample_db, page, tmp_path):
    conn = sqlite3.connect(sample_db)
    doc_id, = conn.execute("select id from documents").fetchone()
    with serve(sample_db, tmp_path) as base:
        page.goto(f"{base}/sample/-/citetrace/documents/{doc_id}")
        markers = page.locator("sup a.marker[data-note]")
        assert markers.count() >= 40
        marker = markers.nth(5)
        note_id = int(marker.get_attribute("data-note"))
        label, text = conn.execute("select label, text from footnotes where id = ?",
                                   [note_id]).fetchone()
        assert _norm(marker.inner_text()) == label
        marker.click()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        assert popup.get_attribute("data-note") == str(note_id)
        shown = _norm(popup.inner_text())
        assert popup.locator(".ct-popup-label").text_content() == f"Note {label}"
        assert _norm(text) in shown
        assert "is-active" in page.locator(f"#note-{note_id}").get_attribute("class")
        page.screenshot(path=str(tmp_path / "reader-note.png"))
        assert (tmp_path / "reader-note.png").stat().st_size > 10_000

        # Escape closes it.
        page.keyboard.press("Escape")
        popup.wait_for(state="hidden")

        # The PDF page beside the text, with the passage and then the note boxed.
        passage_id, = conn.execute(
            "select passage_id from footnote_refs where footnote_id = ?", [note_id]).fetchone()
        passage_page, = conn.execute("select page from passages where id = ?",
                                     [passage_id]).fetchone()
        page.locator(f"#p-{passage_id}").hover()
        page.locator(f"#p-{passage_id} button.page-link").click()
        view = page.locator("#ct-pageview")
        view.wait_for(state="visible")
        page.wait_for_function(
            "() => { const i = document.querySelector('#ct-pageview img');"
            " return i && i.complete && i.naturalWidth > 0; }")
        assert page.locator("#ct-pageview .ct-pv-frame").get_attribute("data-page") == str(
            passage_page)
        box = page.locator("#ct-pageview .ct-box-passage").first
        box.wait_for(state="visible")
        assert page.locator("#ct-notes").is_hidden()
        assert "is-selected" in page.locator(f"#p-{passage_id}").get_attribute("class")
        page.screenshot(path=str(tmp_path / "reader-page.png"))
        # With the page panel open, a marker shows its note on the page too.
        marker.click()
        page.locator("#ct-pageview .ct-box-note").first.wait_for(state="visible")
        note_page, = conn.execute("select page from footnotes where id = ?",
                                  [note_id]).fetchone()
        assert page.locator("#ct-pageview .ct-pv-frame").get_attribute("data-page") == str(
            note_page)
        # and the notes tab comes back
        page.keyboard.press("Escape")
        page.locator("#ct-tab-notes").click()
        page.locator("#ct-notes").wait_for(state="visible")
    assert page.js_errors == []


def test_search_page_in_browser(sample_db, page, tmp_path):
    with serve(sample_db, tmp_path) as base:
        page.goto(f"{base}/sample/-/citetrace")
        page.fill("form.ct-search input[name=q]", "tariff")
        page.press("form.ct-search input[name=q]", "Enter")
        page.wait_for_url(re.compile(r"/search\?q=tariff"))
        hits = page.locator("#results-passages mark.ct-hit")
        assert hits.count() > 0
        assert all(re.match(r"(?i)tariff", h) for h in hits.all_inner_texts())
        page.locator("#results-passages a.ct-hit-link").first.click()
        page.wait_for_url(re.compile(r"/documents/\d+#p-\d+"))
        page.screenshot(path=str(tmp_path / "search.png"))
    assert page.js_errors == []


@pytest.fixture(scope="module")
def xss_db(tmp_path_factory):
    from citetrace.db.store import open_db, write_document
    from citetrace.ingest.model import Citation, Claim, Document, Entity, Footnote, Marker, PageInfo, Passage

    box = (72.0, 100.0, 300.0, 140.0)
    text = f"Tariffs rose {XSS_SCRIPT} in 2021 and {XSS_IMG} then fell."
    note = f"Ministry report {XSS_IMG} {XSS_SCRIPT}, https://example.org/x."
    doc = Document(
        path="/nonexistent/xss.pdf", sha256="x" * 64, filename=f"x{XSS_IMG}.pdf",
        title=f"Report {XSS_SCRIPT}", page_count=1, pages=[PageInfo(1, 612, 792)],
        passages=[Passage(0, 1, "paragraph", text, box)],
        footnotes=[Footnote("1", 1, "footnote", note, box)],
        markers=[Marker(0, "1", 1, len(text), len(text), note=0)],
        citations=[Citation(0, 0, note, title=f"T {XSS_IMG}", url="javascript:window.__xss=3")],
        entities=[Entity(0, None, 0, 7, "Tariffs", f"ORG{XSS_IMG}", "Tariffs")],
        claims=[Claim(0, 0, len(text), text, f"x{XSS_SCRIPT}", 0.9, notes=[0])],
    )
    path = tmp_path_factory.mktemp("xss") / "xss.db"
    db = open_db(str(path))
    doc_id = write_document(db, doc, "test")
    db.conn.close()
    return path, doc_id, text


def test_pdf_text_is_inert_in_the_browser(xss_db, page, tmp_path):
    path, doc_id, text = xss_db
    with serve(path, tmp_path) as base:
        page.goto(f"{base}/xss/-/citetrace/documents/{doc_id}")
        passage = page.locator(".ct-text p.passage").first
        shown = passage.inner_text()
        assert XSS_SCRIPT in shown and XSS_IMG in shown
        assert page.locator(".ct-text script, .ct-text img, .ct-notes img").count() == 0
        page.locator("sup a.marker").first.click()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        assert XSS_IMG in popup.inner_text()
        # the page panel: the PDF is gone, a placeholder says so
        page.locator("#ct-tab-page").click()
        missing = page.locator("#ct-pageview .ct-pv-missing")
        missing.wait_for(state="visible")
        assert "no longer where it was ingested" in missing.inner_text()
        assert page.locator("#ct-pageview .ct-pv-frame").is_hidden()
        page.screenshot(path=str(tmp_path / "xss-reader.png"))
        for url in ("/xss/-/citetrace/search?q=window", "/xss/-/citetrace/claims/1",
                    "/xss/-/citetrace", "/-/citetrace"):
            page.goto(base + url)
            assert XSS_SCRIPT in page.locator("body").inner_text(), url
            assert page.evaluate("typeof window.__xss") == "undefined", url
            if "search" in url:  # highlighted, still inert
                assert page.locator("#results-passages mark.ct-hit").count() >= 1
                assert XSS_IMG in page.locator("#results-passages").inner_text()
        assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.js_errors == []
    # the server was asked for no image "x" (an <img> would have requested it)
    log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("datasette-*.log"))
    assert 'GET /' in log  # the access log is there
    assert not re.search(r'GET \S*/x HTTP', log)
