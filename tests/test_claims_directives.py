"""Claims rules for directives and rules speaking in their own voice: what the document itself
sets out, described again; its labelled list of goals; the actions it lists. Each rule with a
look-alike it must leave alone (a report describing what a law or an agency requires, T2)."""

from __future__ import annotations

import pytest

from citetrace.ingest.model import Document, Passage
from citetrace.ingest.nlp import annotate


def _doc(*passages: tuple[str, str]) -> Document:
    """A document from (kind, text) passages, all on page 1."""
    d = Document(path="d.pdf", sha256="d" * 64, filename="d.pdf")
    for i, (kind, text) in enumerate(passages):
        d.passages.append(Passage(seq=i, page=1, kind=kind, text=text, bbox=(0, 0, 100, 10)))
    return d


def _sentence(doc: Document, start: str):
    found = [s for s in doc.sentences if s.text.startswith(start)]
    assert len(found) == 1, (start, [s.text for s in doc.sentences])
    return found[0]


# A memorandum to agencies: it says twice what it itself requires (voice.py).
MEMO_OPENING = ("This memorandum requires agencies to meet specific records management goals by the end of "
                "Fiscal Year 2026. These goals are organized using the retention schedule developed by NARA. "
                "NARA's retention schedule describes four categories of permanent records.")
MEMO_ITEMS = (("paragraph", "The goals set forth in this memorandum follow the schedule's categories:"),
              ("list_item", "1. Storage: The Federal Government keeps every permanent record in a managed "
                            "repository. Electronic signatures protect those records from tampering."),
              ("list_item", "2. Access: Agencies are publishing their record catalogs on their websites, and have "
                            "retired their paper indexes."))
MEMO_CLOSING = ("This memorandum also directs agencies to report their progress to OMB each quarter. "
                "OMB and NARA will work with agencies throughout the transition to collect best practices, lessons "
                "learned, and additional agency guidance on a shared website. "
                "In 2019, OMB Memorandum M-19-21 required agencies to manage all permanent records electronically.")


def test_a_directive_describing_its_own_goals_is_not_a_claim(nlp):
    """"These goals", after "This memorandum requires agencies to meet ... goals", are the
    memorandum's own (F2), however named the schedule they follow; what another agency's schedule
    describes and what an earlier memorandum required stay claims (T2)."""
    d = _doc(("paragraph", MEMO_OPENING), *MEMO_ITEMS, ("paragraph", MEMO_CLOSING))
    annotate(nlp, d)
    goals = _sentence(d, "These goals are organized")
    assert (goals.check_worthy, goals.kind) == (False, "recommendation"), goals.reasons
    assert "sets out (“These goals”)" in goals.reasons[0] and "(F2)" in goals.reasons[0]
    for start in ("NARA's retention schedule describes", "In 2019, OMB Memorandum M-19-21 required"):
        s = _sentence(d, start)
        assert s.check_worthy, (start, s.reasons)


def test_a_list_of_nouns_with_participles_is_not_the_main_clause(nlp):
    """The parser takes "lessons learned" in a list for the main clause (a past event) and hangs
    "OMB and NARA will work ..." on it: the real main clause is the directive's own commitment (F2)."""
    d = _doc(("paragraph", MEMO_OPENING), ("paragraph", MEMO_CLOSING))
    annotate(nlp, d)
    s = _sentence(d, "OMB and NARA will work")
    assert (s.check_worthy, s.kind) == (False, "recommendation"), s.reasons
    assert "“will” in a directive" in s.reasons[0]


def test_a_directives_labelled_list_states_its_goals(nlp):
    """A directive's labelled items ("Storage: The Federal Government keeps ...") and the
    sentences after the label in the same item describe the state it sets as its goal (F2),
    in the present or present perfect."""
    d = _doc(("paragraph", MEMO_OPENING), *MEMO_ITEMS, ("paragraph", MEMO_CLOSING))
    annotate(nlp, d)
    for start in ("Storage: The Federal Government keeps", "Electronic signatures protect",
                  "Access: Agencies are publishing"):
        s = _sentence(d, start)
        assert (s.check_worthy, s.kind) == (False, "recommendation"), (start, s.reasons)
        assert "labelled item" in s.reasons[0] and "(F2)" in s.reasons[0], s.reasons


