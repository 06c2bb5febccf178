"""The first pages of a report, in PDFs made here with reportlab: a cover sheet with a title
over three lines in large type, a summary page whose sidebar (date, author) the summary's
text runs around, a table of contents with dot leaders, and the title when the first page
sets none (or sets a date in the largest type)."""

import json
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from citetrace.ingest.claims.zones import passage_zones
from citetrace.ingest.extract import extract

TITLE = ["Regional Water Authorities:", "A Survey of Tariffs and Lifeline Blocks", "(FY2010-FY2020)"]
SUMMARY = ("The regional water authorities set the tariffs that households pay for the first "
           "block of water, and the state reviews them each year so that every town can afford "
           "what it needs for drinking, cooking and washing. The review was created by statute in "
           "1998 to assist towns and counties").split()
SUMMARY_REST = ("with the cost of pipes and pumps, and it has since grown into the main "
                "instrument of the state's water policy, with hearings in each region. The "
                "authorities answer to the legislature, which sets the range of the subsidy.").split()


def _lines(c, x: float, y: float, width: float, words: list[str], size: float = 10,
           font: str = "Times-Roman", pitch: float = 1.15) -> float:
    """Set `words` in lines of at most `width` points from (x, y) down; returns the next y."""
    line: list[str] = []
    for w in words:
        if line and c.stringWidth(" ".join(line + [w]), font, size) > width:
            c.setFont(font, size)
            c.drawString(x, y, " ".join(line))
            y, line = y - pitch * size, []
        line.append(w)
    if line:
        c.setFont(font, size)
        c.drawString(x, y, " ".join(line))
        y -= pitch * size
    return y


def _body(k: int) -> list[str]:
    return (f"In {1990 + k} the authority of region {k + 3} set the first block price below cost, "
            f"and {k + 12} towns took part in the scheme that year under the review. The towns "
            f"reported the cost of pumping in {k + 4} annual statements to the board.").split()


def _end_page(c, folio: int | None) -> None:
    if folio:
        c.setFont("Times-Roman", 8)
        c.drawString(72, 40, "Institute for Water Policy")
        c.drawRightString(540, 40, str(folio))
    c.showPage()


def _put(c, lines: list[tuple[str, float, float, float, str]], right: bool = False) -> None:
    """(font, size, x, y, text) each; `right`: x is where the text ends."""
    for font, size, x, y, text in lines:
        c.setFont(font, size)
        (c.drawRightString if right else c.drawString)(x, y, text)


def _report(path, title: str | None = "Regional Water Authorities: A Survey of Tariffs and "
            "Lifeline Blocks (FY2010-FY2020)") -> None:
    """Page 1: a cover sheet (the title over three lines in 22-pt type, a date, the publisher
    at the foot); page 2: the summary, its sidebar (report number, date, author) right of the
    summary's first lines, the summary going on across the full width under both; page 3: a
    table of contents; pages 4-5: body text."""
    c = canvas.Canvas(str(path), pagesize=letter)
    if title:
        c.setTitle(title)
    _put(c, [("Helvetica-Bold", 22, 72, 600 - 30 * i, line) for i, line in enumerate(TITLE)]
         + [("Helvetica", 14, 72, 500, "Updated March 3, 2021")])
    _put(c, [("Helvetica-Bold", 10, 540, 110, "Institute for Water Policy"),
             ("Helvetica", 10, 540, 94, "https://water-policy.example.org"),
             ("Helvetica", 10, 540, 78, "WP2207")], right=True)
    _end_page(c, None)
    # page 2: the summary and its sidebar
    _put(c, [("Helvetica-Bold", 14, 478, 720, "SUMMARY")]
         + [("Helvetica-Bold", 20, 54, 690 - 24 * i, line) for i, line in enumerate(TITLE)])
    y = _lines(c, 54, 614, 370, SUMMARY)
    _put(c, [("Helvetica", 14, 460, 690, "WP2207"), ("Helvetica", 10, 460, 664, "March 3, 2021"),
             ("Helvetica-Bold", 9, 460, 640, "Ada M. Quill"),
             ("Helvetica", 9, 460, 629, "Analyst in Water"),
             ("Helvetica", 9, 460, 618, "Resources Policy")])
    _lines(c, 54, y, 500, SUMMARY_REST)
    _end_page(c, None)
    # page 3: contents
    c.setFont("Helvetica-Bold", 18)
    c.drawString(90, 700, "Contents")
    entries = [(90, "Introduction", 1), (90, "Tariffs by Region", 2), (107, "Lifeline Blocks", 2),
               (107, "Subsidies and Their Cost", 3), (90, "Options for the Legislature", 4)]
    c.setFont("Times-Roman", 11)
    for i, (x, name, folio) in enumerate(entries):
        y = 670 - 14 * i
        dots = " " + "." * int((500 - x - c.stringWidth(name, "Times-Roman", 11)) / 3)
        c.drawString(x, y, name + dots)
        c.drawRightString(522, y, str(folio))
    _end_page(c, None)
    for page in range(2):
        c.setFont("Helvetica-Bold", 16)
        c.drawString(72, 720, ["Introduction", "Tariffs by Region"][page])
        y = 690.0
        for k in range(4):
            y = _lines(c, 72, y, 440, _body(4 * page + k)) - 8
        _end_page(c, page + 1)
    c.save()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("front") / "water.pdf"
    _report(path, title=None)  # the title from the page alone
    return extract(path)


