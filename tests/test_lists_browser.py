"""The pages added for issue 17 (start here, claims list, sources list, source page with its
claim-note pairs, health page with a bad verdict) in a real Chromium: no sideways scroll at
1400, 768 and 390 px, and no serious or critical axe-core violation. Same machinery as
tests/test_responsive.py and tests/test_accessibility.py."""

from __future__ import annotations

import sqlite3

import pytest
from annotations_support import copy_db, ingested
from test_accessibility import serious
from test_browser import browser, pytestmark, serve  # noqa: F401  (a fixture, the marks)
from test_responsive import OVERFLOW_JS


@pytest.fixture(scope="module")
def site(sample, tmp_path_factory):
    from citetrace.annotations import api
    from citetrace.db.store import open_db

    root = tmp_path_factory.mktemp("lists")
    db_path = copy_db(ingested(tmp_path_factory, sample)[0], root, "sample.db")
    conn = sqlite3.connect(db_path)
    full, = conn.execute("select id from sources where key like 'url:lwra.gov.lo/documents/"
                         "technical-reports/%'").fetchone()
    claim, = conn.execute("select cf.claim_id from claim_footnotes cf join citations c on "
                          "c.footnote_id = cf.footnote_id where c.source_id = ?", [full]).fetchone()
    conn.close()
    conn = open_db(str(db_path))
    api.add(conn, api.resolve_target(conn, claim_id=claim), author="ana", tags=["verified"])
    conn.close()
    with serve(db_path, root) as base:
        yield {"base": base, "pages": {
            "home": "/sample/-/citetrace",
            "claims": "/sample/-/citetrace/claims?needs_source=1",
            "sources": "/sample/-/citetrace/sources",
            "source": f"/sample/-/citetrace/sources/{full}",
            "health": "/sample/-/citetrace/health",
            "health (bad verdict)": "/sample/-/citetrace/health?verdict=bogus"}}


@pytest.mark.parametrize("width", (1400, 768, 390))
def test_no_sideways_scroll(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for name, url in site["pages"].items():
            page.goto(site["base"] + url)
            found = page.evaluate(OVERFLOW_JS)
            assert found["scroll"] <= found["client"], (name, width, found)
    finally:
        context.close()


def test_no_serious_axe_violations(site, browser):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    axe, found = Axe(), {}
    try:
        for name, url in site["pages"].items():
            page.goto(site["base"] + url)
            results = axe.run(page).response
            assert results["passes"], name
            if serious(results):
                found[name] = serious(results)
    finally:
        context.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)
