"""The `citetrace` command end to end on the bundled sample report: real PDF, real SQLite,
real spaCy pipeline, the Datasette app; expectations read from the sample's gold file."""

import asyncio
import json
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import ingest_sample
from datasette.app import Datasette

from citetrace.ingest.quality import evaluate, reading_order_agreement
from citetrace.ingest import EXTRACTOR_VERSION
from citetrace.plugins.cli import cli


@pytest.fixture(scope="module")
def ingested(sample, tmp_path_factory):
    pdf, gold = sample
    return ingest_sample(pdf, tmp_path_factory.mktemp("cli")), pdf, gold


def test_ingesting_the_sample_gives_exactly_its_gold(ingested):
    db, pdf, gold = ingested
    report = evaluate(db, gold.parent)
    (d,) = report.documents
    g = json.loads(gold.read_text())
    assert d.notes_gold == len(g["footnotes"]) >= 25
    assert d.note_f1 == 1.0 and d.note_text == 1.0
    assert d.marker_f1 == 1.0
    assert d.url_f1 == 1.0
    assert d.note_leak == 0 and d.furniture_leak == 0


def test_sample_notes_markers_and_reading_order(ingested):
    db, pdf, gold = ingested
    g = json.loads(gold.read_text())
    con = sqlite3.connect(db)
    notes = {label: (page, text, cont) for label, page, text, cont in con.execute(
        "select label, page, text, continues_on_page from footnotes")}
    for n in g["footnotes"]:
        assert notes[n["label"]] == (n["page"], n["text"], n["continues_on_page"])
    # every marker is linked to the note with its own label, on the gold page
    refs = sorted(con.execute(
        "select r.label, r.page from footnote_refs r join footnotes f on f.id = r.footnote_id "
        "where f.label = r.label"))
    assert refs == sorted((m["label"], m["page"]) for m in g["markers"])
    # marker offsets sit right after the words the gold says precede the marker
    for label, text, start in con.execute(
            "select r.label, p.text, r.start from footnote_refs r join passages p on p.id = r.passage_id"):
        before = next(m["before"] for m in g["markers"] if m["label"] == label)
        assert text[:start].endswith(before), (label, text[max(0, start - 60):start])
    passages = [t for (t,) in con.execute("select text from passages order by seq")]
    assert reading_order_agreement(passages, [b["text"] for b in g["blocks"]]) >= 0.98
    body = " ".join(passages)
    for f in g["furniture"]:
        assert f not in body


def test_claims_link_marker_sentences_to_their_notes(ingested):
    db, pdf, gold = ingested
    g = json.loads(gold.read_text())
    con = sqlite3.connect(db)
    linked = {(text, label) for text, label in con.execute(
        "select c.text, f.label from claims c join claim_footnotes cf on cf.claim_id = c.id "
        "join footnotes f on f.id = cf.footnote_id")}
    found = sum(any(m["sentence"].endswith(t.strip()) or t.strip() in m["sentence"]
                    for t, lab in linked if lab == m["label"]) for m in g["markers"])
    assert found >= 0.9 * len(g["markers"])


def test_reingest_unchanged_is_skipped_and_force_replaces(ingested, tmp_path):
    db, pdf, gold = ingested
    runner = CliRunner()
    again = runner.invoke(cli, ["ingest", str(pdf), "--db", str(db), "--quiet"])
    assert again.exit_code == 0 and "0 ingested, 1 unchanged" in again.output
    con = sqlite3.connect(db)
    before = con.execute("select count(*) from footnotes").fetchone()[0]
    forced = runner.invoke(cli, ["ingest", str(pdf), "--db", str(db), "--force", "--quiet"])
    assert forced.exit_code == 0 and "1 ingested" in forced.output
    assert con.execute("select count(*) from documents").fetchone()[0] == 1
    assert con.execute("select count(*) from footnotes").fetchone()[0] == before
    # a file stored by another extractor version is read again, without --force
    with con:
        con.execute("update documents set extractor_version = '0.0.1'")
    newer = runner.invoke(cli, ["ingest", str(pdf), "--db", str(db), "--quiet"])
    assert newer.exit_code == 0 and "1 ingested, 0 unchanged" in newer.output
    assert con.execute("select extractor_version from documents").fetchone()[0] == EXTRACTOR_VERSION
    assert con.execute("select count(*) from footnotes").fetchone()[0] == before


