"""Style-varied generated documents (ingest.variants): gold read from the PDFs, and the real
pipeline scored on 30 variants from three producers (reportlab, LibreOffice Writer, pdfLaTeX).

Variants that the extractor fails today are listed in KNOWN_FAILURES with the diagnosis; they
are strict xfails, so the test turns red the day one starts passing: then delete its entry.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner

from citetrace.ingest.quality import evaluate, load_gold
from citetrace.plugins.cli import cli
from citetrace.ingest.variants import PRODUCERS, build_variants, make_variants, missing_programs
from citetrace.ingest.variants.gold import PlacementError, PdfText, squash

COUNT, SEED = 30, 15
MIN_NOTE_F1 = 0.95

# stem -> why the extractor fails it today (ingest/notes.py, layout.py), measured on these files.
# Strict xfails: delete an entry when it passes (the stem names the style: producer, columns,
# fn/en, note on body size, separator, labels). Empty: every variant of this set passes.
KNOWN_FAILURES: dict[str, str] = {}


def _variants():
    return make_variants(COUNT, SEED)


def _params():
    params = []
    for v in _variants():
        marks = []
        if v.stem in KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[v.stem]))
        params.append(pytest.param(v.stem, id=v.stem, marks=marks))
    return params


def test_known_failures_name_real_variants():
    stems = {v.stem for v in _variants()}
    assert set(KNOWN_FAILURES) <= stems, set(KNOWN_FAILURES) - stems


def test_variants_mix_all_producers_and_styles():
    styles = [v.style for v in _variants()]
    seen = Counter()
    for s in styles:
        seen.update([("producer", s.producer), ("separator", s.producer, s.separator),
                     ("columns", s.columns), ("notes", s.notes), ("label", s.label),
                     ("same size", s.note_size == s.body_size), ("numbered", s.numbered_paragraphs),
                     ("continued", s.long_notes), ("long urls", s.long_urls), ("tables", s.tables)])
    for producer in PRODUCERS:
        assert seen[("producer", producer)] == COUNT // len(PRODUCERS)
    for want in [("separator", "reportlab", "line"), ("separator", "reportlab", "rect"),
                 ("separator", "writer", "rect"), ("separator", "latex", "line"),
                 ("separator", "latex", "rect"), ("columns", 1), ("columns", 2),
                 ("notes", "footnotes"), ("notes", "endnotes"), ("label", "raised"),
                 ("label", "plain"), ("label", "bare"), ("same size", True), ("same size", False),
                 ("numbered", True), ("continued", True), ("long urls", True), ("tables", True)]:
        assert seen[want], f"no variant with {want}"
    assert len({v.stem for v in _variants()}) == COUNT


def test_variants_are_reproducible():
    first, second = make_variants(6, 3), make_variants(6, 3)
    assert [(v.stem, v.doc) for v in first] == [(v.stem, v.doc) for v in second]
    assert [v.doc for v in make_variants(6, 4)] != [v.doc for v in first]
    # variant i does not depend on how many are made
    assert make_variants(2, 3)[1].doc == first[1].doc


def test_wide_generator_adds_dimensions_and_keeps_the_seed():
    """The wider generator draws its dimensions from a stream of their own: a seed's styles
    and texts are the first generator's, plus marker forms, per-page numbering, Ibid. notes."""
    classic, wide = make_variants(60, 505), make_variants(60, 505, wide=True)
    for c, w in zip(classic, wide):
        assert replace(w.style, **{f: getattr(c.style, f) for f in WIDE_FIELDS}) == c.style
        assert w.doc.blocks == c.doc.blocks
        assert [n.label for n in w.doc.notes] == [n.label for n in c.doc.notes]
        assert not c.style.wide and c.stem == f"variant-{c.index:03d}-{c.style.slug()}"
    styles = [v.style for v in wide]
    seen = Counter()
    for s in styles:
        seen.update([("marker", s.producer, s.marker), ("restart", s.producer, s.restart),
                     ("indent", s.note_indent), ("before stop", s.marker_before_stop),
                     ("head folio", s.head_folio), ("short notes", s.short_notes)])
    for want in [("marker", "reportlab", m) for m in ("super", "bracket", "paren", "symbol", "letter")] + [
            ("marker", "writer", "letter"), ("marker", "latex", "bracket"), ("marker", "latex", "paren"),
            ("restart", "writer", True), ("restart", "reportlab", True), ("indent", "hanging"),
            ("indent", "first-line"), ("indent", "flush"), ("before stop", True), ("head folio", True),
            ("short notes", True)]:
        assert seen[want], f"no wide variant with {want}"
    assert not any(s.restart for s in styles if s.producer == "latex")
    short = [n.text for v in wide for n in v.doc.notes if len(n.text) < 30]
    assert any(t == "Ibid." for t in short) and any(t.startswith("Id. at ") for t in short)


