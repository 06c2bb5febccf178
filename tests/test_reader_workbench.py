"""The reader as a reviewer's workbench (issue 17), in a real Chromium at 1400, 768 and 390 px
against a real `citetrace serve`, signed in as root: the annotate adder beside a selection and
the verdict it saves without a reload (then in the review queue), the keyboard (tabs, the note
popup, one tab stop per passage's links), the notes panel following the reading position, the
page viewer's zoom keeping the note's box on the note, and which claims are highlighted.
Same machinery as tests/test_browser.py: Debian's /usr/bin/chromium through Playwright."""

from __future__ import annotations

import os
import sqlite3
from unittest import mock

import pytest
from annotations_support import copy_db, ingested
from test_annotations_browser import SELECT
from test_browser import browser, pytestmark, serve  # noqa: F401  (a fixture, the marks)

from citetrace.annotations import api
from citetrace.db.store import open_db

SECRET = "citetrace-reader-workbench-test"
WIDTHS = (1400, 768, 390)
HEIGHT = 800
TWO_COLUMNS_ABOVE = 900
EDGE = 8  # px the adder and the form keep from the window's edges


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):
    root = tmp_path_factory.mktemp("workbench")
    db_path = copy_db(ingested(tmp_path_factory, sample)[0], root, "sample.db")
    server = serve(db_path, root)
    with mock.patch.dict(os.environ, {"DATASETTE_SECRET": SECRET}):  # the server starts here
        base = server.__enter__()
    try:
        yield {"base": base, "db": db_path, "reader": base + "/sample/-/citetrace/documents/1"}
    finally:
        server.__exit__(None, None, None)


def _page(browser, site, width, signed_in=True):
    from datasette.app import Datasette

    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  has_touch=width <= TWO_COLUMNS_ABOVE)
    if signed_in:
        cookie = Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")
        context.add_cookies([{"name": "ds_actor", "value": cookie, "url": site["base"]}])
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda e: page.js_errors.append(str(e)))
    return context, page


def _rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _inside_window(box, width):
    return (box["x"] >= EDGE - 0.5 and box["x"] + box["width"] <= width - EDGE + 0.5
            and box["y"] >= EDGE - 0.5 and box["y"] + box["height"] <= HEIGHT - EDGE + 0.5)


# the passage's first line scrolled to `y` px from the window's top
SCROLL_LINE_TO = """([sel, y]) => {
  const r = document.querySelector(sel).getBoundingClientRect();
  window.scrollBy(0, r.top - y);
}"""
# viewport rectangle of stored-text offsets [from, to) of a passage, as SELECT counts them
RANGE_RECT = """() => { const r = getSelection().getRangeAt(0).getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height}; }"""
# stored-text offset of the last character on the passage's first line
FIRST_LINE_END = """(sel) => {
  const root = document.querySelector(sel);
  const skip = "sup.fn, .ct-tools, .claim-trace, .row-link, button";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let acc = 0, top = null, last = 0, n;
  while ((n = walker.nextNode())) {
    if (n.parentElement.closest(skip)) continue;
    for (let i = 0; i < n.data.length; i++) {
      const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
      const rect = r.getBoundingClientRect();
      if (!rect.width) continue;
      if (top === null) top = rect.top;
      if (rect.top > top + 4) return last;
      last = acc + i;
    }
    acc += n.data.length;
  }
  return last;
}"""


