"""Every citetrace page at 1400, 768 and 390 px in a real Chromium (issue 17, items 1-2):
no sideways scroll, the reader in two columns only above 900 px (the side panel a drawer
below), a marker tap opens its note at every width, and the document header is ours and
readable. Same machinery as tests/test_browser.py: a real `citetrace serve`, Debian's
/usr/bin/chromium through Playwright."""

from __future__ import annotations

import sqlite3

import pytest
from test_browser import browser, pytestmark, serve  # noqa: F401  (a fixture, the marks)

WIDTHS = (1400, 768, 390)
TWO_COLUMNS_ABOVE = 900

# the widest element past the right edge, to say what overflows
OVERFLOW_JS = """() => {
  const d = document.documentElement;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > d.clientWidth + 1 && (!worst || r.right > worst[1]))
      worst = [el.tagName.toLowerCase() + '.' + el.className, Math.round(r.right)];
  }
  return {scroll: d.scrollWidth, client: d.clientWidth, worst: worst};
}"""

# WCAG contrast of an element's text against the first opaque background behind it
CONTRAST_JS = """(sel) => {
  const el = document.querySelector(sel);
  const rgb = (s) => s.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bg = null;
  for (let n = el; n && !bg; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] > 0) bg = c.slice(0, 3);
  }
  bg = bg || [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):
    """The sample report with an annotation (the review queue has a row), served."""
    from citetrace.annotations import api
    from citetrace.db.load import ingest
    from citetrace.db.store import open_db

    pdf, _ = sample
    root = tmp_path_factory.mktemp("responsive")
    db_path = root / "sample.db"
    assert not ingest([str(pdf)], str(db_path)).failed
    conn = sqlite3.connect(db_path)
    claim, = conn.execute("select claim_id from claim_footnotes order by claim_id limit 1").fetchone()
    source, = conn.execute("select id from sources order by id limit 1").fetchone()
    conn.close()
    conn = open_db(str(db_path))
    api.add(conn, api.resolve_target(conn, claim_id=claim), author="ana", tags=["disputed"],
            body="The survey does not support this: see " + "https://example.org/" + "x" * 80)
    conn.close()
    with serve(db_path, root) as base:
        yield {"base": base, "pages": {
            "home": "/-/citetrace", "database": "/sample/-/citetrace",
            "reader": "/sample/-/citetrace/documents/1",
            "trace": f"/sample/-/citetrace/claims/{claim}",
            "source": f"/sample/-/citetrace/sources/{source}",
            "search": "/sample/-/citetrace/search?q=tariff",
            "health": "/sample/-/citetrace/health", "review": "/sample/-/citetrace/review"}}


def _page(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  has_touch=width <= TWO_COLUMNS_ABOVE)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(site, browser, width):
    context, page = _page(browser, width)
    try:
        for name, url in site["pages"].items():
            page.goto(site["base"] + url)
            found = page.evaluate(OVERFLOW_JS)
            assert found["scroll"] <= found["client"], (name, width, found)
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_marker_tap_opens_its_note(site, browser, width):
    context, page = _page(browser, width)
    try:
        page.goto(site["base"] + site["pages"]["reader"])
        text = page.locator("#ct-text").bounding_box()
        side = page.locator("#ct-side")
        if width > TWO_COLUMNS_ABOVE:  # two columns: the notes beside the text
            assert side.is_visible()
            assert side.bounding_box()["x"] >= text["x"] + text["width"]
            assert text["width"] >= 600
        else:  # one column, the notes panel a closed drawer that takes no taps
            assert side.is_hidden()
            assert text["width"] >= width - 40
        marker = page.locator("sup a.marker[data-note]").nth(3)
        note = marker.get_attribute("data-note")
        marker.scroll_into_view_if_needed()
        if width > TWO_COLUMNS_ABOVE:
            marker.click()
        else:
            marker.tap()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        assert popup.get_attribute("data-note") == note
        assert popup.locator(".ct-popup-label").text_content() == f"Note {marker.inner_text()}"
        box = popup.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= width  # on screen
        if width <= TWO_COLUMNS_ABOVE:
            # Escape closes the popup; the toggle opens the drawer at that note
            page.keyboard.press("Escape")
            popup.wait_for(state="hidden")
            page.locator(".ct-drawer-toggle").tap()
            side.wait_for(state="visible")
            assert page.locator(".ct-drawer-toggle").get_attribute("aria-expanded") == "true"
            assert page.locator(f"#note-{note}").is_visible()
            page.keyboard.press("Escape")
            side.wait_for(state="hidden")
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", (1400, 390))
def test_document_header_is_ours_and_readable(site, browser, width):
    context, page = _page(browser, width)
    try:
        page.goto(site["base"] + site["pages"]["reader"])
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('header.ct-doc-head')).backgroundColor")
        assert background == "rgba(0, 0, 0, 0)"  # not Datasette's blue page header
        for selector in ("header.ct-doc-head h1", "header.ct-doc-head .ct-doc-meta"):
            assert page.evaluate(CONTRAST_JS, selector) >= 4.5, selector
    finally:
        context.close()
