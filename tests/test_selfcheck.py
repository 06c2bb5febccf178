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
import citetrace.ingest.layout as layout_module
from citetrace.ingest.quality import evaluate
from citetrace.ingest.selfcheck import missing_labels, sequence_faults
from citetrace.ingest.variants import build_variants, make_variants
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


def _reader(db, doc_id: int) -> str:
    """A document's reader page, from the real Datasette app."""
    response = asyncio.run(Datasette([str(db)]).client.get(
        f"/{db.stem}/-/citetrace/documents/{doc_id}"))
    assert response.status_code == 200
    return response.text


# How the extraction is broken, stage by stage (monkeypatched: workers fork from this
# process and run the broken code too), and the count the self-check must see move.
BREAKS = {
    "notes missed": ("split_notes", lambda real: lambda pages: []),  # footnotes and endnotes
    "notes lost": ("split_notes", lambda real: lambda pages: real(pages)[::3]),
    "markers unlinked": ("_link_markers", lambda real: lambda doc, blocks: {}),
    "body size misread": ("dominant_size", lambda real: lambda pages: real(pages) / 2),
}


@pytest.fixture(scope="module")
def broken_and_whole(tmp_path_factory):
    """Eight reportlab variants in one database: four read by the real extractor, four each
    read with one stage broken. Returns the db, the gold dir, {filename: break or None} and
    the ingest runs' results."""
    out = tmp_path_factory.mktemp("selfcheck-variants")
    built = build_variants(out, make_variants(8, 15, producers=("reportlab",)))
    db = out / "variants.db"
    plan = {b.pdf.name: None for b in built[:4]}
    plan.update({b.pdf.name: name for b, name in zip(built[4:], BREAKS)})
    outputs = {}
    with pytest.MonkeyPatch.context() as mp:
        result = CliRunner().invoke(cli, ["ingest", *(str(b.pdf) for b in built[:4]),
                                          "--db", str(db), "--quiet"])
        outputs[None] = result
        for b in built[4:]:
            stage, wrap = BREAKS[plan[b.pdf.name]]
            module = layout_module if stage == "dominant_size" else extract_module
            real = getattr(module, stage)
            mp.setattr(module, stage, wrap(real))
            outputs[plan[b.pdf.name]] = CliRunner().invoke(
                cli, ["ingest", str(b.pdf), "--db", str(db), "--quiet"])
            mp.setattr(module, stage, real)
    return db, out, plan, outputs


def test_every_broken_variant_is_suspect_and_every_whole_one_ok(broken_and_whole):
    db, gold_dir, plan, outputs = broken_and_whole
    for name, result in outputs.items():
        assert result.exit_code == 0, result.output
        warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("warning:")]
        if name is None:
            assert "4 ingested" in result.stdout and "0 suspect" in result.stdout
            assert warnings == []
        else:  # one warning line naming the file, and the count in the summary
            assert "1 suspect" in result.stdout, (name, result.stdout)
            assert len(warnings) == 1 and "extraction suspect:" in warnings[0], (name, warnings)
    con = sqlite3.connect(db)
    rows = con.execute("select d.id, d.filename, c.verdict, c.reasons, c.notes_found,"
                       " c.markers_without_note, c.notes_without_marker, c.heading_share"
                       " from documents d join extraction_checks c on c.document_id = d.id").fetchall()
    assert len(rows) == len(plan) == 8
    verdicts = {}
    for doc_id, filename, verdict, reasons, notes, orphans, unmarked, headings in rows:
        broken = plan[filename]
        verdicts[broken or filename] = verdict
        if broken is None:
            assert (verdict, reasons) == ("ok", ""), (filename, reasons)
            assert "Suspect extraction" not in _reader(db, doc_id)
            continue
        assert verdict == "suspect", (broken, filename)
        if broken == "notes missed":
            assert notes == 0 and "match no note" in reasons
        elif broken == "notes lost":
            assert "labels missing from the note sequence" in reasons
        elif broken == "markers unlinked":
            assert unmarked == notes > 0 and "have no marker in the text" in reasons
        else:
            assert headings > 0.45 and "of the passages are headings" in reasons
        # the reader says so under the document's title, with the reasons
        page = _reader(db, doc_id)
        assert "<strong>Suspect extraction:</strong>" in page
        assert reasons.split(";")[0].replace("'", "&#39;") in page
        assert page.index("Suspect extraction") > page.index("<h1>")
    assert sorted(v for k, v in verdicts.items() if k in BREAKS) == ["suspect"] * 4
    # eval agrees: every document whose notes collapsed is flagged, no whole one is
    agg = evaluate(db, gold_dir).aggregate
    assert agg.collapsed >= 2 and agg.collapsed_suspect == agg.collapsed
    assert agg.good_suspect == sum(1 for b in plan.values() if b) - agg.collapsed


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


