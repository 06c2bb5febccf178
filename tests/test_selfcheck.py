"""The extraction's self-check (table extraction_checks): quiet on a document read right,
loud on one whose notes the extractor is forced to miss. Real PDF (the sample report), real
SQLite, the real CLI."""

import asyncio
import shutil
import sqlite3

import pytest
from click.testing import CliRunner
from datasette.app import Datasette

import citetrace.ingest.extract as extract_module
from citetrace.ingest.quality import evaluate
from citetrace.ingest.selfcheck import sequence_faults
from citetrace.plugins.cli import cli


def _ingest(pdf, db):
    return CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db), "--quiet"])


def _check(db) -> dict:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("select * from extraction_checks")]
    assert len(rows) == 1
    return rows[0]


def _home(db) -> str:
    """The database's citetrace home page, from the real Datasette app."""
    response = asyncio.run(Datasette([str(db)]).client.get(f"/{db.stem}/-/citetrace"))
    assert response.status_code == 200
    return response.text


def test_a_document_read_right_is_ok(sample, tmp_path):
    pdf, gold = sample
    db = tmp_path / "ok.db"
    result = _ingest(pdf, db)
    assert result.exit_code == 0, result.output
    assert "0 suspect" in result.stdout and "warning" not in result.stderr
    check = _check(db)
    assert check["verdict"] == "ok" and check["reasons"] == ""
    assert check["notes_found"] >= 25
    assert check["label_gaps"] == check["label_duplicates"] == 0
    assert check["notes_without_marker"] == check["markers_without_note"] == 0
    assert check["note_like_lines"] == 0
    assert 0 < check["passages_per_page"] < 30 and check["heading_share"] < 0.45
    assert "Suspect extraction" not in _home(db)
    # eval: no collapsed document, none of the good ones called suspect
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    shutil.copy(gold, gold_dir)
    agg = evaluate(db, gold_dir).aggregate
    assert (agg.collapsed, agg.good, agg.good_suspect) == (0, 1, 0)


@pytest.mark.parametrize("broken", ["find_note_zones", "split_notes"])
def test_notes_the_extractor_is_forced_to_miss_make_the_document_suspect(
        sample, tmp_path, monkeypatch, broken):
    # Workers are forked from this process, so they run the broken extractor too.
    pdf, gold = sample
    if broken == "find_note_zones":
        monkeypatch.setattr(extract_module, "find_note_zones", lambda pages, size: None)
    else:  # notes found, then lost: only every third one survives
        real = extract_module.split_notes
        monkeypatch.setattr(extract_module, "split_notes", lambda pages: real(pages)[::3])
    db = tmp_path / "broken.db"
    result = _ingest(pdf, db)
    assert result.exit_code == 0, result.output
    assert "1 suspect" in result.stdout
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 1 and pdf.name in warnings[0] and "suspect" in warnings[0]
    check = _check(db)
    assert check["verdict"] == "suspect" and check["reasons"]
    if broken == "find_note_zones":
        assert check["notes_found"] == 0
        assert check["markers_without_note"] >= 20 and check["note_like_lines"] >= 20
        assert "raised numbers in the text match no note" in check["reasons"]
    else:
        assert check["label_gaps"] >= 10
        assert "labels missing from the note sequence" in check["reasons"]
    # the home page says so, with the reasons, beside the document
    home = _home(db)
    assert "<strong>Suspect extraction:</strong>" in home
    assert check["reasons"].split(";")[0].replace("'", "&#39;") in home
    # eval agrees: the collapsed document is flagged
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    shutil.copy(gold, gold_dir)
    agg = evaluate(db, gold_dir).aggregate
    assert (agg.collapsed, agg.collapsed_suspect) == (1, 1)


@pytest.mark.parametrize("labels, faults", [
    (["1", "2", "3"], (0, 0)),
    (["1", "2", "5", "6"], (2, 0)),
    (["1", "2", "1", "2"], (0, 0)),  # numbering restarts (per chapter)
    (["1", "2", "2", "3"], (0, 1)),
    (["3", "4", "2"], (2, 1)),  # starts at 3: 1 and 2 missing; back to 2 is no restart
    (["i", "ii", "iv"], (1, 0)),
])
def test_label_sequence_faults(labels, faults):
    assert sequence_faults(labels) == faults
