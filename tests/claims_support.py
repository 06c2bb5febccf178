"""Helpers of the claims tests: a one-page document parsed by the ingest pipeline, and the
rules' reading of a sentence checked against its expected verdict and guideline code."""

from __future__ import annotations

from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate


def sentences(nlp, *texts: str) -> list:
    """The body sentences of a document whose paragraphs are `texts`, all on page 1."""
    d = Document(path="r.pdf", sha256="r" * 64, filename="r.pdf")
    for i, text in enumerate(texts):
        d.passages.append(Passage(seq=i, page=1, kind="paragraph", text=text, bbox=(0, 0, 100, 10)))
    annotate(nlp, d)
    return d.sentences


def assert_readings(nlp, *readings: tuple[str, bool, str]) -> None:
    """Each (sentence, check-worthy, code such as "T1" or "F4"), parsed as a paragraph alone."""
    for sentence, worthy, code in readings:
        (s,) = sentences(nlp, sentence)
        assert s.check_worthy is worthy, (sentence, s.reasons)
        assert any(code in r for r in s.reasons), (sentence, s.reasons)
