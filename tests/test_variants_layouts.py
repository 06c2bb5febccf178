"""The layouts generator (``variants build --layouts``): footnotes in two columns under a
one-column body, pull quotes, sidebar boxes (in the column or beside the text); its gold,
its scores, and the extraction of its variants. The other generators' files stay byte for
byte what they were."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner

from citetrace.ingest.quality.gold import parse_gold
from citetrace.ingest.quality.metrics import pullquote_faults, sidebar_apart
from citetrace.ingest.quality.normalize import normalize
from citetrace.ingest.variants import build_variants, make_variants
from citetrace.ingest.variants.content import Paragraph, PullQuote, Sidebar
from citetrace.ingest.variants.style import LAYOUT_FIELDS
from citetrace.plugins.cli import cli
from variant_cases import ingest_variants

# (seed, index, wide) -> sha256 of the PDF and of the gold file, made by the generator before
# --layouts existed (reportlab: 2 columns with endnotes; 1 column with notes split across
# pages; the wider generator's 2 columns with notes)
BEFORE = {
    (101, 0, False): ("ec8335a8dc303a6e87092eb797e0c03fa4c367b23fcf6e6386f735c8f272136b",
                      "dba2be5fdeb85f024dabe4dc0232640a364420722c868b04e42db8f1b6c2be3f"),
    (101, 21, False): ("b4c8da0151432636720ed4daf664821c4a69d5f2eda8ad08549349f4d1d9aac7",
                       "b0db2fc51a2c634c1cdd48262cbc35bfd4d620d3eecb78636d4baf18d2d4944a"),
    (505, 0, True): ("4e42225c4adb9af8936a6171dbae9d7988ca97599081eec1d057fc9c00a2fe17",
                     "479350ec5df9092470a69d673b5718003675e2e8cbc1d3b96d69d0db1981e2f0"),
}
SEED = 901  # the set the extraction rules were written on (README, "Layouts")


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_other_generators_files_are_unchanged(tmp_path):
    for (seed, index, wide), (pdf_sha, gold_sha) in BEFORE.items():
        v = make_variants(index + 1, seed, wide=wide)[index]
        built = build_variants(tmp_path / f"{seed}-{index}", [v])[0]
        assert (_sha(built.pdf), _sha(built.gold)) == (pdf_sha, gold_sha), built.pdf.name


def test_layouts_come_from_a_stream_of_their_own():
    plain, wide = make_variants(30, SEED), make_variants(30, SEED, wide=True)
    laid, both = make_variants(30, SEED, layouts=True), make_variants(30, SEED, wide=True, layouts=True)
    seen = Counter()
    for p, w, lay, b in zip(plain, wide, laid, both):
        back = {f: getattr(p.style, f) for f in LAYOUT_FIELDS}
        assert replace(lay.style, **back) == p.style and replace(b.style, **back) == w.style
        # the same text, with the pull quote and the box put in
        assert [x for x in lay.doc.blocks if not isinstance(x, (PullQuote, Sidebar))] == list(p.doc.blocks)
        assert lay.doc.notes == p.doc.notes
        if lay.style.producer != "reportlab":
            assert lay.style == p.style and lay.stem == p.stem
            continue
        assert lay.style.layouts and (lay.style.foot_columns == 2 or lay.style.pullquote or lay.style.sidebar)
        seen.update([("fn2col", lay.style.foot_columns == 2), ("pullq", lay.style.pullquote),
                     ("box", lay.style.sidebar), ("beside", lay.style.sidebar_beside)])
        for q in (x for x in lay.doc.blocks if isinstance(x, PullQuote)):
            paragraph = lay.doc.blocks[q.paragraph]
            assert isinstance(paragraph, Paragraph) and q.text in paragraph.text
    assert all(seen[(k, True)] for k in ("fn2col", "pullq", "box", "beside"))
    assert "layouts" not in plain[0].style.to_dict()


@pytest.fixture(scope="module")
def dev_set(tmp_path_factory):
    """Seed 901's variants with two-column notes (one of them at the body size, one over
    numbered paragraphs), one-line and longer pull quotes, boxes in and beside the text."""
    variants = [v for v in make_variants(12, SEED, producers=("reportlab",), layouts=True)
                if v.index in (0, 5, 8, 9, 11)]
    out = tmp_path_factory.mktemp("layouts")
    scores, db = ingest_variants(out, variants)
    return variants, scores, out


def test_layout_gold_says_the_right_reading(dev_set):
    variants, _, out = dev_set
    by_stem = {v.stem: v for v in variants}
    styles = Counter()
    for stem, v in by_stem.items():
        raw = json.loads((out / f"{stem}.gold.json").read_text())
        gold = parse_gold(raw, out / f"{stem}.gold.json")
        assert raw["style"]["layouts"] is True
        quotes = [b for b in v.doc.blocks if isinstance(b, PullQuote)]
        boxes = [b for b in v.doc.blocks if isinstance(b, Sidebar)]
        assert [q["text"] for q in gold.pullquotes] == [q.text for q in quotes]
        assert [b["text"] for b in gold.sidebars] == [b.text for b in boxes]
        assert all(q["text"] in q["paragraph"] for q in gold.pullquotes)
        assert len(gold.body_paragraphs) == sum(isinstance(b, Paragraph) for b in v.doc.blocks)
        styles.update([("fn2col", v.style.foot_columns), ("beside", v.style.sidebar_beside)])
    assert styles[("fn2col", 2)] >= 3 and styles[("beside", True)] >= 1


def test_layout_variants_are_extracted(dev_set):
    """Every note whole (a note running from one note column into the next, a note column
    at the body size, numbered paragraphs over two note columns), every pull quote read
    once and its paragraph whole, every box a passage of its own."""
    variants, scores, _ = dev_set
    assert len(scores) == len(variants)
    for stem, s in scores.items():
        assert s.note_f1 == 1.0 and s.note_text == 1.0, (stem, s.unmatched_notes, s.note_text)
        assert s.urls_matched == s.urls_gold, stem
        assert not s.note_leak and s.body_cover == 1.0, stem
        assert (s.pullquotes_doubled, s.pullquotes_split) == (0, 0), stem
        assert s.sidebars_apart == s.sidebars, stem
        assert s.verdict == "ok", stem
    assert sum(s.pullquotes for s in scores.values()) >= 2
    assert sum(s.sidebars for s in scores.values()) >= 2


def test_eval_prints_the_layout_counts(dev_set):
    _, _, out = dev_set
    result = CliRunner().invoke(cli, ["eval", "--db", str(out / "cases.db"), str(out)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("layouts:"))
    assert " 0 read twice in the body, 0 splitting their paragraph; " in line
    assert line.endswith("sidebars read apart")


def test_pull_quote_and_sidebar_measures():
    paragraph = "The board met twice. It cut bus fares on the island routes in spring. Costs fell."
    quote = "It cut bus fares on the island routes in spring."
    whole = [normalize(paragraph)]
    assert pullquote_faults(quote, paragraph, whole) == (False, False)
    # the quote read as body text beside its paragraph: its sentence twice
    assert pullquote_faults(quote, paragraph, whole + [normalize(quote)]) == (True, False)
    # the quote read into the paragraph where it cut it: the paragraph split
    cut = [normalize("The board met twice. It cut bus fares on the"), normalize(quote),
           normalize("island routes in spring. Costs fell.")]
    assert pullquote_faults(quote, paragraph, cut) == (False, True)
    heading, text = "Box 1. The Zorath scheme", "The Zorath scheme paid for ferry timetables in the valley districts twice a year."
    body = "Officials argued that demand fell after the change and the ministry audited road repairs."
    assert sidebar_apart(heading, text, [normalize(body), normalize(heading), normalize(text)], normalize(body))
    # interleaved line by line with the body
    mixed = [normalize("Officials argued that demand The Zorath scheme paid for ferry"),
             normalize("fell after the change timetables in the valley districts twice a year.")]
    assert not sidebar_apart(heading, text, mixed, normalize(body))


# Seed 111's reportlab layouts variants that went wrong before 0.4.8: (index, what it holds)
SEED_111 = {
    6: "a pull quote at a column's foot, its paragraph going on in the next column",
    13: "a one-line quote repeating a sentence its paragraph prints over the page break",
    17: "a pull quote near a column's head, cutting a numbered paragraph carried on there",
    18: "a quote under a justified line whose spaces line up with a table's gutters above",
    25: "a pull quote at a column's head",
    28: "two-column notes, a URL wrapped so that its last digit ('8') stands alone on a line",
}


@pytest.fixture(scope="module")
def seed_111(tmp_path_factory):
    variants = [v for v in make_variants(29, 111, producers=("reportlab",), layouts=True)
                if v.index in SEED_111]
    out = tmp_path_factory.mktemp("layouts-111")
    scores, db = ingest_variants(out, variants)
    return {int(stem[8:11]): s for stem, s in scores.items()}, db


def test_pull_quotes_at_a_column_or_page_break_leave_their_paragraph_whole(seed_111):
    scores, _ = seed_111
    assert sorted(scores) == sorted(SEED_111)
    for index in (6, 13, 17, 18, 25):
        s = scores[index]
        assert s.pullquotes >= 1, (index, SEED_111[index])
        assert (s.pullquotes_doubled, s.pullquotes_split) == (0, 0), (index, SEED_111[index])
        # (variant 6 still loses the notes of its two-column pages: its body cover is not whole)
        assert s.body_cover == 1.0 or index == 6, index


def test_a_wrapped_urls_last_digit_is_no_note_label(seed_111):
    scores, db = seed_111
    s = scores[28]
    assert s.note_f1 == 1.0 and s.note_text == 1.0, s.unmatched_notes
    assert s.urls_matched == s.urls_gold and s.verdict == "ok"
    con = sqlite3.connect(db)
    rows = con.execute("select f.label, f.text from footnotes f join documents d on d.id = f.document_id"
                       " where d.filename like 'variant-028-%' order by f.id").fetchall()
    assert [label for label, _ in rows] == [str(n) for n in range(1, 15)]
    # the digit carried the URL on: it ends the URL, and note 7 opens with its own text
    assert rows[5][1].endswith("&section=28")
    assert rows[6][1].startswith("Brotrugund and Vatikuth")
