"""Tests for ingest.quality (`citetrace eval`): real SQLite databases written by db.store,
small gold files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from citetrace.ingest.quality import (
    GoldError,
    evaluate,
    furniture_fragments,
    furniture_leaked,
    load_gold,
    load_gold_dir,
    normalize,
    normalize_url,
    reading_order_agreement,
)
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Citation, Document, Footnote, Marker, Passage
from citetrace.plugins.cli.evaluate import render

SHARED = Path(__file__).resolve().parents[2] / "shared"
BOX = (10.0, 10.0, 100.0, 20.0)

# Long, mutually distinct note texts (well over the 90 letters a note needs for the leak check).
TEXT_A = ("Widget Office, Annual Report on Widget Production (Washington: Government Printing "
          "Office, 2020), pp. 14-19, with tables of regional output.")
TEXT_B = ("Jane Doe, \"Why Gadgets Fail,\" Journal of Applied Gadgetry 12, no. 3 (2019): 201-230, "
          "arguing that most failures come from poor maintenance.")
TEXT_C = ("Interview with the director of the Bureau of Sprockets, conducted by telephone on "
          "March 3, 2021, notes on file with the author.")
SHORT = "Ibid., 4."
BODY = "The widget sector grew quickly during the decade, driven by export demand."


# ---------------------------------------------------------------------------- builders


def note(label: str, page: int | None, text: str) -> Footnote:
    return Footnote(label=label, page=page or 1, kind="footnote", text=text, bbox=BOX)


def passage(seq: int, text: str, kind: str = "paragraph", page: int = 1) -> Passage:
    return Passage(seq=seq, page=page, kind=kind, text=text, bbox=BOX)


def passages(*texts: str) -> list[Passage]:
    return [passage(i, t) for i, t in enumerate(texts)]


def marker(label: str, page: int, note_index: int | None) -> Marker:
    # All markers sit in the first passage; offsets do not matter for scoring.
    return Marker(passage=0, label=label, page=page, start=0, end=0, note=note_index)


def make_doc(filename: str, *, notes=(), body=None, markers=(), urls=(), sha=None) -> Document:
    """A document; ``urls`` is a list of (note index, url) citations."""
    return Document(
        path=f"/pdfs/{filename}",
        sha256=sha or f"sha-{filename}",
        filename=filename,
        passages=list(body) if body is not None else passages(BODY),
        footnotes=list(notes),
        markers=list(markers),
        citations=[Citation(note=n, seq=i, text=u, url=u) for i, (n, u) in enumerate(urls)],
    )


def write_db(path: Path, *docs: Document) -> Path:
    db = open_db(str(path))
    for doc in docs:
        write_document(db, doc, "test")
    db.conn.close()
    return path


def gnote(label: str, page: int | None, text: str, urls=()) -> dict:
    return {"label": label, "page": page, "kind": "footnote", "text": text, "urls": list(urls),
            "continues_on_page": None}


def gmarker(label: str, page: int) -> dict:
    return {"label": label, "page": page, "before": "words before the marker"}


def write_gold(gold_dir: Path, stem: str, notes, *, markers=None, furniture=None, body=None,
               sha=None) -> Path:
    gold_dir.mkdir(exist_ok=True)
    data = {"file": f"{stem}.pdf", "sha256": sha or f"sha-{stem}.pdf", "footnotes": list(notes),
            "markers": markers, "furniture": furniture or []}
    if body is not None:
        data["body_paragraphs"] = body
    path = gold_dir / f"{stem}.gold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(tmp_path: Path, docs, write_golds):
    """Write ``docs`` to a database, call ``write_golds(gold_dir)``, evaluate."""
    db = write_db(tmp_path / "test.db", *docs)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    write_golds(gold_dir)
    return evaluate(db, gold_dir)


def only_row(report):
    assert len(report.documents) == 1
    return report.documents[0]


# ---------------------------------------------------------------------------- notes


def test_perfect_match(tmp_path):
    doc = make_doc(
        "paper.pdf",
        notes=[note("1", 2, TEXT_A), note("2", 3, TEXT_B)],
        markers=[marker("1", 2, 0), marker("2", 3, 1)],
        urls=[(0, "https://www.example.org/report/")],
    )
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper",
        [gnote("1", 2, TEXT_A, ["https://www.example.org/report/"]), gnote("2", 3, TEXT_B)],
        markers=[gmarker("1", 2), gmarker("2", 3)],
        furniture=['Running head: "Widget Policy Review, Spring 2021"'],
    ))
    row = only_row(report)
    assert (row.notes_gold, row.notes_pred, row.notes_matched) == (2, 2, 2)
    assert (row.note_precision, row.note_recall, row.note_f1, row.note_text) == (1.0, 1.0, 1.0, 1.0)
    assert row.url_f1 == 1.0
    assert row.marker_f1 == 1.0 and row.marker_cover is None
    assert row.note_leak == 0.0 and row.furniture_leak == 0
    assert row.body_cover is None
    agg = report.aggregate
    assert (agg.note_precision, agg.note_recall, agg.note_f1, agg.note_text) == (1.0, 1.0, 1.0, 1.0)
    assert (agg.url_f1, agg.marker_f1, agg.note_leak, agg.furniture_leak) == (1.0, 1.0, 0.0, 0)
    assert agg.missing == 0 and agg.documents == 1


def test_missing_note_and_wrong_page(tmp_path):
    doc = make_doc("paper.pdf", notes=[note("1", 1, TEXT_A), note("3", 3, TEXT_C)])
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_A), gnote("2", 1, TEXT_B), gnote("3", 2, TEXT_C)],
        markers=[],
    ))
    row = only_row(report)
    assert (row.notes_gold, row.notes_pred, row.notes_matched) == (3, 2, 1)
    assert row.note_precision == 0.5
    assert row.note_recall == pytest.approx(1 / 3)
    assert row.note_f1 == pytest.approx(0.4)  # 2*1 / (2 + 3)
    assert row.note_text == pytest.approx(1 / 3)
    assert row.unmatched_notes == ["2", "3"]


def test_note_text_share_uses_normalized_similarity(tmp_path):
    # Curly quotes, en dash, line breaks and case differ: the normalized texts are equal.
    reformatted = TEXT_B.replace('"', "\u201c", 1).replace('"', "\u201d", 1)
    reformatted = reformatted.replace("201-230", "201\u2013230").replace(" ", "\n", 3).upper()
    doc = make_doc("paper.pdf", notes=[note("1", 1, reformatted), note("2", 1, TEXT_A[:60])])
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_B), gnote("2", 1, TEXT_A)], markers=[]))
    row = only_row(report)
    assert row.notes_matched == 2
    assert row.note_text == 0.5


def test_without_gold_pages_label_decides_and_best_text_wins(tmp_path):
    # CRS-style gold (no pages): two predicted "1"s, the second is the real note.
    doc = make_doc("crs_x.pdf",
                   notes=[note("1", 4, "Table 1. Widget output"), note("1", 7, TEXT_A)])
    report = run(tmp_path, [doc], lambda g: write_gold(g, "crs_x", [gnote("1", None, TEXT_A)]))
    row = only_row(report)
    assert (row.notes_matched, row.note_precision, row.note_recall) == (1, 0.5, 1.0)
    assert row.note_text == 1.0


def test_negative_control_counts_spurious_notes(tmp_path):
    doc = make_doc("nonotes.pdf", notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B)])
    report = run(tmp_path, [doc], lambda g: write_gold(g, "nonotes", [], markers=[]))
    row = only_row(report)
    assert (row.note_precision, row.note_recall) == (0.0, None)
    assert (row.note_f1, row.note_text) == (0.0, None)
    agg = report.aggregate
    assert agg.spurious_notes == 2
    assert agg.note_f1 is None  # no gold notes: nothing to weigh


# ---------------------------------------------------------------------------- URLs


@pytest.mark.parametrize("url, expected", [
    ("https://www.example.org/a/", "example.org/a"),
    ("http://example.org/a.", "example.org/a"),
    ("example.org/a),", "example.org/a"),
    ("HTTPS://WWW.example.org/a", "example.org/a"),
    ("https://example.org/A", "example.org/A"),  # case is not normalized
    ("https://www2.example.org/a", "www2.example.org/a"),
    ("  https://example.org/a?b=1&c=2  ", "example.org/a?b=1&c=2"),
    ("https://example.org/x\u201d.", "example.org/x"),
    (None, ""),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_url_f1_is_set_based_after_normalization(tmp_path):
    doc = make_doc(
        "paper.pdf",
        notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B)],
        urls=[(0, "a.gov/x"), (0, "https://b.org/y."), (1, "https://d.com/w"),
              (1, "http://www.a.gov/x")],  # a duplicate of the first once normalized
    )
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper",
        [gnote("1", 1, TEXT_A, ["https://www.a.gov/x/", "http://b.org/y"]),
         gnote("2", 1, TEXT_B, ["https://c.net/z"])],
        markers=[],
    ))
    row = only_row(report)
    assert (row.urls_gold, row.urls_pred, row.urls_matched) == (3, 3, 2)
    assert row.url_f1 == pytest.approx(2 / 3)
    agg = report.aggregate
    assert (agg.url_precision, agg.url_recall) == (pytest.approx(2 / 3), pytest.approx(2 / 3))


# ---------------------------------------------------------------------------- markers


def test_marker_linked_to_wrong_note_does_not_count(tmp_path):
    doc = make_doc(
        "paper.pdf",
        notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B), note("3", 1, TEXT_C)],
        markers=[
            marker("1", 1, 0),  # right
            marker("2", 1, 2),  # points to note 3: not a link
            marker("3", 1, None),  # unlinked
            marker("3", 2, 2),  # linked, but on the wrong page
        ],
    )
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_A), gnote("2", 1, TEXT_B), gnote("3", 1, TEXT_C)],
        markers=[gmarker("1", 1), gmarker("2", 1), gmarker("3", 1)],
    ))
    row = only_row(report)
    assert (row.markers_gold, row.markers_pred, row.markers_matched) == (3, 2, 1)
    assert row.marker_f1 == pytest.approx(0.4)


def test_marker_multisets_count_repeats(tmp_path):
    # Two markers "1" on page 1 in the gold, one found.
    doc = make_doc("paper.pdf", notes=[note("1", 1, TEXT_A)], markers=[marker("1", 1, 0)])
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_A)], markers=[gmarker("1", 1), gmarker("1", 1)]))
    assert only_row(report).marker_f1 == pytest.approx(2 / 3)


def test_marker_cover_where_gold_has_no_markers(tmp_path):
    doc = make_doc(
        "crs_y.pdf",
        notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B), note("3", 2, TEXT_C),
               note("4", 2, SHORT)],
        markers=[marker("1", 1, 0), marker("2", 1, 2), marker("3", 2, 2), marker("4", 2, None)],
    )
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "crs_y",
        [gnote("1", None, TEXT_A), gnote("2", None, TEXT_B), gnote("3", None, TEXT_C),
         gnote("4", None, SHORT)],
        markers=None,
    ))
    row = only_row(report)
    assert row.marker_f1 is None
    assert row.marker_cover == 0.5  # notes 1 and 3
    assert report.aggregate.marker_cover == 0.5 and report.aggregate.marker_f1 is None


# ---------------------------------------------------------------------------- leaks


def test_note_leak(tmp_path):
    # Note 1 is glued into a paragraph (reflowed, curly quotes); the short note 3 leaks too
    # but is below 90 letters and not counted.
    leaked = "Body text continues " + TEXT_A.replace(" ", "\n") + " and more body text."
    doc = make_doc(
        "paper.pdf",
        notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B), note("3", 1, SHORT)],
        body=passages(BODY, leaked, SHORT),
    )
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_A), gnote("2", 1, TEXT_B), gnote("3", 1, SHORT)],
        markers=[],
    ))
    row = only_row(report)
    assert row.note_leak == 0.5
    assert row.leaked_notes == ["1"]


def test_note_leak_across_passage_boundary(tmp_path):
    half = len(TEXT_B) // 2
    doc = make_doc("paper.pdf", notes=[note("1", 1, TEXT_B)],
                   body=passages(BODY + " " + TEXT_B[:half], TEXT_B[half:] + " " + BODY))
    report = run(tmp_path, [doc],
                 lambda g: write_gold(g, "paper", [gnote("1", 1, TEXT_B)], markers=[]))
    assert only_row(report).note_leak == 1.0


def test_note_text_repeated_by_the_gold_body_is_no_leak(tmp_path):
    # The gold body itself quotes note 1 word for word: finding it in the passages is right.
    quoting = "As the office reported: " + TEXT_A
    doc = make_doc("crs_q.pdf", notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B)],
                   body=passages(quoting, TEXT_B))
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "crs_q", [gnote("1", None, TEXT_A), gnote("2", None, TEXT_B)], body=[quoting]))
    row = only_row(report)
    assert row.note_leak == 1.0  # only note 2 is eligible, and it leaked
    assert row.leaked_notes == ["2"]


FURNITURE = [
    'Running head on pages 2-9: "Widget Policy Review / Spring 2021 Edition"',  # glued: leaks
    "Widget Institute \u00a9 2021, all rights reserved",  # plain string, absent
    'Folio at the foot of page 3: "7"',  # a passage of its own: leaks
    'Section line: "Opinion of the Court"',  # short, only inside prose: no leak
    "Widget Markets in Transition",  # the title, once as a heading: tolerated
    'Back page: "Obtaining copies of widget reports ... printed on recycled paper"',  # part leaks
]


def test_furniture_leak_counts_entries(tmp_path):
    body = [
        passage(0, "Widget Markets in Transition", kind="heading"),
        passage(1, "Exports rose. Widget Policy Review\nSpring 2021 Edition Imports fell."),
        passage(2, "7"),
        passage(3, "Justice Roe delivered the opinion of the Court."),
        passage(4, "Obtaining Copies of Widget Reports and Testimony"),
    ]
    doc = make_doc("paper.pdf", notes=[note("1", 1, TEXT_A)], body=body)
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "paper", [gnote("1", 1, TEXT_A)], markers=[], furniture=FURNITURE))
    row = only_row(report)
    assert row.furniture_leak == 3
    assert row.leaked_furniture == [FURNITURE[0], FURNITURE[2], FURNITURE[5]]
    assert report.aggregate.furniture_leak == 3


def test_furniture_fragments_read_descriptive_entries():
    assert furniture_fragments('Footer on page 3: "IF12672" and "Page i"') == [
        ("if12672",), ("pagei",)]
    assert furniture_fragments("Kazakhstan\u2019s June Referendum") == [
        ("kazakhstan'sjunereferendum",)]
    assert furniture_fragments('Masthead: "Research Service / Informing debate"') == [
        ("researchservice/informingdebate", "researchserviceinformingdebate")]
    assert furniture_fragments('Boilerplate: "Disclaimer ... prepared by CRS. ..."') == [
        ("disclaimer",), ("preparedbycrs.",)]


def test_repeated_title_running_head_leaks():
    title = "Widget Markets in Transition"
    kinds_texts = [("heading", normalize(title)), ("heading", normalize(title)),
                   ("paragraph", normalize(BODY))]
    assert furniture_leaked(title, kinds_texts)
    assert not furniture_leaked(title, kinds_texts[1:])
    # As a paragraph (not a heading) it is not tolerated.
    assert furniture_leaked(title, [("paragraph", normalize(title))])


def test_running_head_words_in_prose_are_not_a_leak():
    head = 'Running header on pages 2-3: "Widget Export Controls Policy"'
    prose = "The board reviewed its widget export controls policy in May."
    assert not furniture_leaked(head, [("paragraph", prose)])
    # glued into a paragraph as printed, or opening one: leaked
    assert furniture_leaked(head, [("paragraph", "The board Widget Export Controls Policy met.")])
    assert furniture_leaked(head, [("paragraph", "widget export controls policy and more")])


# ---------------------------------------------------------------------------- body cover


def _paragraph(tag: str) -> str:
    """Exactly 150 letters once normalized, distinct for each tag."""
    words = [f"{tag}{i:02d}word" for i in range(30)]
    text = normalize(" ".join(words))
    assert len(text) >= 150
    return " ".join(text[i : i + 10] for i in range(0, 150, 10))


def _prefix(paragraph: str, letters: int) -> str:
    """The shortest prefix of ``paragraph`` holding ``letters`` normalized letters."""
    for end in range(len(paragraph) + 1):
        if len(normalize(paragraph[:end])) == letters:
            return paragraph[:end]
    raise AssertionError("prefix not found")


def test_body_cover(tmp_path):
    full, three, two, absent = (_paragraph(t) for t in ("aa", "bb", "cc", "dd"))
    assert len(normalize(full)) == 150
    # Windows start at letters 0, 30, 60, 90, 120: 90 letters hold three, 89 only two.
    # A separator keeps the next passage from completing a cut window.
    body = passages(full, "#", _prefix(three, 90), "#", _prefix(two, 89), "#")
    doc = make_doc("crs_z.pdf", notes=[note("1", 1, TEXT_A)], body=body)
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "crs_z", [gnote("1", None, TEXT_A)], body=[full, three, two, absent]))
    row = only_row(report)
    assert row.body_paragraphs == 4
    assert row.body_cover == 0.5
    assert report.aggregate.body_cover == 0.5


# ---------------------------------------------------------------------- documents and aggregate


def test_missing_gold_document_and_note_weighting(tmp_path):
    docs = [
        make_doc("one.pdf", notes=[note("1", 1, TEXT_A)]),
        make_doc("ungraded.pdf", notes=[note("1", 1, TEXT_B)]),  # no gold: ignored
    ]

    def golds(g):
        write_gold(g, "one", [gnote("1", 1, TEXT_A, ["https://a.org"])], markers=[gmarker("1", 1)])
        write_gold(g, "three", [gnote(str(i), 1, TEXT_B, ["https://b.org"]) for i in (1, 2, 3)],
                   markers=[gmarker(str(i), 1) for i in (1, 2, 3)], furniture=["Widget Review"],
                   body=[BODY])

    report = run(tmp_path, docs, golds)
    one, three = report.documents
    assert (one.stem, one.missing, three.stem, three.missing) == ("one", False, "three", True)
    assert report.missing == ["three"]
    assert (three.note_recall, three.note_f1) == (0.0, 0.0)
    assert (three.note_text, three.marker_f1) == (0.0, 0.0)
    assert three.body_cover == 0.0
    assert three.note_leak is None and three.furniture_leak is None
    agg = report.aggregate
    assert (agg.documents, agg.missing, agg.notes_gold, agg.notes_pred) == (2, 1, 4, 1)
    assert agg.note_recall == 0.25 and agg.note_f1 == 0.25 and agg.note_text == 0.25
    assert agg.note_precision == 1.0  # only the document with predictions has a precision
    assert agg.marker_f1 == 0.0  # one: no linked markers; three: missing
    assert (agg.urls_gold, agg.urls_pred, agg.urls_matched, agg.url_f1) == (2, 0, 0, 0.0)
    assert agg.body_cover == 0.0
    assert agg.note_leak == 0.0 and agg.furniture_leak is None


def test_document_found_by_earlier_filename(tmp_path):
    first = make_doc("old_name.pdf", notes=[note("1", 1, TEXT_A)], sha="same")
    renamed = make_doc("new_name.pdf", notes=[note("1", 1, TEXT_A)], sha="same")
    report = run(tmp_path, [first, renamed], lambda g: write_gold(
        g, "old_name", [gnote("1", 1, TEXT_A)], markers=[]))
    row = only_row(report)
    assert not row.missing and row.note_f1 == 1.0


def test_matching_sha256_wins_among_same_stem(tmp_path):
    good = make_doc("dir_a/report.pdf", notes=[note("1", 1, TEXT_A)], sha="gold-sha")
    other = make_doc("dir_b/report.pdf", notes=[], sha="other-sha")
    report = run(tmp_path, [good, other], lambda g: write_gold(
        g, "report", [gnote("1", 1, TEXT_A)], markers=[], sha="gold-sha"))
    assert only_row(report).note_f1 == 1.0


def test_missing_database_is_an_error(tmp_path):
    (tmp_path / "gold").mkdir()
    with pytest.raises(FileNotFoundError):
        evaluate(tmp_path / "nope.db", tmp_path / "gold")
    assert not (tmp_path / "nope.db").exists()


# ---------------------------------------------------------------------------- report output


def _sample_report(tmp_path):
    docs = [make_doc("a_rather_long_document_name_that_needs_truncation.pdf",
                     notes=[note("1", 1, TEXT_A)], markers=[marker("1", 1, 0)]),
            make_doc("crs_b.pdf", notes=[note("1", 1, TEXT_B)], markers=[marker("1", 1, 0)])]

    def golds(g):
        write_gold(g, "a_rather_long_document_name_that_needs_truncation", [gnote("1", 1, TEXT_A)],
                   markers=[gmarker("1", 1)], furniture=["Widget Review"])
        write_gold(g, "crs_b", [gnote("1", None, TEXT_B)], body=[BODY])
        write_gold(g, "gone", [gnote("1", 1, TEXT_C)], markers=[])

    return run(tmp_path, docs, golds)


def test_render_fits_100_columns(tmp_path):
    report = _sample_report(tmp_path)
    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    render(report, console)
    lines = console.export_text().splitlines()
    assert all(len(line) <= 100 for line in lines)
    assert any(line.startswith("ALL") for line in lines)
    assert sum(line.startswith(("a_rather", "crs_b", "gone")) for line in lines) == 3
    cover_row = next(line for line in lines if line.startswith("crs_b"))
    assert "1.00c" in cover_row


def test_to_dict_is_json(tmp_path):
    data = json.loads(json.dumps(_sample_report(tmp_path).to_dict()))
    assert data["missing"] == ["gone"]
    assert [d["stem"] for d in data["documents"]] == [
        "a_rather_long_document_name_that_needs_truncation", "crs_b", "gone"]
    assert data["aggregate"]["notes_gold"] == 3


# ---------------------------------------------------------------------------- reading order


def test_reading_order_agreement():
    blocks = [f"Block {name}: " + " ".join(f"{name}{i}" for i in range(20)) for name in "pqrs"]
    assert reading_order_agreement(blocks, blocks) == 1.0
    # Passages read q p r s: of the pairs (p,q), (q,r), (r,s) the first is out of order.
    swapped = [blocks[1], blocks[0], blocks[2], blocks[3]]
    assert reading_order_agreement(swapped, blocks) == pytest.approx(2 / 3)
    # Short and unfound blocks are skipped.
    assert reading_order_agreement(blocks, ["Too short."] + blocks + ["x" * 80]) == 1.0
    assert reading_order_agreement(blocks[:1], blocks) == 0.0  # fewer than two located
    # A block whose window occurs twice (quoted again later) cannot be placed: skipped.
    quoting = ["An introduction quoting: " + blocks[2]] + blocks
    assert reading_order_agreement(quoting, blocks) == 1.0


# ---------------------------------------------------------------------------- gold loader


def test_gold_loader_rejects_malformed(tmp_path):
    bad = tmp_path / "bad.gold.json"
    bad.write_text(json.dumps({"footnotes": [{"label": "1", "page": "3", "text": "x"}]}))
    with pytest.raises(GoldError, match="page"):
        load_gold(bad)
    bad.write_text(json.dumps({"markers": None}))
    with pytest.raises(GoldError, match="footnotes"):
        load_gold(bad)
    bad.write_text("{not json")
    with pytest.raises(GoldError, match="JSON"):
        load_gold(bad)


@pytest.mark.corpus
@pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} not present")
@pytest.mark.parametrize("folder", ["corpus/gold", "report"])
def test_real_gold_files_load(folder, tmp_path):
    golds = load_gold_dir(SHARED / folder)
    assert golds, f"no gold files in {folder}"
    for gold in golds:
        assert gold.file and Path(gold.file).stem == gold.stem
        assert all(n.label and isinstance(n.text, str) for n in gold.notes)
        # Every furniture entry yields something to search for.
        assert all(furniture_fragments(f) for f in gold.furniture)
        if gold.stem.startswith("crs_") and gold.notes:
            assert gold.markers is None and gold.body_paragraphs
    # The whole set scores against an empty database: every file missing.
    report = evaluate(write_db(tmp_path / "empty.db"), SHARED / folder)
    assert report.aggregate.missing == len(golds)
    json.dumps(report.to_dict())


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "report" / "report.json").is_file(), reason="report.json absent")
def test_report_blocks_agree_with_themselves():
    report = json.loads((SHARED / "report" / "report.json").read_text(encoding="utf-8"))
    blocks = [b["text"] for b in report["blocks"]]
    assert reading_order_agreement(blocks, blocks) == 1.0
    assert reading_order_agreement(blocks[::-1], blocks) < 0.1


def test_body_quoting_the_start_of_an_extracted_note_is_no_leak(tmp_path):
    # The body names the work note 1 cites, word for word; note 1 itself was extracted
    # whole. Note 2's start went to the body and its note lacks it: that is a leak.
    quoting = "As the office wrote in " + TEXT_A[:100] + " the rule stands."
    doc = make_doc("memo.pdf", notes=[note("1", 1, TEXT_A), note("2", 1, TEXT_B[110:])],
                   body=passages(quoting, TEXT_B[:110] + " " + BODY))
    report = run(tmp_path, [doc], lambda g: write_gold(
        g, "memo", [gnote("1", 1, TEXT_A), gnote("2", 1, TEXT_B)], markers=[]))
    row = only_row(report)
    assert row.leaked_notes == ["2"]
    assert row.note_leak == 0.5
