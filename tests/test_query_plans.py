"""Queries that must stay cheap on a collection of 10,000+ documents (docs/scaling.md): their
plans read an index in order instead of sorting or scanning whole tables."""

from __future__ import annotations

from citetrace.db.store import open_db
from citetrace.plugins.metadata import canned_queries
from citetrace.plugins.queries import TOP_SOURCES_SQL


def _plan(conn, sql: str, params=()) -> str:
    return "\n".join(row[-1] for row in conn.execute(f"explain query plan {sql}", params))


def test_claims_needing_a_source_read_in_index_order(tmp_path):
    conn = open_db(str(tmp_path / "c.db")).conn
    plan = _plan(conn, canned_queries()["claims_needing_source"]["sql"])
    assert "idx_claims_needs_source_score_id" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of every claim needing a source


def test_most_cited_sources_grouped_from_a_covering_index(tmp_path):
    conn = open_db(str(tmp_path / "c.db")).conn
    plan = _plan(conn, TOP_SOURCES_SQL, [10])
    assert "COVERING INDEX idx_note_sources_source_id_document_id_footnote_id" in plan, plan
    assert "footnotes" not in plan, plan  # the document comes from note_sources itself


def test_one_documents_note_sources_found_from_its_notes(tmp_path):
    from citetrace.db.note_sources import _FILL

    conn = open_db(str(tmp_path / "c.db")).conn
    plan = _plan(conn, _FILL.format(and_document="and f.document_id = :doc").split("\n", 2)[2],
                 {"doc": 1})
    # every citations lookup goes through a note of the document, never all the short forms
    assert "idx_citations_source_id" not in plan, plan
    assert "SCAN" not in plan, plan


def _references(conn) -> list[tuple[str, str, str]]:
    """(table, column, table referred to) of every foreign key the schema declares."""
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")]
    return sorted((t, fk[3], fk[2]) for t in tables
                  for fk in conn.execute(f'pragma foreign_key_list("{t}")'))


def test_every_reference_is_looked_up_through_an_index(tmp_path):
    # Deleting a row makes SQLite look it up in every table referring to it; without an
    # index on the referring column each lookup reads the whole table (a re-ingest of one
    # document took 3 minutes at 3,000 documents). Every declared reference, so a table or
    # column added later is held to it too.
    conn = open_db(str(tmp_path / "c.db")).conn
    references = _references(conn)
    assert len(references) > 30  # the schema's, not an empty file's
    scans = {(t, col): _plan(conn, f'select 1 from "{t}" where "{col}" = ?', [1])
             for t, col, _ in references}
    assert not {k: p for k, p in scans.items() if "SCAN" in p}, scans


def test_deleting_a_document_reads_only_its_rows(tmp_path):
    # what remove_document and a re-ingest run, with the lookups foreign keys add to each
    from citetrace.db.store import SOLE_SOURCES_SQL, DOCUMENT_TABLES

    conn = open_db(str(tmp_path / "c.db")).conn
    deletes = [f"delete from {t} where {rows}" for t, rows in DOCUMENT_TABLES.items()]
    deletes += ["delete from documents where id = ?",
                # its annotations, orphaned (annotations.anchor.orphan_document)
                "select * from annotations where document_sha256 = ? order by id"]
    # every table some other table refers to: its rows are deleted one way or another
    deletes += [f'delete from "{parent}" where id = ?'
                for parent in sorted({p for _, _, p in _references(conn)})]
    plans = {sql: _plan(conn, sql, [1]) for sql in deletes}
    # the sources it alone cites, counted for `citetrace remove`'s summary: only the list of
    # documents removed together (a JSON array) is read whole
    plans[SOLE_SOURCES_SQL] = "\n".join(
        line for line in _plan(conn, SOLE_SOURCES_SQL, {"document": 1, "going_count": 1,
                                                         "going": "[1]"}).splitlines()
        if "json_each" not in line)
    assert not {sql: p for sql, p in plans.items() if "SCAN" in p}, plans


def test_the_trace_pages_other_claims_seek_each_note_in_the_sources_index(tmp_path):
    # One row per listed claim and shared source: the claim's notes are looked up in the
    # (source_id, document_id, footnote_id) index with all three, not by walking every note
    # citing a source cited across the collection (1,000 documents: the other claims took 20.9 ms
    # of CPU a page, 12.3 with the count below; measured in one process, back to back).
    from citetrace.db.trace import _OTHER_CLAIMS_SQL

    conn = open_db(str(tmp_path / "c.db")).conn
    plan = _plan(conn, _OTHER_CLAIMS_SQL.format(claims="?, ?", ids="?, ?"), [1, 2, 3, 4, 5])
    assert "idx_note_sources_source_id_document_id_footnote_id " \
           "(source_id=? AND document_id=? AND footnote_id=?)" in plan, plan