WIDE_FIELDS = ("marker", "restart", "marker_before_stop", "head_folio", "notes_heading",
               "note_indent", "short_notes", "wide")


def test_gold_reads_per_page_letters_and_ibid_notes_from_the_pdf(tmp_path):
    """Labels that restart on each page are read back from the PDF (the page a marker stands
    on counts), and a note that is only "Ibid." is the one after the note before it."""
    v = make_variants(7, 505, wide=True)[6]  # reportlab, letters a, b, c per page, Ibid. notes
    assert v.style.marker == "letter" and v.style.restart and v.style.short_notes
    built = build_variants(tmp_path, [v])[0]
    gold = json.loads(built.gold.read_text())
    by_page: dict[int, list[str]] = {}
    for m in gold["markers"]:
        by_page.setdefault(m["page"], []).append(m["label"])
    assert len(by_page) >= 2
    for labels in by_page.values():
        assert labels == list("abcdefghijklmnopqrstuvwxyz"[:len(labels)])
    assert [n["label"] for n in gold["footnotes"]] == [m["label"] for m in gold["markers"]]
    ibid = [n for n in gold["footnotes"] if n["text"].startswith(("Ibid", "Id. at"))]
    assert ibid and all(n["page"] >= 1 for n in ibid)


def test_pdf_text_locates_split_notes_and_refuses_guesses():
    note = "Korvanel, T. (2019). Water tariffs in small towns, p. 4."
    body_2 = squash("Body text of the second page.")
    page_1 = squash("Some body text. 1 ") + squash(note)[:30]
    text = PdfText(page_1 + body_2 + squash(note)[30:], [0, len(page_1)])
    assert text.note_pages(note, "n1") == (1, 2)
    assert text.page_of(len(page_1)) == 2
    with pytest.raises(PlacementError, match="not found"):
        text.note_pages("Nowhere, A. Absent note.", "n2")
    twice = PdfText(squash(note) * 2, [0])
    with pytest.raises(PlacementError, match="more than once"):
        twice.note_pages(note, "n3")


def test_command_line_builds_reportlab_variants(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "citetrace.ingest.variants", "build", "--out", str(tmp_path),
         "--count", "2", "--seed", "5", "--producers", "reportlab"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 2 and "2 variants in" in run.stdout
    for pdf in pdfs:
        gold = load_gold(pdf.with_name(pdf.stem + ".gold.json"))
        raw = json.loads(pdf.with_name(pdf.stem + ".gold.json").read_text())
        assert gold.notes and gold.markers and raw["style"]["producer"] == "reportlab"
        assert [n.label for n in gold.notes] == [str(i) for i in range(1, len(gold.notes) + 1)]
        assert all(n.page and 1 <= n.page <= raw["pages"] for n in gold.notes)
    bad = subprocess.run([sys.executable, "-m", "citetrace.ingest.variants", "build", "--out",
                          str(tmp_path), "--producers", "word"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown word" in bad.stderr


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Build the variants whose programs are installed, ingest them, score them."""
    out = tmp_path_factory.mktemp("variants")
    variants = [v for v in _variants() if not missing_programs((v.style.producer,))]
    built = build_variants(out, variants)
    db = out / "variants.db"
    # the public command, wherever the batch loader behind it lives
    result = CliRunner().invoke(cli, ["ingest", *(str(b.pdf) for b in built), "--db", str(db),
                                      "--workers", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    report = evaluate(db, out)
    conn = sqlite3.connect(db)
    headings = dict(conn.execute(
        "select d.filename, sum(p.kind = 'heading') from passages p"
        " join documents d on d.id = p.document_id group by d.id"))
    conn.close()
    return {r.stem: r for r in report.documents}, headings, {b.variant.stem: b for b in built}


@pytest.mark.parametrize("stem", _params())
def test_variant_is_extracted(scored, stem):
    scores, headings, built = scored
    if stem not in built:
        producer = stem.split("-")[2]
        pytest.skip(f"{producer} variants need {', '.join(missing_programs((producer,)))} "
                    "(CI installs them: .ci/run)")
    score = scores[stem]
    gold = json.loads(built[stem].gold.read_text())
    sections = sum(1 for b in built[stem].variant.doc.blocks if type(b).__name__ == "Heading")
    assert score.notes_gold > 0
    # no collapse: the notes are found, their text does not stay in the body, and body lines
    # are not turned into a stream of headings
    assert score.note_f1 >= MIN_NOTE_F1, (
        f"note F1 {score.note_f1:.2f}: {score.notes_pred} found for {score.notes_gold}, "
        f"unmatched {score.unmatched_notes}")
    assert not score.note_leak, f"notes left in the body: {score.leaked_notes}"
    assert headings[gold["file"]] <= sections + 3
