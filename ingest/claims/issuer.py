"""A rule or a court order speaking in its own voice, read from the document and its sentences.

A Federal Register rule, proposed rule or notice opens with its header ("AGENCY: Federal
Aviation Administration (FAA), DOT." / "ACTION: Notice of proposed rulemaking (NPRM)."); a court's
opinion names itself ("delivered the opinion of the Court", "It is so ordered"). In such a
document the issuing body is the speaker, in the third person ("The FAA proposes to ...", "the
agency has determined that ...", "This proposed AD would require ...", "The judgment ... is
affirmed"): what it proposes, requires, decides or will do is the document's own act (the
guidelines' F2, like a memorandum's own requirements), not a claim about the world. What the
body did ("On March 13, 2019, the FAA issued ...", a past event) and what it estimates or counts
stay claims.

:func:`issuing_body` reads the document's lines once; :func:`issued_by` reads one sentence's
main clauses (spaCy tokens, no lemmatizer: verb forms are listed here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from citetrace.ingest.claims.inflection import verb_forms

# The Federal Register's header fields: a rule, proposed rule or notice prints them at its start.
FR_FIELD = re.compile(r"^(AGENCY|ACTION|SUMMARY|DATES|ADDRESSES|FOR FURTHER INFORMATION CONTACT|"
                      r"SUPPLEMENTARY INFORMATION):", re.MULTILINE)
FR_SECTION = re.compile(r"(?:^|/ )(?:Proposed Rules|Rules and Regulations|Notices)(?: \d+)?$", re.MULTILINE)
# "[Docket No. FAA-2020-0686; ...]", "RIN 2120-AA64": a rulemaking's identifiers
RULEMAKING_ID = re.compile(r"\bDocket No\. [A-Z]{2,}[-–]\d|^RIN \d{4}[-–][A-Z]{2}\d\d\b", re.MULTILINE)
# "Federal Aviation Administration (FAA), DOT.": the agency and its acronym
AGENCY_NAME = re.compile(r"(?P<name>[A-Z][A-Za-z.&' -]+?)\s*(?:\((?P<acronym>[A-Z][A-Za-z]{1,9})\))?\s*(?:[,;.]|$)")
# What a rule calls itself: "this proposed AD", "this NPRM", "this action". Acronyms of rule
# kinds the document defines ("Airworthiness Directive (AD)") are added from its text.
RULE_NOUNS = {"rule", "rulemaking", "proposal", "action", "notice", "nprm", "document", "amendment",
              "regulation", "regulations", "order", "directive", "interim rule", "final rule"}
RULE_ACRONYM = re.compile(r"\b(?:Directive|Rule|Rulemaking|Order|Regulation|Notice)s? \((?P<acronym>[A-Z]{2,6})\)",
                          re.IGNORECASE)
# A court's opinion or order, as the court prints it (a party's brief carries the court's name
# but is no decision: BRIEF rules it out).
COURT_MARKS = re.compile(
    r"delivered the opinion of the Court|^PER CURIAM\b|^It is so ordered\.?$|\bON WRIT OF CERTIORARI\b|"
    r"^CERTIORARI TO\b|^(?:AFFIRMED|REVERSED|VACATED)(?: (?:AND|IN PART,?) [A-Z ,]+)?\.?$|"
    r"^(?:SUPREME COURT OF THE UNITED STATES|IN THE (?:UNITED STATES )?(?:SUPREME COURT|COURT OF APPEALS|"
    r"DISTRICT COURT)\b.*)$|^(?:MEMORANDUM )?OPINION(?: AND ORDER)?$", re.MULTILINE)
BRIEF = re.compile(r"^(?:(?:OPENING |REPLY |RESPONSE )?BRIEF OF|[A-Z’' ]*BRIEF$|PETITION FOR)", re.MULTILINE)
MIN_MARKS = 2


# What an issuing body does in its own voice: proposes, requires, decides, intends, invites.
# Not "estimates" or "allows": an estimate of the fleet or what existing rules allow is checkable.
ISSUING_VERBS = verb_forms(
    "propose", "require", "mandate", "determine", "intend", "plan", "consider", "encourage", "invite",
    "request", "conclude", "deem", "prohibit", "supersede", "adopt", "amend", "issue", "affirm", "reverse",
    "vacate", "remand", "decline", "reject", "decide", "grant", "deny", "agree", "withdraw", "seek",
    "hold", "find", "finalize", "establish", "revise") | {"sought", "held", "found", "holding", "finding"}
# Decided once and standing: "the FAA has determined that", "we have concluded".
DECIDED = verb_forms("determine", "conclude", "decide", "find", "agree") | {"found"}
# A court's disposition in the passive: "The judgment ... is affirmed", "It is so ordered".
DISPOSITIONS = {"affirmed", "reversed", "vacated", "remanded", "ordered", "dismissed", "granted", "denied"}
OWN_MODALS = {"will", "would", "shall", "wo"}
PAST_AUX = {"was", "were", "had", "did"}


@dataclass(frozen=True)
class Issuer:
    kind: str  # "rule" (a rule, proposed rule or notice) or "court" (an opinion or order)
    names: frozenset[str]  # subjects that are the issuing body: "faa", "agency", "court", "we"
    self_nouns: frozenset[str]  # what the document calls itself after "this": "ad", "nprm", "action"
    evidence: str  # the line that showed it, quoted in reasons


def _lines(lines: list[str]) -> str:
    return "\n".join(" ".join(line.split()) for line in lines)


def issuing_body(lines: list[str]) -> Issuer | None:
    """The body that issues the document, when its header shows a rule or a court's opinion."""
    text = _lines(lines)
    fields = {m.group(1) for m in FR_FIELD.finditer(text)}
    marks = len(fields & {"AGENCY", "ACTION", "SUMMARY"}) + bool(FR_SECTION.search(text)) + bool(
        RULEMAKING_ID.search(text))
    agency = re.search(r"^AGENCY:\s*(.+)$", text, re.MULTILINE)
    if agency and {"AGENCY", "ACTION"} <= fields and marks >= MIN_MARKS + 1:
        names = {"agency", "administrator", "we"}
        for m in AGENCY_NAME.finditer(agency.group(1)):
            names.add(" ".join(m.group("name").lower().split()))
            if m.group("acronym"):
                names.add(m.group("acronym").lower())
        nouns = set(RULE_NOUNS) | {m.group("acronym").lower() for m in RULE_ACRONYM.finditer(text)}
        return Issuer("rule", frozenset(n for n in names if n), frozenset(nouns), agency.group(0))
    court = [m.group(0) for m in COURT_MARKS.finditer(text)]
    if len(court) >= MIN_MARKS and not BRIEF.search(text):
        return Issuer("court", frozenset({"court", "this court", "we"}),
                      frozenset({"opinion", "order", "judgment", "decision"}), court[0])
    return None


