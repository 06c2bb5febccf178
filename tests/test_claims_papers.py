"""Claims in research papers (issue 16): the authors' own work is checkable, numbered
citations are support.

In a paper (an abstract and a second mark of one: keywords, a numbered introduction, its
authors' e-mail addresses, a numbered reference list) "we implemented", "we measured" and what
"the implementation" does are the paper's reports of its system, method and results (T1/T5);
its roadmap ("In Section 4 we describe"), stance ("we believe") and plans ("we would", "we plan")
are not. The same sentences in a report keep the report's rules. Sentences are written for the
tests; the PDF is made here with reportlab.
"""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from test_line_breaks import _end_page, _lines

from citetrace.ingest.claims.paper import research_paper
from citetrace.ingest.claims.sentences import boundaries
from citetrace.ingest.claims.support import inline_citations
from citetrace.ingest.extract import extract
from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate, load_pipeline

PAPER_HEAD = (("heading", "Abstract"),
              ("paragraph", "Dynamic languages are hard to compile well, and tracing helps."),
              ("paragraph", "Keywords: tracing, just-in-time compilation, type specialization"),
              ("heading", "1. Introduction"))
REFERENCES = (("heading", "References"),
              ("paragraph", "[1] A. Moreau and B. Lind. Trace trees for Java. In Proceedings of VEE, 2006."),
              ("paragraph", "[2] C. Ortiz. Inline threading revisited. ACM TOPLAS, 2005."),
              ("paragraph", "[3] D. Haas. Register allocation on traces. PhD thesis, 2004."))


