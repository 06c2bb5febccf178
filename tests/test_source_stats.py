"""The list of sources is stored at write time (db.source_stats): what is stored must be what
reading every citation gives (db.source_titles), after documents are added, re-ingested with
other citations and removed; and an older database gets it from migration 4.

Real documents: the sample report and two of its variants through the real pipeline (the
variants cite the same works under other names, as a collection does)."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from annotations_support import ingested
from datasette.app import Datasette

from citetrace.annotations import api
from citetrace.db import source_stats
from citetrace.db.source_titles import load_sources, short_forms
from citetrace.db.store import open_db, remove_document, write_document
from citetrace.plugins import queries, sources_pages

RELEASE_1 = Path(__file__).parent / "data" / "release-1.db"


@pytest.fixture(scope="module")
def documents(tmp_path_factory, sample):
    """The sample report and variants 1 and 2, processed once."""
    import pickle

    from citetrace.ingest import pipeline
    from citetrace.ingest.nlp import load_pipeline
    from citetrace.ingest.sample import build_sample

    sample_doc = pickle.loads(ingested(tmp_path_factory, sample)[1].read_bytes())
    nlp = load_pipeline()
    variants = [pipeline.process(build_sample(tmp_path_factory.mktemp(f"v{n}"), variant=n)[0],
                                 nlp, pipeline.Options()) for n in (1, 2)]
    return [sample_doc, *variants]


def collection(tmp_path, documents, name: str):
    """A database at tmp_path/name.db with the three documents written: (path, db)."""
    path = tmp_path / f"{name}.db"
    db = open_db(str(path))
    for doc in documents:
        write_document(db, doc, "test")
    return path, db


def computed(conn) -> tuple[dict, dict]:
    """From every citation, as the list was made before it was stored: source id -> (title,
    notes, documents), and short form -> full citation."""
    found = {sid: s for sid, s in load_sources(conn).items() if s.citations}
    return ({sid: (s.best_title, len({c["footnote_id"] for c in s.citations}),
                   len(s.documents)) for sid, s in found.items()}, short_forms(found))


def stored(conn) -> tuple[dict, dict]:
    rows = conn.execute("select id, readable_title, citing_notes, citing_documents, "
                        "short_form_of from sources where citing_notes > 0").fetchall()
    return ({r[0]: tuple(r[1:4]) for r in rows}, {r[0]: r[4] for r in rows if r[4]})


def assert_stored_is_computed(conn):
    titles, pairs = computed(conn)
    assert stored(conn) == (titles, pairs)
    return titles, pairs


def _retitled(doc, key: str, title: str):
    """``doc`` as if its file had changed: the citations of source ``key`` give another
    title, and its last notes' citations are gone (a re-ingest with other citations)."""
    keep = {c.note for c in doc.citations} - {max(c.note for c in doc.citations)}
    citations = [dataclasses.replace(c, title=title) if c.source_key == key else c
                 for c in doc.citations if c.note in keep]
    return dataclasses.replace(doc, citations=citations)


def test_stored_list_equals_the_citations_through_adds_reingests_and_removals(
        tmp_path, documents):
    db = open_db(str(tmp_path / "c.db"))
    conn = db.conn
    ids = [write_document(db, documents[0], "test")]
    _, pairs = assert_stored_is_computed(conn)
    short = conn.execute("select id from sources where key = 'title:baseline study|lwra'"
                         ).fetchone()[0]
    full = pairs[short]
    # as if first cited without a title (sources.title is the first citation's): its title
    # is then the one most of its citations give
    conn.execute("update sources set title = null where id = ?", [full])
    for doc in documents[1:]:
        ids.append(write_document(db, doc, "test"))
        titles, pairs = assert_stored_is_computed(conn)
    # the collection's shape: works cited by all three, short forms nested under them
    assert max(n for _, _, n in titles.values()) == 3
    assert pairs[short] == full
    assert titles[full][0].startswith("Baseline Study of the Municipal Water Utilities")

    # Re-ingest the second with the full citation's title shortened to the short form's in
    # all its notes: votes move, a tie, and a note's citations gone.
    full_key = conn.execute("select key from sources where id = ?", [full]).fetchone()[0]
    changed = _retitled(documents[1], full_key, "Baseline Study of the Utilities")
    assert write_document(db, changed, "test") == ids[1]
    assert_stored_is_computed(conn)
    third = dataclasses.replace(documents[2], citations=[
        dataclasses.replace(c, title="Baseline Study of the Utilities")
        if c.source_key == full_key else c for c in documents[2].citations])
    write_document(db, third, "test")
    titles, _ = assert_stored_is_computed(conn)
    assert titles[full][0] == "Baseline Study of the Utilities"  # two documents of three

    # Remove the first document (the one that gave most titles first): the others' titles
    # win, and its short forms lose the notes it gave them
    assert remove_document(db, ids[0])
    titles, pairs = assert_stored_is_computed(conn)
    assert titles[full][0] == "Baseline Study of the Utilities"
    assert conn.execute("select count(*) from citations c join footnotes f on "
                        "f.id = c.footnote_id where f.document_id = ?", [ids[0]]).fetchone() == (0,)
    assert not remove_document(db, ids[0])
    # and back: ingested again it is the newest document, its titles no longer first
    write_document(db, documents[0], "test")
    assert_stored_is_computed(conn)
    for doc_id in (ids[1], ids[2]):
        remove_document(db, doc_id)
        assert_stored_is_computed(conn)
    db.close()