def filed_brief(lines: list[str]) -> str | None:
    """The line that shows a party's brief filed in a court ("BRIEF OF APPELLANT" under the
    court's caption), or None. A brief argues: its own conclusions that the court below erred
    are the party's contentions, not findings."""
    text = _lines(lines)
    brief = BRIEF.search(text)
    return brief.group(0) if brief and COURT_MARKS.search(text) else None


def _subject(head):
    for c in head.children:
        if c.dep_ in {"nsubj", "nsubjpass", "expl"}:
            return c
    return _subject(head.head) if head.dep_ == "conj" and head.head.i != head.i else None


def _words(subj) -> list[str]:
    """The subject's own words, its determiner and modifiers before it ("this proposed AD",
    "the Federal Aviation Administration"): a misparse can hang a list far down the sentence
    on it ("The FAA intends to ... with: ANAC, TCCA and EASA")."""
    return [t.lower_ for t in subj.lefts if t.dep_ in {"det", "amod", "compound", "nmod"}] + [subj.lower_]


def _bare(words: list[str]) -> str:
    """'the FAA' -> 'faa', 'the agency' -> 'agency'."""
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _tense(head) -> str:
    """'modal', 'past', 'perfect', 'progressive' or 'present' for the clause headed by `head`."""
    auxes = [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if head.dep_ in {"xcomp", "conj"} and not auxes:
        auxes = [c for c in head.head.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ in OWN_MODALS for a in auxes):
        return "modal"
    if any(a.tag_ == "MD" for a in auxes):
        return "other modal"
    if head.tag_ == "VBD" or any(a.lower_ in PAST_AUX for a in auxes):
        return "past"
    if any(a.lower_ in {"has", "have"} for a in auxes):
        return "perfect"
    if head.tag_ == "VBG":
        return "progressive"
    return "present"


def _proposed_thing(subj, issuer: Issuer) -> str | None:
    """A subject that is the rule's own proposal: 'this proposed checklist', 'the final checklist
    that the FAA proposes to add'."""
    for t in subj.children:  # (spaCy makes a new Token each time: compare positions, not objects)
        if t.lower_ == "proposed" and t.dep_ == "amod":
            return " ".join(_words(subj))
        if t.dep_ in {"relcl", "acl"} and t.lower_ in ISSUING_VERBS:
            inner = _subject(t)
            if inner is not None and _bare(_words(inner)) in issuer.names:
                return " ".join(_words(subj)) + " that " + inner.text + " " + t.text
    return None


def _counts(head) -> bool:
    """'has determined that revising the MEL takes an average of 90 work-hours': a finding that
    counts something (a number on a common noun) is an estimate to check, like "estimates"."""
    return any(t.like_num and t.dep_ == "nummod" and t.head.tag_ in {"NN", "NNS"}
               for c in head.children if c.dep_ in {"ccomp", "dobj", "xcomp"} for t in c.subtree)


def issued_by(heads: list, issuer: Issuer | None) -> str | None:
    """Why a main clause (of `heads`) is the issuing body's own act, or None.

    Fires in a rule or court document only (`issuer` from :func:`issuing_body`), on a clause in
    the present, the progressive, "will"/"would" or (for decisions) the perfect whose subject is
    the issuing body with an issuing verb ("The FAA proposes to require", "the agency has
    determined"), the document itself ("This proposed AD would apply"), what it proposes ("this
    proposed checklist would be used"), or a court's passive disposition ("is affirmed")."""
    if issuer is None:
        return None
    for head in heads:
        subj = _subject(head)
        if subj is None:
            continue
        tense = _tense(head)
        if tense in {"past", "other modal"}:
            continue  # "the FAA issued an emergency order": an event of record
        words = _words(subj)
        verb = " ".join([t.text for t in head.children if t.dep_ in {"aux", "auxpass", "neg"}] + [head.text])
        # a rule's "will"/"would" is what it arranges; a court's "we would expect" is reasoning
        if _bare(words) in issuer.names and ((tense == "modal" and issuer.kind == "rule") or (
                head.lower_ in ISSUING_VERBS and (tense != "perfect" or head.lower_ in DECIDED)
                and not (head.lower_ in DECIDED and _counts(head)))):
            return (f"the issuing body speaking (“{subj.text} {verb}”) in a {_genre(issuer)}: "
                    "its own proposal, requirement or decision, not a claim about the world (F2)")
        if words[:1] == ["this"] and (words[-1] in issuer.self_nouns or " ".join(words[-2:]) in issuer.self_nouns):
            return (f"the {_genre(issuer)} speaking of itself (“{' '.join(words)} {verb}”): "
                    "its own proposal, requirement or decision (F2)")
        if issuer.kind == "rule" and (thing := _proposed_thing(subj, issuer)):
            return (f"what the rule proposes (“{thing}”), described in its own voice: "
                    "its proposal, not a claim about the world (F2)")
        if issuer.kind == "court" and head.lower_ in DISPOSITIONS and tense == "present" and any(
                c.dep_ == "auxpass" for c in head.children) and not any(c.dep_ == "agent" for c in head.children):
            return f"the court's own disposition (“… {head.text}”): its decision, not a claim about the world (F2)"
    return None


def _genre(issuer: Issuer) -> str:
    return "rule or notice" if issuer.kind == "rule" else "court's opinion or order"
