"""ingest.claims: whole sentences across breaks, support, check-worthiness, and the scorer.

Sentences here are written for the tests from the claims guidelines' definitions; the
shared gold files are only used by the corpus-marked scorer check at the end.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from citetrace.db.store import open_db, write_document
from citetrace.ingest.quality.claims import ClaimsGoldError, fingerprint, load_gold, score_claims
from citetrace.ingest.claims.issuer import issuing_body
from citetrace.ingest.claims.sentences import boundaries
from citetrace.ingest.claims.support import citation_sentence, inline_citations
from citetrace.ingest.model import Document, Footnote, Furniture, Marker, Passage
from citetrace.ingest.nlp import annotate

from claims_support import assert_readings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "claims"  # ../shared beside the checkout


def _doc(*passages: tuple[str, str], notes: int = 4) -> Document:
    """A document from (kind, text) passages; '[n]' in a text is a marker of note n."""
    import re

    d = Document(path="c.pdf", sha256="c" * 64, filename="c.pdf")
    d.footnotes = [Footnote(label=str(i + 1), page=1, kind="footnote", text=f"Source {i + 1}, 2020.",
                            bbox=(0, 0, 1, 1)) for i in range(notes)]
    for i, (kind, marked) in enumerate(passages):
        clean, pos = [], 0
        for m in re.finditer(r"\[(\d)\]", marked):
            clean.append(marked[pos:m.start()])
            pos = m.end()
            off = sum(map(len, clean))
            d.markers.append(Marker(passage=i, label=str(int(m.group(1)) + 1), page=1 + i // 3,
                                    start=off, end=off, note=int(m.group(1))))
        clean.append(marked[pos:])
        d.passages.append(Passage(seq=i, page=1 + i // 3, kind=kind, text="".join(clean),
                                  bbox=(0, 0, 100, 10)))
    return d


def _sentence(doc: Document, start: str):
    found = [s for s in doc.sentences if s.text.startswith(start)]
    assert len(found) == 1, (start, [s.text for s in doc.sentences])
    return found[0]


# ---------------------------------------------------------------- sentences


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "The U.S. Navy and Svante E. Cornell (et al. 2019) met on Jan. 5. It rained. (See P.L. 1-2.)"
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "The U.S. Navy and Svante E. Cornell (et al. 2019) met on Jan. 5.", "It rained.",
        "(See P.L. 1-2.)"]


def test_pub_l_no_does_not_end_a_sentence():
    text = "The Grain Inspection Act of 2001 (Pub. L. No. 107-12) set fees. Fees rose."
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "The Grain Inspection Act of 2001 (Pub. L. No. 107-12) set fees.", "Fees rose."]


def test_legal_citations_keep_their_abbreviations_and_id_ends_a_sentence():
    """A reporter's or a case name's abbreviation ("S.Ct.", "In re Pers.", "ex rel.", "Const.",
    "Exh.") does not end a sentence; "Id." before a capitalised word does (it is a citation
    sentence of its own), and before a page it does not."""
    text = ("Counsel was deficient. Strickland v. Washington, 466 U.S. 668, 104 S.Ct. 2052 (1984). "
            "Id. The test has two prongs. Id. at 687. In re Pers. Restraint of Fleming, 142 Wn.2d 853 (2001). "
            "State ex rel. Carroll v. Junker, 79 Wn.2d 12 (1971). U.S. Const. amend. VI. Exh. 14; RP 782. "
            "People v. Cruz, 12 Ill. 2d 5 (1958). Doe v. Roe, 145 Or. App. 36 (1997). He fell ill. It passed.")
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "Counsel was deficient.", "Strickland v. Washington, 466 U.S. 668, 104 S.Ct. 2052 (1984).", "Id.",
        "The test has two prongs.", "Id. at 687.", "In re Pers. Restraint of Fleming, 142 Wn.2d 853 (2001).",
        "State ex rel. Carroll v. Junker, 79 Wn.2d 12 (1971).", "U.S. Const. amend. VI.", "Exh. 14; RP 782.",
        "People v. Cruz, 12 Ill. 2d 5 (1958).", "Doe v. Roe, 145 Or. App. 36 (1997).", "He fell ill.", "It passed."]


def test_a_record_citation_opening_with_a_section_sign_is_a_sentence_of_its_own():
    """An opinion cites the compact or code it quotes in a sentence of its own ("§1.01(b), id., at
    9."): the section sign after a full stop opens a sentence, as a capital does; after a code's
    abbreviation ("42 U.S.C. §1983", "Tex. Water Code Ann. §11.085") it does not."""
    text = ("One of its purposes was \u201cto apportion the water of the Red River.\u201d \u00a71.01(b), id., at 9. "
            "The Compact governs the river. \u00a7\u00a72.12(a)\u2013(e), id., at 13. Suits lie under 42 U.S.C. "
            "\u00a71983 and Tex. Water Code Ann. \u00a711.085 since 1997. It passed.")
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "One of its purposes was \u201cto apportion the water of the Red River.\u201d", "\u00a71.01(b), id., at 9.",
        "The Compact governs the river.", "\u00a7\u00a72.12(a)\u2013(e), id., at 13.",
        "Suits lie under 42 U.S.C. \u00a71983 and Tex. Water Code Ann. \u00a711.085 since 1997.", "It passed."]


def test_a_table_with_its_source_and_lettered_notes_makes_no_sentences(nlp):
    d = _doc(("paragraph", "The bureau runs three field offices across the region."),
             ("heading", "Office"), ("paragraph", "Harbor Office"), ("paragraph", "Valley Office"),
             ("heading", "Opened"), ("paragraph", "The Harbor Office opened in 1962 with 12 staff."),
             ("paragraph", "The Valley Office replaced a depot in 1978."),
             ("caption", "Source: Bureau annual report, 2021."),
             ("list_item", "a. The Valley Office closed for repairs in 2019."),
             ("paragraph", "Staffing at the offices fell by 30 percent after 2015."))
    for p in d.passages:  # one page: a table sits on a single page here
        p.page = 1
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == [
        "The bureau runs three field offices across the region.",
        "Staffing at the offices fell by 30 percent after 2015."]


def test_a_first_line_taken_for_a_heading_starts_its_sentence(nlp):
    d = _doc(("paragraph", "The board met twice in 2022."),
             ("heading", "The new rule requires every mill to file its prices by"),
             ("paragraph", "the end of March 2024. Mills filed 300 reports in 2024."))
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == [
        "The board met twice in 2022.",
        "The new rule requires every mill to file its prices by the end of March 2024.",
        "Mills filed 300 reports in 2024."]


def test_sentence_cut_by_a_sidebar_is_one_claim_with_all_its_markers(nlp):
    d = _doc(("paragraph", "The Maritime Administration paid carriers $5 million[0] to assist state and local"),
             ("heading", "SUMMARY"),
             ("caption", "Figure 2. Ships in the Strait"),
             ("paragraph", "stakeholders with emergency shipping in 2025.[1] The fleet shrank in 2024."))
    annotate(nlp, d)
    s = _sentence(d, "The Maritime Administration paid")
    assert s.text == ("The Maritime Administration paid carriers $5 million to assist state and local "
                      "stakeholders with emergency shipping in 2025.")
    assert (s.passage, s.end_passage, s.notes) == (0, 3, [0, 1])
    assert d.passages[3].text[:s.end].endswith("in 2025.")
    assert _sentence(d, "The fleet shrank").notes == []
    assert not any("Figure 2" in x.text or x.text == "SUMMARY" for x in d.sentences)


def test_list_items_completing_a_lead_in_are_one_sentence(nlp):
    d = _doc(("paragraph", "The act requires agencies to report grants, including"),
             ("list_item", "• awards made in 2023;"),
             ("list_item", "• awards still open; and"),
             ("list_item", "• awards closed before 2020.[2]"))
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == [
        "The act requires agencies to report grants, including awards made in 2023; awards still "
        "open; and awards closed before 2020."]
    assert d.sentences[0].notes == [2]


def test_toc_bios_and_reference_sections_make_no_sentences(nlp):
    d = _doc(("paragraph", "Introduction ........................................ 1"),
             ("paragraph", "Iran closed the Strait of Hormuz in March 2026."),
             ("heading", "References"),
             ("paragraph", "Evans, Peter. Embedded Autonomy. Princeton University Press, 1995."),
             ("heading", "About the Authors"),
             ("paragraph", "Jane Q. Doe, Ph.D., is Senior Fellow at the Policy Institute. She writes on trade."))
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == ["Iran closed the Strait of Hormuz in March 2026."]


def test_a_byline_is_neither_prose_nor_the_start_of_the_next_sentence(nlp):
    d = _doc(("paragraph", "Mira Castellan and Tomas Adeyemi-Roth · October 2024"),
             ("paragraph", "In January 2022 the Republic of Lorvane replaced its water tariff."),
             ("paragraph", "The regulator reviewed 14 utilities in"),
             ("paragraph", "March 2023, and it raised prices."))
    annotate(nlp, d)
    assert [s.text for s in d.sentences] == [
        "In January 2022 the Republic of Lorvane replaced its water tariff.",
        "The regulator reviewed 14 utilities in March 2023, and it raised prices."]


def test_summary_prose_is_marked_as_such(nlp):
    d = _doc(("heading", "Summary"), ("paragraph", "Congress passed the bill in May 2024."),
             ("heading", "Background"), ("paragraph", "The Senate voted 60-40 on June 3, 2024."))
    annotate(nlp, d)
    assert [(s.zone, s.check_worthy) for s in d.sentences] == [("summary", True), ("body", True)]


def test_a_summary_sidebar_covers_its_page_and_keeps_the_cut_sentence_whole(nlp):
    # a CRS summary page: prose, then the sidebar (heading, date, author) read mid-sentence
    d = _doc(("paragraph", "The agency awards grants to assist state and local"),
             ("heading", "SUMMARY"), ("paragraph", "April 15, 2026"),
             ("heading", "Julie M. Lawhorn"),
             ("paragraph", "stakeholders in 42 states, under P.L. 89-136."),
             ("heading", "Introduction"), ("paragraph", "The agency was created in 1965."))
    annotate(nlp, d)
    assert [(s.zone, s.text) for s in d.sentences] == [
        ("summary", "The agency awards grants to assist state and local stakeholders in 42 states, "
                    "under P.L. 89-136."),
        ("body", "The agency was created in 1965.")]


# ---------------------------------------------------------------- support


@pytest.mark.parametrize("sentence, rule", [
    ("The program was created by P.L. 119-21 in 2025.", "public law"),
    ("Vessels must be U.S.-built (46 U.S.C. §55102).", "U.S. Code"),
    ("Grants follow 2 C.F.R. 200.331 in most cases.", "Code of Federal Regulations"),
    ("The rule appeared at 91 Federal Register 11194 in March.", "Federal Register"),
    ("Section 27 of the Merchant Marine Act of 1920 restricts cabotage.", "section of an Act"),
    ("Growth slowed after the reforms (Evans, 1996).", "author-year"),
    ("Juhász et al. (2023) find large effects of industrial policy.", "author-year"),
    ("For details, see CRS Report R48516 on the program.", "report number"),
    ("The data are posted at https://www.census.gov/trade today.", "URL"),
    ("EO 14123 ordered agencies to rotate their keys.", "executive order"),
    ("The agencies acted under Executive Order 13990 in 2021.", "executive order"),
])
def test_formal_inline_citations_are_found(sentence, rule):
    found = inline_citations(sentence)
    assert [c.rule for c in found] == [rule]
    assert found[0].text in sentence


# Forms a law review, a court, a U.K. paper and a Federal Register rule write inline, which the
# second held-out set (tests/data/claims_heldout2) showed unrecognised; the sentences are ours.
@pytest.mark.parametrize("sentence, rule, text", [
    ("The inspection found that the cabling does not meet 14 CFR 25.1707.",  # not its full stop
     "Code of Federal Regulations", "14 CFR 25.1707"),
    ("Operators may dispatch with the unit inoperative (see 14 CFR 91.213).",
     "Code of Federal Regulations", "14 CFR 91.213"),
    ("AD 2019–04–12 applies to every airplane of the model.", "directive number", "AD 2019–04–12"),
    ("Acme Service Bulletin 320–27–1044, Revision 2, dated March 3, 2021, describes the wiring change.",
     "dated publication", "Acme Service Bulletin 320–27–1044, Revision 2, dated March 3, 2021"),
    ("Under Part III of the Housing and Planning Act 2016 councils must keep a register.",
     "section of an Act", "Part III of the Housing and Planning Act 2016"),
    ("Officers must record every search under section 3 of the Police Powers Act 2001.",
     "section of an Act", "section 3 of the Police Powers Act 2001"),
    ("The relevant guidance is the national code (Home Office, 2019).", "author-year", "Home Office, 2019"),
    ("The Court read the lease narrowly, Smith v. Jones, 512 F.4th 88, 91 (9th Cir. 2024).", "case", "512 F.4th 88"),
    ("The Court already rejected that reading, 501 U. S., at 235.", "case", "501 U. S., at 235"),
    ("The county kept the surplus. Id. at 1373.", "short form", "Id. at 1373"),
    ("Scholars have criticised the rule, Brady, supra note 40, at 59.", "short form", "supra note 40"),
    ("Usage of trade may inform the reading, Restatement (Second) of Contracts §203(b).",
     "section of a restatement", "Restatement (Second) of Contracts §203(b)"),
    ("The Supreme Court confirmed the test in [2015] UKSC 9 that year.", "case", "[2015] UKSC 9"),
    # U.S. legal citation beyond the federal reports: any reporter by volume and page (state and
    # regional reports, their short forms), a state code's section, a constitution's article, a
    # section "of" a constitution, and the record of the case in brackets
    ("The stop was lawful, People v. Soto, 45 Cal. 4th 12, 15 (2008).", "case", "45 Cal. 4th 12"),
    ("A court abuses its discretion on untenable grounds, 149 Wn.2d 647, 654.", "case", "149 Wn.2d 647"),
    ("The panel applied it again, Guevara, 172 Wn. App. at 190.", "case", "172 Wn. App. at 190"),
    ("The court followed 88 N.Y.2d 12 on that point.", "case", "88 N.Y.2d 12"),
    ("RCW 9.94A.535 lists the aggravating factors.", "statute", "RCW 9.94A.535"),
    ("The error may be raised for the first time on appeal under RAP 2.5(a).", "statute", "RAP 2.5(a)"),
    ("The right is guaranteed by U.S. Const. amend. VI in every prosecution.", "constitution", "Const. amend. VI"),
    ("The right is also guaranteed by art. I, § 22 of the Washington Constitution.",
     "section of an Act", "§ 22 of the Washington Constitution"),
    ("He walked through 12 inches of snow (RP 325, 744).", "record", "RP 325, 744"),
    ("Prior acts may be admitted to show motive, Fed. R. Evid. 404(b).", "statute", "Fed. R. Evid. 404(b)"),
    ("The officer never drew his weapon (Tr. 23).", "record", "Tr. 23"),
    # a numbered order keeps its own rule (and source key) when a date follows it
    ("The President signed Executive Order 14347 dated September 5, 2025.", "executive order", "Executive Order 14347"),
])
def test_legal_and_dated_inline_forms_are_found(sentence, rule, text):
    found = inline_citations(sentence)
    assert [(c.rule, c.text) for c in found] == [(rule, text)]


@pytest.mark.parametrize("sentence", [
    "The Jones Act restricts coastal shipping.",
    "The IRS says the accounts are taxable.",
    "As shown in Figure 2, exports fell.",
    "In his March 16 speech, the president promised reform.",
    "According to one report, the port was closed.",
    "The figures were revised twice (March, 2021).",  # a date in brackets is not an author
    "Tarrant attempted to buy water in 2000, see supra, at 7, and failed.",  # points into the same opinion
    "The Police Act was amended after the inquiry.",
    # a version number, a date, a street number and a ward are no statute or reporter
    "Agencies must support TLS 1.3 on every server.",
    "The board met on 5 Feb. 2020 and again in March.",
    "The office moved to 12 Main St. 4 years ago.",
    "The data are in CP 12 and show a rise.",  # a record cite counts in brackets only
    "The ER saw 24 patients that night.",
])
def test_names_speakers_and_cross_references_are_not_citations(sentence):
    assert inline_citations(sentence) == []


def test_inline_support_is_parsed_and_linked_to_a_source(nlp, tmp_path):
    d = _doc(("paragraph", "The Jones Act (Section 27 of the Merchant Marine Act of 1920, P.L. 66-261) "
                           "restricts vessels carrying cargo between U.S. ports."),
             ("paragraph", "A second law, P.L. 66-261, was amended in 1936.[0] Ships carried 130 cargoes "
                           "a day in 2025. Ports handled 2 million boxes in 2024.[1]"))
    annotate(nlp, d)
    jones = _sentence(d, "The Jones Act")
    assert (jones.support, jones.needs_source) == ("inline", False)
    assert [c.rule for c in jones.inline] == ["section of an Act", "public law"]
    both = _sentence(d, "A second law")
    assert both.support == "both"
    ships = _sentence(d, "Ships carried")
    assert (ships.support, ships.support_scope, ships.needs_source) == ("none", "paragraph", True)
    db = open_db(str(tmp_path / "c.db"))
    write_document(db, d, "test")
    rows = db.execute("select i.text, i.rule, s.key from inline_citations i "
                      "join sources s on s.id = i.source_id order by i.id").fetchall()
    assert [r[2] for r in rows if r[1] == "public law"] == ["law:p.l. 66-261"] * 2
    claim = db.execute("select support, support_scope, needs_source, sentence_id from claims "
                       "where text like 'Ships carried%'").fetchone()
    assert claim[:3] == ("none", "paragraph", 1)
    assert db.execute("select claim_id from sentences where id = ?", [claim[3]]).fetchone()[0]


# ---------------------------------------------------------------- check-worthiness


@pytest.mark.parametrize("sentence, worthy, code", [
    ("The UAE and Saudi Arabia exported 40 million tons of cement in 2024.", True, "T1"),
    ("Officials claim the new law doubled the number of protests.", True, "T3"),
    ("Distributions from the account may be subject to an additional 10% tax under the Code.", True, "T1"),
    ("This report outlines how the accounts operate and how they are taxed.", False, "F4"),
    ("For example, consider if a child's parents open an account and contribute $3,000.", False, "F3"),
    ("The government should co-create the plan with the private sector.", False, "F2"),
    ("Kazakhstan could become a regional hub within a decade.", False, "F3"),
    ("What will the reforms achieve in practice?", False, "F6"),
    ("This is a difficult task.", False, "F1"),
    ("We argue that the reforms are mostly cosmetic.", False, "F1"),
    ("Economists call such incentives substitution effects.", False, "F5"),
    ("Ensure that grantees report their results every quarter.", False, "F2"),
    ("The Georgian case suggests that reform must start with the police.", False, "F8"),
    ("The most logical answer is that the president lacked the votes.", False, "F1"),
    ("That said, officials claim the new law doubled the number of protests.", True, "T3"),
    ("It should be noted that the ministry closed 40 offices in 2019.", True, "T1"),
    ("There were 4,200 registered parties in Kazakhstan in 2020.", True, "T1"),
    ("The council will include members of parliament and regional governors.", True, "T2"),
    ("These reforms will not change the balance of power.", False, "F3"),
    ("As long as the old networks persist, the new Kazakh courts will have little effect.", False, "F3"),
    ("The new Kazakh courts will certainly take years to staff.", False, "F3"),
    ("Steel and cement are two industries that may be affected by the blockade.", False, "F3"),
    ("At issue for Congress is whether the ports can reopen in 2026.", False, "F4"),
    # a cross-reference that happens to hold a citation is not an assertion
    ("For a history of the levee program, see CRS Report R41234.", False, "F4"),
    # a vague "this", but it names what it asserts (the fact wins)
    ("This led to large sales of shares in Norsk Hydro and Equinor.", True, "T1"),
    # what a plan or a speech contains is checkable against it
    ("The third priority of the plan concerns rural water supply.", True, "T2"),
    ("Her proposal includes a cap on fishing licences.", True, "T2"),
    # a passive or perfect past is an event
    ("Before the reform, district heads were appointed by the governor.", True, "T1"),
    # an adjective verdict or a weighting is the authors' own, whatever the subject
    ("Rural reform has been far more complicated.", False, "F1"),
    ("Tourism plays a major role in the island's economy.", False, "F1"),
    # relating one thing to another is the authors' reading, unless it is a quantity
    ("Oslo's housing plan aligns closely with the spirit of the old charter.", False, "F1"),
    ("Norwegian salmon represents a small share of total U.S. fish imports.", True, "GPE"),
    # an ordinal ("the first part") counts the text's parts, not a quantity
    ("Mayor Adams’s second priority, on zoning, aligns with the first part of his vision for New York.",
     False, "F1"),
    # a class the report sets up, defined by what its members share; a speaker's words stay T3
    ("Ports with no federal role are those that receive no federal grants or loans.", False, "F5"),
    ("In the middle, the minister explained, are those who want slower reform.", True, "T3"),
    # the authors weighing or relating things, unless an actor does it
    ("This stands in sharp contrast to the practice in Denmark.", False, "F1"),
    ("The new rules have the effect of shutting small lenders out of the Polish market.", False, "F1"),
    ("The reforms raise several questions about Hungary's courts.", False, "F1"),
    ("Senator Warren raised questions about the tender.", True, "T1"),
    # a vague allusion to an unnamed many
    ("There are a host of reasons why the mayor is cautious.", False, "F1"),
    # the numbers of an enumeration are not statistics; "doing this" points back like "this"
    ("Doing this well takes two things: (1) clear rules, and (2) a way to check them.", False, "F1/F8"),
    ("The ministry set two goals: (1) cutting costs by 10 percent, and (2) hiring staff.", True, "T1"),
    # an acronym the recogniser missed still names a body; without one it is general
    ("PLVA negotiates the yearly targets with each state.", True, "ACRONYM"),
    ("Staff negotiate the yearly targets with each state.", False, "F7"),
    # a passive "represented" describes; it does not relate things the way the authors do
    ("Loans are represented in one of two ways in the Bank of Norway’s database.", True, "ORG"),
])
def test_check_worthiness_follows_the_guidelines(nlp, sentence, worthy, code):
    d = _doc(("paragraph", sentence))
    annotate(nlp, d)
    (s,) = d.sentences
    assert s.check_worthy is worthy, s.reasons
    assert any(code in r for r in s.reasons), s.reasons
    assert s.needs_source is worthy


# The rules added in 0.4.7 (README, "Claims"), each with a look-alike it must not catch.
READINGS_0_4_7 = [
    # a legal citation sentence opens with a signal and asserts nothing of its own, even when the
    # parser takes the verb of its quoted parenthetical for the main verb
    (("See, e.g., Ohio River Compact, Art. II, 54 Stat. 752 (“[N]o State shall deny another signatory State "
      "the use of its water”).", False, "F4"),
     ("Seeing no majority, Senator Cruz withdrew the bill in May 2019.", True, "T1")),
    # a lead-in announces a list or table that is not in the sentence
    (("The Ohio board reviewed the following permit applications.", False, "F4"),
     ("The following year, the Ohio board rejected 40 permit applications.", True, "T1")),
    # a "we" naming something in passing does not make the main clause the authors' view
    (("Cadets in Texas are also required to study the state penal code, or what we might call street law.",
      True, "GPE"), ("We think cadets in Texas study the state penal code too little.", False, "F1")),
    # a table or data "showing" numbers reports figures; without numbers it is an inference
    (("Table 3 shows that Ohio's exports fell by 12 percent between 2019 and 2021.", True, "T1"),
     ("The Danish case shows that reform must start with the courts.", False, "F8")),
    # how often, not when, with nothing specific: a general description
    (("Sometimes a statute requires the agency to publish guidance on its powers.", False, "F7"),
     ("Sometimes the Ohio agency published guidance on its powers.", True, "T1")),
    # the authors weighing an argument, unless an actor does it
    (("The lack of any deadline in the Ohio statute counts heavily against the board's reading.", False, "F1"),
     ("Justice Kagan weighed in favor of the county's reading.", True, "PERSON")),
    # what a kind of thing is, with nothing specific: a definition; "the" points at the report's
    # own instance, which stays a statement about a program
    (("A tax credit is a reduction of the tax that a taxpayer owes.", False, "F5"),
     ("The credit is a refund paid to each employer by the state treasury.", True, "T2")),
]


@pytest.mark.parametrize("caught, look_alike", [
    # a colon does not end the sentence: the clause before it is the main assertion (the parser
    # hangs it on the clause after); a specific fact still wins, and a label is no clause
    (("The shift, however, is far more cautious: President Ramos is pursuing goals that match his old speeches.",
      False, "F1"), ("The result was stark: Ohio's exports fell by 40 percent in 2021.", True, "T1")),
    (("Still, the new budget is quite modest: Governor Ruiz is trimming programs that echo his campaign.",
      False, "F1"), ("Duty to report to OSHA: employers must file injury logs by March 2, 2025.", True, "T2")),
    # a prepositional hedge makes it the authors' partial reading; a manner phrase does not
    (("In many ways, the Oslo housing plan has shaped the debate over rents.", False, "F1"),
     ("The Danish court applied the rule in a way that favoured large firms.", True, "T1")),
    (("To a large extent, the Portuguese tariff reform followed the example of Spain.", False, "F1"),
     ("The Portuguese tariff reform followed the example of Spain.", True, "T1")),
    # "this will ...": a demonstrative points back at the report's argument, what follows is a
    # forecast; "it will include" describes a decided body
    (("Because the courts in Peru remain weak, this will require that the president stays out of their affairs.",
      False, "F3"), ("It will include mayors from all regions of Chile.", True, "T2")),
    # the report sorting things into its own categories, or construing them
    (("Chile's mining reforms can be divided into reforms of licensing, taxation and water rights.", False, "F5"),
     ("Fines under the Chilean mining code are divided into three bands.", True, "T2")),
    (("Chile's pension reform can be seen as a turn away from the market.", False, "F1"),
     ("Chilean pension funds can be invested abroad under the 2008 reform.", True, "T1")),
    # a motive the authors read into an act; a number in it is still a fact to check
    (("Mayor Duval's tariff plan was an effort to please both camps in Lyon.", False, "F1"),
     ("The 2019 Lyon tariff plan was an effort to cut water losses by 30 percent.", True, "T1")),
    # the authors vouching ("clearly") like "certainly"
    (("The Lisbon council clearly prefers small landlords.", False, "F3"),
     ("The Lisbon council prefers small landlords.", True, "T2")),
    # what is usually so, with nothing specific: a general description
    (("Port authorities in Norway typically own the quays they lease.", False, "F7"),
     ("Port authorities in Norway typically own 80 percent of the quays.", True, "T1")),
    # what a step of the authors' reasoning does for them ("helps us", "gives us"): their
    # reasoning, whatever numbers it quotes in brackets; what it lets an actor do is a fact
    (("Looking to the practices of the Danube Commission also helps us to ascertain the intent of the parties.",
      False, "F1"),
     ("Looking to the practices of the Danube Commission also helped Austria to ascertain the intent of "
      "the parties.", True, "T1")),
    (("Treating these citations as links (e.g. between \u201cIliad\u201d and \u201c1.30\u201d) gives us the "
      "flexibility to annotate them.", False, "F1"),
     ("Treating these citations as links gives the Perseus catalogue 1.2 million entries.", True, "T1")),
    # a run-in subsection number (an opinion's "2 Looking to ...") counts the text's parts
    (("2 Such compacts are better read as defaults.", False, "F7"),
     ("Such compacts are better read as defaults in 12 states.", True, "T1")),
] + READINGS_0_4_7)
def test_authors_readings_and_their_look_alikes(nlp, caught, look_alike):
    """Each rule added in 0.4.6 and 0.4.7 (README, "Claims"), with a sentence it must not catch."""
    assert_readings(nlp, caught, look_alike)


def test_a_marked_sentence_is_traced_even_when_it_is_an_opinion(nlp):
    d = _doc(("paragraph", "This is not surprising.[0]"))
    annotate(nlp, d)
    (s,) = d.sentences
    assert s in d.claims and s.notes == [0] and not s.needs_source
    assert not s.check_worthy and any("note marker" in r for r in s.reasons)


# ---------------------------------------------------------------- the document's voice

DIRECTIVE = (
    ("paragraph", "This memorandum requires agencies to retire legacy mail servers by 2027. "
                  "Although this memorandum directs agencies to shared services first, this plan "
                  "is only a starting point."),
    ("paragraph", "Agencies must encrypt all internal mail traffic. For remote staff, hardware keys "
                  "are required. Agency staff reach every mail system through one managed account. Agencies can "
                  "consult the reference designs in the appendix. The budget office will review "
                  "each agency plan. Under the Federal Records Act, agencies must keep mail for "
                  "seven years. In 2019, an executive order required agencies to inventory their "
                  "servers."),
)


def test_a_directive_issuing_requirements_is_not_reporting_law(nlp):
    """A memorandum that says what it requires speaks to its readers: its own "must", "is
    required", "will", "can" and present-tense goals for them are the directive's (F2). What a
    named law requires and what happened stay claims."""
    d = _doc(*DIRECTIVE)
    annotate(nlp, d)
    for start, why in [("Agencies must encrypt", "“must” in a directive"),
                       ("For remote staff", "“is required” in a directive"),
                       ("Agency staff reach", "the present tense of a directive about its readers"),
                       ("Agencies can consult", "what a directive allows its readers"),
                       ("The budget office will", "“will” in a directive")]:
        s = _sentence(d, start)
        assert not s.check_worthy and s.kind == "recommendation", (start, s.reasons)
        assert any(why in r and "(F2)" in r for r in s.reasons), (start, s.reasons)
    for start in ("Under the Federal Records Act", "In 2019, an executive order"):
        s = _sentence(d, start)
        assert s.check_worthy and s.needs_source, (start, s.reasons)


def test_the_same_requirement_in_a_report_is_what_a_program_requires(nlp):
    """Without the document's own 'this memorandum requires', a report's "agencies must" tells
    what a program or law requires (T2): a claim that needs a source."""
    d = _doc(("paragraph", "The guidance took effect in 2022. Agencies must encrypt all internal mail "
                           "traffic. Agency staff reach every mail system through one managed account."))
    annotate(nlp, d)
    must = _sentence(d, "Agencies must encrypt")
    assert must.check_worthy and must.needs_source and must.kind == "legal", must.reasons
    assert not any("directive" in r for s in d.sentences for r in s.reasons)


def test_the_copyright_holder_speaking_is_the_authors_voice(nlp):
    """'© 2024 Harbor Policy Institute' names who writes: the Institute urging or believing is the
    authors' recommendation (F2) or view (F1); another body urging is reported (T3)."""
    d = _doc(("paragraph", "Therefore, the Harbor Policy Institute urges lawmakers to cap port fees. "
                           "The Harbor Policy Institute believes the current cap is too low. "
                           "The Port Authority of Tacoma urges lawmakers to cap port fees."))
    d.furniture = [Furniture(1, "© 2024 Harbor Policy Institute", "boilerplate")]
    annotate(nlp, d)
    urges = _sentence(d, "Therefore, the Harbor")
    assert (urges.check_worthy, urges.kind) == (False, "recommendation"), urges.reasons
    assert urges.reasons == ["the document's own author (“harbor policy institute”, its copyright holder) "
                             "speaking: its recommendation (F2)"]
    believes = _sentence(d, "The Harbor Policy Institute believes")
    assert (believes.check_worthy, believes.kind) == (False, "judgement") and "(F1)" in believes.reasons[0]
    other = _sentence(d, "The Port Authority")
    assert other.check_worthy and any("(T3)" in r for r in other.reasons), other.reasons


RULE_HEADER = (("heading", "Proposed Rules"), ("paragraph", "AGENCY: Federal Aviation Administration (FAA), DOT."),
               ("paragraph", "ACTION: Notice of proposed rulemaking (NPRM)."),
               ("paragraph", "SUMMARY: The FAA proposes to adopt a new airworthiness directive (AD) for all Model "
                             "737 airplanes."),
               ("heading", "[Docket No. FAA-2021-0101; Product Identifier 2020-NM-011-AD]"))
# (caught in a rule, the look-alike it leaves alone): the issuing body's proposal, requirement,
# decision or plan against its account of the world (a past act, an estimate)
RULE_PAIRS = [
    ("The FAA proposes to require operators to replace the cockpit voice recorder.",
     "On March 13, 2019, the FAA issued an emergency order that grounded the fleet."),
    ("This AD requires operators to inspect the wing spars of 120 airplanes by March 2022.",
     "AD 2018-23-51 applies to all Model 737 MAX airplanes."),
    ("The agency has determined that the unsafe condition is likely to exist in other products.",
     "The agency has determined that the inspection takes an average of 90 work-hours per airplane."),
    ("The FAA will post the draft board report at its website for public comment.",
     "The agency reviewed the accident reports of the Ethiopian Civil Aviation Authority."),
    ("The FAA invites you to send any written data, views, or arguments about this proposed AD.",
     "The FAA estimates that this proposed AD affects 73 airplanes of U.S. registry."),
    ("The final checklist that the FAA proposes to add to the manual is a new Airspeed Disagree checklist.",
     "The checklist that Boeing added to the manual in 2017 covers 14 failure modes."),
]


@pytest.mark.parametrize("caught, look_alike", RULE_PAIRS)
def test_a_rule_speaking_in_its_own_voice_is_not_a_claim(nlp, caught, look_alike):
    """In a proposed rule (its Federal Register header says so), what the issuing agency
    proposes, requires, has determined or will do is the rule's own act (F2), like a
    memorandum's own requirements; what happened, what it reviewed and what it counts stay
    claims (needing a source unless they cite one, as "AD 2018-23-51" does)."""
    d = _doc(*RULE_HEADER, ("paragraph", caught + " " + look_alike))
    annotate(nlp, d)
    own, other = _sentence(d, caught), _sentence(d, look_alike)
    assert (own.check_worthy, own.needs_source, own.kind) == (False, False, "recommendation"), own.reasons
    assert "(F2)" in own.reasons[0] and "rule or notice" in own.reasons[0] or "what the rule proposes" in own.reasons[0]
    assert other.check_worthy and other.needs_source == (other.support == "none"), other.reasons


def test_another_agencys_final_rule_speaks_the_same_way(nlp):
    """Not only the FAA's: an EPA final rule ("ACTION: Final rule.") speaking of what it
    establishes is the rule's own act; the petition it received is a claim."""
    d = _doc(("heading", "Rules and Regulations"), ("paragraph", "AGENCY: Environmental Protection Agency (EPA)."),
             ("paragraph", "ACTION: Final rule."),
             ("paragraph", "This action establishes tolerances for residues of fluopyram in tea. "
                           "The EPA is finalizing the tolerances without change. "
                           "In 2019, the EPA received a petition from Bayer CropScience to set the tolerances."))
    annotate(nlp, d)
    for start in ("This action establishes", "The EPA is finalizing"):
        s = _sentence(d, start)
        assert (s.check_worthy, s.kind) == (False, "recommendation") and "(F2)" in s.reasons[0], s.reasons
    assert _sentence(d, "In 2019, the EPA").needs_source


def test_the_same_words_in_a_report_are_what_an_agency_proposed(nlp):
    """Without a rule's header, "The FAA proposes to require ..." is a report of what an agency
    formally proposes (T2/T3): a claim that needs a source."""
    d = _doc(("paragraph", RULE_PAIRS[0][0] + " " + RULE_PAIRS[1][0] + " The FAA proposed a rule in 2019."))
    annotate(nlp, d)
    for s in d.sentences:
        assert s.check_worthy and s.needs_source, (s.text, s.reasons)
        assert not any("issuing body" in r or "speaking of itself" in r for r in s.reasons)


def test_a_court_deciding_is_not_a_claim_but_what_it_held_before_is(nlp):
    """A court's opinion (its own header) disposes of the case in the passive ("The judgment ...
    is affirmed"): the court's decision (F2). What a court held in an earlier case stays a claim."""
    d = _doc(("heading", "SUPREME COURT OF THE UNITED STATES"),
             ("paragraph", "JUSTICE KAGAN delivered the opinion of the Court."),
             ("paragraph", "The judgment of the Court of Appeals for the Ninth Circuit is affirmed. "
                           "In 2011, the Court of Appeals for the Ninth Circuit held that the statute was invalid."))
    annotate(nlp, d)
    decided = _sentence(d, "The judgment of the Court")
    assert (decided.check_worthy, decided.kind) == (False, "recommendation"), decided.reasons
    assert decided.reasons[0].startswith("the court's own disposition (“… affirmed”)"), decided.reasons
    held = _sentence(d, "In 2011, the Court")
    assert held.check_worthy and held.needs_source, held.reasons


def test_a_brief_filed_in_a_court_is_not_the_court_speaking():
    """A party's brief carries the court's caption but decides nothing; a report that quotes a
    rule's "ACTION:" once has no rule header either."""
    assert issuing_body(["IN THE COURT OF APPEALS DIVISION III", "BRIEF OF APPELLANT",
                         "It is so ordered."]) is None
    assert issuing_body(["The notice read: ACTION: Notice of proposed rulemaking."]) is None
    court = issuing_body(["SUPREME COURT OF THE UNITED STATES", "It is so ordered."])
    assert court is not None and court.kind == "court"
    rule = issuing_body([text for _, text in RULE_HEADER])
    assert rule is not None and rule.kind == "rule" and {"faa", "federal aviation administration"} <= rule.names
    assert "nprm" in rule.self_nouns


# ---------------------------------------------------------------- legal writing


@pytest.mark.parametrize("sentence", [
    "State v. Rohrich, 149 Wn.2d 647, 654, 71 P.3d 638 (2003).",
    "Smith v. Jones, 512 F.3d 88, 91 (9th Cir. 2008) (holding that the stop was unlawful).",
    "People v. Soto, 45 Cal. 4th 12, 15 (2008), cert. denied, 556 U.S. 1105 (2009).",
    "Alabama v. North Carolina, 560 U. S. 330 ___, ___ (2010) (slip op., at 9); Oklahoma, 501 U. S., at 235, n. 5.",
    "In re Pers. Restraint of Fleming, 142 Wn.2d 853, 865, 16 P.3d 610 (2001).",
    "RAP 2.5(a); State v. Brown, 159 Wn. App. 1, 17, 248 P.3d 518 (2010), review denied, 171 Wn.2d 1015 (2011).",
    "Id.", "Id. at 618.", "See id. at 12; RCW 9.94A.535.", "42 U.S.C. § 1983.", "U.S. Const. amend. VI, art. I, § 22.",
    "RP 287-88, 296.", "CP 164; RP 330.", "Exh. 14; RP 782, 784.",
    # an opinion citing the provision it discusses by its section sign alone
    "\u00a7105.12(F).", "\u00a7\u00a72.12(a)\u2013(e), id., at 13.", "\u00a72.11, id., at 13; see Comment on Art. II, id., at 15\u201316.",
])
def test_a_citation_sentence_is_recognised(sentence):
    assert citation_sentence(sentence)


@pytest.mark.parametrize("sentence", [
    "A trial court abuses its discretion when its decision rests on untenable grounds.",
    "Relevant evidence is admissible under RCW 9.94A.535.",
    "The court held the stop unlawful, 149 Wn.2d 647, 654.",
    "The data are in CP 12 and show a rise.",
    "\u00a7105.12(F) requires a permit for any use of water outside the State.",
    "Washington Courts Condemn Racial Appeals",  # a heading: no citation in it
])
def test_a_sentence_with_a_proposition_is_no_citation_sentence(sentence):
    assert not citation_sentence(sentence)


# A proposition stated in one sentence with its authority in the next, in any U.S. style: each
# pair is (the paragraph, the sentence judged, check-worthy, a code in its reasons).
LEGAL_PAIRS = [
    # a rule of law with a citation sentence after it states what the law is (T2): not common
    # knowledge (F7), since its author sourced it; alone, the same words are a general statement
    (("Confrontation clause violations are reviewed de novo. State v. Jasper, 174 Wn.2d 96, 108, 271 P.3d "
      "876 (2012).", "Confrontation", True, "the next sentence cites authority"),
     ("Confrontation clause violations are reviewed de novo.", "Confrontation", False, "F7")),
    # its "may" is the law's, not the authors' speculation
    (("Any fact that goes to the trustworthiness of a witness may be elicited if it is germane. Smith v. "
      "Jones, 512 F.3d 88, 91 (9th Cir. 2008).", "Any fact", True, "the next sentence cites authority"),
     ("Any fact that goes to the trustworthiness of a witness may be elicited if it is germane.", "Any fact",
      False, "F3")),
    # a fact of the record, cited to the transcript
    (("The dog barked toward cars parked at the curb near the vacant lot. RP 287.", "The dog", True,
      "the next sentence cites authority"),
     ("The dog barked toward cars parked at the curb near the vacant lot.", "The dog", False, "F7")),
    # the authors' verdict stays theirs whatever follows it
    (("This is astounding for several reasons. Id. at 12.", "This is", False, "F1"),
     ("This is astounding for several reasons.", "This is", False, "F1")),
    # a disposition of the case asked for (a brief) or ordered: "must" is no rule of law there
    (("This matter must be reversed. State v. Green, 94 Wn.2d 216, 220, 616 P.2d 628 (1980).", "This matter",
      False, "F2"),
     ("The State must prove each element beyond a reasonable doubt. State v. Green, 94 Wn.2d 216, 220 (1980).",
      "The State", True, "the next sentence cites authority")),
    # an article's own parts are a roadmap; a statute's part is law
    (("Part I provides background on the law of takings.", "Part I", False, "F4"),
     ("Part I of the Clean Water Act provides grants to states.", "Part I", True, "T2")),
    # "there is no question that": the authors vouching, like "there is no doubt"
    (("Here, there is no question the stop escalated into a seizure under the Oregon Constitution.", "Here",
      False, "F1"),
     ("Here, the stop escalated into a seizure under the Oregon Constitution in 2019.", "Here", True, "T1")),
    # what a compact or statute provides is law (T2); "provide" is no form of "prove", a verb of inference
    (("Many interstate compacts provide that each state may divert water from a shared river. See Red River "
      "Compact, Art. II, 94 Stat. 3305.", "Many", True, "the next sentence cites authority"),
     ("The Danish case proves that reform must start with the courts.", "The Danish", False, "F8")),
    # "id." (the authority just cited) is split by the tokenizer into "i" and "d.": no one speaks
    (("Each reach is divided into smaller subbasins, see, e.g., \u00a7\u00a75.01\u20135.05, id., at 22\u201326.",
      "Each reach", True, "T2"),
     ("Each reach, I think, is divided into smaller subbasins.", "Each reach", False, "F1")),
    # "art. I" numbers a part of a constitution: it is not the authors speaking ("I")
    (("Art. I, § 7 of the Washington Constitution provides greater protection than the Fourth Amendment.",
      "Art. I", True, "T2"),
     ("I think the Washington Constitution provides greater protection than the Fourth Amendment.", "I think",
      False, "F1")),
]


@pytest.mark.parametrize("pair", LEGAL_PAIRS)
def test_legal_propositions_and_their_citation_sentences(nlp, pair):
    for paragraph, start, worthy, code in pair:
        d = _doc(("paragraph", paragraph))
        annotate(nlp, d)
        s = _sentence(d, start)
        assert s.check_worthy is worthy, (paragraph, s.reasons)
        assert any(code in r for r in s.reasons), (paragraph, s.reasons)


def test_a_brief_concluding_the_court_erred_argues_but_a_report_of_it_is_a_claim(nlp):
    """In a party's brief (its own header), "the trial court abused its discretion" is the party's
    contention (F1); a proposition it cites ("In York, the trial court erred ..." with the case
    after it) reports precedent, and the same words in a report are what happened."""
    brief = _doc(("heading", "IN THE COURT OF APPEALS OF THE STATE OF OREGON"), ("heading", "BRIEF OF APPELLANT"),
                 ("paragraph", "The trial court abused its discretion when it excluded the recordings. "
                               "In Lopez, the trial court erred when it excluded similar recordings. "
                               "State v. Lopez, 145 Or. App. 36, 40 (1997)."))
    annotate(nlp, brief)
    argued = _sentence(brief, "The trial court abused")
    assert (argued.check_worthy, argued.kind) == (False, "judgement"), argued.reasons
    assert "the party's contention" in argued.reasons[0]
    assert _sentence(brief, "In Lopez").check_worthy
    report = _doc(("paragraph", "The trial court abused its discretion when it excluded the recordings in 2019."))
    annotate(nlp, report)
    assert report.sentences[0].check_worthy, report.sentences[0].reasons


def test_a_citation_sentence_is_no_claim_and_lends_no_support(nlp):
    """The citation sentence asserts nothing (F4); the proposition before it keeps its own support
    (none: the guidelines inherit nothing from a neighbour), so it needs a source, and
    support_scope shows, without counting it, that its authority is the next sentence."""
    d = _doc(("paragraph", "A trial court abuses its discretion when its decision rests on untenable grounds. "
                           "State v. Rohrich, 149 Wn.2d 647, 654, 71 P.3d 638 (2003). The officer arrived "
                           "within 30 seconds (RP 317)."))
    annotate(nlp, d)
    rule = _sentence(d, "A trial court")
    assert (rule.check_worthy, rule.support, rule.support_scope, rule.needs_source) == (
        True, "none", "next sentence", True), rule.reasons
    cite = _sentence(d, "State v. Rohrich")
    assert (cite.check_worthy, cite.kind, cite.needs_source) == (False, "roadmap", False), cite.reasons
    assert "citation sentence" in cite.reasons[0]
    fact = _sentence(d, "The officer")
    assert (fact.support, fact.needs_source) == ("inline", False)
    assert [c.rule for c in fact.inline] == ["record"]


# ---------------------------------------------------------------- scoring


def _gold(tmp_path: Path, sentences: list[dict]) -> Path:
    path = tmp_path / "c.claims.json"
    path.write_text(json.dumps({"file": "c.pdf", "scope_pages": [1, 1], "sentences": sentences}))
    return path


def test_scorer_counts_recall_precision_flags_and_links(nlp, tmp_path):
    d = _doc(("paragraph", "Iran closed the Strait of Hormuz in March 2026.[0] Exports fell by 40 percent "
                           "in 2026. This is a difficult task. Kazakhstan could become a hub."))
    annotate(nlp, d)
    db_path = tmp_path / "c.db"
    write_document(open_db(str(db_path)), d, "test")
    gold = _gold(tmp_path, [
        {"page": 1, "text": "Iran closed the Strait of Hormuz in March 2026.", "check_worthy": True,
         "support": "marker", "markers": ["1"], "needs_source": False},
        {"page": 1, "text": "Exports fell by 40 percent in 2026.", "check_worthy": True, "support": "none",
         "markers": [], "needs_source": True},
        {"page": 1, "text": "A sentence the extraction never saw at all here.", "check_worthy": True,
         "support": "none", "markers": [], "needs_source": True},
    ])
    scores, total, warnings = score_claims(db_path, [gold])
    m = total.metrics
    assert (round(m["claim_recall"], 3), m["claim_precision"], m["ns_precision"], m["ns_recall"],
            m["link_accuracy"]) == (0.667, 1.0, 1.0, 0.5, 1.0)
    assert warnings == [] and scores[0].errors["missed check-worthy"] == [
        "A sentence the extraction never saw at all here."]
    out = subprocess.run([sys.executable, "-m", "citetrace.plugins.cli", "eval", "--db", str(db_path),
                          "--claims", str(gold)], capture_output=True, text=True, check=True).stdout
    assert "ALL (micro)" in out and "0.667  1.000" in out


def test_bad_claims_gold_is_one_clear_line(tmp_path):
    bad = tmp_path / "x.claims.json"
    bad.write_text('{"file": "x.pdf"}')
    with pytest.raises(ClaimsGoldError, match=r"x\.claims\.json: not a claims gold file"):
        load_gold(bad)


def _assert_fingerprinted_and_consistent(s: dict) -> None:
    """A held-out sentence keeps no text, and its rule decides its labels (the guidelines)."""
    assert "text" not in s and {"anchor", "tail", "length", "sha1"} <= set(s)
    assert re.fullmatch(r"[TF][1-8]", s["why"]) and s["check_worthy"] == (s["why"][0] == "T")
    assert (s["support"] in {"marker", "both"}) == bool(s["markers"])
    assert s["needs_source"] == (s["check_worthy"] and s["support"] == "none")


def test_second_held_out_set_is_consistent_and_keeps_no_text():
    """tests/data/claims_heldout2: six documents, two whole pages each, every label consistent
    with the guidelines (the rule in `why` decides check_worthy; needs_source follows)."""
    files = sorted((Path(__file__).parent / "data" / "claims_heldout2").glob("*.claims.json"))
    golds = [load_gold(f) for f in files]
    assert len(golds) == 6 and sum(len(g["sentences"]) for g in golds) == 172
    for g in golds:
        lo, hi = g["scope_pages"]
        assert hi == lo + 1 and {s["page"] for s in g["sentences"]} == {lo, hi}
        for s in g["sentences"]:
            _assert_fingerprinted_and_consistent(s)


def _assert_held_out_set(name: str, documents: int, labelled: int, check_worthy: int, needs_source: int,
                         one_page: frozenset[str] = frozenset()) -> None:
    """Two whole pages per document (one for the files in `one_page`); labelled sentences
    consistent with the guidelines, skips (training sentences on those pages) located but not
    labelled; no text kept."""
    files = sorted((Path(__file__).parent / "data" / name).glob("*.claims.json"))
    golds = [load_gold(f) for f in files]
    rows = [s for g in golds for s in g["sentences"] if not s.get("skip")]
    assert len(golds) == documents and len(rows) == labelled
    assert sum(s["check_worthy"] for s in rows) == check_worthy and sum(s["needs_source"] for s in rows) == needs_source
    assert one_page <= {g["file"] for g in golds}
    for g in golds:
        lo, hi = g["scope_pages"]
        assert hi == lo + (g["file"] not in one_page) and {s["page"] for s in g["sentences"]} == {lo, hi}
        for s in g["sentences"]:
            if s.get("skip"):
                assert "text" not in s and {"anchor", "tail", "length", "sha1"} <= set(s)
                assert not {"check_worthy", "why", "support", "markers", "needs_source"} & set(s)
            else:
                _assert_fingerprinted_and_consistent(s)


def test_third_held_out_set_is_consistent_and_keeps_no_text():
    """tests/data/claims_heldout3: five documents, two whole pages each; sentences of the
    classifier's training file on those pages are located but not labelled ("skip")."""
    _assert_held_out_set("claims_heldout3", 5, 139, 69, 50)


def test_fourth_held_out_set_is_consistent_and_keeps_no_text():
    """tests/data/claims_heldout4: five documents (other pages of sets 1-2's), two whole pages each."""
    _assert_held_out_set("claims_heldout4", 5, 133, 71, 50)


def test_fifth_held_out_set_is_consistent_and_keeps_no_text():
    """tests/data/claims_heldout5: six documents (other pages of sets 1-3's), two whole pages
    each but one dense three-column page of the proposed rule; three training sentences on the
    R46991 pages are skips."""
    _assert_held_out_set("claims_heldout5", 6, 140, 75, 33,
                         one_page=frozenset({"fedreg_2020-17221_boeing737max_3col.pdf"}))


def test_a_skipped_gold_sentence_counts_nowhere(nlp, tmp_path):
    """A labelled page may hold a sentence the set must not judge (one the classifier trained
    on): `skip` locates it, so its claim is neither credited nor counted as spurious."""
    d = _doc(("paragraph", "Iran closed the Strait of Hormuz in March 2026.[0] Exports fell by 40 percent "
                           "in 2026. This is a difficult task."))
    annotate(nlp, d)
    db_path = tmp_path / "c.db"
    write_document(open_db(str(db_path)), d, "test")
    iran = {"page": 1, **fingerprint("Iran closed the Strait of Hormuz in March 2026."), "check_worthy": True,
            "support": "marker", "markers": ["1"], "needs_source": False}
    task = {"page": 1, **fingerprint("This is a difficult task."), "check_worthy": False, "support": "none",
            "markers": [], "needs_source": False}
    _s, left_out, _w = score_claims(db_path, [_gold(tmp_path, [iran, task])])
    assert left_out.counts["spurious"] == 1  # the exports claim, on the labelled page, matches nothing
    skipped = {"page": 1, **fingerprint("Exports fell by 40 percent in 2026."), "skip": "in the training file"}
    _s, total, _w = score_claims(db_path, [_gold(tmp_path, [iran, skipped, task])])
    c = total.counts
    assert (c["gold_sentences"], c["gold_check_worthy"], c["claims_in_scope"], c["spurious"]) == (2, 1, 1, 0)
    assert total.metrics["claim_precision"] == 1.0 and total.metrics["link_accuracy"] == 1.0
    with pytest.raises(ClaimsGoldError, match="sentence 0 lacks page"):  # a skip still needs its page
        load_gold(_gold(tmp_path, [{k: v for k, v in skipped.items() if k != "page"}]))


def test_a_gold_sentence_may_be_stored_as_a_fingerprint(nlp, tmp_path):
    """A held-out gold file keeps a document's text out of the repository: first and last
    words, length and a hash, resolved from the ingested passages when scoring."""
    d = _doc(("paragraph", "Iran closed the Strait of Hormuz in March 2026.[0] Exports fell by 40 percent "
                           "in 2026. This is a difficult task."))
    annotate(nlp, d)
    db_path = tmp_path / "c.db"
    write_document(open_db(str(db_path)), d, "test")
    exports = fingerprint("Exports fell by 40 percent in 2026.")
    assert exports["anchor"] == "exports fell by 40 percent" and exports["tail"] == "percent in 2026."
    gold = _gold(tmp_path, [
        {"page": 1, **fingerprint("Iran closed the Strait of Hormuz in March 2026."), "check_worthy": True,
         "support": "marker", "markers": ["1"], "needs_source": False},
        {"page": 1, **exports, "check_worthy": True, "support": "none", "markers": [], "needs_source": True},
        {"page": 1, **fingerprint("This is a difficult task."), "check_worthy": False, "support": "none",
         "markers": [], "needs_source": False},
    ])
    _scores, total, _w = score_claims(db_path, [gold])
    assert (total.metrics["claim_recall"], total.metrics["ns_recall"], total.metrics["link_accuracy"]) == (1, 1, 1)
    missing = _gold(tmp_path, [{"page": 1, **fingerprint("Oil prices doubled in May."), "check_worthy": True,
                                "support": "none", "markers": [], "needs_source": True}])
    with pytest.raises(ClaimsGoldError, match=r"sentence .*'oil prices doubled in may\.'.* not found"):
        score_claims(db_path, [missing])
    out = subprocess.run([sys.executable, "-m", "citetrace.plugins.cli", "eval", "--db", str(db_path),
                          "--claims", str(missing)], capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "not found in the document" in out.stderr


@pytest.mark.corpus
def test_scorer_agrees_with_the_shared_script(tmp_path):
    """Our definitions reproduce ../shared/claims/score_claims.py's numbers on a real ingest."""
    if not SHARED.exists():
        pytest.skip("no shared claims gold")
    db_path = tmp_path / "g.db"
    pdf = SHARED.parent / "corpus" / "pdfs" / "crs_R48903.3.pdf"
    subprocess.run([sys.executable, "-m", "citetrace.plugins.cli", "ingest", str(pdf), "--db", str(db_path),
                    "--quiet"], check=True)
    gold = SHARED / "crs_R48903.3.claims.json"
    _scores, total, _w = score_claims(db_path, [gold])
    ref = tmp_path / "ref.json"
    subprocess.run([sys.executable, str(SHARED / "score_claims.py"), str(db_path), str(gold), "--json",
                    str(ref)], check=True, capture_output=True)
    theirs = json.loads(ref.read_text())["ALL"]["metrics"]
    assert {k: round(v, 6) for k, v in total.metrics.items()} == {k: round(v, 6) for k, v in theirs.items()}
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from claims where support is null").fetchone()[0] == 0
