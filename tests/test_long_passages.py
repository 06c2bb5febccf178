"""A passage longer than spaCy's ``nlp.max_length`` (issue 19 item 7): it was "internal error
(spaCy E088): please report it"; now it is parsed in pieces and joined again. The test lowers
the limit instead of typesetting a million characters: a generated PDF whose one paragraph is
several times the limit, read with the limit and without it."""

from __future__ import annotations

import pytest

from citetrace.ingest import pipeline
from citetrace.ingest.nlp import chunks, load_pipeline

SENTENCES = [
    "The Water Authority of Lorvane raised tariffs by 12 percent in March 2022.",
    "Minister Anna Kovacs said the increase would fund repairs across Eastern Province.",
    "Critics at the Institute for Fiscal Studies argued that poorer households paid most.",
    "By 2023 the network had lost a third of its water to leaks, the World Bank reported.",
]


@pytest.fixture(scope="module")
def long_paragraph_pdf(tmp_path_factory):
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    path = tmp_path_factory.mktemp("long") / "one-paragraph.pdf"
    text = " ".join(SENTENCES * 12)  # ~3,900 characters, one paragraph on one page
    SimpleDocTemplate(str(path), pagesize=letter).build(
        [Paragraph("A long paragraph", getSampleStyleSheet()["Title"]),
         Paragraph(text, getSampleStyleSheet()["BodyText"])])
    return path


def test_chunks_cover_the_text_within_the_limit():
    text = "word " * 1000 + "x" * 700 + " tail"
    spans = chunks(text, [500, 1500, 2600], 600)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == prev_b for (_, prev_b), (a, _) in zip(spans, spans[1:]))
    assert all(b - a <= 600 for a, b in spans)
    assert (0, 500) in spans  # at a sentence start where one lies in the span's second half
    assert all(text[b - 1] == " " for a, b in spans[1:-2] if b not in (500, 1500, 2600))


def test_a_passage_over_the_limit_is_read_in_pieces(long_paragraph_pdf):
    nlp = load_pipeline()
    whole = pipeline.process(long_paragraph_pdf, nlp, pipeline.Options())
    longest = max(len(p.text) for p in whole.passages)
    assert longest > 3000
    nlp.max_length = 1000  # as a million-character passage meets the default limit
    cut = pipeline.process(long_paragraph_pdf, nlp, pipeline.Options())
    assert [p.text for p in cut.passages] == [p.text for p in whole.passages]
    for e in cut.entities:
        assert cut.passages[e.passage].text[e.start:e.end] == e.text if e.passage is not None else True
    names = {(e.text, e.label) for e in cut.entities}
    assert {("Anna Kovacs", "PERSON"), ("the World Bank", "ORG")} <= names or \
        {("Anna Kovacs", "PERSON"), ("World Bank", "ORG")} <= names
    assert len(cut.entities) >= 0.9 * len(whole.entities)
    # the body's sentences are cut by our rules, not by the pieces: the same sentences
    assert [s.text for s in cut.sentences] == [s.text for s in whole.sentences]
    assert len(cut.sentences) >= 4 * 12
