"""Claims rules for reports: tables running on to the next page. Each rule with a look-alike
it must leave alone."""

from __future__ import annotations

import pytest

from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate, load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _doc(*passages: tuple[int, str, str]) -> Document:
    """A document from (page, kind, text) passages."""
    d = Document(path="r.pdf", sha256="r" * 64, filename="r.pdf")
    for i, (page, kind, text) in enumerate(passages):
        d.passages.append(Passage(seq=i, page=page, kind=kind, text=text, bbox=(0, 0, 100, 10)))
    return d


TABLE_ROWS = ((1, "paragraph", "Table 4 lists the harbour offices of the bureau."),
              (1, "caption", "Table 4. Harbour Offices"),
              (1, "heading", "Office"), (1, "paragraph", "Harbor Office"), (1, "paragraph", "Valley Office"),
              (1, "heading", "Description"),
              (1, "paragraph", "The Harbor Office opened in 1962 with 12 staff."),
              (1, "paragraph", "The Valley Office replaced a depot in 1978."),
              (2, "paragraph", "Lake Office Lakeside, MN The Lake Office opened in 1990."))


def test_a_table_whose_source_line_is_overleaf_makes_no_sentences(nlp):
    d = _doc(*TABLE_ROWS, (2, "caption", "Source: Bureau annual report, 2021."),
             (2, "heading", "Staffing"), (2, "paragraph", "Staffing at the offices fell by 30 percent after 2015."))
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == ["Table 4 lists the harbour offices of the bureau.",
                                             "Staffing at the offices fell by 30 percent after 2015."]


def test_a_source_line_after_a_heading_overleaf_is_another_exhibits(nlp):
    """The next page opens a section before its "Source:" line: that foot is not the table's."""
    d = _doc(*TABLE_ROWS, (2, "heading", "Staffing"), (2, "caption", "Source: Bureau annual report, 2021."))
    annotate(nlp, d)
    assert "The Harbor Office opened in 1962 with 12 staff." in [s.text for s in d.sentences]