def test_a_short_form_follows_its_full_citations_title_written_by_other_documents(
        tmp_path, documents):
    """Documents citing only the full citation change its title: the short form cited by
    another document loses its full citation, then finds it again when one is removed."""
    db = open_db(str(tmp_path / "f.db"))
    conn = db.conn
    first = write_document(db, documents[0], "test")
    short_key = "title:baseline study|lwra"
    short = conn.execute("select id from sources where key = ?", [short_key]).fetchone()[0]
    full = computed(conn)[1][short]
    full_key = conn.execute("select key from sources where id = ?", [full]).fetchone()[0]
    conn.execute("update sources set title = null where id = ?", [full])  # titled by votes
    others = []
    for doc in documents[1:]:
        others.append(write_document(db, dataclasses.replace(doc, citations=[
            dataclasses.replace(c, title="Utilities Baseline Report")
            if c.source_key == full_key else c
            for c in doc.citations if c.source_key != short_key]), "test"))
        titles, pairs = assert_stored_is_computed(conn)
    assert titles[full][0] == "Utilities Baseline Report" and short not in pairs
    remove_document(db, others[0])  # one each: the first document's title wins the tie
    titles, pairs = assert_stored_is_computed(conn)
    assert titles[full][0].startswith("Baseline Study of the") and pairs[short] == full
    remove_document(db, first)
    assert short not in assert_stored_is_computed(conn)[0]
    db.close()


def _votes(conn) -> list[tuple]:
    return sorted(conn.execute("select source_id, kind, value, citations, first_citation_id "
                               "from source_title_votes"))


def test_a_titles_first_citation_is_found_again_past_documents_not_giving_it(
        tmp_path, documents):
    # The first document gives a title first and is removed: the next citation giving it is
    # looked for document by document (not among every citation of the source), past a
    # document citing the source under another title.
    db = open_db(str(tmp_path / "t.db"))
    conn = db.conn
    key = sorted(set.intersection(*({c.source_key for c in d.citations if c.source_key}
                                    for d in documents)))[0]

    def titled(doc, title):
        return dataclasses.replace(doc, citations=[
            dataclasses.replace(c, title=title) if c.source_key == key else c
            for c in doc.citations])

    first = write_document(db, titled(documents[0], "Shared Title"), "test")
    write_document(db, titled(documents[1], "Another Title"), "test")
    third = write_document(db, titled(documents[2], "Shared Title"), "test")
    assert remove_document(db, first)
    source = conn.execute("select id from sources where key = ?", [key]).fetchone()[0]
    [(citations, first_citation)] = conn.execute(
        "select citations, first_citation_id from source_title_votes where source_id = ? "
        "and kind = 'title' and value = 'Shared Title'", [source])
    assert first_citation == conn.execute(
        "select c.id from citations c join footnotes f on f.id = c.footnote_id "
        "where f.document_id = ? and c.source_id = ? order by f.seq, c.seq, c.id limit 1",
        [third, source]).fetchone()[0]
    # and every vote as migration 4 computes them from all the citations
    kept = _votes(conn)
    source_stats.fill(conn)
    assert _votes(conn) == kept
    assert_stored_is_computed(conn)
    db.close()


