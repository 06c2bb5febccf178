"""Replies and edits where the reviewer is (issue 17): an annotation's comment and verdicts
edited, and replies written, from the reader's margin and from the note popup, in a real
Chromium at 1400 and 390 px against a real `citetrace serve`, signed in as root. Each is saved
by fetch without a reload (a marker set on the window survives), shows at once in every copy
of the annotation on the page, is in the review queue, and leaves the previous text in the
annotation's history in the database; the trace page's review list likewise. Same machinery
as tests/test_browser.py."""

from __future__ import annotations

import sqlite3

import pytest
from test_browser import browser, pytestmark  # noqa: F401  (a fixture, the marks)
# the served sample (a module's own copy and server) and a page signed in as root or not
from test_reader_workbench import TWO_COLUMNS_ABOVE, _page, site  # noqa: F401

from citetrace.annotations import api
from citetrace.db.store import open_db

WIDTHS = (1400, 390)


def _annotate(db_path, author="ana", **target_and_fields):
    """An annotation written as another reviewer would (the CLI's api), before the page loads."""
    fields = {k: target_and_fields.pop(k) for k in ("body", "tags", "motivation")
              if k in target_and_fields}
    conn = open_db(str(db_path))
    try:
        return api.add(conn, api.resolve_target(conn, **target_and_fields), author=author, **fields)
    finally:
        conn.close()


def _stored(db_path, ident):
    """(annotation, its history, its replies) as the database has them."""
    conn = open_db(str(db_path))
    try:
        a = api.get(conn, ident)
        return a, api.history(conn, a.id), api.replies(conn, [a]).get(a.uuid, [])
    finally:
        conn.close()


def _claim_and_note(db_path, offset):
    """A claim with a note (its marks are in the text, its note in the panel): (claim, note)."""
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            """select c.id, min(cf.footnote_id) from claims c
               join claim_footnotes cf on cf.claim_id = c.id
               group by c.id order by c.id limit 1 offset ?""", [offset]).fetchone()
    finally:
        conn.close()


def _edit(item, body, check, uncheck):
    """The edit form of `item` opened from the keyboard, changed and saved."""
    summary = item.locator("details.ct-anno-edit > summary")
    summary.focus()
    summary.press("Enter")
    form = item.locator("form[data-kind=edit]")
    form.wait_for(state="visible")
    form.locator("textarea").fill(body)
    form.locator(f"input[value={check}]").check()
    form.locator(f"input[value={uncheck}]").uncheck()
    form.locator("button[type=submit]").press("Enter")
    status = form.locator(".ct-thread-status.is-saved")
    status.wait_for()
    return status.inner_text()


def _reply(item, body):
    item.locator("details.ct-anno-reply > summary").click()
    form = item.locator("form[data-kind=reply]")
    form.locator("textarea").fill(body)
    form.locator("button[type=submit]").click()
    status = form.locator(".ct-thread-status.is-saved")
    status.wait_for()
    assert form.locator("textarea").input_value() == ""  # ready for the next one
    return status.inner_text()


def _queue_row(context, site, annotation_id):
    queue = context.new_page()
    try:
        queue.goto(site["base"] + "/sample/-/citetrace/review?document=1")
        return queue.locator(f"#annotation-{annotation_id}").inner_text()
    finally:
        queue.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_edit_and_reply_in_the_reader_margin(site, browser, width):
    claim, _ = _claim_and_note(site["db"], WIDTHS.index(width))
    a = _annotate(site["db"], claim_id=claim, tags=["needs-source"], body="First take.")
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        page.evaluate("window.__stayed = true")
        if width <= TWO_COLUMNS_ABOVE:  # the margin is in the notes drawer
            page.locator(".ct-drawer-toggle").click()
            page.locator("#ct-side").wait_for(state="visible")
        item = page.locator(f"#annotation-{a.id}")
        item.scroll_into_view_if_needed()
        marks = page.locator(f"#ct-text mark.claim[data-claim='{claim}']")
        assert marks.first.get_attribute("class").count("is-disputed") == 0

        said = _edit(item, "The audit gives *38 percent*, not 40.", "disputed", "needs-source")
        assert said == (f"Saved: annotation {a.id} changed; its previous text stays in the "
                        "history.")
        # the comment as the server renders Markdown, the new verdict, the claim now disputed
        assert item.locator(".ct-anno-body em").inner_text() == "38 percent"
        assert item.locator(".ct-anno-tags").inner_text().split() == ["disputed"]
        assert "is-disputed" in marks.first.get_attribute("class")

        said = _reply(item, "Agreed: table 3 of the audit.")
        replies = item.locator("ol.ct-replies li.ct-reply")
        assert replies.count() == 1
        assert "Agreed: table 3 of the audit." in replies.inner_text()
        assert replies.inner_text().startswith("root · ")
        assert page.evaluate("window.__stayed") is True  # saved in place: no reload, no navigation
        assert page.js_errors == []

        stored, history, thread = _stored(site["db"], a.id)
        assert (stored.body, stored.tags) == ("The audit gives *38 percent*, not 40.", ["disputed"])
        assert [(h.action, h.actor) for h in history] == [("create", "ana"), ("update", "root")]
        assert history[-1].changes == {
            "body": ["First take.", "The audit gives *38 percent*, not 40."],
            "tags": [["needs-source"], ["disputed"]]}
        assert said == f"Reply saved (annotation {thread[0].id})."
        assert [(r.author, r.body, r.motivation) for r in thread] == [
            ("root", "Agreed: table 3 of the audit.", "replying")]
        row = _queue_row(context, site, a.id)
        assert "The audit gives 38 percent, not 40." in row and "disputed" in row
        assert "Agreed: table 3 of the audit." in row
    finally:
        context.close()