def test_the_same_sentences_in_a_report_are_claims(nlp):
    """Without a directive's voice, "these goals" are an agency's goals a report describes (T2)
    and the labelled items report what the government does: claims."""
    opening = MEMO_OPENING.replace("This memorandum requires", "OMB's new policy requires")
    d = _doc(("paragraph", opening), *MEMO_ITEMS[1:])
    annotate(nlp, d)
    for start in ("These goals are organized", "Storage: The Federal Government keeps"):
        s = _sentence(d, start)
        assert s.check_worthy, (start, s.reasons)
        assert not any("(F2)" in r for r in s.reasons), s.reasons


RULE_HEADER = (("heading", "Proposed Rules"), ("paragraph", "AGENCY: Federal Aviation Administration (FAA), DOT."),
               ("paragraph", "ACTION: Notice of proposed rulemaking (NPRM)."),
               ("paragraph", "SUMMARY: The FAA proposes to adopt a new airworthiness directive (AD) for all Model "
                             "767 airplanes."),
               ("heading", "[Docket No. FAA-2022-0202; Product Identifier 2021-NM-033-AD]"))


def test_a_rule_describing_what_it_proposes_is_not_a_claim(nlp):
    """In a proposed rule, "This checklist is used when ..." after "The FAA proposes to add the
    Cabin Pressure Disagree checklist" describes the proposal (F2); the manual's existing
    checklist, named otherwise, and a past event about the checklist stay claims."""
    d = _doc(*RULE_HEADER, ("paragraph",
             "The FAA proposes to add the Cabin Pressure Disagree checklist to the AFM. "
             "This checklist is used when the two cabin altitude indicators disagree. "
             "The checklist directs the flightcrew to begin a descent to a safe altitude. "
             "The Engine Fire checklist of the AFM is used when an engine fire warning sounds. "
             "The FAA plans to amend the Special Flight Permit Order in conjunction with the final rule. "
             "The amended Special Flight Permit Order will address the conditions that the Administrator deems "
             "necessary."))
    annotate(nlp, d)
    for start in ("This checklist is used", "The checklist directs", "The amended Special Flight Permit Order"):
        s = _sentence(d, start)
        assert (s.check_worthy, s.kind) == (False, "recommendation"), (start, s.reasons)
        assert "sets out" in s.reasons[0] and "(F2)" in s.reasons[0], s.reasons
    existing = _sentence(d, "The Engine Fire checklist")
    assert existing.check_worthy, existing.reasons


def test_a_rules_listed_actions_and_its_agencys_findings(nlp):
    """An item naming an action ("Replacing the elevator trim cable, by ...") in a rule is one
    of the actions it proposes (F2), dated service bulletin or not; the agency's review "revealed"
    a finding of record (T1), where a review article's "this review examines" speaks of itself."""
    d = _doc(*RULE_HEADER,
             ("paragraph", "This proposed AD would also require the following actions."),
             ("list_item", "Replacing the elevator trim cable, by accomplishing the actions identified in Boeing "
                           "Service Bulletin 767-27-0400, dated May 2, 2021."),
             ("paragraph", "This review revealed that the elevator trim wiring does not meet the separation "
                           "criteria of 14 CFR 25.1707."))
    annotate(nlp, d)
    item = _sentence(d, "Replacing the elevator trim cable")
    assert (item.check_worthy, item.kind) == (False, "recommendation"), item.reasons
    assert "an item naming an action" in item.reasons[0]
    review = _sentence(d, "This review revealed")
    assert review.check_worthy, review.reasons
    report = _doc(("paragraph", "This review examines the elevator trim wiring of the Model 767 fleet."))
    annotate(nlp, report)
    assert not report.sentences[0].check_worthy

