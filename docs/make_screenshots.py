"""Screenshots for the README: the sample report served by `citetrace serve`, in Chromium.

    .venv/bin/python docs/make_screenshots.py [--db FILE]

Builds and ingests the sample report (unless --db is given), starts a real server, drives
Debian's /usr/bin/chromium with Playwright at 1280x800 (and the reader, a trace and the list
pages at 1400, 768 and 390 px wide) and writes docs/screenshots/*.png (128-colour PNGs of
the window, not the whole page: well under 300 KB each).
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the first sentence-sized stretch of a passage's text, selected as a reader dragging would
SELECT_SENTENCE = """(sel) => {
  const walker = document.createTreeWalker(document.querySelector(sel), NodeFilter.SHOW_TEXT);
  const first = walker.nextNode();
  let last = first, seen = first.data.length, n;
  while (seen < 60 && (n = walker.nextNode())) {
    if (n.parentElement.closest("sup, .ct-tools")) continue;
    last = n; seen += n.data.length;
  }
  const r = document.createRange();
  r.setStart(first, 0); r.setEnd(last, Math.max(0, last.data.length - Math.max(0, seen - 60)));
  getSelection().removeAllRanges(); getSelection().addRange(r);
}"""
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _save(png: bytes, path: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, "PNG", optimize=True)
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    from datasette.app import Datasette
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS, serve

    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="citetrace-shots-"))
    if args.db:  # a copy: step 5 records a verdict
        db = Path(shutil.copy(args.db, work / Path(args.db).name))
    else:
        from citetrace.db.load import ingest
        from citetrace.ingest.sample import build_sample

        pdf, _ = build_sample(work / "samples")
        db = work / "sample.db"
        ingest([str(pdf)], str(db))
    name = db.stem
    conn = sqlite3.connect(db)
    doc_id, = conn.execute("select id from documents order by id").fetchone()
    # a cited claim whose source other claims cite too (the trace shows them)
    claim_id, = conn.execute(
        """select c.id from claims c join claim_footnotes cf on cf.claim_id = c.id
           join citations ci on ci.footnote_id = cf.footnote_id
           join citations ci2 on ci2.source_id = ci.source_id
           join claim_footnotes cf2 on cf2.footnote_id = ci2.footnote_id
           where c.document_id = ? and cf2.claim_id != c.id
           group by c.id order by count(distinct cf2.claim_id) desc, c.id limit 1""",
        [doc_id]).fetchone()
    passage_id, note_id = conn.execute(
        """select r.passage_id, r.footnote_id from footnote_refs r
           join passages p on p.id = r.passage_id
           where r.document_id = ? and p.page = 2 and r.footnote_id is not null
           order by p.seq, r.start limit 1""", [doc_id]).fetchone()
    flagged_id, = conn.execute("select id from claims where document_id = ? and needs_source "
                               "order by id limit 1", [doc_id]).fetchone()
    # the source most claims cite: its page pairs each claim with its note
    source_id, = conn.execute(
        """select ci.source_id from citations ci join claim_footnotes cf
           on cf.footnote_id = ci.footnote_id where ci.source_id is not null
           group by ci.source_id order by count(distinct cf.claim_id) desc, ci.source_id
           limit 1""").fetchone()
    # the server signs the reviewer's cookie with this secret (step 5 signs in as root)
    os.environ.setdefault("DATASETTE_SECRET", secrets.token_hex(16))
    OUT.mkdir(parents=True, exist_ok=True)
    with serve(db, work) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        reader = f"{base}/{name}/-/citetrace/documents/{doc_id}"

        # 1. the reader: a marker clicked, its note in the popup and the panel
        page.goto(f"{reader}#p-{passage_id}")
        page.evaluate("window.scrollBy(0, -120)")
        page.locator(f"#p-{passage_id} a.marker[data-note='{note_id}']").first.click()
        page.locator("#note-popup").wait_for(state="visible")
        page.wait_for_timeout(300)
        _save(page.screenshot(), OUT / "reader.png")

        # 2. the reader with the PDF page: the passage boxed on the page image
        page.keyboard.press("Escape")
        page.locator(f"#p-{passage_id}").hover()
        page.locator(f"#p-{passage_id} button.page-link").click()
        page.locator("#ct-pageview .ct-box").first.wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('#ct-pageview img').complete")
        page.mouse.move(5, 400)
        page.wait_for_timeout(300)
        _save(page.screenshot(), OUT / "reader-page.png")

        # 3. the trace of a claim
        page.goto(f"{base}/{name}/-/citetrace/claims/{claim_id}")
        _save(page.screenshot(), OUT / "trace.png")

        # 4. search
        page.goto(f"{base}/{name}/-/citetrace/search?q=lifeline+tariff")
        _save(page.screenshot(), OUT / "search.png")

        # 5. a reviewer's verdict on a claim that needs a source: saved in place, with undo
        cookie = Datasette(secret=os.environ["DATASETTE_SECRET"]).sign({"a": {"id": "root"}}, "actor")
        page.context.add_cookies([{"name": "ds_actor", "value": cookie, "url": base}])
        page.goto(f"{base}/{name}/-/citetrace/claims/{flagged_id}")
        page.fill("#ct-verdict-comment", "The 2019 audit gives a different figure.")
        page.click("form.ct-verdicts button[value=disputed]")
        page.locator("form.ct-verdicts button.ct-undo").wait_for(state="visible")
        _save(page.screenshot(), OUT / "trace-verdict.png")

        # 6. the reviewer's reader: select -> adder -> a verdict saved in place
        page.set_viewport_size({"width": 1400, "height": 800})
        page.goto(f"{reader}#p-{passage_id}")
        page.evaluate("window.scrollBy(0, -200)")
        page.evaluate(SELECT_SENTENCE, f"#p-{passage_id}")
        page.locator("#ct-adder").wait_for(state="visible")
        _save(page.screenshot(), OUT / "reader-adder.png")
        page.keyboard.press("a")
        page.fill("#ct-annotate-form textarea[name=body]", "The audit gives 38 percent.")
        page.click("#ct-annotate-form button[value=disputed]")
        page.locator("#ct-annotate-form button.ct-undo").wait_for(state="visible")
        _save(page.screenshot(), OUT / "reader-annotate.png")

        # 7. an annotation's thread in the note popup: a verdict, then a reply, in place
        page.goto(f"{reader}#p-{passage_id}")
        page.evaluate("window.scrollBy(0, -120)")
        page.locator(f"#p-{passage_id} a.marker[data-note='{note_id}']").first.click()
        popup = page.locator("#note-popup")
        popup.wait_for(state="visible")
        popup.locator("form.ct-popup-verdicts textarea").fill("The Act is quoted right.")
        popup.locator("form.ct-popup-verdicts button[value=verified]").click()
        item = popup.locator(".ct-popup-annotations li.ct-anno").first
        item.locator("details.ct-anno-reply > summary").click()
        item.locator("form[data-kind=reply] textarea").fill("Agreed: arts. 2–9, as **printed**.")
        item.locator("form[data-kind=reply] button[type=submit]").click()
        item.locator(".ct-thread-status.is-saved").wait_for()
        page.wait_for_timeout(300)
        _save(page.screenshot(), OUT / "reader-thread.png")

        # 8. the page viewer at 200 %, the note boxed
        page.goto(reader)
        page.locator(f"#note-{note_id} button.note-page-link").click()
        page.locator("#ct-pageview .ct-box-note").first.wait_for(state="visible")
        page.wait_for_function("() => document.querySelector('#ct-pageview img').complete")
        for _ in range(3):
            page.click("#ct-pageview .ct-pv-zoom-in")
        page.wait_for_timeout(300)
        _save(page.screenshot(), OUT / "reader-zoom.png")
        page.context.clear_cookies()

        # 9. the reader and a trace at three widths; at 390 px the notes drawer, open
        for width in (1400, 768, 390):
            context = browser.new_context(viewport={"width": width, "height": 800},
                                          has_touch=width < 900)
            narrow = context.new_page()
            narrow.goto(f"{reader}#p-{passage_id}")
            narrow.evaluate("window.scrollBy(0, -150)")  # its heading in sight
            narrow.wait_for_timeout(400)  # the notes panel follows the reading
            _save(narrow.screenshot(), OUT / f"reader-{width}.png")
            if width == 390:
                narrow.click(".ct-drawer-toggle")
                narrow.locator("#ct-side").wait_for(state="visible")
                narrow.wait_for_timeout(400)
                _save(narrow.screenshot(), OUT / "reader-390-drawer.png")
            narrow.goto(f"{base}/{name}/-/citetrace/claims/{claim_id}")
            _save(narrow.screenshot(), OUT / f"trace-{width}.png")
            context.close()

        # 10. the list pages at three widths, as a signed-in reviewer sees them (the queue's
        # actions, the verdicts recorded above)
        lists = {"start": "", "claims": "/claims?needs_source=1", "sources": "/sources",
                 "source": f"/sources/{source_id}", "health": "/health", "review": "/review"}
        for width in (1400, 768, 390):
            context = browser.new_context(viewport={"width": width, "height": 800},
                                          has_touch=width < 900)
            context.add_cookies([{"name": "ds_actor", "value": cookie, "url": base}])
            listed = context.new_page()
            for slug, path in lists.items():
                listed.goto(f"{base}/{name}/-/citetrace{path}")
                listed.wait_for_load_state("networkidle")
                _save(listed.screenshot(), OUT / f"{slug}-{width}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