def test_a_title_over_three_lines_of_large_type_is_one_title(report):
    # the 22-pt word spaces of the second line line up with the gap left of the publisher's
    # lines at the foot: no gutter, the title is not cut at its colon
    assert report.title == " ".join(TITLE)
    assert not any("Regional Water" in p.text or "FY2010" in p.text for p in report.passages)


def test_a_first_page_without_running_text_is_a_cover_sheet(report):
    cover = {f.text for f in report.furniture if f.page == 1}
    assert "Updated March 3, 2021" in cover
    assert not any(p.page == 1 for p in report.passages)
    # the title repeated over the summary (with its subtitle) is the title, not a heading
    assert not any(p.kind == "heading" and "Survey" in p.text for p in report.passages)


def test_a_sidebar_is_read_whole_before_the_text_that_runs_around_it(report):
    texts = [p.text for p in report.passages if p.page == 2]
    summary = [i for i, t in enumerate(texts) if t.startswith("The regional water authorities")]
    assert len(summary) == 1
    # the summary's two halves, above and under the sidebar, are one passage
    assert "to assist towns and counties with the cost of pipes" in texts[summary[0]]
    assert texts[:2] == ["SUMMARY", texts[summary[0]]]


def test_the_sidebars_date_and_author_lines_are_a_byline_not_text(report):
    # the date, the author's name and title beside the summary make no claims: furniture
    byline = [f.text for f in report.furniture if f.reason == "byline"]
    assert byline == ["WP2207", "March 3, 2021", "Ada M. Quill", "Analyst in Water Resources Policy"]
    assert not any(t in p.text for p in report.passages for t in ("Ada M. Quill", "March 3, 2021",
                                                                   "Analyst in Water"))


def test_contents_entries_are_their_own_kind_one_per_line_and_make_no_claims(report):
    toc = [p for p in report.passages if p.kind == "toc"]
    assert [p.text for p in toc] == ["Introduction … 1", "Tariffs by Region … 2",
                                     "Lifeline Blocks … 2", "Subsidies and Their Cost … 3",
                                     "Options for the Legislature … 4"]
    zones = passage_zones(report)
    assert all(zones[p.seq] is None for p in toc)
    assert any(z == "body" for z in zones)


def _plain_first_page(path, title: str | None, top_line: str | None = None) -> None:
    """Two pages of body text, no larger type; `top_line` set larger at the top of page 1."""
    _first_page(path, [("Helvetica", 16, 72, 720, top_line)] if top_line else [], title,
                paragraphs=5)


def test_a_sensible_metadata_title_names_a_document_whose_first_page_sets_none(tmp_path):
    path = tmp_path / "untitled.pdf"
    _plain_first_page(path, "Annual  Statements of the Region\u00a0Towns")
    assert extract(path).title == "Annual Statements of the Region Towns"
    # words the document never prints: a title of some other document (or a template's)
    _plain_first_page(path, "Quarterly Fisheries Bulletin")
    assert extract(path).title is None


