"""Claims rules for reports: the authors' own text and reasoning written as plain statements,
and tables running on to the next page. Each rule with a look-alike it must leave alone."""

from __future__ import annotations

import pytest

from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate

from claims_support import assert_readings, sentences


def _doc(*passages: tuple[int, str, str]) -> Document:
    """A document from (page, kind, text) passages."""
    d = Document(path="r.pdf", sha256="r" * 64, filename="r.pdf")
    for i, (page, kind, text) in enumerate(passages):
        d.passages.append(Passage(seq=i, page=page, kind=kind, text=text, bbox=(0, 0, 100, 10)))
    return d


def _verdict(nlp, sentence: str):
    (s,) = sentences(nlp, sentence)
    return s


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


@pytest.mark.parametrize("caught, look_alike", [
    # the document's own table or figure as subject: it points to the exhibit (F4); a clause
    # saying what the exhibit shows reports the figures (T1)
    (("Table 3 lists the ports that Norway funds, with their location and a description.", False, "F4"),
     ("Table 3 shows that Norway funded 12 ports in 2019.", True, "T1")),
    (("Figure 2 shows the foreign share of Danish bonds over time since 1945.", False, "F4"),
     ("The figure from Statistics Denmark shows the foreign share rose to 30 percent in 2019.", True, "T1")),
    # "may be grouped" sorts like "can be grouped" (F5); a legal "may" is the law's (T2)
    (("Grants in Ohio may also be grouped by their method of allocating funds.", False, "F5"),
     ("Grants in Ohio may be used for road repairs under the state code.", True, "T2")),
    # "thus", "as such" in the present tense: the authors' conclusion (F8); a rank or an event is a fact
    (("Thus, the closure of the strait has wide-ranging effects for the economies in the region.", False, "F8"),
     ("Thus, the Persian Gulf is one of the world's major sources of urea.", True, "LOC")),
    (("As such, all grantees are held accountable for sound financial management.", False, "F8"),
     ("As such, all grantees were audited by the inspector general.", True, "T1")),
    # a quantity of what the report just discussed is as vague as "these" (F1/F8)
    (("Indeed, several of these issues have been considerably exacerbated by a focus on rare risks.", False, "F1"),
     ("Indeed, several of the regional banks have been considerably weakened by the rate rises.", True, "T1")),
    # a thing described by its parts, with nothing named: a definition (F5); a named body's members are a fact
    (("The gross federal debt is composed of debt held by the public and debt held by federal trust funds.",
      False, "F5"), ("The Ohio council is composed of the mayors of its nine largest cities.", True, "GPE")),
    # an evaluative label on the subject (F1); "there are only limited spaces" says what exists
    (("Investment in nuclear power has become an urgent necessity.", False, "F1"),
     ("Even under the new law, there are only limited approved spaces to hold protests.", True, "T2")),
    # "will depend on" states a condition: the authors' forecast (F3), unless a law sets it (T2)
    (("Anyone's verdict on the Danish reform package of March 16 will depend on one's expectations.", False, "F3"),
     ("Eligibility for the credit will depend on household income under the Act.", True, "T2")),
    # "under" a design or measure, "will" says what it provides (T2); alone, the authors' forecast (F3)
    (("Later, the warning light will also illuminate on the ground.", False, "F3"),
     ("Under the new design, the warning light will also illuminate on the ground.", True, "T2")),
    # "zero" before a singular noun is a term, not a count: a general statement (F7); zero of a plural counts
    (("A zero trust architecture treats every network as hostile.", False, "F7"),
     ("Zero incidents were reported by the agency in the first quarter.", True, "T1")),
])
def test_the_authors_own_text_and_its_look_alikes(nlp, caught, look_alike):
    assert_readings(nlp, caught, look_alike)