# Tab from the marker whose note is open until the focus is on the popup's first "edit"
TAB_TO_EDIT = 40


@pytest.mark.parametrize("width", WIDTHS)
def test_edit_and_reply_in_the_note_popup(site, browser, width):
    _, note = _claim_and_note(site["db"], 10 + WIDTHS.index(width))
    a = _annotate(site["db"], footnote_id=note, tags=["verified"], motivation="assessing",
                  body="Quoted right.")
    context, page = _page(browser, site, width)
    try:
        page.goto(site["reader"])
        page.evaluate("window.__stayed = true")
        marker = page.locator(f"#ct-text sup a.marker[data-note='{note}']").first
        marker.scroll_into_view_if_needed()
        marker.focus()
        marker.press("Enter")
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        item = popup.locator(f".ct-popup-annotations li.ct-anno[data-annotation='{a.id}']")
        assert item.locator(".ct-anno-body").inner_text() == "Quoted right."
        assert popup.locator(".ct-popup-annotations li.ct-anno").count() == 1  # this note's only
        # the keyboard reaches the popup's edit control from the marker
        for _ in range(TAB_TO_EDIT):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('#note-popup details.ct-anno-edit > summary')"):
                break
        else:
            pytest.fail("Tab from the marker never reached the popup's edit control")

        said = _edit(item, "Page **4** of the Act says otherwise.", "misquoted", "verified")
        assert said.startswith(f"Saved: annotation {a.id} changed")
        _reply(item, "I read page 5.")
        assert not popup.is_hidden()  # the popup stays open, on its note
        assert popup.get_attribute("data-note") == str(note)
        # the margin's item (in the closed drawer at 390 px) shows the same at once
        margin = page.locator(f"#annotation-{a.id}")
        assert margin.locator(".ct-anno-body strong").text_content() == "4"
        assert margin.locator(".ct-anno-tags").text_content().split() == ["misquoted"]
        assert "I read page 5." in margin.locator("ol.ct-replies").text_content()
        # ... and its edit form holds what is stored now
        assert margin.locator("form[data-kind=edit] textarea").input_value() == (
            "Page **4** of the Act says otherwise.")
        assert margin.locator("form[data-kind=edit] input[value=misquoted]").is_checked()
        assert page.evaluate("window.__stayed") is True
        assert page.js_errors == []

        stored, history, thread = _stored(site["db"], a.id)
        assert (stored.body, stored.tags, stored.target.footnote_id) == (
            "Page **4** of the Act says otherwise.", ["misquoted"], note)
        assert history[-1].action == "update" and history[-1].actor == "root"
        assert history[-1].changes["body"] == ["Quoted right.",
                                               "Page **4** of the Act says otherwise."]
        assert [(r.author, r.body) for r in thread] == [("root", "I read page 5.")]
        row = _queue_row(context, site, a.id)
        assert "Page 4 of the Act says otherwise." in row and "I read page 5." in row
    finally:
        context.close()


def test_a_verdict_saved_in_the_popup_can_be_edited_at_once(site, browser):
    _, note = _claim_and_note(site["db"], 20)
    context, page = _page(browser, site, 1400)
    try:
        page.goto(site["reader"])
        page.evaluate("window.__stayed = true")
        page.locator(f"#ct-text sup a.marker[data-note='{note}']").first.click()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        assert popup.locator(".ct-popup-annotations").is_hidden()  # none on this note yet
        popup.locator("form.ct-popup-verdicts textarea").fill("Checked.")
        popup.locator("form.ct-popup-verdicts button[value=verified]").click()
        popup.locator("form.ct-popup-verdicts button.ct-undo").wait_for()
        item = popup.locator(".ct-popup-annotations li.ct-anno")
        assert item.count() == 1 and item.is_visible()
        new_id = int(item.get_attribute("data-annotation"))
        # listed in the margin too, both with their edit and reply forms
        assert page.locator(f"#annotation-{new_id} form.ct-thread-form").count() == 2
        assert page.locator(f"#annotation-{new_id}").get_attribute("data-note") == str(note)
        _edit(item, "Checked against the gazette.", "disputed", "verified")
        stored, history, _ = _stored(site["db"], new_id)
        assert (stored.body, stored.tags) == ("Checked against the gazette.", ["disputed"])
        assert [h.action for h in history] == ["create", "update"]
        # the popup shown again lists the margin's copy, as edited
        page.keyboard.press("Escape")
        page.locator(f"#ct-text sup a.marker[data-note='{note}']").first.click()
        assert popup.locator(".ct-popup-annotations .ct-anno-body").inner_text() == (
            "Checked against the gazette.")
        assert page.evaluate("window.__stayed") is True
        assert page.js_errors == []
    finally:
        context.close()


