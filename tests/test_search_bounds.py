"""Bounded search work (plugins/search.py): capped counts, ranking limited to the most recent
matches, a document's search confined to its rowid range. Real SQLite file, Datasette client;
the limits are lowered so that three small documents exceed them."""

from __future__ import annotations

import asyncio
import re

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, PageInfo, Passage
from citetrace.plugins import search

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (72.0, 100.0, 300.0, 140.0)


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "reports.db"
    database = open_db(str(path))
    ids = []
    for sha, texts in (("a", ["Tariffs in Alder rose.", "Tariffs in Alder fell."]),
                       ("b", ["Tariffs in Birch rose."]),
                       ("c", ["Tariffs in Cedar rose.", "Unrelated text."])):
        ids.append(write_document(database, Document(
            path=f"/nonexistent/{sha}.pdf", sha256=sha * 64, filename=f"{sha}.pdf",
            title=f"Report {sha}", page_count=1, pages=[PageInfo(1, 612, 792)],
            passages=[Passage(i, 1, "paragraph", t, BOX) for i, t in enumerate(texts)]), "test"))
    database.conn.close()
    return {"path": path, "docs": ids}


def passages(site, url) -> tuple[str, str]:
    async def go():
        return await Datasette([str(site["path"])]).client.get(url)

    r = asyncio.run(go())
    assert r.status_code == 200, r.text[:500]
    section = re.search(r'<section class="ct-results" id="results-passages".*?</section>',
                        r.text, re.S).group(0)
    return section, r.text


def test_counts_are_capped(site, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    section, page = passages(site, "/reports/-/citetrace/search?q=tariffs")
    assert '<span class="ct-dim">3+</span>' in section  # 4 match
    assert re.search(r'id="ct-search-summary">3\+ results', page)
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    section, _ = passages(site, "/reports/-/citetrace/search?q=tariffs")
    assert '<span class="ct-dim">4</span>' in section


def test_only_the_most_recent_matches_are_ranked(site, monkeypatch):
    monkeypatch.setattr(search, "RANK_LIMIT", 2)
    section, _ = passages(site, "/reports/-/citetrace/search?q=tariffs")
    assert "among the 2 most recently ingested passages" in section
    assert '<span class="ct-dim">4</span>' in section  # the count is still every match
    shown = re.findall(r"documents/(\d+)#p-", section)
    assert sorted(set(map(int, shown))) == sorted(site["docs"][1:])  # Birch and Cedar
    monkeypatch.setattr(search, "RANK_LIMIT", 4)
    section, _ = passages(site, "/reports/-/citetrace/search?q=tariffs")
    assert "most recently ingested" not in section
    assert len(re.findall(r"documents/\d+#p-", section)) == 4


def test_one_document(site):
    a, b, c = site["docs"]
    section, _ = passages(site, f"/reports/-/citetrace/search?q=tariffs&document={a}")
    assert re.findall(r"documents/(\d+)#p-", section) == [str(a), str(a)]
    assert '<span class="ct-dim">2</span>' in section
    section, _ = passages(site, f"/reports/-/citetrace/search?q=unrelated&document={b}")
    assert "No passages match." in section
    section, _ = passages(site, "/reports/-/citetrace/search?q=tariffs&document=999")
    assert "No passages match." in section