def _doc(*passages: tuple[str, str]) -> Document:
    d = Document(path="p.pdf", sha256="p" * 64, filename="p.pdf")
    d.passages = [Passage(i, 1 + i // 6, kind, text, (0, 0, 100, 10)) for i, (kind, text) in enumerate(passages)]
    return d


def _verdicts(nlp, body: list[str], paper: bool = True) -> dict[str, object]:
    head = PAPER_HEAD if paper else (("heading", "Introduction"),)
    d = _doc(*head, *(("paragraph", s) for s in body), *(REFERENCES if paper else ()))
    annotate(nlp, d)
    return {s.text: s for s in d.sentences}


def test_a_paper_is_told_by_its_abstract_and_one_more_mark():
    assert research_paper([t for _, t in PAPER_HEAD]).evidence == "an abstract, a keywords or subject block, " \
                                                                   "a numbered introduction"
    numbered = research_paper(["Abstract", "a@x.edu and b@y.edu", "References"] + [t for _, t in REFERENCES[1:]])
    assert numbered.references == 3 and "a numbered reference list" in numbered.evidence
    # a report's summary, introduction and references, or an abstract alone, are no paper
    assert research_paper(["Summary", "Introduction", "The plan was adopted in 2019.", "References",
                           "[1] Ministry of Water, Annual report, 2020."]) is None
    assert research_paper(["Abstract", "The report reviews water tariffs."]) is None


# (check-worthy in a paper, its look-alike that is not): the authors' work against their text,
# stance, forecasts and advice
WORK_PAIRS = [
    ("We implemented these techniques for an existing Lua interpreter.",
     "We describe these techniques for an existing Lua interpreter."),
    ("We evaluated our tracing compiler on the SunSpider benchmark suite.",
     "In Section 7 we evaluate our tracing compiler on the SunSpider benchmark suite."),
    ("When the inner loop exits, we abort the outer trace and return to the interpreter.",
     "We believe that aborting the outer trace is the right choice for the interpreter."),
    ("We have measured speedups of 10x on loops with integer counters.",
     "We would expect speedups of 10x on loops with integer counters."),
    ("Once a loop is blacklisted, we never call into the monitor for that loop.",
     "We plan to stop calling into the monitor for blacklisted loops."),
    # what the paper's own system does, against a general statement about a kind of thing
    ("The implementation aborts the recording when the native stack overflows.",
     "Ideally, the trace reaches the loop header with the same type map as on entry."),
    # an example of what the system can do is an illustration (F3)
    ("The optimization replaces each multiply of two constants with a constant instruction.",
     "For example, the optimization can replace a multiply of two constants with a constant instruction."),
    # a colon ends a lead-in to the list that follows (F4)
    ("We implemented the optimizations as filters that run in two passes over the trace.",
     "We currently apply three backward filters:"),
]


@pytest.mark.parametrize("work, text", WORK_PAIRS)
def test_in_a_paper_the_authors_work_is_checkable_and_their_text_is_not(nlp, work, text):
    found = _verdicts(nlp, [work, text])
    own, other = found[work], found[text]
    assert own.check_worthy and own.needs_source, own.reasons
    assert any("research paper" in r and "(T1" in r for r in own.reasons), own.reasons
    assert not other.check_worthy and not other.needs_source, other.reasons
    assert any(code in r for code in ("(F1", "(F3", "(F4", "(F7") for r in other.reasons), other.reasons


def test_in_a_report_the_same_we_is_the_authors_view(nlp):
    """Without a paper's apparatus, "we" speaks for the authors (F1) and what "the
    implementation" does is a general statement (F7): a think tank's verdicts do not move."""
    work = [w for w, _ in WORK_PAIRS]
    found = _verdicts(nlp, work, paper=False)
    for sentence in work:
        s = found[sentence]
        assert not s.check_worthy, (sentence, s.reasons)
        assert not any("research paper" in r for r in s.reasons), s.reasons


def test_a_fact_beside_the_authors_stance_still_wins(nlp):
    sentence = "In our runs the time spent in the monitor is below 5 percent, so we consider the requirement met."
    s = _verdicts(nlp, [sentence])[sentence]
    assert s.check_worthy, s.reasons


def test_a_run_in_section_number_is_not_a_statistic(nlp):
    """'4.2 Blacklisting with Nesting The ...': a heading's number run into the sentence numbers
    the text's parts; the same number inside the sentence is a figure to check."""
    heading = "4.2 Blacklisting with Nesting The blacklisting algorithm needs modification to work well with nesting."
    figure = "The blacklisting algorithm rejects 4.2 percent of all loops."
    found = _verdicts(nlp, [heading, figure], paper=False)
    assert not found[heading].check_worthy and not any("states a number" in r for r in found[heading].reasons)
    assert found[figure].check_worthy and any("states a number" in r for r in found[figure].reasons)


def test_numbered_citations_are_inline_support_in_a_paper(nlp):
    """"Gal et al. (2)" and "[1]" cite the paper's numbered references: support inline. Not a
    figure's number, an enumeration's items, or a number opening the sentence."""
    cited = "Trace trees were first proposed by Moreau and Lind (1) for a statically typed language."
    bracket = "Inline threading [2, 3] copies native code of each bytecode into a code cache."
    found = _verdicts(nlp, [cited, bracket])
    for sentence in (cited, bracket):
        s = found[sentence]
        assert s.check_worthy and s.support == "inline" and not s.needs_source, (sentence, s.reasons, s.support)
        assert [c.rule for c in s.inline] == ["numbered reference"]
    paper = research_paper([t for _, t in PAPER_HEAD + REFERENCES])
    assert inline_citations("As Figure (2) shows, the trace is short.", paper) == []
    assert inline_citations("The tracer has two goals: (1) speed and (2) safety.", paper) == []
    assert inline_citations("(2) For example, loop counters stay integers.", paper) == []
    assert inline_citations("Costs rose by (40) percent.", paper) == []  # beyond the reference list
    # outside a paper a number in brackets is no citation
    assert inline_citations(cited) == [] and inline_citations(bracket) == []


@pytest.mark.parametrize("sentence, text", [
    ("Tracing pays off on loops (Moreau, Lind, and Haas 2006).", "Moreau, Lind, and Haas 2006"),
    ("Tracing pays off on loops (Moreau, Lind & Haas, 2006).", "Moreau, Lind & Haas, 2006"),
    ("Tracing pays off on loops (van der Berg 2006).", "van der Berg 2006"),
    ("Tracing pays off on loops (Moreau 2006: 12).", "Moreau 2006: 12"),
    ("Tracing pays off on loops [Moreau et al. 2006; Haas 2004].", "[Moreau et al. 2006; Haas 2004]"),
    ("Moreau et al. [2006] showed that tracing pays off on loops.", "Moreau et al. [2006]"),
])
def test_author_year_forms_of_papers_are_inline_citations(sentence, text):
    """Three or more authors, a particle, a page after a colon and the bracketed forms of
    computing papers, in any document; months in brackets are dates, not authors."""
    assert [c.text for c in inline_citations(sentence)] == [text]
    assert [c.rule for c in inline_citations(sentence)] == ["author-year"]


def test_months_in_brackets_are_no_authors():
    assert inline_citations("Sales fell in spring (March, April and May 2020).") == []


def _paper_pdf(path) -> None:
    """A first page with the authors' e-mail addresses, an abstract whose label runs into its
    first line, and a body paragraph."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 16)
    c.drawString(72, 730, "Tracing for Dynamic Languages")
    y = _lines(c, 72, 700, 440, "Ana Moreau and Ben Lind".split())
    y = _lines(c, 72, y - 4, 440, "Lisbon University (ana@ul.pt) and Oslo University (ben@uio.no)".split())
    y = _lines(c, 72, y - 30, 440, ("Abstract We present a tracing compiler for Lua. We implemented it "
                                    "for the standard interpreter and measured speedups of 4x on loops.").split())
    y = _lines(c, 72, y - 30, 440, ("Keywords: tracing, compilation").split())
    _lines(c, 72, y - 30, 440, ("The recorder of the standard interpreter emits guards on every "
                                "type check. We record each loop after two iterations.").split())
    _end_page(c, 1)
    c.save()


def test_a_paper_pdf_keeps_its_authors_out_and_its_work_in(tmp_path):
    path = tmp_path / "paper.pdf"
    _paper_pdf(path)
    doc = extract(path)
    annotate(load_pipeline(), doc)
    texts = {s.text: s for s in doc.sentences}
    assert not any("@" in t for t in texts), list(texts)  # the affiliations are not body prose
    present = next(s for t, s in texts.items() if t.startswith("Abstract We present"))
    assert present.zone == "abstract" and not present.check_worthy, present.reasons
    measured = texts["We implemented it for the standard interpreter and measured speedups of 4x on loops."]
    assert measured.zone == "abstract" and measured.check_worthy, measured.reasons
    recorded = texts["We record each loop after two iterations."]
    assert recorded.zone == "body"  # the keywords close the abstract
    assert recorded.check_worthy and any("research paper" in r for r in recorded.reasons), recorded.reasons


def test_a_numbered_item_glossing_its_label_finishes_the_lead_in(nlp):
    """'... consisting of the following: 1. Extraction of named entities: a) ...; b) ...': an item
    that is a label and its gloss, no clause, finishes the lead-in (one sentence, the guidelines'
    list rule); an item whose gloss is a clause ('since a reference is ...') is a sentence."""
    d = _doc(("paragraph", "The extraction of references was modelled as a three-step process consisting of the following:"),
             ("list_item", "1. Extraction of named entities: a) names of ancient authors (e.g. Vergil); b) titles of "
                           "works (e.g. Aeneid) and c) references to passages (e.g. \u201cVerg., Aen. 1,33\u201d)."),
             ("list_item", "2. Detection of relations: since a reference is a relation between two entities, the "
                           "references are rebuilt from the entities found in the text."))
    annotate(nlp, d)
    texts = [s.text for s in d.sentences]
    assert texts == [
        "The extraction of references was modelled as a three-step process consisting of the following: Extraction "
        "of named entities: a) names of ancient authors (e.g. Vergil); b) titles of works (e.g. Aeneid) and c) "
        "references to passages (e.g. \u201cVerg., Aen. 1,33\u201d).",
        "Detection of relations: since a reference is a relation between two entities, the references are rebuilt "
        "from the entities found in the text."], texts


def test_a_cited_passage_by_abbreviated_title_does_not_end_a_sentence():
    """'Aen. 1,33', 'Il. 1,30; 3.87', 'b. 1, c. 7': an abbreviated title or a letter before the
    numbers of a passage; a word before a sentence opening with a number still ends one."""
    text = ("Passages of the Iliad (Il. 1,30; 3.87) are cited, as in \u201cASVe, PSM, b. 1, c. 7.\u201d The total was low. "
            "10 states agreed.")
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "Passages of the Iliad (Il. 1,30; 3.87) are cited, as in \u201cASVe, PSM, b. 1, c. 7.\u201d", "The total was low.",
        "10 states agreed."]


def test_what_a_worked_example_is_assigned_is_the_example(nlp):
    """'The reference in the example above ... will be assigned the URN ...': the paper's worked
    example (F3); the same reference in the catalogue is a fact of it."""
    example = "The reference in the example above, for instance, will be assigned the identifier urn:cts:phi003:1.33."
    fact = "The reference in the Perseus catalogue was assigned the identifier urn:cts:phi003:1.33 in 2019."
    found = _verdicts(nlp, [example, fact])
    assert not found[example].check_worthy and any("(F3)" in r for r in found[example].reasons), found[example].reasons
    assert found[fact].check_worthy, found[fact].reasons


def test_an_example_without_a_verb_is_an_illustration_in_a_paper(nlp):
    """'For example, the full primary source reference: "..."': the paper shows a specimen (F3);
    an example that states something ('For example, ... was digitised in 2014') is a claim."""
    shown = "For example, the full primary source reference: \u201cArchive of Venice, Procuratori di San Marco, b. 1, c. 7.\u201d"
    stated = "For example, the archive of the Procuratori di San Marco in Venice was digitised in 2014."
    found = _verdicts(nlp, [shown, stated])
    assert not found[shown].check_worthy and any("(F3)" in r for r in found[shown].reasons), found[shown].reasons
    assert found[stated].check_worthy, found[stated].reasons


def test_a_stop_glued_after_a_bracket_or_quote_still_ends_the_sentence():
    """A line break that lost its space after a closing bracket or quote ("(..., etc.).This",
    "\u201c...:1.33\u201d.This") still ends the sentence; a web address in quotes is no sentence end."""
    text = ("It built a taxonomy (author, title, year, etc.).This campaign ended. The URN is "
            "\u201curn:cts:latinLit:phi0690. phi003:1.33\u201d.This identifier is built in two steps. "
            "See \u201cwww.example.com\u201d.The site is down.")
    cuts = boundaries(text)
    assert [text[a:b].strip() for a, b in zip([0] + cuts, cuts)] == [
        "It built a taxonomy (author, title, year, etc.).", "This campaign ended.",
        "The URN is \u201curn:cts:latinLit:phi0690. phi003:1.33\u201d.", "This identifier is built in two steps.",
        "See \u201cwww.example.com\u201d.The site is down."]
