"""Select text -> annotate, in a real headless Chromium against `citetrace serve`.

Needs Debian's Chromium at /usr/bin/chromium (as tests/test_browser.py); skipped without it.
The reviewer is signed in as root with a ds_actor cookie signed with the server's secret.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from annotations_support import copy_db, ingested
from servers import free_port, running

from citetrace.annotations import api
from citetrace.db.store import open_db
from citetrace.annotations.anchor import anchored_text, norm

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
SECRET = "citetrace-annotations-browser-test"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory, sample):
    return ingested(tmp_path_factory, sample)


@pytest.fixture
def server(base, tmp_path):
    db_path = copy_db(base[0], tmp_path, "sample.db")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "citetrace.plugins.cli", "serve", str(db_path), "--port", str(port)]
    with running(cmd, url + "/-/versions.json", tmp_path / "serve.log", cwd=ROOT,
                 env={**os.environ, "DATASETTE_SECRET": SECRET}):
        yield url, db_path


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.js_errors = []
        pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
        yield pg
        browser.close()


def _sign_in_as_root(page, url):
    from datasette.app import Datasette

    cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
    page.context.add_cookies([{"name": "ds_actor", "value": cookie, "url": url}])


SELECT = """([selector, from, to]) => {
  // Select stored-text offsets [from, to) of an element, as a user dragging would
  // (text nodes inside note markers and links are skipped like the page's script does).
  const root = document.querySelector(selector);
  const skip = "sup.fn, .claim-trace, .row-link, button";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let acc = 0, start = null, end = null, n;
  while ((n = walker.nextNode())) {
    if (n.parentElement.closest(skip)) continue;
    const len = n.data.length;
    if (start === null && from <= acc + len) start = [n, from - acc];
    if (end === null && to <= acc + len) { end = [n, to - acc]; break; }
    acc += len;
  }
  const range = document.createRange();
  range.setStart(start[0], start[1]);
  range.setEnd(end[0], end[1]);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
}"""


def test_select_text_annotate_and_see_it_in_the_margin(server, page):
    url, db_path = server
    conn = open_db(str(db_path))
    # A passage with a note marker inside the span: the marker's label is not stored text.
    pid, start, text = conn.execute(
        "select p.id, r.start, p.text from footnote_refs r join passages p on p.id = r.passage_id "
        "where r.start > 40 and r.start < length(p.text) - 40 order by p.seq limit 1").fetchone()
    conn.close()
    lo, hi = start - 30, start + 25

    reader = f"{url}/sample/-/citetrace/documents/1"
    page.goto(reader)
    assert page.locator("#ct-annotate-form").count() == 0  # anonymous: read only
    _sign_in_as_root(page, url)
    page.goto(reader)
    page.evaluate(SELECT, [f"#p-{pid}", lo, hi])
    page.locator("#ct-adder button").click()  # the adder beside the selection opens the form
    form = page.locator("#ct-annotate-form")
    form.wait_for(state="visible")
    assert form.locator("input[name=passage_id]").input_value() == str(pid)
    assert (form.locator("input[name=start]").input_value(),
            form.locator("input[name=end]").input_value()) == (str(lo), str(hi))
    assert form.locator("input[name=exact]").input_value() == text[lo:hi]
    form.locator("textarea[name=body]").fill("Is this **right**?")
    form.locator("button[value=disputed]").click()  # saved without a reload
    form.locator(".ct-verdict-status button.ct-undo").wait_for(state="visible")
    page.reload()  # the margin as the server renders it

    item = page.locator("#ct-annotations li.ct-anno").first
    assert "open" in item.locator(".ct-state").inner_text()
    assert item.locator(".ct-anno-body strong").inner_text() == "right"
    marks = page.locator(f"#p-{pid} mark.ct-anno-hl")
    assert norm("".join(marks.all_text_contents())) == norm(text[lo:hi])

    conn = open_db(str(db_path))
    a = api.list_annotations(conn)[0]
    assert (a.author, a.tags, a.target.passage_id) == ("root", ["disputed"], pid)
    assert anchored_text(conn, {**vars(a.target), "anchor": a.anchor}) == text[lo:hi]
    conn.close()

    # The state buttons in the margin move it along the workflow.
    item.locator("button[value=in_review]").click()
    page.wait_for_load_state()
    assert "in review" in page.locator("#ct-annotations li.ct-anno .ct-state").first.inner_text()
    assert page.js_errors == []


def test_verdict_on_the_trace_page_saves_without_reload_and_undoes(server, page):
    url, db_path = server
    conn = open_db(str(db_path))
    claim = conn.execute("select id from claims where needs_source = 1 order by id").fetchone()[0]
    conn.close()
    trace = f"{url}/sample/-/citetrace/claims/{claim}"
    page.goto(trace)
    assert page.locator("form.ct-verdicts").count() == 0  # anonymous: no buttons
    _sign_in_as_root(page, url)
    page.goto(trace)
    # A marker on the window survives only if the page is not reloaded or left.
    page.evaluate("window.__stayed = true")
    page.fill("#ct-verdict-comment", "Figure differs from the **source**.")
    page.click("form.ct-verdicts button[value=disputed]")
    status = page.locator("form.ct-verdicts .ct-verdict-status")
    status.locator("button.ct-undo").wait_for(state="visible")
    assert status.inner_text().startswith("Saved: Disputed (annotation ")
    assert page.evaluate("window.__stayed") is True and page.url == trace
    assert page.locator("#ct-verdict-comment").input_value() == ""
    assert "Disputed" in page.locator(".ct-claim-annotations li").last.inner_text()

    conn = open_db(str(db_path))
    saved = api.list_annotations(conn)
    assert [(a.author, a.tags, a.target.claim_id, a.state, a.body) for a in saved] == [
        ("root", ["disputed"], claim, "open", "Figure differs from the **source**.")]
    conn.close()
    # ... and in the review queue
    queue = page.context.new_page()
    queue.goto(f"{url}/sample/-/citetrace/review?tag=disputed")
    assert "Figure differs from the" in queue.locator(".ct-review-table").inner_text()
    queue.close()

    status.locator("button.ct-undo").click()
    page.wait_for_function(
        "document.querySelector('form.ct-verdicts .ct-verdict-status').textContent"
        ".startsWith('Undone')")
    assert page.evaluate("window.__stayed") is True
    assert page.locator("#ct-verdict-comment").input_value() == "Figure differs from the **source**."
    assert page.locator(".ct-claim-annotations li").count() == 0
    conn = open_db(str(db_path))
    assert [a.state for a in api.list_annotations(conn, api.Filters(include_deleted=True))] == [
        "deleted"]
    assert api.list_annotations(conn) == []
    conn.close()
    assert page.js_errors == []


def test_verdict_in_the_note_popup_is_saved_on_that_note(server, page):
    url, db_path = server
    reader = f"{url}/sample/-/citetrace/documents/1"
    page.goto(reader)
    assert page.locator("#note-popup form.ct-popup-verdicts").count() == 0  # anonymous
    _sign_in_as_root(page, url)
    page.goto(reader)
    page.evaluate("window.__stayed = true")
    marker = page.locator("sup a.marker[data-note]").nth(2)
    note = int(marker.get_attribute("data-note"))
    marker.click()
    popup = page.locator("#note-popup")
    popup.wait_for(state="visible")
    popup.locator("textarea[name=body]").fill("Quoted right.")
    popup.locator("button[value=verified]").click()
    status = popup.locator(".ct-verdict-status")
    status.locator("button.ct-undo").wait_for(state="visible")
    assert status.inner_text().startswith("Saved: Verified (annotation ")
    assert page.evaluate("window.__stayed") is True and not popup.is_hidden()
    conn = open_db(str(db_path))
    assert [(a.tags, a.target.kind, a.target.footnote_id, a.body)
            for a in api.list_annotations(conn)] == [(["verified"], "note", note, "Quoted right.")]
    conn.close()
    assert page.js_errors == []
