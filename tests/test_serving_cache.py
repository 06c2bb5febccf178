"""The serving caches (plugins/cache.py): the reader's rendered passages and notes and the
search results are kept per database snapshot; any commit to the database file (a re-ingest,
an annotation, a link check, a new document), made through another connection as
``citetrace ingest`` or ``check-links`` would, must show on the next request.

Each test keeps one Datasette instance (the cache lives on it) and a real SQLite file.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest
from datasette import hookimpl
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.annotations import api
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Claim, Document, Entity, Footnote, Marker, PageInfo, Passage
from citetrace.plugins.cache import SnapshotCache, snapshot_cache

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOX = (72.0, 100.0, 300.0, 140.0)
URL = "https://example.org/tariff-review"


def _doc(sha: str, passages: list[str], note: str = "Tariff Review, 2023.") -> Document:
    first = passages[0]
    return Document(
        path=f"/nonexistent/{sha}.pdf", sha256=sha * 64, filename=f"{sha}.pdf",
        title=f"Report {sha}", page_count=1, pages=[PageInfo(1, 612, 792)],
        passages=[Passage(i, 1, "paragraph", t, BOX) for i, t in enumerate(passages)],
        footnotes=[Footnote("1", 1, "footnote", note, BOX)],
        markers=[Marker(0, "1", 1, len(first), len(first), note=0)],
        citations=[Citation(0, 0, note, title="Tariff Review", url=URL, source_key=URL)],
        entities=[Entity(0, None, 0, 5, first[:5], "ORG", first[:5])],
        claims=[Claim(0, 0, len(first), first, "quantitative", 0.9, notes=[0])],
    )


def _write(path, doc: Document) -> int:
    """Write through a connection of its own, as another process would."""
    database = open_db(str(path))
    try:
        return write_document(database, doc, "test")
    finally:
        database.conn.close()


@pytest.fixture
def site(tmp_path):
    path = tmp_path / "reports.db"
    doc_id = _write(path, _doc("a", ["Tariffs rose by 40 percent in 2022.", "Nothing else."]))
    return {"path": path, "db": "reports", "doc": doc_id,
            "reader": f"/reports/-/citetrace/documents/{doc_id}"}


def get(ds, url) -> str:
    async def go():
        return await ds.client.get(url)

    r = asyncio.run(go())
    assert r.status_code == 200, (url, r.status_code, r.text[:500])
    return r.text


def test_reader_is_served_from_the_cache_until_the_database_changes(site):
    # one SQL thread: which connection answers is then fixed (a connection seen for the
    # first time empties the cache, see plugins/cache.py)
    ds = Datasette([str(site["path"])], settings={"num_sql_threads": 1})
    first = get(ds, site["reader"])
    cache = snapshot_cache(ds)
    hits = cache.hits
    again = get(ds, site["reader"])
    assert cache.hits == hits + 1
    assert again == first
    assert "rose by 40 percent" in again


def test_reader_shows_a_reingested_document(site):
    ds = Datasette([str(site["path"])])
    for _ in range(4):  # fill the cache, whichever SQL thread answers
        assert "rose by 40 percent" in get(ds, site["reader"])
    # Same file (sha256), new extraction: within the same second, with the same row ids.
    _write(site["path"], _doc("a", ["Tariffs fell by 12 percent in 2023.", "Nothing else."]))
    page = get(ds, site["reader"])
    assert "fell by 12 percent" in page
    assert "rose by 40" not in page


def test_reader_shows_new_annotations(site):
    ds = Datasette([str(site["path"])])
    for _ in range(4):
        assert "No annotations yet." in get(ds, site["reader"])
    conn = open_db(str(site["path"]))
    passage = conn.execute("select id from passages order by seq limit 1").fetchone()[0]
    api.add(conn, api.resolve_target(conn, passage_id=passage, start=0, end=7),
            body="Which tariffs?", author="ana")
    conn.close()
    page = get(ds, site["reader"])
    assert "Which tariffs?" in page and "No annotations yet." not in page


def test_reader_shows_a_new_link_check(site):
    ds = Datasette([str(site["path"])])
    for _ in range(4):
        assert "ct-health-dead" not in get(ds, site["reader"])
    conn = sqlite3.connect(site["path"])
    with conn:
        conn.execute("insert into link_checks (url, checked_at, verdict, status) "
                     "values (?, '2026-01-01T00:00:00', 'dead', 404)", [URL])
    conn.close()
    notes = re.search(r'<ol class="ct-notes".*?</ol>', get(ds, site["reader"]), re.S).group(0)
    assert 'class="ct-health ct-health-dead"' in notes


def test_search_sees_a_new_document(site):
    ds = Datasette([str(site["path"])])
    url = "/reports/-/citetrace/search?q=tariffs"

    def passages(page):
        return int(re.search(r'id="results-passages".*?<span class="ct-dim">(\d+)', page,
                             re.S).group(1))

    for _ in range(4):
        assert passages(get(ds, url)) == 1
    _write(site["path"], _doc("b", ["Water tariffs doubled in the capital."]))
    assert passages(get(ds, url)) == 2


def test_reader_fragments_render_after_other_pages(site):
    # The reader's fragments use their own (synchronous) Jinja environment; the macros they
    # import must not come from the async environment's cache (search compiles them first).
    ds = Datasette([str(site["path"])])
    get(ds, "/reports/-/citetrace/search?q=tariffs")
    page = get(ds, site["reader"])
    assert '<cite class="title"><a href="/reports/-/citetrace/sources/' in page
    assert 'href="/reports/citations/' in page  # the citation's row link


def test_snapshot_cache_bounds_and_generations():
    cache = SnapshotCache(max_chars=100)
    gen = cache.observe("db", (1, 5))
    cache.put("db", "a", "A", 60, gen)
    cache.put("db", "b", "B", 30, gen)
    assert cache.get("db", "a") == "A"  # "a" is now the most recent
    cache.put("db", "c", "C", 30, gen)  # over 100: "b", the least recent, goes
    assert cache.get("db", "b") is None and cache.get("db", "a") == "A"
    cache.put("db", "big", "X", 101, gen)  # larger than the whole cache: not kept
    assert cache.get("db", "big") is None
    # the same connection, same data_version: nothing changes
    assert cache.observe("db", (1, 5)) == gen and cache.get("db", "c") == "C"
    # a commit seen by that connection empties the database's entries...
    newer = cache.observe("db", (1, 6))
    assert newer != gen and len(cache) == 0
    # ...and what was read before it is not stored afterwards
    cache.put("db", "a", "stale", 10, gen)
    assert cache.get("db", "a") is None
    # another connection seen for the first time: nothing known about it, entries dropped
    cache.put("db", "a", "A", 10, newer)
    cache.put("other", "a", "O", 10, cache.observe("other", (1, 1)))
    cache.observe("db", (2, 9))
    assert cache.get("db", "a") is None and cache.get("other", "a") == "O"


@pytest.mark.parametrize("hidden, reader, search", [
    ("claims", 403, 403),
    ("citations", 403, 200),  # search shows no citation
])
def test_pages_refused_when_a_table_they_show_is_hidden(site, hidden, reader, search):
    ds = Datasette([str(site["path"])], metadata={
        "databases": {site["db"]: {"tables": {hidden: {"allow": False}}}}})

    async def go():
        return [(await ds.client.get(u)).status_code
                for u in (site["reader"], "/reports/-/citetrace/search?q=tariffs")]

    assert asyncio.run(go()) == [reader, search]


class _HidesClaims:
    """A plugin deciding ``view-table`` itself (as datasette-permissions-sql would)."""

    @staticmethod
    @hookimpl
    def permission_allowed(actor, action, resource):
        if action == "view-table" and resource[1] == "claims":
            return False
        return None


@pytest.mark.parametrize("metadata", [None, {"databases": {"reports": {"tables": {
    "notes_by_year": {"description": "a table the pages do not show"}}}}}])
def test_table_checks_skipped_only_when_nothing_could_decide_them(site, metadata):
    # Each view-table check costs Datasette a copy of all the metadata, so the pages skip
    # them when no rule exists; another plugin deciding them must still be asked.
    ds = Datasette([str(site["path"])], metadata=metadata)
    checks = []
    original = ds.permission_allowed

    async def counting(actor, action, resource=None, default=False):
        checks.append(action)
        return await original(actor, action, resource=resource, default=default)

    ds.permission_allowed = counting

    async def status():
        return (await ds.client.get(site["reader"])).status_code

    assert asyncio.run(status()) == 200
    assert "view-table" not in checks and "view-database" in checks
    pm.register(_HidesClaims, name="hides-claims")
    try:
        checks.clear()
        assert asyncio.run(status()) == 403
        assert "view-table" in checks
    finally:
        pm.unregister(name="hides-claims")
    assert asyncio.run(status()) == 200


def test_trace_lists_the_first_other_claims(site, monkeypatch):
    from citetrace.plugins import views

    for sha in ("b", "c"):  # two more documents citing the same source
        _write(site["path"], _doc(sha, [f"Tariffs in report {sha} rose by 9 percent."]))
    conn = sqlite3.connect(site["path"])
    claim = conn.execute("select id from claims where document_id = ?", [site["doc"]]).fetchone()[0]
    source = conn.execute("select id from sources").fetchone()[0]
    conn.close()
    monkeypatch.setattr(views, "OTHER_CLAIMS_SHOWN", 1)
    ds = Datasette([str(site["path"])])
    others = re.search(r'<section class="ct-others">(.*?)</section>',
                       get(ds, f"/reports/-/citetrace/claims/{claim}"), re.S).group(1)
    assert '<span class="ct-dim">2</span>' in others  # both other claims are counted
    assert others.count('<li class="ct-other-claim') == 1  # one is listed
    assert "The first 1 are listed" in others
    assert f'href="/reports/-/citetrace/sources/{source}"' in others