def _long_passage(db_path, skip=0):
    """A long paragraph with a claim on its first line: (id, text, the claim's start), the
    `skip`-th in reading order."""
    return _rows(db_path, """select p.id, p.text, min(c.start) from passages p
        join claims c on c.passage_id = p.id and c.start < 40 and c.end - c.start > 30
        where p.kind = 'paragraph' and length(p.text) > 400
        group by p.id order by p.seq limit 1 offset ?""", [skip])[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_select_adder_verdict_saved_in_place_and_queued(site, browser, width):
    pid, text, at = _long_passage(site["db"], WIDTHS.index(width) + 2)
    quote = text[at:at + 24]
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        page.evaluate("window.__stayed = true")
        # near the bottom edge: the adder flips above the selection
        page.evaluate(SCROLL_LINE_TO, [f"#p-{pid}", HEIGHT - 60])
        page.evaluate(SELECT, [f"#p-{pid}", at, at + 24])
        adder = page.locator("#ct-adder")
        adder.wait_for(state="visible")
        selection = page.evaluate(RANGE_RECT)
        box = adder.bounding_box()
        assert _inside_window(box, width), box
        assert box["y"] + box["height"] <= selection["y"] + 0.5, (box, selection)

        # the end of a line at the right edge: the adder is kept inside the window's width
        end = page.evaluate(FIRST_LINE_END, f"#p-{pid}")
        page.evaluate(SCROLL_LINE_TO, [f"#p-{pid}", 200])
        page.evaluate(SELECT, [f"#p-{pid}", end - 3, end + 1])
        # room below now: under the selection
        page.wait_for_function("() => document.getElementById('ct-adder').getBoundingClientRect()"
                               ".top >= getSelection().getRangeAt(0).getBoundingClientRect().bottom")
        box = adder.bounding_box()
        assert _inside_window(box, width), box
        line_end = page.evaluate("() => { const r = getSelection().getRangeAt(0).getClientRects();"
                                 " return r[r.length - 1].right; }")
        if line_end + box["width"] / 2 > width - EDGE:  # centred on it, it would stick out
            assert box["x"] + box["width"] == pytest.approx(width - EDGE, abs=1)

        # back to the bottom edge; the key "a" opens the form, also kept on screen
        page.evaluate(SCROLL_LINE_TO, [f"#p-{pid}", HEIGHT - 60])
        page.evaluate(SELECT, [f"#p-{pid}", at, at + 24])
        adder.wait_for(state="visible")
        page.wait_for_timeout(300)  # the selection settled (the adder follows it)
        page.keyboard.press("a")
        form = page.locator("#ct-annotate-form")
        form.wait_for(state="visible")
        assert adder.is_hidden()
        assert _inside_window(form.bounding_box(), width), form.bounding_box()
        assert form.locator("input[name=exact]").input_value() == quote
        assert page.evaluate("document.activeElement.name") == "body"
        comment = f"Checked at {width} px: the audit says otherwise."
        page.keyboard.type(comment)
        form.locator("button[value=disputed]").click()
        status = form.locator(".ct-verdict-status")
        status.locator("button.ct-undo").wait_for(state="visible")
        assert status.inner_text().startswith("Saved: Disputed (annotation ")
        assert page.evaluate("window.__stayed") is True  # no reload, no navigation
        marks = page.locator(f"#p-{pid} mark.ct-anno-hl")
        assert "".join(marks.all_text_contents()) == quote
        assert page.locator(f"#p-{pid} mark.claim.is-disputed").count() >= 1
        assert all(page.evaluate(HAS_BACKGROUND, f"#p-{pid} mark.claim.is-disputed"))
        item = page.locator("#ct-annotations li.ct-anno").last
        assert "Disputed" in item.text_content() and comment in item.text_content()

        conn = open_db(str(site["db"]))
        saved = [a for a in api.list_annotations(conn) if a.body == comment]
        conn.close()
        assert [(a.author, a.tags, a.target.passage_id, a.target.exact) for a in saved] == [
            ("root", ["disputed"], pid, quote.strip())]  # the server trims the quote
        queue = context.new_page()
        queue.goto(site["base"] + "/sample/-/citetrace/review?tag=disputed")
        assert comment in queue.locator(".ct-review-table").inner_text()
        queue.close()
        assert page.js_errors == []
    finally:
        context.close()


def test_no_adder_for_a_reader_without_the_permission(site, browser):
    pid, _, at = _long_passage(site["db"])
    context, page = _page(browser, site, 1400, signed_in=False)
    try:
        page.goto(site["reader"])
        page.evaluate(SELECT, [f"#p-{pid}", at, at + 24])
        page.wait_for_timeout(400)
        assert page.locator("#ct-adder").count() == 0
        assert page.locator("#ct-annotate-form").count() == 0
    finally:
        context.close()


# tab stops inside a passage (markers, the link cluster), as the browser counts them
PASSAGE_TAB_STOPS = """() => Array.from(document.querySelectorAll('#ct-text .passage')).map(p => {
  const stops = Array.from(p.querySelectorAll('a[href], button, input, [tabindex]')).filter(
    el => el.tabIndex >= 0 && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  return [stops.length, p.querySelectorAll('sup a.marker').length];
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_tabs_popup_and_one_stop_per_passage(site, browser, width):
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        page.mouse.move(1, 1)
        # the links of a passage are one tab stop (its cluster's button) besides its markers
        counts = page.evaluate(PASSAGE_TAB_STOPS)
        assert counts and all(stops == markers + 1 for stops, markers in counts), counts
        toggle = page.locator("#ct-text .passage button.ct-tools-toggle").nth(2)
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        menu = page.locator("#ct-text .ct-tools.is-open .ct-tools-menu")
        assert menu.locator("a.passage-row").is_visible()
        assert menu.locator("button.page-link").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('.ct-tools-menu')")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"

        # Enter on a marker opens its note, Tab goes into the popup, Escape comes back
        marker = page.locator("sup a.marker[data-note]").nth(4)
        marker.focus()
        page.keyboard.press("Enter")
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        assert popup.get_attribute("data-note") == marker.get_attribute("data-note")
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('note-popup').contains(document.activeElement)")
        page.keyboard.press("Escape")
        popup.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.getAttribute('data-note')") == \
            marker.get_attribute("data-note")

        # the side panel's tabs: arrow keys move and select (WAI-ARIA tabs)
        if width <= TWO_COLUMNS_ABOVE:
            page.locator(".ct-drawer-toggle").click()
        notes_tab, page_tab = page.locator("#ct-tab-notes"), page.locator("#ct-tab-page")
        notes_tab.focus()
        assert page_tab.get_attribute("tabindex") == "-1"
        page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.id") == "ct-tab-page"
        assert page_tab.get_attribute("aria-selected") == "true"
        page.locator("#ct-pageview").wait_for(state="visible")
        assert page.locator("#ct-panel-notes").is_hidden()
        page.keyboard.press("ArrowRight")  # wraps around
        assert page.evaluate("document.activeElement.id") == "ct-tab-notes"
        assert notes_tab.get_attribute("aria-selected") == "true"
        page.keyboard.press("End")
        assert page.evaluate("document.activeElement.id") == "ct-tab-page"
        page.keyboard.press("Home")
        assert page.evaluate("document.activeElement.id") == "ct-tab-notes"
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_notes_panel_follows_the_reading_position(site, browser, width):
    # a passage with a marker in the second half of the report, and its first note
    pid, note = _rows(site["db"], """select r.passage_id, r.footnote_id from footnote_refs r
        join passages p on p.id = r.passage_id where r.footnote_id is not null
        order by p.seq desc, r.start limit 1 offset 6""")[0]
    pid, note = _rows(site["db"], """select r.passage_id, r.footnote_id from footnote_refs r
        where r.passage_id = ? and r.footnote_id is not null order by r.start limit 1""", [pid])[0]
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        first = page.locator("#ct-notes li.note").first
        assert "is-current" not in (page.locator(f"#note-{note}").get_attribute("class") or "")
        page.evaluate(SCROLL_LINE_TO, [f"#p-{pid}", HEIGHT * 0.1])
        page.wait_for_function("(n) => document.getElementById('ct-notes').dataset.current == n",
                               arg=str(note))
        assert page.locator("#ct-notes li.note.is-current").count() == 1
        if width <= TWO_COLUMNS_ABOVE:  # the drawer opens where the reading is
            page.locator(".ct-drawer-toggle").click()
            page.locator("#ct-side").wait_for(state="visible")
            page.wait_for_timeout(300)  # its slide-in
        side = page.locator("#ct-side").bounding_box()
        shown = page.locator(f"#note-{note}").bounding_box()
        assert side["y"] <= shown["y"] and shown["y"] + 20 <= side["y"] + side["height"], (side, shown)
        assert first.bounding_box()["y"] < side["y"]  # scrolled past the first notes
        assert page.js_errors == []
    finally:
        context.close()


# every note of the panel: its id, the claims its trace links open, the sources it links to
NOTE_LINKS = """() => Array.from(document.querySelectorAll('#ct-notes li.note')).map(n => [
  Number(n.dataset.note),
  Array.from(n.querySelectorAll('a.ct-note-trace')).map(a => Number(a.pathname.split('/').pop())),
  Array.from(n.querySelectorAll('cite a')).map(a => Number(a.pathname.split('/').pop()))])"""


@pytest.mark.parametrize("width", (1400, 390))
def test_each_note_in_the_panel_links_to_its_traces_and_sources(site, browser, width):
    claims, sources = {}, {}
    for note, claim in _rows(site["db"], "select footnote_id, claim_id from claim_footnotes"):
        claims.setdefault(note, set()).add(claim)
    for note, source in _rows(site["db"], "select footnote_id, source_id from citations "
                                          "where source_id is not null"):
        sources.setdefault(note, set()).add(source)
    context, page = _page(browser, site, width, signed_in=False)
    try:
        page.goto(site["reader"])
        shown = page.evaluate(NOTE_LINKS)
        assert len(shown) == _rows(site["db"], "select count(*) from footnotes")[0][0]
        for note, traces, cited in shown:
            assert set(traces) == claims.get(note, set()), note
            assert set(cited) == sources.get(note, set()), note
        assert sum(1 for _, traces, _ in shown if traces) >= 40  # nearly every note
        # a note's trace link opens the trace of its claim, which shows that note
        if width <= TWO_COLUMNS_ABOVE:
            page.locator(".ct-drawer-toggle").click()
            page.locator("#ct-side").wait_for(state="visible")
        note, traces, _ = next(n for n in shown[5:] if n[1])
        link = page.locator(f"#note-{note} a.ct-note-trace").first
        link.scroll_into_view_if_needed()
        link.click()
        page.wait_for_url(f"**/claims/{traces[0]}")
        assert page.locator("h1").inner_text().startswith(f"Trace of claim {traces[0]}")
        assert page.locator(f".ct-step-notes #note-{note}").count() == 1
        assert page.js_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_page_zoom_keeps_the_note_box_on_the_note(site, browser, width):
    import json
    import urllib.request

    note, = _rows(site["db"], "select id from footnotes order by seq limit 1 offset 10")[0]
    data = json.load(urllib.request.urlopen(site["reader"] + "/pages.json"))
    region = data["notes"][str(note)][0]
    info = next(p for p in data["pages"] if p["page"] == region["page"])
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        if width <= TWO_COLUMNS_ABOVE:
            page.locator(".ct-drawer-toggle").click()
        page.locator(f"#note-{note} button.note-page-link").click()
        page.locator("#ct-pageview .ct-box-note").first.wait_for(state="visible")
        page.wait_for_function("() => { const i = document.querySelector('#ct-pageview img');"
                               " return i.complete && i.naturalWidth > 0; }")
        scroller_width = page.evaluate(
            "document.querySelector('#ct-pageview .ct-pv-scroll').clientWidth")
        zoom_in = page.locator("#ct-pageview .ct-pv-zoom-in")
        while page.locator("#ct-pageview .ct-pv-zoom-level").inner_text() != "200%":
            zoom_in.click()
        img = page.locator("#ct-pageview img.ct-pv-image").bounding_box()
        assert img["width"] == pytest.approx(2 * scroller_width, abs=2)
        box = page.locator("#ct-pageview .ct-box-note").first.bounding_box()
        sx, sy = img["width"] / info["width"], img["height"] / info["height"]
        x0, top, x1, bottom = region["bbox"]
        want = {"left": img["x"] + x0 * sx, "top": img["y"] + top * sy,
                "right": img["x"] + x1 * sx, "bottom": img["y"] + bottom * sy}
        got = {"left": box["x"], "top": box["y"], "right": box["x"] + box["width"],
               "bottom": box["y"] + box["height"]}
        slack = 2 * sx + 1.5  # the box's 2-point padding, and rounding
        assert got["left"] <= want["left"] + 1 and got["top"] <= want["top"] + 1
        assert got["right"] >= want["right"] - 1 and got["bottom"] >= want["bottom"] - 1
        for side in want:
            assert abs(got[side] - want[side]) <= slack, (side, got, want)
        # the zoomed view scrolled to the box: some of it is in sight
        view = page.locator("#ct-pageview .ct-pv-scroll").bounding_box()
        assert got["left"] < view["x"] + view["width"] and got["right"] > view["x"]
        zoom_in.click()
        zoom_in.click()
        assert page.locator("#ct-pageview .ct-pv-zoom-level").inner_text() == "300%"
        assert zoom_in.is_disabled()
        assert page.js_errors == []
    finally:
        context.close()


HAS_BACKGROUND = """(sel) => Array.from(document.querySelectorAll(sel)).map(
  m => getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"""


@pytest.mark.parametrize("width", WIDTHS)
def test_highlights_only_for_the_chosen_kinds_and_labels_in_words(site, browser, width):
    context, page = _page(browser, site, width, signed_in=False)
    try:
        page.goto(site["reader"])
        needing = page.evaluate(HAS_BACKGROUND, "#ct-text mark.claim.needs-source")
        # (claims disputed by the tests above are highlighted whatever their kind)
        cited = page.evaluate(HAS_BACKGROUND, "#ct-text mark.claim.is-cited:not(.is-disputed)")
        assert needing and all(needing)  # by default: claims needing a source
        assert cited and not any(cited)  # not the cited ones
        if width <= TWO_COLUMNS_ABOVE:
            page.locator(".ct-drawer-toggle").click()
        page.locator("input.ct-hl[value=cited]").check()
        page.locator("input.ct-hl[value=needs-source]").uncheck()
        assert all(page.evaluate(HAS_BACKGROUND, "#ct-text mark.claim.is-cited"))
        assert not any(page.evaluate(HAS_BACKGROUND,
                                     "#ct-text mark.claim.needs-source:not(.is-disputed)"))
        page.reload()  # remembered on this browser
        assert page.locator("input.ct-hl[value=cited]").is_checked()
        assert not page.locator("input.ct-hl[value=needs-source]").is_checked()
        assert all(page.evaluate(HAS_BACKGROUND, "#ct-text mark.claim.is-cited"))

        # entity types and claim tooltips in words, not model codes
        toggles = page.locator("#entity-toggles").text_content()
        assert "Organisation" in toggles and "Date" in toggles
        for code in ("ORG", "GPE", "NORP", "WORK_OF_ART", "PERSON"):
            assert code not in toggles
        titles = page.evaluate("Array.from(document.querySelectorAll('#ct-text [title]'), e => e.title)")
        assert "Organisation" in titles
        assert not [t for t in titles if t in ("ORG", "GPE", "DATE") or "claim: cited" in t
                    or "_" in t]
        assert page.js_errors == []
    finally:
        context.close()