def test_furniture_is_kept_out_of_passages_and_listed(ingested):
    db, pdf, gold = ingested
    con = sqlite3.connect(db)
    header, footer = json.loads(gold.read_text())["furniture"]
    rows = con.execute("select page, reason, text from furniture").fetchall()
    heads = {page for page, reason, text in rows if reason == "running head" and text == header}
    pages = con.execute("select page_count from documents").fetchone()[0]
    assert heads == set(range(2, pages + 1))  # the sample prints no running head on page 1
    assert not con.execute("select count(*) from passages where text like ?",
                           [f"%{header}%"]).fetchone()[0]


def test_bad_files_fail_alone_with_one_line_errors(sample, tmp_path):
    pdf, gold = sample
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    text = tmp_path / "notes.pdf"
    text.write_text("hello, I am not a PDF")
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(pdf.read_bytes()[:3000])
    copy = tmp_path / "copy-of-sample.pdf"
    shutil.copy(pdf, copy)
    db = tmp_path / "bad.db"
    result = CliRunner().invoke(cli, ["ingest", str(empty), str(text), str(truncated), str(pdf),
                                      str(copy), "--db", str(db), "--quiet"])
    assert result.exit_code == 1
    out = result.output
    assert f"error: {empty}: empty file (0 bytes)" in out
    assert f"error: {text}: not a PDF (no %PDF header)" in out
    assert f"error: {truncated}: " in out
    assert "1 ingested, 0 unchanged, 1 duplicates, 3 failed" in out
    con = sqlite3.connect(db)
    rows = con.execute("select filename, filenames from documents").fetchall()
    assert len(rows) == 1 and json.loads(rows[0][1]) == [pdf.name, copy.name]
    assert con.execute("select count(*) from passages where document_id not in "
                       "(select id from documents)").fetchone()[0] == 0


def test_schema_is_the_public_contract(ingested):
    db, _, _ = ingested
    con = sqlite3.connect(db)
    contract = {
        "documents": {"id", "sha256", "filename", "title", "page_count", "ingested_at", "extractor_version"},
        "pages": {"document_id", "page", "width", "height"},
        "passages": {"id", "document_id", "seq", "page", "kind", "text", "bbox"},
        "footnotes": {"id", "document_id", "label", "page", "kind", "text", "bbox"},
        "footnote_refs": {"id", "document_id", "passage_id", "footnote_id", "label", "page", "start", "end"},
        "citations": {"id", "footnote_id", "seq", "text", "url", "title", "authors", "publisher", "date", "source_id"},
        "sources": {"id", "key", "url", "title", "publisher"},
        "entities": {"id", "document_id", "passage_id", "start", "end", "text", "label"},
        "claims": {"id", "document_id", "passage_id", "start", "end", "text", "kind", "score"},
        "claim_footnotes": {"claim_id", "footnote_id"},
        "furniture": {"id", "document_id", "page", "reason", "text", "bbox"},
    }
    for table, cols in contract.items():
        have = {r[1] for r in con.execute(f"pragma table_info({table})")}
        assert cols <= have, (table, cols - have)
    fts = {r[0] for r in con.execute("select name from sqlite_master where name like '%_fts'")}
    assert {"passages_fts", "footnotes_fts", "claims_fts"} <= fts
    assert con.execute("pragma user_version").fetchone()[0] >= 1
    assert con.execute("pragma foreign_key_check").fetchall() == []
    kinds = {k for (k,) in con.execute("select distinct kind from passages")}
    assert kinds <= {"heading", "paragraph", "caption", "pullquote", "list_item"}
    assert {"heading", "paragraph", "caption", "pullquote"} <= kinds


def test_datasette_serves_the_ingested_sample(ingested):
    db, _, gold = ingested
    g = json.loads(gold.read_text())

    async def run():
        ds = Datasette([str(db)])
        await ds.invoke_startup()
        doc = (await ds.client.get("/sample/documents.json?_shape=array")).json()[0]
        reader = await ds.client.get(f"/sample/-/citetrace/documents/{doc['id']}")
        return doc, reader

    doc, reader = asyncio.run(run())
    assert reader.status_code == 200
    html = reader.text
    assert doc["page_count"] == g["pages"]
    assert html.count('class="marker"') == len(g["markers"])
    assert "Ibid." in html
