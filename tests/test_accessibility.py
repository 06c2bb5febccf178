"""axe-core on every citetrace page, in a real Chromium (issue 17: no serious or critical
violations on home, reader, trace, source, search, health and review pages).

axe-core comes bundled with the ``axe-playwright-python`` package (its axe.min.js is injected
into the page: nothing is fetched). The pages are visited signed in as root, so the review
forms (verdict buttons, dismissal, annotate form, queue actions) are checked too, and
anonymously, at 1400 and 390 px (the reader's side panel is then a drawer, opened for the
check); the reader once more with a note popup open (on a note with an annotation and a reply)
and, signed in, the annotate form the adder opens, then the margin's and the popup's edit and
reply forms open. Same machinery as tests/test_browser.py: a real `citetrace serve`, Debian's
/usr/bin/chromium through Playwright."""

from __future__ import annotations

import os
import sqlite3
from unittest import mock

import pytest
from annotations_support import copy_db, ingested
from test_browser import browser, pytestmark, serve  # noqa: F401  (a fixture, the marks)

from citetrace.db.store import open_db

SECRET = "citetrace-accessibility-test"
FAILING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):
    from citetrace.annotations import api

    root = tmp_path_factory.mktemp("a11y")
    db_path = copy_db(ingested(tmp_path_factory, sample)[0], root, "sample.db")
    conn = sqlite3.connect(db_path)
    cited, = conn.execute("select claim_id from claim_footnotes order by claim_id limit 1").fetchone()
    flagged, = conn.execute("select id from claims where needs_source = 1 order by id").fetchone()
    source, = conn.execute("select id from sources order by id limit 1").fetchone()
    note, = conn.execute("select footnote_id from footnote_refs where footnote_id is not null "
                         "order by footnote_id limit 1 offset 2").fetchone()
    conn.close()
    conn = open_db(str(db_path))
    api.add(conn, api.resolve_target(conn, claim_id=cited), author="ana", tags=["disputed"],
            body="The survey does not support *this*.")
    # a note's annotation with a reply: listed in the note popup, with its edit and reply forms
    on_note = api.add(conn, api.resolve_target(conn, footnote_id=note), author="ana",
                      tags=["verified"], motivation="assessing", body="Quoted right.")
    api.reply(conn, on_note.id, body="Checked the **gazette** too.", author="ben")
    conn.close()
    server = serve(db_path, root)
    with mock.patch.dict(os.environ, {"DATASETTE_SECRET": SECRET}):  # the server starts here
        base = server.__enter__()
    try:
        yield {"base": base, "note": note, "pages": {
            "home": "/-/citetrace", "database": "/sample/-/citetrace",
            "reader": "/sample/-/citetrace/documents/1",
            "trace": f"/sample/-/citetrace/claims/{cited}",
            "trace (needs a source)": f"/sample/-/citetrace/claims/{flagged}",
            "source": f"/sample/-/citetrace/sources/{source}",
            "search": "/sample/-/citetrace/search?q=tariff",
            "health": "/sample/-/citetrace/health", "review": "/sample/-/citetrace/review"}}
    finally:
        server.__exit__(None, None, None)


def serious(results: dict) -> list[str]:
    """One line per serious or critical violation: rule, impact, the first elements."""
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            + " (" + " ".join(c["message"] for c in v["nodes"][0]["any"][:1]) + ")"
            for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


# selects the first words of the first long paragraph, as a reader dragging would
SELECT_WORDS = """() => {
  const p = Array.from(document.querySelectorAll('#ct-text p.passage')).find(
    e => e.textContent.length > 200);
  const n = document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
  const r = document.createRange(); r.setStart(n, 0); r.setEnd(n, Math.min(12, n.data.length));
  getSelection().removeAllRanges(); getSelection().addRange(r);
}"""


def _open_threads(root):
    """Every edit and reply form under ``root`` opened at once (a click opens one: Datasette's
    page script closes the other open <details> on any click)."""
    root.locator("details.ct-anno-edit > summary").first.click()
    root.evaluate("r => r.querySelectorAll('.ct-thread details').forEach(d => { d.open = true; })")


def _open_reader_parts(page, signed_in, width, note):
    """The reader's popup on an annotated note (and, signed in, the annotate form) open; the
    drawer on a phone."""
    if width < 900:
        page.locator(".ct-drawer-toggle").click()
        page.locator("#ct-side").wait_for(state="visible")
        page.keyboard.press("Escape")
    page.locator(f"#ct-text sup a.marker[data-note='{note}']").first.click()
    page.locator("#note-popup").wait_for(state="visible")
    assert page.locator("#note-popup .ct-popup-annotations li.ct-reply").count() == 1
    if signed_in:
        page.keyboard.press("Escape")
        page.evaluate(SELECT_WORDS)
        page.locator("#ct-adder").wait_for(state="visible")
        page.locator("#ct-adder button").click()
        page.locator("#ct-annotate-form").wait_for(state="visible")


def _threads_open(page, axe, url, width, note) -> dict:
    """axe on the reader with the margin's edit and reply forms open (in the drawer on a
    phone), then with the note popup's."""
    found = {}
    page.goto(url)
    if width < 900:
        page.locator(".ct-drawer-toggle").click()
        page.locator("#ct-side").wait_for(state="visible")
    _open_threads(page.locator("#ct-annotations"))
    assert page.locator("#ct-annotations form.ct-thread-form:visible").count() >= 4
    if serious(results := axe.run(page).response):
        found["reader, margin's edit and reply open"] = serious(results)
    page.keyboard.press("Escape")  # the drawer closes; at 1400 px nothing is open
    page.locator(f"#ct-text sup a.marker[data-note='{note}']").first.click()
    popup = page.locator("#note-popup")
    popup.wait_for(state="visible")
    _open_threads(popup)
    assert popup.locator("form.ct-thread-form:visible").count() == 2
    if serious(results := axe.run(page).response):
        found["reader, popup's edit and reply open"] = serious(results)
    return found


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("signed_in", [True, False], ids=["root", "anonymous"])
def test_no_serious_or_critical_axe_violations(site, browser, signed_in, width):
    from axe_playwright_python.sync_playwright import Axe
    from datasette.app import Datasette

    context = browser.new_context(viewport={"width": width, "height": 900})
    if signed_in:
        cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
        context.add_cookies([{"name": "ds_actor", "value": cookie, "url": site["base"]}])
    page = context.new_page()
    axe = Axe()
    found = {}
    try:
        for name, url in site["pages"].items():
            page.goto(site["base"] + url)
            page.wait_for_load_state("networkidle")
            if signed_in and name == "trace":
                assert page.locator("form.ct-verdicts").count() == 1  # the forms are checked
            if name == "reader" and width < 900:  # the drawer, open
                page.locator(".ct-drawer-toggle").click()
                page.locator("#ct-side").wait_for(state="visible")
            results = axe.run(page).response
            assert results["passes"], name  # axe ran and checked something
            if serious(results):
                found[name] = serious(results)
            if name == "reader":
                page.goto(site["base"] + url)
                _open_reader_parts(page, signed_in, width, site["note"])
                results = axe.run(page).response
                if serious(results):
                    found["reader, popup or form open"] = serious(results)
            if name == "reader" and signed_in:  # the edit and reply forms open
                found.update(_threads_open(page, axe, site["base"] + url, width, site["note"]))
    finally:
        context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)