def test_the_metadata_title_stands_in_for_a_date_set_in_the_largest_type(tmp_path):
    path = tmp_path / "memo.pdf"
    _plain_first_page(path, "The Authority of Region Towns and the Annual Statements",
                      top_line="March 3, 2021")
    assert extract(path).title == "The Authority of Region Towns and the Annual Statements"


def test_a_word_processors_file_name_is_no_title(tmp_path):
    path = tmp_path / "draft.pdf"
    _plain_first_page(path, "Microsoft Word - draft3.docx", top_line="March 3, 2021")
    assert extract(path).title is None


# ---------------------------------------------------------------- the shared corpus (CRS)

@pytest.fixture(scope="module")
def crs(shared):
    """Some CRS reports of ../shared/corpus, extracted (skipped without ../shared)."""
    pdfs = shared / "corpus" / "pdfs"
    return {stem: extract(pdfs / f"{stem}.pdf") for stem in ("crs_R46991.32", "crs_R48179.10", "crs_R48903.3")}


def test_crs_titles_are_whole_and_their_cover_pages_are_no_body_text(crs):
    assert crs["crs_R46991.32"].title == ("Economic Development Administration: An Overview of "
                                          "Programs and Appropriations (FY2012-FY2026)")
    assert crs["crs_R48903.3"].title == ("The Strait of Hormuz in Brief: Non-Oil Shipments and "
                                         "Effects on U.S. Shippers")
    for doc in crs.values():
        assert not any(p.page == 1 for p in doc.passages), doc.filename
        # the title set again over the summary is not a heading of the text
        assert not any(p.kind == "heading" and len(p.text.split()) > 1 and p.text in doc.title
                       for p in doc.passages)


def test_crs_summary_is_not_cut_by_its_sidebar(crs):
    for stem, (head, tail) in {
            "crs_R46991.32": ("to assist state and local", "stakeholders with developing"),
            "crs_R48179.10": ("Tickets in the primary market", "often priced to maximize")}.items():
        texts = [p.text for p in crs[stem].passages]
        assert any(head in t and tail in t for t in texts), stem
        summary = next(i for i, t in enumerate(texts) if head in t)
        assert texts.index("SUMMARY") == summary - 1


def test_crs_contents_lines_are_toc_entries(crs):
    doc = crs["crs_R48903.3"]
    toc = [p.text for p in doc.passages if p.kind == "toc"]
    assert toc[:3] == ["Introduction … 1", "Control of the Strait … 2", "Inbound and Outbound Ships … 2"]
    assert not any("....." in p.text for p in doc.passages)


def test_a_drop_cap_is_the_first_letter_of_its_paragraph(tmp_path):
    # a capital set three lines tall on the third line's baseline, the rest of its word right
    # beside it, the next two lines set in beside it too: one paragraph that starts
    # "Each year", no heading "E"
    path = tmp_path / "dropcap.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    words = ("ach year the establishment of towns in the region reports the cost of pumping "
             "and of treating the water they sell to households, and the authority sets the "
             "first block price from these statements so that every household can afford the "
             "water it needs.").split()
    for page in range(2):
        y = 700.0
        if page == 0:
            _put(c, [("Times-Roman", 51, 72, y - 2 * 1.15 * 11, "E")])
            y = _lines(c, 72 + c.stringWidth("E", "Times-Roman", 51) + 0.1, y, 400, words[:30],
                       size=11)
            y = _lines(c, 72, y, 440, words[30:], size=11) - 8
        for k in range(4):
            y = _lines(c, 72, y, 440, _body(4 * page + k), size=11) - 8
        _end_page(c, page + 1)
    c.save()
    doc = extract(path)
    assert not any(p.text == "E" for p in doc.passages)
    first = next(p for p in doc.passages if "towns in the region reports" in p.text)
    assert first.text.startswith("Each year the establishment") and first.kind == "paragraph"
    assert "afford the water it needs." in first.text