def test_a_note_read_into_its_neighbour_is_suspect(tmp_path, monkeypatch):
    """A wrapped URL's last digit taken for the next note's label swallows the note between
    (seed 111's layouts variant 28: '…&section=2' over '8' made a note 8 that took in 7 and
    8): one gap in the labels, but the text cites the note that is missing. Forced here by
    turning off the rule that reads the digit as the URL's."""
    import citetrace.ingest.notes as notes_module
    v = make_variants(29, 111, producers=("reportlab",), layouts=True)[28]
    built = build_variants(tmp_path, [v])[0]
    monkeypatch.setattr(notes_module, "_carries_on", lambda note, line, start: False)
    db = tmp_path / "collapsed.db"
    result = _ingest(built.pdf, db)
    assert result.exit_code == 0, result.output
    assert "1 suspect" in result.stdout
    check = _check(db)
    assert check["label_gaps"] == 1 and check["verdict"] == "suspect"
    assert "note 7 cited in the text but missing from the note sequence" in check["reasons"]
    # eval agrees: the document collapsed and is flagged
    agg = evaluate(db, tmp_path).aggregate
    assert (agg.collapsed, agg.collapsed_suspect) == (1, 1)


@pytest.mark.parametrize("labels, missing", [
    (["1", "2", "4"], {"3"}),
    (["1", "2", "1", "3"], {"2"}),
    (["i", "ii", "v"], {"iii", "iv"}),
    (["1", "2", "3"], set()),
])
def test_missing_labels(labels, missing):
    assert missing_labels(labels) == missing


@pytest.mark.parametrize("labels, pages, faults, missing", [
    (["a", "b", "d"], None, (1, 0), {"c"}),
    (["a", "b", "a"], [1, 1, 2], (0, 0), set()),  # the letters start again on a new page
    (["a", "b", "b"], [1, 1, 1], (0, 1), set()),
    (["a", "b", "c", "b", "c"], [1, 1, 1, 2, 2], (1, 0), {"a"}),  # page 2's a missed
    (["a", "b", "c", "b"], [1, 1, 1, 1], (0, 1), set()),  # back to b on the same page
    (list("abcdefghjk"), None, (1, 0), {"i"}),  # i and v are letters here, not Roman numbers
    (list("abcdefghijklmnopqrstuvwxyz") + ["aa", "cc"], None, (1, 0), {"bb"}),
])
def test_lettered_sequence_faults(labels, pages, faults, missing):
    assert sequence_faults(labels, letters=True, pages=pages) == faults
    assert missing_labels(labels, letters=True, pages=pages) == missing


def _lettered_variant(tmp_path):
    """A reportlab variant whose footnotes are lettered a, b, c afresh on each page (seed 0's
    wide variant 14: a-g, a-h, a-c on its three pages)."""
    v = make_variants(15, 0, producers=("reportlab",), wide=True)[14]
    assert v.style.marker == "letter" and v.style.restart
    return build_variants(tmp_path / "pdf", [v])[0].pdf


def test_lettered_notes_read_right_are_ok(tmp_path):
    db = tmp_path / "lettered.db"
    result = _ingest(_lettered_variant(tmp_path), db)
    assert result.exit_code == 0, result.output
    check = _check(db)
    assert check["verdict"] == "ok" and check["reasons"] == ""
    assert check["notes_found"] >= 10
    assert check["label_gaps"] == check["label_duplicates"] == 0
    labels = [r[0] for r in sqlite3.connect(db).execute("select label from footnotes order by id")]
    assert labels.count("a") >= 2  # the letters restart on each page: not counted as repeats


def test_a_lettered_note_read_into_its_neighbour_is_suspect(tmp_path, monkeypatch):
    """Note d of a page taken in by note c (its lines read as c's): one letter missing from
    that page's sequence while the text cites it there."""
    real = extract_module.split_notes

    def merged(pages):
        notes = real(pages)
        i = max(k for k, n in enumerate(notes) if n.label == "d" and notes[k - 1].label == "c")
        notes[i - 1].lines.extend(notes[i].lines)
        return notes[:i] + notes[i + 1:]

    monkeypatch.setattr(extract_module, "split_notes", merged)
    db = tmp_path / "merged.db"
    result = _ingest(_lettered_variant(tmp_path), db)
    assert result.exit_code == 0, result.output
    assert "1 suspect" in result.stdout
    check = _check(db)
    assert check["label_gaps"] == 1 and check["label_duplicates"] == 0
    assert check["verdict"] == "suspect"
    assert "note d cited in the text but missing from the note sequence" in check["reasons"]
