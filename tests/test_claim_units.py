"""Claim units (issue 16, second held-out set): where a sentence starts and ends.

Lists whose items finish a lead-in, a colon at a paragraph's end, a stop that lost its space,
legal abbreviations, a sentence cut by a table, a body paragraph about a figure read as its
caption, and the page of a sentence in a paragraph that runs over a page break. Sentences
are written for the tests; the PDFs are made here with reportlab."""

from __future__ import annotations

import sqlite3

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from test_line_breaks import _end_page, _filler, _lines

from citetrace.db.store import open_db, write_document
from citetrace.ingest.claims.sentences import body_sentences, boundaries, is_fragment_item
from citetrace.ingest.claims.zones import passage_zones
from citetrace.ingest.extract import extract
from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate, load_pipeline


def _doc(*passages: tuple[str, str]) -> Document:
    d = Document(path="u.pdf", sha256="u" * 64, filename="u.pdf")
    d.passages = [Passage(i, 1, kind, text, (0, 0, 100, 10)) for i, (kind, text) in enumerate(passages)]
    return d


def _texts(d: Document) -> list[str]:
    return [s.text for s in body_sentences(d, passage_zones(d))]


def _split(text: str) -> list[str]:
    cuts = boundaries(text)
    return [text[a:b].strip() for a, b in zip([0] + cuts, cuts)]


# ---------------------------------------------------------------- lists


def test_items_that_are_not_sentences_finish_a_colon_lead_in_whatever_they_end_in():
    d = _doc(("paragraph", "The board reviewed its water tariffs in 2021."),
             ("paragraph", "The new rule would require the following steps:"),
             ("list_item", "• Installing a meter at every connection and reading it monthly."),
             ("list_item", "• Publishing the readings, by town, in the annual report."),
             ("paragraph", "The utilities objected to the cost."))
    assert _texts(d) == [
        "The board reviewed its water tariffs in 2021.",
        "The new rule would require the following steps: Installing a meter at every connection "
        "and reading it monthly. Publishing the readings, by town, in the annual report.",
        "The utilities objected to the cost."]


def test_noun_phrase_items_with_a_relative_clause_finish_their_lead_in():
    d = _doc(("paragraph", "The delays have two causes, which can be grouped as follows:"),
             ("list_item", "- Internal causes, which depend on the staff: few inspectors, old files."),
             ("list_item", "- External causes, which depend on the suppliers and their prices."))
    assert _texts(d) == [
        "The delays have two causes, which can be grouped as follows: Internal causes, which depend "
        "on the staff: few inspectors, old files. External causes, which depend on the suppliers "
        "and their prices."]


def test_items_that_are_full_sentences_stay_separate_after_a_colon():
    d = _doc(("paragraph", "This strategy envisions a public service where:"),
             ("list_item", "• Staff have managed accounts, allowing them to work anywhere."),
             ("list_item", "• The devices that staff use are tracked and monitored."),
             ("list_item", "• Boeing Special Attention Service Bulletin 737-31, dated June 2020, "
                           "describes the procedures."))
    assert _texts(d) == [
        "This strategy envisions a public service where:",
        "Staff have managed accounts, allowing them to work anywhere.",
        "The devices that staff use are tracked and monitored.",
        "Boeing Special Attention Service Bulletin 737-31, dated June 2020, describes the procedures."]


def test_fragment_items_after_a_full_stop_are_one_unit_apart_from_the_sentence_before():
    d = _doc(("paragraph", "The rule would also require the following actions."),
             ("list_item", "• Changing the wire routing, as the bulletin describes."),
             ("list_item", "• Installing revised software, and removing the INOP"),
             ("paragraph", "Action"),  # a stray table cell between the halves of an item
             ("paragraph", "markers if applicable, as the bulletin describes."),
             ("list_item", "• Performing a readiness flight."))
    assert _texts(d) == [
        "The rule would also require the following actions.",
        "Changing the wire routing, as the bulletin describes. Installing revised software, and "
        "removing the INOP markers if applicable, as the bulletin describes. Performing a "
        "readiness flight."]


@pytest.mark.parametrize("item, fragment", [
    ("installing a meter.", True), ("Installing a meter at each house.", True),
    ("Requiring, for operators who wish it, a new manual.", True),
    ("Boeing Special Attention Service Bulletin describes it.", False),
    ("Training is required for every inspector.", False),
    ("During the war, the plant closed.", False),
    ("According to the bureau, prices rose.", False),
    ("Staff have managed accounts.", False),
])
def test_what_a_fragment_item_is(item, fragment):
    assert is_fragment_item(item) is fragment


# ---------------------------------------------------------------- paragraphs and boundaries


def test_a_paragraph_ending_in_a_colon_is_finished_by_the_next_one():
    d = _doc(("paragraph", "Prices rose in 2019. For these reasons, the tariff has been questioned:"),
             ("paragraph", "it appears that meters alone would not solve the problem. Towns agreed."))
    assert _texts(d) == [
        "Prices rose in 2019.",
        "For these reasons, the tariff has been questioned: it appears that meters alone would not "
        "solve the problem.", "Towns agreed."]


def test_a_colon_before_a_heading_or_a_table_stays_where_it_is():
    d = _doc(("paragraph", "The agency estimates the following costs to comply with this rule:"),
             ("heading", "Costs of compliance"),
             ("paragraph", "The rule affects 73 airplanes of U.S. registry."))
    assert _texts(d) == ["The agency estimates the following costs to comply with this rule:",
                         "The rule affects 73 airplanes of U.S. registry."]