def test_crs_drop_cap_starts_its_paragraph(crs):
    texts = [p.text for p in crs["crs_R48179.10"].passages]
    assert "E" not in texts
    assert any(t.startswith("Each year, millions of Americans") and "IBISWorld" in t for t in texts)


# ---------------------------------------------------------------- titles by convention

def _first_page(path, head: list[tuple[str, float, float, float, str]], title: str | None = None,
                centred: bool = False, paragraphs: int = 2) -> None:
    """Page 1 sets `head` (font, size, x, y, text; x is the middle when `centred`) and
    `paragraphs` of body text under it; page 2 is body text with a folio."""
    c = canvas.Canvas(str(path), pagesize=letter)
    if title is not None:
        c.setTitle(title)
    for font, size, x, y, text in head:
        c.setFont(font, size)
        (c.drawCentredString if centred else c.drawString)(x, y, text)
    y = min((y for *_, y, _ in head), default=750) - 30
    for page in range(2):
        for k in range(paragraphs if page == 0 else 5):
            y = _lines(c, 72, y, 440, _body(5 * page + k), size=11) - 8
        _end_page(c, page + 1)
        y = 720.0
    c.save()


def test_a_memos_subject_line_is_its_title_not_the_letterhead_or_the_addressee(tmp_path):
    path = tmp_path / "memo.pdf"
    _first_page(path, [("Helvetica-Bold", 14, 200, 730, "OFFICE OF WATER POLICY"),
                       ("Times-Roman", 12, 72, 680, "MEMORANDUM FOR THE REGIONAL WATER AUTHORITIES"),
                       ("Times-Roman", 12, 72, 655, "FROM:          Ada M. Quill, Director"),
                       ("Times-Roman", 12, 72, 630, "SUBJECT:     Lifeline Tariffs for the 2022 Season")])
    doc = extract(path)
    assert doc.title == "Lifeline Tariffs for the 2022 Season"
    assert not any(p.text.startswith("SUBJECT") for p in doc.passages)
    assert any(p.text.startswith("MEMORANDUM FOR") for p in doc.passages)


def test_a_register_documents_title_is_the_bold_line_over_its_agency_header(tmp_path):
    # the largest type is the section of the Register, not the document
    path = tmp_path / "rule.pdf"
    # (the Register's spacing: fields of one or two lines, a blank half-line between them)
    head = [("Helvetica-Bold", 18, 72, 730, "Proposed Rules")]
    y = 700.0
    for font, lines in [("Helvetica-Bold", ["DEPARTMENT OF WATER"]),
                        ("Helvetica-Bold", ["Lorvane Water Authority"]),
                        ("Helvetica-Bold", ["[Docket No. LWA-2021-0042; Product", "Identifier 2021-07]"]),
                        ("Helvetica-Bold", ["RIN 2120-AA64"]),
                        ("Helvetica-Bold", ["Lifeline Tariffs; Regional Water", "Authorities"]),
                        ("Times-Roman", ["AGENCY: Lorvane Water Authority", "(LWA), Lorvane."]),
                        ("Times-Roman", ["ACTION: Notice of proposed", "rulemaking (NPRM)."])]:
        for line in lines:
            head.append((font, 9, 72, y, line))
            y -= 10
        y -= 8
    _first_page(path, head)
    doc = extract(path)
    assert doc.title == "Lifeline Tariffs; Regional Water Authorities"
    assert any(p.text.startswith("AGENCY:") for p in doc.passages)


