"""Tests for ingest/citations/: splitting notes, fields, short forms, source keys.

Note strings here are short and made up, modelled on patterns in CRS reports, law reviews,
GAO reports and the Kazakhstan report; the corpus tests at the end read /work/shared.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from citetrace.ingest.citations import cited_urls, normalize_date, parse_citations, parse_note
from citetrace.ingest.model import Document, Footnote
from citetrace.ingest.urls import compare_form, find_urls, normalize_url

SHARED = Path(__file__).resolve().parents[2] / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")


def _doc(*texts: str, labels=None, urls=None) -> Document:
    notes = [
        Footnote(
            label=(labels[i] if labels else str(i + 1)),
            page=1,
            kind="footnote",
            text=t,
            bbox=(0, 0, 0, 0),
            urls=list(urls[i]) if urls else [],
        )
        for i, t in enumerate(texts)
    ]
    doc = Document(path="x.pdf", sha256="0", filename="x.pdf", footnotes=notes)
    parse_citations(doc)
    return doc


def _one(text: str):
    cites = parse_note(text)
    assert len(cites) == 1, [c.text for c in cites]
    return cites[0]


# --------------------------------------------------------------------------- fields


def test_web_article_fields():
    c = _one(
        "Jane Q. Doe, “Learning from the Spring Floods,” Central Asia-Caucasus Analyst, "
        "April 18, 2022. (https://example.org/publications/item/13441)"
    )
    assert c.authors == "Jane Q. Doe"
    assert c.title == "Learning from the Spring Floods"  # comma inside the quote stripped
    assert c.container == "Central Asia-Caucasus Analyst"
    assert (c.date, c.date_text) == ("2022-04-18", "April 18, 2022")
    assert c.url == "https://example.org/publications/item/13441"  # ")" and "." stripped
    assert c.kind == "article"
    assert c.source_key == "url:example.org/publications/item/13441"


def test_title_with_comma_after_closing_quote_and_outlet():
    c = _one("Jane Doe, “Neighbors Take a Stand”, The Hill, May 6, 2022. (https://example.org/a.html)")
    assert c.title == "Neighbors Take a Stand"
    assert c.container == "The Hill"
    assert c.date == "2022-05-06"


def test_domain_outlet_then_owner_and_date_in_title():
    c = _one(
        "“Tokayev’s State of the Nation Address, September 2, 2019,” Akorda.kz Republic of "
        "Kazakhstan, September 2, 2019. (https://www.akorda.kz/en/address-2019)"
    )
    assert c.title == "Tokayev’s State of the Nation Address, September 2, 2019"
    assert c.container == "Akorda.kz"
    assert c.publisher == "Republic of Kazakhstan"
    assert c.date == "2019-09-02"


def test_outlet_after_period():
    c = _one("“Address to the Nation.” Akorda.kz. Republic of Kazakhstan, January 31, 2017. (https://a.kz/x)")
    assert c.title == "Address to the Nation"
    assert c.container == "Akorda.kz"
    assert c.publisher == "Republic of Kazakhstan"


def test_unquoted_book_with_place_and_publisher():
    c = _one(
        "See Ann Smith, Bob Jones and Carl Ray, Political Reforms in Kazakhstan Under Tokayev, "
        "Washington: Central Asia Institute & Silk Road Program, Silk Road Paper, November 2021, p. 76."
    )
    assert c.signal == "See"
    assert c.authors == "Ann Smith, Bob Jones and Carl Ray"
    assert c.title == "Political Reforms in Kazakhstan Under Tokayev"
    assert c.place == "Washington"
    assert c.publisher == "Central Asia Institute & Silk Road Program"
    assert (c.date, c.date_text) == ("2021-11", "November 2021")
    assert c.pages == "p. 76"


def test_book_with_state_place_and_possessive_title():
    c = _one("Ann Smith and Bob Jones, Uzbekistan’s New Face, Lanham, MD: Rowman & Littlefield, 2018")
    assert c.authors == "Ann Smith and Bob Jones"
    assert c.title == "Uzbekistan’s New Face"
    assert (c.place, c.publisher, c.date) == ("Lanham, MD", "Rowman & Littlefield", "2018")
    assert c.kind == "book"
    assert c.source_key == "title:uzbekistans new face|smith"


def test_chapter_in_edited_book():
    c = _one(
        "Ann Smith, “Finding Balance,” in Ed One & Ed Two, eds., Strategic Asia 2007-08: Change, "
        "Seattle: National Bureau of Asian Research, 2007, pp. 267-298."
    )
    assert c.title == "Finding Balance"
    assert c.container == "Strategic Asia 2007-08: Change"
    assert c.pages == "pp. 267-298"
    assert c.date == "2007"
    assert c.kind == "book"


def test_lead_in_before_author_is_dropped():
    c = _one("See the study of this experience in John Doe, Between Bandits and Bureaucrats, Washington: Joint Center, January 2022.")
    assert c.authors == "John Doe"
    assert c.title == "Between Bandits and Bureaucrats"


def test_gao_report_title_runs_to_report_number():
    c = _one("GAO, Grant Programs: Design Features, Accountability, and Information, GAO/GGD-98-137 (Washington, D.C.: June 22, 1998).")
    assert c.authors == "GAO"
    assert c.title == "Grant Programs: Design Features, Accountability, and Information"
    assert c.place == "Washington, D.C."
    assert c.publisher is None  # "June 22" is the date, not a publisher
    assert c.date == "1998-06-22"
    assert c.kind == "report"
    assert c.source_key == "report:GAO-GGD-98-137"


def test_crs_report_number_key_title_and_author():
    c = _one("See CRS Report R45281, Deficits, Debt, and the Economy: An Introduction, by Grant A. Driessen.")
    assert c.kind == "report"
    assert c.source_key == "report:R45281"
    assert c.title == "Deficits, Debt, and the Economy: An Introduction"
    assert c.authors == "Grant A. Driessen"


def test_bare_report_number_gives_report_key():
    doc = _doc("For background, see RL33110 and the discussion there.", "IF12672.")
    keys = [c.source_key for c in doc.citations]
    assert keys == ["report:RL33110", "report:IF12672"]


def test_law_review_article_and_case():
    c = _one("Cf. James L. Huffman, Background Principles and the Rule of Law, 35 ECOLOGY L.Q. 1, 19 (2008) (arguing that it is so).")
    assert (c.signal, c.authors, c.kind, c.date) == ("Cf.", "James L. Huffman", "article", "2008")
    assert c.title == "Background Principles and the Rule of Law"
    case = _one("Cedar Point Nursery v. Hassid, 141 S. Ct. 2063, 2079 (2021) (quoting Lucas v. S.C. Coastal Council, 505 U.S. 1003, 1029 (1992)).")
    assert case.kind == "legal_case"
    assert case.title == "Cedar Point Nursery v. Hassid"
    assert case.date == "2021"  # not the year of the quoted case
    assert case.source_key == "case:141 s.ct. 2063"


def test_statute():
    c = _one("Pub. L. No. 103-62, 107 Stat. 285 (1993).")
    assert c.kind == "statute"
    assert c.date == "1993"


def test_doi_key_and_hereinafter_parenthetical_kept():
    c = _one(
        "Tom Blake et al., “Product Salience,” Marketing Science, vol. 40, no. 4 (July-August 2021), "
        "pp. 619-636, https://doi.org/10.1287/mksc.2020.1261 (hereinafter Blake et al., “Product Salience”)."
    )
    assert c.doi == "10.1287/mksc.2020.1261"
    assert c.source_key == "doi:10.1287/mksc.2020.1261"
    assert c.kind == "article"
    assert c.container == "Marketing Science"
    assert c.pages == "pp. 619-636"


# --------------------------------------------------------------------------- splitting


def test_split_on_semicolons_outside_quotes_and_parens():
    cites = parse_note(
        "S. Starr and J. Doe, New Face, Lanham, MD: Rowman & Littlefield, 2018; J. Doe, “Reform; "
        "Behind a Façade,” American Interest, October 17, 2019 (noting a; b). (https://example.org/13342)"
    )
    assert [c.title for c in cites] == ["New Face", "Reform; Behind a Façade"]
    assert cites[1].url == "https://example.org/13342"
    assert [c.seq for c in cites] == [0, 1]


def test_semicolon_inside_url_does_not_split():
    cites = parse_note("EDA, “Map,” https://example.gov/a;jsessionid=1?x=2.")
    assert len(cites) == 1
    assert cites[0].url == "https://example.gov/a;jsessionid=1?x=2"


def test_two_urls_in_one_sentence_give_two_citations():
    cites = parse_note(
        "EDA, “Integration (EDI),” https://eda.gov/integration and “EDI Networking,” "
        "https://www.eda.gov/edi/networking. For an overview, see CRS Report R46683, Federal Resources, by A. B."
    )
    assert [c.url for c in cites[:2]] == ["https://eda.gov/integration", "https://www.eda.gov/edi/networking"]
    assert [c.title for c in cites[:2]] == ["Integration (EDI)", "EDI Networking"]
    assert cites[2].source_key == "report:R46683"
    assert cites[2].signal == "See"


def test_also_available_at_joins_previous_citation():
    cites = parse_note("A. Feldman et al., “The Logic,” Environment and Planning C, vol. 34 (2016), pp. 5-21; also available at https://eda.gov/reports.")
    assert len(cites) == 1
    assert cites[0].url == "https://eda.gov/reports"
    assert cites[0].title == "The Logic"


def test_commentary_only_note_gives_no_citation():
    assert parse_note("An acre-foot is equivalent to the volume of one acre of surface area filled to a depth of one foot.") == []
    assert parse_note("The estimate is based on a survey conducted from 2023 to 2024 that had many respondents.") == []


def test_commentary_is_split_off_a_citation():
    cites = parse_note(
        "The estimate is based on a survey conducted by the firm from 2023 to 2024 that had 4,004 respondents. "
        "Activate, “Number of Concert Attendees,” Statista, October 2024, https://www.statista.com/statistics/1624353/."
    )
    assert len(cites) == 1
    assert cites[0].text.startswith("Activate")
    assert cites[0].date == "2024-10"


def test_note_with_url_always_gives_a_citation():
    cites = parse_note("Information on grant competitions is available at https://www.eda.gov/funding and http://www.grants.gov.")
    assert {c.url for c in cites} == {"https://www.eda.gov/funding", "http://www.grants.gov"}


def test_url_inside_parenthetical_in_prose():
    c = _one("Ticketmaster acquired TicketWeb in 2000 (see Bruce Orwall, “Ticketmaster Buys TicketWeb,” Wall Street Journal, May 30, 2000, https://www.wsj.com/articles/SB1).")
    assert (c.authors, c.title, c.container, c.date) == ("Bruce Orwall", "Ticketmaster Buys TicketWeb", "Wall Street Journal", "2000-05-30")
    assert c.url == "https://www.wsj.com/articles/SB1"


def test_perma_cc_archive_stays_with_live_url():
    c = _one(
        "Eric R. Claeys, Takings and Choice of Law, 20 J.L. ECON. & POL’Y (forthcoming 2025), "
        "https://example.gov/x [https://perma.cc/ABCD-1234]."
    )
    assert c.url == "https://example.gov/x"
    assert cited_urls(c) == ["https://example.gov/x", "https://perma.cc/ABCD-1234"]
    assert c.date == "2025"


def test_nested_quoting_parenthetical_url_gets_its_own_citation():
    cites = parse_note(
        "Deborah Roe, Here’s How Big the Victory Is, PAC. LEGAL FOUND. (June 6, 2023), https://example.org/victory "
        "[https://perma.cc/C3DC-R75J] (compiling responses (quoting David Wilkes, Forfeiture Ruling, BLOOMBERG L. "
        "(May 26, 2023), https://news.example.com/forfeiture [https://perma.cc/LCC7-FZRP]))."
    )
    assert cites[0].date == "2023-06-06"  # not the date inside the quoting parenthetical
    urls = {u for c in cites for u in cited_urls(c)}
    assert urls == {
        "https://example.org/victory", "https://perma.cc/C3DC-R75J",
        "https://news.example.com/forfeiture", "https://perma.cc/LCC7-FZRP",
    }


def test_url_cleaning_keeps_balanced_parentheses():
    assert [u for _, _, u in find_urls("See https://en.wikipedia.org/wiki/Foo_(bar).")] == [
        "https://en.wikipedia.org/wiki/Foo_(bar)"
    ]
    assert [u for _, _, u in find_urls("(see https://x.gov/a/b).")] == ["https://x.gov/a/b"]


def test_signals():
    def signal(text):
        return parse_note(text)[0].signal

    assert signal("See also Jane Doe, “A Title,” Outlet, May 1, 2020.") == "See also"
    assert signal("See generally Jane Doe, “A Title,” Outlet, May 1, 2020.") == "See generally"
    assert signal("Cf. Jane Doe, “A Title,” Outlet, May 1, 2020.") == "Cf."
    assert signal("But see Jane Doe, “A Title,” Outlet, May 1, 2020.") == "But see"
    assert signal("Compare Jane Doe, “A Title,” Outlet, May 1, 2020.") == "Compare"
    assert signal("See, e.g., Jane Doe, “A Title,” Outlet, May 1, 2020.") == "See"
    c = parse_note("For more information, see FTC, “The Enforcers,” https://www.ftc.gov/enforcers.")[0]
    assert (c.signal, c.authors, c.title) == ("See", "FTC", "The Enforcers")


# --------------------------------------------------------------------------- short forms


def test_ibid_chain_points_at_the_full_citation():
    doc = _doc("Jane Doe, “Title One,” Outlet, May 1, 2020, https://example.org/one.", "Ibid.", "Ibid., p. 4.")
    full, ibid1, ibid2 = doc.citations
    assert (ibid1.short_form, ibid1.refers_to) == ("ibid", 0)
    assert (ibid2.short_form, ibid2.refers_to) == ("ibid", 0)  # through the chain to the full note
    for c in (ibid1, ibid2):
        assert (c.source_key, c.title, c.url) == (full.source_key, full.title, full.url)
    assert ibid2.pages == "p. 4"


def test_id_at_pin_and_id_within_a_note():
    doc = _doc(
        "Meltz, Takings Law Today, 34 ECOLOGY L.Q. 307, 329 (2007).",
        "Id. at 5.",
        "Pa. Coal Co. v. Mahon, 260 U.S. 393, 413 (1922); see also id. at 415.",
    )
    _, id_at, case, id_same = doc.citations
    assert (id_at.short_form, id_at.refers_to, id_at.pages) == ("id", 0, "at 5")
    assert id_at.source_key == doc.citations[0].source_key
    assert (id_same.short_form, id_same.refers_to, id_same.signal) == ("id", 2, "See also")
    assert id_same.source_key == case.source_key == "case:260 u.s. 393"


def test_supra_note_resolves_by_label_and_author():
    doc = _doc(
        "See Robert Meltz, Takings Law Today, 34 ECOLOGY L.Q. 307, 329 (2007).",
        "Commentary without a source that goes on for a while about the background principles.",
        "Stewart Sterk, The Demise, 48 WM. & MARY L. REV. 251 (2006); Stewart Sterk, The Federalist Dimension, 114 YALE L.J. 203 (2004).",
        "Meltz, supra note 5, at 353; Sterk, The Federalist Dimension, supra note 9, at 244.",
        labels=["5", "6", "9", "10"],
    )
    by_note = [c for c in doc.citations if c.note == 3]
    assert [(c.short_form, c.refers_to) for c in by_note] == [("supra", 0), ("supra", 2)]
    assert by_note[0].title == "Takings Law Today"
    assert by_note[1].title == "The Federalist Dimension"  # the second work of note 9
    assert by_note[0].pages == "at 353"


def test_hereinafter_definitions_and_uses():
    doc = _doc(
        "U.S. Government Accountability Office (GAO), Event Ticket Sales: Market Characteristics, April 2018, "
        "pp. 4-5, https://www.gao.gov/assets/691247.pdf (hereinafter GAO, Event Ticket Sales).",
        "GAO, Event Ticket Sales, pp. 6-11.",
        "Thomas W. Merrill, Property and the Right to Exclude, 77 NEB. L. REV. 730, 730 (1998) [hereinafter Merrill, Right to Exclude I].",
        "See Merrill, Right to Exclude I, supra, at 731.",
        "FTC, “Rule on Fees,” 90 Federal Register 2066, January 10, 2025, hereinafter “FTC Fee Rule.”",
        "FTC Fee Rule, p. 3.",
    )
    c = {x.note: x for x in doc.citations}
    assert (c[1].short_form, c[1].refers_to, c[1].url) == ("hereinafter", 0, c[0].url)
    assert c[1].title == "Event Ticket Sales: Market Characteristics"
    assert (c[3].short_form, c[3].refers_to) == ("supra", 2)
    assert c[3].title == "Property and the Right to Exclude"
    assert (c[5].short_form, c[5].refers_to) == ("hereinafter", 4)
    assert c[5].source_key == c[4].source_key


def test_short_case_cite_resolves_by_volume_and_reporter():
    doc = _doc("505 U.S. 1003 (1992).", "Lucas, 505 U.S. at 1027.")
    full, short = doc.citations
    assert full.source_key == "case:505 u.s. 1003"
    assert (short.refers_to, short.source_key, short.pages) == (0, full.source_key, "at 1027")


def test_link_annotation_urls_are_attached():
    doc = _doc(
        "GAO-04-343SP, GAO-05-927.",
        "OMB developed PART as a diagnostic tool meant to provide a consistent approach to assessing programs.",
        urls=[
            ["http://www.gao.gov/cgi-bin/getrpt?GAO-04-343SP", "http://www.gao.gov/cgi-bin/getrpt?GAO-05-927"],
            ["http://www.gao.gov/cgi-bin/getrpt?GAO-06-28"],
        ],
    )
    assert [(c.note, c.url) for c in doc.citations] == [
        (0, "http://www.gao.gov/cgi-bin/getrpt?GAO-04-343SP"),
        (0, "http://www.gao.gov/cgi-bin/getrpt?GAO-05-927"),
        (1, "http://www.gao.gov/cgi-bin/getrpt?GAO-06-28"),
    ]


def test_extractor_url_completes_a_broken_printed_url():
    doc = _doc("EDA, “Brochure,” https://www.eda.gov/files/ 2023-03/brochure.pdf.", urls=[["https://www.eda.gov/files/2023-03/brochure.pdf"]])
    assert doc.citations[0].url == "https://www.eda.gov/files/2023-03/brochure.pdf"



def test_url_scheme_split_from_its_slashes_by_a_line_break():
    # The extractor joined "(https:" and "//www.x.org/...)" across a line with a space.
    doc = _doc("Jane Doe, “Crisis,” Analyst, April 18, 2022. (https: //example.org/item/13441)",
               urls=[["www.example.org/item/13441"]])
    assert [c.url for c in doc.citations] == ["https://example.org/item/13441"]


def test_named_act_is_the_title_and_its_short_form_the_same_source():
    doc = _doc(
        "Water Services Pricing Act (Act No. 31 of 2021), Official Gazette of the Republic of "
        "Lorvane, no. 88, December 17, 2021, arts. 2–9 and 41.",
        "Water Services Pricing Act, arts. 14–22.",
        "Infrastructure Investment and Jobs Act (P.L. 117-58), Section 11101.",
    )
    full, short, iija = doc.citations
    assert (full.title, full.container, full.kind, full.date, full.authors) == (
        "Water Services Pricing Act", "Official Gazette of the Republic of Lorvane", "statute",
        "2021-12-17", None)
    assert (short.title, short.kind, short.date) == ("Water Services Pricing Act", "statute", None)
    assert full.source_key == short.source_key == "title:water services pricing act"
    assert (iija.title, iija.container, iija.kind) == ("Infrastructure Investment and Jobs Act", None, "statute")


# --------------------------------------------------------------------------- dates and keys


@pytest.mark.parametrize(
    "text, iso",
    [
        ("December 14, 2012", "2012-12-14"),
        ("Feb. 13, 2004", "2004-02-13"),
        ("Sept. 1, 1995", "1995-09-01"),
        ("14 December 2012", "2012-12-14"),
        ("November 2021", "2021-11"),
        ("(July-August 2021)", "2021-08"),
        ("35 ECOLOGY L.Q. 1, 19 (2008)", "2008"),
        ("Seattle: NBR, 2007, pp. 267-298", "2007"),
        ("2024-12-09", "2024-12-09"),
        ("posted May 2, 2020, last updated January 22, 2021", "2021-01-22"),
        ("141 S. Ct. 2063, 2079", None),
        ("February 30, 2020", "2020"),  # impossible day: fall back to the year
    ],
)
def test_date_normalization(text, iso):
    assert normalize_date(text) == iso


def test_access_date_is_not_the_publication_date():
    c = _one("World Health Organization. (2016). Updated tables 2016. Available at: https://www.who.int/x [Accessed on 8 April 2021]")
    assert c.date == "2016"
    assert (c.authors, c.title) == ("World Health Organization", "Updated tables 2016")


def test_url_normalization():
    assert normalize_url("https://www.Example.GOV/a/b/#frag") == "example.gov/a/b"
    assert normalize_url("http://example.gov/a?x=1") == "example.gov/a?x=1"
    assert compare_form("https://www.eda.gov/about/.") == "eda.gov/about"


# --------------------------------------------------------------------------- corpus


def _load(path: Path, with_urls: bool = False) -> tuple[dict, Document]:
    data = json.loads(path.read_text())
    notes = [
        Footnote(
            label=str(f.get("label", f.get("n"))), page=f.get("page") or 0, kind=f.get("kind") or "footnote",
            text=f["text"], bbox=(0, 0, 0, 0), urls=list(f.get("urls", [])) if with_urls else [],
        )
        for f in data["footnotes"]
    ]
    doc = Document(path=str(path), sha256="", filename=path.name, footnotes=notes)
    parse_citations(doc)
    return data, doc


def _url_f1(data: dict, doc: Document) -> float:
    gold = {compare_form(u) for f in data["footnotes"] for u in f["urls"]}
    pred = {compare_form(u) for c in doc.citations for u in cited_urls(c)}
    if not gold and not pred:
        return 1.0
    tp = len(gold & pred)
    precision, recall = tp / len(pred) if pred else 0.0, tp / len(gold) if gold else 0.0
    return 2 * precision * recall / (precision + recall) if tp else 0.0


needs_shared = pytest.mark.skipif(not (SHARED / "corpus" / "gold").exists(), reason="/work/shared corpus is absent")


@pytest.mark.corpus
@needs_shared
def test_url_f1_on_crs_gold_from_note_text_alone():
    scores = {}
    for path in sorted((SHARED / "corpus" / "gold").glob("crs_*.gold.json")):
        data, doc = _load(path)
        scores[path.name] = _url_f1(data, doc)
    assert scores and min(scores.values()) >= 0.97, scores


@pytest.mark.corpus
@needs_shared
def test_every_gold_note_with_urls_gets_exactly_its_urls():
    bad = []
    for path in sorted((SHARED / "corpus" / "gold").glob("*.gold.json")):
        data, doc = _load(path, with_urls=True)  # GAO URLs exist only as link annotations
        for i, f in enumerate(data["footnotes"]):
            gold = {compare_form(u) for u in f["urls"]}
            printed = {
                compare_form(u) for c in doc.citations if c.note == i for u in cited_urls(c)
                if c.refers_to is None or u in f["text"] or u in f["urls"]
            }
            if gold and gold != printed:
                bad.append((path.name, f.get("label"), gold ^ printed))
    assert not bad, bad[:5]


REPORT_TITLES = {
    1: "Address by the President of the Republic of Kazakhstan, Leader of the Nation, N.Nazarbayev "
       "'Strategy Kazakshtan-2050': new political course of the established state'",
    2: "The President of Kazakhstan Nursultan Nazarbayev's Address to the Nation of Kazakhstan. January 31, 2017",
    3: "Development of agricultural sector for 2021 and plans for coming period - Official Information "
       "Source of the Prime Minister of the Republic of Kazakhstan",
    4: "State of the Nation Address by President of the Republic of Kazakhstan Kassym-Jomart Tokayev",
    5: "President of Kazakhstan Kassym-Jomart Tokayev's State of the Nation Address, September 2, 2019",
    6: "President of Kazakhstan Kassym-Jomart Tokayev's State of the Nation Address, September 2, 2019",
    7: "Learning from Kazakhstan's January Crisis",
    8: "State-of-the-Nation Address by President of the Republic of Kazakhstan Kassym-Jomart Tokayev, "
       "New Kazakhstan: the Path of Renewal and Modernisation",
    9: "Political and Economic Reforms in Kazakhstan Under President Tokayev",
    10: "Between Bandits and Bureaucrats: 30 Years of Parliamentary Development in Kyrgyzstan",
    11: "Russia's Southern Neighbors Take a Stand",
    12: "Finding Balance: The Foreign Policies of Central Asian States",
    13: "Kazakhstan Summons U.K. Ambassador Over Lawmaker's Call for Sanctions",
    14: "The New Eastern Europe: Challenges and Opportunities for the EU",
    15: "Security Services: Moscow's Fifth Column Across Eurasia",
    16: "Uzbekistan's New Face | Azerbaijan: Reform Behind a Static Façade",
    17: "Media Matrix: Kazakhstan",
}


def _norm_title(title: str | None) -> str:
    title = unicodedata.normalize("NFKC", title or "").replace("’", "'").replace("‘", "'")
    return " ".join(title.split()).strip(" .,")


@pytest.mark.corpus
@pytest.mark.skipif(not (SHARED / "report" / "report.json").exists(), reason="/work/shared report is absent")
def test_report_notes_titles_dates_and_ibid():
    data, doc = _load(SHARED / "report" / "report.json")
    right = 0
    for i, f in enumerate(data["footnotes"]):
        cites = [c for c in doc.citations if c.note == i]
        got = " | ".join(_norm_title(c.title) for c in cites)
        right += got == _norm_title(REPORT_TITLES[f["n"]])
        printed = re.sub(r"https?://\S+", "", f["text"])
        if re.search(r"\b(?:1[89]|20)\d\d\b", printed):  # the note prints a date
            assert all(c.date for c in cites), (f["n"], [c.text for c in cites])
    assert right >= 15, right
    ibid = next(c for c in doc.citations if c.short_form == "ibid")
    assert doc.footnotes[ibid.refers_to].label == "5"


def test_extractor_perma_url_makes_no_extra_citation():
    text = "Jane Doe, Big Win, PAC. LEGAL FOUND. (June 6, 2023), https://example.org/win [https://perma.cc/C3DC-R75J]."
    doc = _doc(text, urls=[["https://example.org/win", "https://perma.cc/C3DC-R75J"]])
    assert len(doc.citations) == 1
    assert doc.citations[0].url == "https://example.org/win"