ON_SCREEN = """() => {
  const box = document.getElementById("note-popup").getBoundingClientRect();
  return box.top >= 0 && box.bottom <= document.documentElement.clientHeight;
}"""


def test_the_note_popup_stays_on_screen_as_it_grows(site, browser):
    """Opened just above the bottom of the window, the popup fits below its marker; opening
    the reply form of an annotation in it makes it taller: it is placed again, whole on
    screen (it used to run off the bottom)."""
    _, note = _claim_and_note(site["db"], 25)
    a = _annotate(site["db"], footnote_id=note, tags=["verified"], body="Looks right.")
    context, page = _page(browser, site, 1400)
    try:
        # tall enough for the grown popup (at most 60% of the window, then it scrolls)
        page.set_viewport_size({"width": 1400, "height": 1400})
        page.goto(site["reader"])
        marker = page.locator(f"#ct-text sup a.marker[data-note='{note}']").first
        marker.scroll_into_view_if_needed()
        marker.click()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        height = popup.evaluate("p => p.offsetHeight")
        page.keyboard.press("Escape")
        popup.wait_for(state="hidden")
        # the marker's line scrolled to leave 20 px under the popup
        marker.evaluate("""(m, h) => window.scrollBy(0, m.getBoundingClientRect().bottom
                               - (document.documentElement.clientHeight - h - 20))""", height)
        marker.click()
        popup.wait_for(state="visible")
        assert popup.bounding_box()["y"] > marker.bounding_box()["y"]  # below its marker
        assert page.evaluate(ON_SCREEN)
        item = popup.locator(f"li.ct-anno[data-annotation='{a.id}']")
        item.locator("details.ct-anno-reply > summary").click()
        reply = item.locator("form[data-kind=reply] textarea")
        reply.wait_for(state="visible")
        assert popup.evaluate("p => p.offsetHeight") > height + 20  # it grew
        page.wait_for_function(ON_SCREEN, timeout=3000)
        box, view = reply.bounding_box(), page.viewport_size
        assert 0 <= box["y"] and box["y"] + box["height"] <= view["height"]
        assert page.js_errors == []
    finally:
        context.close()


def test_readers_without_the_permission_see_the_thread_but_no_forms(site, browser):
    _, note = _claim_and_note(site["db"], 30)
    a = _annotate(site["db"], footnote_id=note, tags=["disputed"], body="Wrong year.")
    conn = open_db(str(site["db"]))
    api.reply(conn, a.id, body="Fixed in the errata.", author="ben")
    conn.close()
    context, page = _page(browser, site, 1400, signed_in=False)
    try:
        page.goto(site["reader"])
        margin = page.locator(f"#annotation-{a.id}")
        assert "Fixed in the errata." in margin.locator("ol.ct-replies").inner_text()
        assert page.locator("form.ct-thread-form").count() == 0
        page.locator(f"#ct-text sup a.marker[data-note='{note}']").first.click()
        copy = page.locator(f"#note-popup li.ct-anno[data-annotation='{a.id}']")
        assert copy.locator(".ct-anno-body").first.inner_text() == "Wrong year."
        assert "Fixed in the errata." in copy.inner_text()
        assert copy.locator("form").count() == 0
        assert page.js_errors == []
    finally:
        context.close()


def test_edit_and_reply_on_the_trace_page(site, browser):
    claim, _ = _claim_and_note(site["db"], 40)
    a = _annotate(site["db"], claim_id=claim, tags=["verified"], motivation="assessing",
                  body="Matches the source.")
    context, page = _page(browser, site, 1400)
    try:
        page.goto(f"{site['base']}/sample/-/citetrace/claims/{claim}")
        page.evaluate("window.__stayed = true")
        item = page.locator(f".ct-claim-annotations li.ct-anno[data-annotation='{a.id}']")
        _edit(item, "Matches the source, p. 12.", "needs-source", "verified")
        _reply(item, "Which edition?")
        assert item.locator(".ct-anno-body").first.inner_text() == "Matches the source, p. 12."
        assert item.locator(".ct-anno-tags").inner_text().split() == ["needs-source"]
        assert "Which edition?" in item.locator("ol.ct-replies").inner_text()
        assert page.evaluate("window.__stayed") is True
        stored, history, thread = _stored(site["db"], a.id)
        assert (stored.body, stored.tags) == ("Matches the source, p. 12.", ["needs-source"])
        assert history[-1].changes["tags"] == [["verified"], ["needs-source"]]
        assert [r.body for r in thread] == ["Which edition?"]
        page.reload()  # as the server renders it: the reply under its annotation, not beside
        assert page.locator(".ct-claim-annotations > li").count() == 1
        assert "Which edition?" in item.locator("ol.ct-replies").inner_text()
        assert page.js_errors == []
    finally:
        context.close()