@pytest.mark.parametrize("caption", [
    ["REGIONAL WATER AUTHORITY, Appellant", "v.", "TOWN OF LORVANE, Respondent"],
    ["REGIONAL WATER AUTHORITY v.", "TOWN OF LORVANE ET AL."],
])
def test_a_court_caption_is_the_title_not_the_courts_name_set_larger(tmp_path, caption):
    path = tmp_path / "brief.pdf"
    rows = [("Times-Bold", 15, 306, 730, "SUPREME COURT OF LORVANE")]
    rows += [("Times-Roman", 12, 306, 690 - 16 * i, line) for i, line in enumerate(caption)]
    _first_page(path, rows, centred=True)
    doc = extract(path)
    want = "REGIONAL WATER AUTHORITY v. TOWN OF LORVANE" + (" ET AL." if len(caption) == 2 else "")
    assert doc.title == want
    assert not any("TOWN OF LORVANE" in p.text for p in doc.passages)
    # "v." in running text (and "Re:" inside a sentence) name no document: the large title stays
    path = tmp_path / "article.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    _put(c, [("Helvetica-Bold", 20, 72, 720, "Tariffs Before the Courts")])
    y = _lines(c, 72, 690, 440, (f"The leading case is {' '.join(caption)}, decided in 2019, where "
                                 "the court held that the tariff was lawful. Re: the subsidy, the "
                                 "court said nothing at all.").split(), size=11)
    for k in range(3):
        y = _lines(c, 72, y - 8, 440, _body(k), size=11)
    _end_page(c, 1)
    _lines(c, 72, 720, 440, _body(7), size=11)
    _end_page(c, 2)
    c.save()
    assert extract(path).title == "Tariffs Before the Courts"




def test_title_lines_a_blank_line_apart_and_a_subtitle_under_capitals_are_one_title(tmp_path):
    # a Word cover: the title's lines a blank line apart; the words in capitals, then the
    # subtitle in the same size; a date set beside them comes between them in reading order
    path = tmp_path / "cover.pdf"
    _first_page(path, [("Helvetica-Bold", 24, 216, 700, "WATER"),
                       ("Helvetica-Bold", 24, 216, 666, "TARIFFS"),
                       ("Helvetica", 12, 36, 690, "March 2021"),
                       ("Helvetica-Bold", 24, 216, 632, "Lifeline Blocks Could"),
                       ("Helvetica-Bold", 24, 216, 606, "Serve More Households")],
                title="WP-2207, WATER TARIFFS: Lifeline Blocks Could Serve More Households")
    # the metadata adds only the report number: the printed title stands
    assert extract(path).title == "WATER TARIFFS: Lifeline Blocks Could Serve More Households"


# ---------------------------------------------------------------- titles of the shared corpus

TITLES = json.loads((Path(__file__).parent / "data" / "corpus_titles.json").read_text())


def _title_key(text: str | None) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text or "").casefold() if c.isalnum())


@pytest.fixture(scope="module")
def weak_titles(shared):
    """The corpus files whose titles were weak before (convention titles, a Word cover)."""
    pdfs = shared / "corpus" / "pdfs"
    return {stem: extract(pdfs / f"{stem}.pdf").title for stem in (
        "fedreg_2020-17221_boeing737max_3col", "scotus_tarrant_v_herrmann_2013_slip",
        "omb_m22_09_zero_trust_memo_word", "worldbank_scd_tchad_2015_french_word2010",
        "wa_coa_state_v_zamora_appellant_brief_2020_word365", "gao_06_1046_grants_management")}


def test_corpus_titles_are_what_a_reader_calls_the_document(weak_titles):
    for stem, title in weak_titles.items():
        want = TITLES[stem]
        assert _title_key(title) in {_title_key(t) for t in [want["exact"], *want.get("acceptable", [])]}, \
            (stem, title)
    # the printed title over a metadata Title that only puts the report number in front
    assert weak_titles["gao_06_1046_grants_management"].startswith("GRANTS MANAGEMENT: Enhancing")


def test_crs_sidebar_dates_and_authors_are_no_body_passages(shared):
    pdfs = shared / "corpus" / "pdfs"
    for stem, names in {"crs_R45741": ["Jacob R. Straus", "Laura B. Comay", "Mark K. DeSantis"],
                        "crs_R48179.10": ["Clare Y. Cho"]}.items():
        doc = extract(pdfs / f"{stem}.pdf")
        byline = [f.text for f in doc.furniture if f.reason == "byline"]
        assert byline[0].startswith("April ") and all(n in byline for n in names), stem
        early = [p.text for p in doc.passages if p.page <= 3]
        # (the summary may cite another report by name and author: that is text)
        assert not any(t.startswith(n) for n in names for t in early), stem
        assert not any(t.startswith(("April ", "Specialist ")) for t in early), stem