def test_a_salutation_or_a_bulleted_line_after_a_colon_is_not_joined():
    d = _doc(("paragraph", "Dear Mr. Chairman:"),
             ("paragraph", "The agency faces an array of challenges. Here are two of them:"),
             ("paragraph", "• The agency can form at least one new team for the program."))
    assert _texts(d) == ["Dear Mr. Chairman:", "The agency faces an array of challenges.",
                         "Here are two of them:",
                         "• The agency can form at least one new team for the program."]


def test_a_sentence_cut_by_a_table_is_one_sentence():
    d = _doc(("paragraph", "The FAA will issue a draft report on training. The FAA will post the "
                           "draft Boeing 737 Flight Standardization"),
             ("heading", "ESTIMATED COSTS"), ("paragraph", "Labor cost Parts cost"),
             ("paragraph", "Board Report at https://www.faa.gov/fsb/ for public comment. You may "
                           "subscribe to this page."))
    assert _texts(d) == [
        "The FAA will issue a draft report on training.",
        "The FAA will post the draft Boeing 737 Flight Standardization Board Report at "
        "https://www.faa.gov/fsb/ for public comment.", "You may subscribe to this page."]


def test_a_stop_that_lost_its_space_still_ends_the_sentence():
    assert _split("Citations sit in reference lists.The references follow rules. See "
                  "www.example.Org or Example.Com for more.") == [
        "Citations sit in reference lists.", "The references follow rules.",
        "See www.example.Org or Example.Com for more."]


def test_legal_abbreviations_do_not_end_sentences():
    assert _split("The Compact requires no monitoring, see Compact §2.11, 1 App. 13, and the "
                  "water is not all in Oklahoma. The court agreed (9th Cir. 2019) with F. Supp. "
                  "2d 14 and at 235, n. 5. See State v. Lee, 161 Wn. App. 1, 17 (2011). It ended.") == [
        "The Compact requires no monitoring, see Compact §2.11, 1 App. 13, and the water is not "
        "all in Oklahoma.",
        "The court agreed (9th Cir. 2019) with F. Supp. 2d 14 and at 235, n. 5.",
        "See State v. Lee, 161 Wn. App. 1, 17 (2011).", "It ended."]


# ---------------------------------------------------------------- PDFs


def _figure_then_prose(path) -> None:
    """A paragraph, a table's caption and source line, then a body paragraph that opens by
    naming the table ("Table 2 provides data ...") in the body's type."""
    c = canvas.Canvas(str(path), pagesize=letter)
    y = _lines(c, 72, 720, 440, _filler(1) + ["today."])
    y = _lines(c, 72, y - 12, 440, _filler(2) + ["today."])
    y = _lines(c, 72, y - 18, 440, "Table 2. Top Foreign Holders of Federal Debt".split(), size=10,
               font="Times-Bold")
    y = _lines(c, 72, y - 18, 440, "Japan 1,185 12.8% United Kingdom 866 9.3%".split(), size=9)
    y = _lines(c, 72, y - 18, 440, "Source: Treasury Department, TIC tables, 2026.".split(), size=9)
    y = _lines(c, 72, y - 18, 440, ("Table 2 provides data on major foreign holders of federal debt "
                                    "by country. Japan holds approximately 12.8% of all foreign "
                                    "investment in federal debt. China holds 7.4% of it.").split())
    _end_page(c, 1)
    c.save()


def test_a_body_paragraph_naming_a_table_is_not_its_caption(tmp_path):
    path = tmp_path / "figure.pdf"
    _figure_then_prose(path)
    doc = extract(path)
    kinds = {p.text.split(".")[0]: p.kind for p in doc.passages}
    assert kinds["Source: Treasury Department, TIC tables, 2026"] == "caption"
    assert kinds["Table 2 provides data on major foreign holders of federal debt by country"] == "paragraph"
    assert "Japan holds approximately 12.8% of all foreign investment in federal debt." in _texts(doc)


def _paragraph_over_a_page_break(path) -> None:
    """A paragraph of three sentences running from page 1 onto page 2, cut mid-sentence."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 14)
    c.drawString(72, 730, "Water tariffs in the valley")
    y, k = 700.0, 0
    while y > 200:  # fill the page: the paragraph must end at its foot
        y, k = _lines(c, 72, y, 440, _filler(k) + ["today."]) - 6, k + 1
    words = ("The valley regulator reviewed 14 utilities in 2021 and found that most of them "
             "charged the poorest households more per litre than the richest households, because "
             "the first block of water was priced above the cost of supplying it to the").split()
    _lines(c, 72, y, 440, words)
    _end_page(c, 1)
    _lines(c, 72, 720, 440, ("towns in the valley. The regulator ordered a new tariff in March 2022. "
                             "Prices fell by 12 percent in 2023.").split())
    _end_page(c, 2)
    c.save()


def test_a_sentence_in_a_paragraph_over_a_page_break_is_on_the_page_where_it_starts(tmp_path):
    path = tmp_path / "pages.pdf"
    _paragraph_over_a_page_break(path)
    doc = extract(path)
    annotate(load_pipeline(), doc)
    pages = {s.text.split(" ")[1]: s.page for s in doc.sentences if s.text.startswith("The ")}
    assert pages["valley"] == 1  # starts on page 1, ends on page 2
    assert pages["regulator"] == 2
    assert [s.page for s in doc.sentences if s.text.startswith("Prices fell")] == [2]
    db = tmp_path / "pages.db"
    conn = open_db(str(db))
    write_document(conn, doc, "test")
    conn.close()
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("select substr(text, 1, 17), page from sentences"))
    assert stored["The regulator ord"] == 2 and stored["Prices fell by 12"] == 2
    assert dict(conn.execute("select substr(text, 1, 17), page from claims"))["Prices fell by 12"] == 2
