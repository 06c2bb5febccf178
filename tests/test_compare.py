"""db.compare: two databases table by table (the check that a refactoring changed no row)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from citetrace.db.compare import compare, main, report
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Claim, Document, Footnote, Marker, PageInfo, Passage

BOX = (50.0, 100.0, 500.0, 140.0)


def _doc(path: str) -> Document:
    text = "Rents rose 40% between 2010 and 2020."
    return Document(
        path=path, sha256="c" * 64, filename="c.pdf", title="Rents", page_count=1,
        pages=[PageInfo(1, 612, 792)],
        passages=[Passage(0, 1, "paragraph", text, BOX)],
        footnotes=[Footnote("1", 1, "footnote", "Housing Institute, Rent Trends (2021).", BOX)],
        markers=[Marker(0, "1", 1, len(text), len(text), note=0)],
        citations=[Citation(0, 0, "Housing Institute, Rent Trends (2021).", title="Rent Trends",
                            source_key="title:rent trends")],
        claims=[Claim(0, 0, len(text), text, "quantitative", 0.9, ["number"], notes=[0])],
    )


@pytest.fixture
def pair(tmp_path):
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.db"
        db = open_db(str(path))
        write_document(db, _doc(f"/elsewhere/{name}/c.pdf"), "test")  # path: volatile
        db.close()
        paths.append(path)
    conn = sqlite3.connect(paths[1])
    with conn:  # ingested later: volatile too
        conn.execute("update documents set ingested_at = '2099-01-01T00:00:00+00:00'")
    conn.close()
    return paths


def _edit(path, *statements):
    conn = sqlite3.connect(path)
    with conn:
        for sql in statements:
            conn.execute(sql)
    conn.close()


def test_same_rows_are_identical_whatever_the_volatile_columns(pair):
    result = compare(*pair)
    assert result.identical
    rows = {t.table: t.rows for t in result.tables}
    assert rows["passages"] == rows["claims"] == rows["citations"] == (1, 1)
    assert "documents" in rows and "citetrace_meta" not in rows
    assert not any(t.endswith("_fts") or "_fts_" in t for t in rows)
    assert report(result)[-1].startswith("IDENTICAL: ")


def test_a_changed_row_is_reported_with_its_table(pair):
    _edit(pair[1], "update claims set score = 0.5")
    result = compare(*pair)
    assert not result.identical
    [claims] = [t for t in result.tables if not t.identical]
    assert claims.table == "claims" and claims.counts_only == (1, 1)
    lines = report(result)
    assert "claims: 1 vs 1 rows; 1 only in A, 1 only in B" in lines
    assert any(line.startswith("  only in B: id=1, ") and "score=0.5" in line for line in lines)
    assert lines[-1].startswith("DIFFERENT: ")


def test_missing_rows_tables_and_columns_are_reported(pair):
    _edit(pair[1], "delete from claim_footnotes", "create table extra (x)",
          "alter table sources add column note text")
    lines = report(compare(*pair))
    assert "extra: only in B" in lines
    assert "claim_footnotes: 1 vs 0 rows; 1 only in A, 0 only in B" in lines
    assert "  columns only in B: note" in lines


def test_command_line_exit_status(pair, tmp_path, capsys):
    assert main([str(p) for p in pair]) == 0
    _edit(pair[1], "update passages set text = 'Rents fell.'")
    assert main([str(p) for p in pair]) == 1
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all " * 100)
    assert main([str(pair[0]), str(junk)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {junk}: not a SQLite database (file is not a database)"]
    run = subprocess.run([sys.executable, "-m", "citetrace.db.compare", *map(str, pair)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "passages: 1 vs 1 rows; 1 only in A, 1 only in B" in run.stdout


def test_renumbered_ids_ignore_the_order_documents_were_written_in(tmp_path, capsys):
    from dataclasses import replace

    c = _doc("/x/c.pdf")
    d = replace(_doc("/x/d.pdf"), sha256="d" * 64, filename="d.pdf", title="Fees")
    paths = []
    for name, docs in (("cd", (c, d)), ("dc", (d, c))):  # as two workers may finish them
        path = tmp_path / f"{name}.db"
        db = open_db(str(path))
        for doc in docs:
            write_document(db, doc, "test")
        db.close()
        paths.append(path)
    assert not compare(*paths).identical  # the same rows under other ids
    assert compare(*paths, renumbered=True).identical
    assert main(["--renumber", *map(str, paths)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("IDENTICAL")
    # a reference to the other document's row is a difference, however the ids are numbered
    _edit(paths[1], "update footnote_refs set passage_id = (select min(id) from passages) "
                    "where document_id = (select max(id) from documents)")
    result = compare(*paths, renumbered=True)
    assert [t.table for t in result.tables if not t.identical] == ["footnote_refs"]


def test_which_citation_came_first_is_write_order_and_ignored_when_renumbered(tmp_path):
    """A document retried on another worker is written last: its citations get later ids and
    the first citation giving a title becomes another document's (test_dask_executor's
    killed-worker run). With write order ignored that column says nothing; plain compare
    still sees it."""
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.db"
        db = open_db(str(path))
        write_document(db, _doc("/x/c.pdf"), "test")
        db.close()
        paths.append(path)
    votes = sqlite3.connect(paths[0]).execute(
        "select count(*) from source_title_votes where first_citation_id is not null").fetchone()[0]
    assert votes > 0
    _edit(paths[1], "update source_title_votes set first_citation_id = first_citation_id + 1")
    assert compare(*paths, renumbered=True).identical
    plain = compare(*paths)
    assert [t.table for t in plain.tables if not t.identical] == ["source_title_votes"]
