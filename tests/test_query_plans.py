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