def test_migration_4_fills_an_older_database(tmp_path, documents):
    path, db = collection(tmp_path, documents, "m")
    expected = stored(db.conn)
    # as a release before the columns left it: nothing stored, version 3
    db.conn.execute("update sources set readable_title = null, readable_title_from = null, "
                    "title_words = null, citing_notes = null, citing_documents = null, "
                    "short_form_of = null")
    db.conn.execute("delete from source_title_votes")
    db.conn.execute("pragma user_version = 3")
    db.close()
    upgraded = open_db(str(path))
    assert stored(upgraded.conn) == expected == computed(upgraded.conn)
    upgraded.close()


def test_release_1_database_gets_its_list_on_upgrade(tmp_path):
    path = Path(shutil.copy(RELEASE_1, tmp_path / "release-1.db"))
    ds = Datasette([str(path)])
    page = asyncio.run(ds.client.get("/release-1/-/citetrace/sources"))
    # served as it is, never upgraded by reading: one line naming the upgrade
    assert page.status_code == 409 and "citetrace upgrade --db" in page.text
    db = open_db(str(path))
    assert_stored_is_computed(db.conn)
    assert db.execute("select count(*) from sources where citing_notes > 0").fetchone()[0] > 10
    db.close()
    page = asyncio.run(Datasette([str(path)]).client.get("/release-1/-/citetrace/sources"))
    assert page.status_code == 200 and "Baseline Study of the Municipal Water" in page.text


def _list_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="ct-source-item" data-source="(\d+)"', html)]


def test_the_list_is_paged(tmp_path, documents, monkeypatch):
    path, db = collection(tmp_path, documents, "paged")
    listing = sources_pages.load_source_list(db.conn, page_titles=False)
    db.close()
    everything = [s["id"] for s in listing["sources"]]
    assert listing["next"] is None and len(everything) == listing["listed"] > 12
    monkeypatch.setattr(sources_pages, "SOURCES_PER_PAGE", 10)

    async def pages():
        ds = Datasette([str(path)])
        out, url = [], "/paged/-/citetrace/sources"
        while url:
            html = (await ds.client.get(url)).text
            out.append(html)
            following = re.search(r'rel="next" href="[^"]*(\?offset=\d+)"', html)
            url = "/paged/-/citetrace/sources" + following.group(1) if following else None
        return out

    html = asyncio.run(pages())
    assert len(html) == -(-len(everything) // 10)
    assert [i for page in html for i in _list_ids(page)] == everything
    assert f"Sources 11–20 of {len(everything)}" in html[1] and 'rel="prev"' in html[1]


def test_open_annotation_counts_of_the_listed_documents_only(tmp_path, documents):
    db = open_db(str(tmp_path / "a.db"))
    ids = [write_document(db, doc, "test") for doc in documents]
    for doc_id in ids[:2]:
        passage = db.execute("select id from passages where document_id = ? limit 1",
                             [doc_id]).fetchone()[0]
        api.add(db.conn, api.resolve_target(db.conn, passage_id=passage), body="check",
                author="ana")
    assert queries.open_annotation_counts(db.conn) == {ids[0]: 1, ids[1]: 1}
    assert queries.open_annotation_counts(db.conn, [ids[1], ids[2]]) == {ids[1]: 1}
    documents_page, _ = queries.list_documents(db.conn, limit=1, offset=1)
    assert [d["open_annotations"] for d in documents_page] == [1]
    db.close()


def test_source_page_shows_the_stored_forms(tmp_path, documents):
    path, db = collection(tmp_path, documents, "forms")
    titles, pairs = computed(db.conn)
    db.close()
    short = next(iter(pairs))
    full = pairs[short]
    conn = sqlite3.connect(path)
    forms = source_stats.forms_of(conn, full, page_titles=False)
    conn.close()
    assert forms["title"] == titles[full][0] and forms["full_form"] is None
    assert {"id": short, "title": titles[short][0]} in forms["short_forms"]
    html = asyncio.run(Datasette([str(path)]).client.get(f"/forms/-/citetrace/sources/{short}")).text
    assert "A short form of" in html and f"/sources/{full}" in html
