"""Notes told by their cues where size and separator tell nothing: generated documents (the
style variants of other seeds than test_variants.py's) whose notes are set in the body's own
size with no rule over them, each a way the extractor once failed:

- a reportlab document with endnotes under a "Notes" heading that stands before the middle of
  the document (a short text with long notes);
- LibreOffice Writer moving a note that does not fit to the next page, away from its marker;
- Writer justifying a note line over a URL too long for it, its words as wide apart as the
  gutters of a table on the page before;
- numbered paragraphs ("8. Officials argued…") beside notes labelled "8." on the same page:
  the paragraphs form a sequence too, but the markers point to the notes only;
- pdfLaTeX stretching a URL in a narrow column by more than a glyph cell ("org / reports /").

Each variant is named by (seed, index): variant i of a seed is the same whatever the count.
"""

from __future__ import annotations

import re
import sqlite3

import pytest
from citetrace.ingest.variants import make_variants, missing_programs
from citetrace.ingest.variants.content import Paragraph
from variant_cases import ingest_variants

# case -> (seed, index) of the variant that shows it
CASES = {
    "endnotes-heading-early": (33, 15),
    "note-moved-to-next-page": (33, 13),
    "justified-line-at-table-gutters": (33, 1),
    "numbered-paragraphs-and-moved-note": (57, 7),
    "latex-url-stretched": (41, 14),
}


def _variant(seed: int, index: int):
    return make_variants(index + 1, seed)[index]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    variants = {case: _variant(*at) for case, at in CASES.items()}
    scores, db = ingest_variants(tmp_path_factory.mktemp("note-cues"), list(variants.values()),
                                 "cues.db")
    return variants, scores, db


def test_cases_have_the_style_they_test():
    styles = {case: _variant(*at).style for case, at in CASES.items()}
    for case, style in styles.items():
        if case != "latex-url-stretched":
            assert style.note_size == style.body_size and style.separator == "none", case
    assert styles["endnotes-heading-early"].notes == "endnotes"
    assert styles["numbered-paragraphs-and-moved-note"].numbered_paragraphs
    assert styles["latex-url-stretched"].producer == "latex"
    assert styles["latex-url-stretched"].columns == 2 and styles["latex-url-stretched"].long_urls


def _score(ingested, case):
    variants, scores, db = ingested
    v = variants[case]
    if v.stem not in scores:
        pytest.skip(f"{v.style.producer} variants need "
                    f"{', '.join(missing_programs((v.style.producer,)))}")
    return v, scores[v.stem], db


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_note_found_and_none_invented(ingested, case):
    _, score, _ = _score(ingested, case)
    assert score.notes_gold > 10
    assert score.note_f1 == 1.0, (
        f"{score.notes_pred} notes found for {score.notes_gold}, unmatched {score.unmatched_notes}")
    assert not score.note_leak, f"notes left in the body: {score.leaked_notes}"
    assert score.url_f1 == 1.0, f"{score.urls_matched} of {score.urls_gold} URLs read whole"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_numbered_paragraphs_stay_body(ingested):
    v, _, db = _score(ingested, "numbered-paragraphs-and-moved-note")
    conn = sqlite3.connect(db)
    (doc_id,) = conn.execute("select id from documents where filename = ?",
                             [f"{v.stem}.pdf"]).fetchone()
    passages = " ".join(_squash(t) for (t,) in conn.execute(
        "select text from passages where document_id = ?", [doc_id]))
    notes = " ".join(_squash(t) for (t,) in conn.execute(
        "select text from footnotes where document_id = ?", [doc_id]))
    conn.close()
    numbered = [b for b in v.doc.blocks if isinstance(b, Paragraph) and b.number]
    assert len(numbered) >= 10
    for p in numbered:
        opening = _squash(p.text)[:40]  # "8. Officials argued that the pilot was…"
        assert opening in passages, opening
        assert opening[len(p.number) + 1:] not in notes, opening
