"""note_sources: short forms resolved once, at ingest (and by migration 3 for older files);
the pages, the canned query and the trace read it, never re-resolving."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.migrate import SCHEMA_VERSION
from citetrace.db.store import open_db, open_readonly, write_document
from citetrace.db.trace import read_claim
from citetrace.ingest.model import Citation, Claim, Document, Footnote, Marker, Passage
from citetrace.plugins import queries
from citetrace.plugins.cli import cli

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

RELEASE_1 = Path(__file__).parent / "data" / "release-1.db"
BOX = (72.0, 72.0, 300.0, 90.0)


def _document(sha: str = "a" * 64) -> Document:
    """Note 1 cites two works; note 2 is "Supra note 1." with no source of its own (it reaches
    note 1's two); note 3 cites a work directly and through an Ibid. that has its source."""
    said = ["Tariffs rose.", "They fell again.", "Then they rose."]
    text = " ".join(said)  # markers stand after each sentence (removed from the text)
    starts = [text.index(x) for x in said]
    ends = [start + len(x) for start, x in zip(starts, said)]
    notes = [Footnote(label, 1, "footnote", body, BOX) for label, body in (
        ("1", "Water Board, Annual Report (2020); J. Smith, Prices (2019)."),
        ("2", "Supra note 1."),
        ("3", "Ibid.; K. Lee, Rates (2021)."))]
    cites = [
        Citation(0, 0, "Water Board, Annual Report (2020)", title="Annual Report",
                 source_key="title:annual report"),
        Citation(0, 1, "J. Smith, Prices (2019)", title="Prices", source_key="title:prices"),
        Citation(1, 0, "Supra note 1.", short_form="supra", refers_to=0),
        Citation(2, 0, "Ibid.", short_form="ibid", refers_to=0, title="Prices",
                 source_key="title:prices"),
        Citation(2, 1, "K. Lee, Rates (2021)", title="Rates", source_key="title:rates"),
    ]
    sentences = [Claim(0, s, e, text[s:e], "quantitative", 0.9, notes=[i], support="marker")
                 for i, (s, e) in enumerate(zip(starts, ends))]
    return Document(
        path="x.pdf", sha256=sha, filename="x.pdf", title="Tariffs", page_count=1,
        passages=[Passage(0, 1, "paragraph", text, BOX)], footnotes=notes,
        markers=[Marker(0, str(i + 1), 1, e, e, note=i) for i, e in enumerate(ends)],
        citations=cites, claims=sentences, sentences=sentences)


def _links(conn) -> set[tuple]:
    return set(conn.execute(
        "select f.label, s.key, ci.text, via.label from note_sources ns "
        "join footnotes f on f.id = ns.footnote_id join sources s on s.id = ns.source_id "
        "join citations ci on ci.id = ns.citation_id "
        "left join footnotes via on via.id = ns.via_footnote_id"))


EXPECTED = {
    ("1", "title:annual report", "Water Board, Annual Report (2020)", None),
    ("1", "title:prices", "J. Smith, Prices (2019)", None),
    ("2", "title:annual report", "Supra note 1.", "1"),  # through the short form
    ("2", "title:prices", "Supra note 1.", "1"),
    ("3", "title:prices", "Ibid.", None),  # resolved at ingest: a source of its own
    ("3", "title:rates", "K. Lee, Rates (2021)", None),
}


def test_ingest_stores_each_notes_sources_short_forms_resolved(tmp_path):
    db = open_db(str(tmp_path / "t.db"))
    doc_id = write_document(db, _document(), "test")
    assert _links(db.conn) == EXPECTED
    assert {r[0] for r in db.execute("select document_id from note_sources")} == {doc_id}
    # re-ingesting the file replaces its links, never doubling them
    write_document(db, _document(), "test")
    assert _links(db.conn) == EXPECTED
    db.close()


def test_the_trace_and_source_pages_read_the_stored_links(tmp_path):
    path = tmp_path / "t.db"
    db = open_db(str(path))
    write_document(db, _document(), "test")
    claim_2 = db.execute("select c.id from claims c join claim_footnotes cf on cf.claim_id = c.id "
                         "join footnotes f on f.id = cf.footnote_id where f.label = '2'").fetchone()[0]
    report = db.execute("select id from sources where key = 'title:annual report'").fetchone()[0]
    db.close()
    conn = open_readonly(str(path))
    page = read_claim(conn, claim_2)
    conn.close()
    # the short form reaches note 1's two works, in note 1's order; claims 1 and 3 share one
    assert [s.key for s in page.sources] == ["title:annual report", "title:prices"]
    assert page.referenced and [n.label for n in page.referenced.values()] == ["1"]
    assert sorted(o.text for o in page.other_claims) == ["Tariffs rose.", "Then they rose."]

    ds = Datasette([str(path)])
    html = asyncio.run(ds.client.get(f"/t/-/citetrace/sources/{report}")).text
    assert "They fell again." in html and "Tariffs rose." in html
    # Take the link away from the table: the pages no longer see it (they only read it).
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("delete from note_sources where via_footnote_id is not null")
    conn.close()
    ds = Datasette([str(path)])
    html = asyncio.run(ds.client.get(f"/t/-/citetrace/sources/{report}")).text
    assert "They fell again." not in html and "Tariffs rose." in html
    conn = open_readonly(str(path))
    assert [s.key for s in read_claim(conn, claim_2).sources] == []
    conn.close()


def test_migration_3_fills_the_table_of_an_older_database(tmp_path):
    path = Path(shutil.copy(RELEASE_1, tmp_path / "release-1.db"))
    # as the pages resolved short forms before the table: every direct source, and every
    # source of the note a sourceless short form refers to
    conn = sqlite3.connect(path)
    before = set(conn.execute("""
        select footnote_id, source_id, id, null from citations where source_id is not null
        union
        select c.footnote_id, r.source_id, c.id, c.refers_to_footnote_id from citations c
        join citations r on r.footnote_id = c.refers_to_footnote_id
        where c.source_id is null and r.source_id is not null"""))
    conn.close()
    assert len(before) > 40
    result = CliRunner().invoke(cli, ["upgrade", "--db", str(path)])
    assert result.exit_code == 0 and result.output == (
        f"{path}: schema version 1 -> {SCHEMA_VERSION}\n")
    conn = sqlite3.connect(path)
    assert set(conn.execute("select footnote_id, source_id, citation_id, via_footnote_id "
                            "from note_sources")) == before
    conn.close()
    again = CliRunner().invoke(cli, ["upgrade", "--db", str(path)])
    assert again.output == f"{path}: schema version {SCHEMA_VERSION}, up to date\n"


def test_a_served_older_database_says_how_to_upgrade_it(tmp_path):
    path = Path(shutil.copy(RELEASE_1, tmp_path / "release-1.db"))
    ds = Datasette([str(path)])

    async def get(url):
        return await ds.client.get(url)

    claim = asyncio.run(get("/release-1/-/citetrace/claims/1"))
    assert claim.status_code == 409
    assert f"upgrade it once with `citetrace upgrade --db {path}`" in claim.text
    assert asyncio.run(get("/release-1/-/citetrace/sources/1")).status_code == 409
    assert asyncio.run(get("/release-1/-/citetrace/documents/1")).status_code == 200
    for home in ("/release-1/-/citetrace", "/-/citetrace"):  # no self-check table: no verdicts
        assert asyncio.run(get(home)).status_code == 200, home
    conn = open_readonly(str(path))
    assert queries.top_sources(conn) is None  # the home page leaves them out
    conn.close()
