"""Who speaks in a document: a report about the world, a directive issuing requirements, or a
rule or court order whose issuing body decides.

A memorandum, order or circular that says what it itself requires ("This memorandum requires
agencies to ...") speaks to its readers: its own "must", "shall", "will" and its present-tense
picture of what the readers do are the directive's requirements and goals (the guidelines'
F2), not statements of what a law or another body requires. The reading is made once per
document, from its body sentences, and handed to every sentence's check-worthiness decision.

A rule, proposed rule or notice (the Federal Register's "AGENCY:" / "ACTION:" header) and a court's
opinion or order ("delivered the opinion of the Court", "It is so ordered") are issued by a body
that speaks in the third person ("The FAA proposes to require ...", "This proposed AD would
apply ...", "The judgment of the Court of Appeals is affirmed"). Those sentences are the
document's own proposals, requirements and decisions (F2), while its account of the world
("On March 13, 2019, the FAA issued an emergency order") stays a claim. The same words in a
report ("The FAA proposes to require ...", quoted by a CRS report) are what an agency formally
proposes (T2): the reading is made from the document's own header, never from one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citetrace.ingest.claims.issuer import Issuer, filed_brief, issuing_body
from citetrace.ingest.claims.paper import Paper, research_paper

# What a directive calls itself, and the verbs by which it imposes ("this memorandum requires
# agencies to"): the object of the verb is whom it addresses.
SELF_NAMES = r"memorandum|memo|directive|order|circular|bulletin|guidance|instruction"
ISSUING = re.compile(
    rf"\bthis (?P<name>{SELF_NAMES})\b(?: (?:also|further|therefore|hereby|now))? "
    r"(?:requires|directs|instructs|mandates|sets forth|establishes|rescinds|supersedes)\b"
    r"(?: (?:that )?(?:all |each |every |the )?(?P<whom>[a-z]+))?", re.IGNORECASE)
# "This memorandum sets forth a Federal zero trust architecture (ZTA) strategy": the document
# also speaks of itself as that strategy.
ALSO_NAMED = re.compile(
    rf"\bthis (?:{SELF_NAMES}) (?:sets forth|establishes|issues|provides|lays out) (?:a|an|the) "
    r"(?:[\w()-]+ ){0,6}?(?P<name>strategy|framework|policy|plan|roadmap)\b", re.IGNORECASE)
# Who may be addressed: "requires agencies to", "directs each agency to".
ADDRESSEES = {"agencies", "agency", "departments", "department", "heads", "offices", "office",
              "bureaus", "bureau", "components", "staff", "employees", "personnel", "grantees",
              "recipients", "states", "operators", "contractors"}
MIN_EVIDENCE = 2  # one quoted "this order requires" in a report does not make it a directive
# "© 2021 World Nuclear Association": the organisation that writes the document. When it is the
# subject of its own sentences ("World Nuclear Association calls upon policymakers to ...") the
# authors speak, not an actor they report on.
COPYRIGHT = re.compile(r"©\s*(?:(?:19|20)\d\d,?\s*)?(?:by\s+)?(?:the\s+)?(?P<name>[A-Z][\w&'’ -]{2,60}?)"
                       r"\s*(?:[,.;|]|\d|$)")


@dataclass(frozen=True)
class Voice:
    directive: bool = False
    self_names: frozenset[str] = field(default_factory=frozenset)  # "memorandum", "strategy"
    addressees: frozenset[str] = field(default_factory=frozenset)  # "agencies", "agency"
    evidence: str = ""  # the words that showed it, quoted in reasons
    authors: frozenset[str] = field(default_factory=frozenset)  # "world nuclear association"
    # a rule or a court order: who issues it ("faa", "agency", "court") and what it calls itself
    issuer: Issuer | None = None
    # a research paper (abstract, keywords, numbered references ...): its authors' "we" reports
    # their own system, method and measurements (paper.py)
    paper: Paper | None = None
    brief: str = ""  # a party's brief: the header line that shows it ("BRIEF OF APPELLANT")
    # what a directive or rule sets out (own.py): (noun, the words naming it), read after the parse
    own: frozenset[tuple[str, frozenset[str]]] = field(default_factory=frozenset)

    @property
    def rule(self) -> bool:
        """A rule or notice (Federal Register): its issuing agency speaks."""
        return self.issuer is not None and self.issuer.kind == "rule"

    @property
    def sets_out(self) -> bool:
        """A directive or a rule: a document that sets out requirements of its own."""
        return self.directive or self.rule

    def by_authors(self, phrase: str) -> str | None:
        """The author's name when `phrase` (a subject) names the document's own author."""
        low = " ".join(phrase.lower().split())
        return next((a for a in sorted(self.authors) if a in low), None)


def _forms(word: str) -> set[str]:
    """Singular and plural of an addressee noun ("agency" / "agencies")."""
    word = word.lower()
    if word.endswith("ies"):
        return {word, word[:-3] + "y"}
    if word.endswith("y"):
        return {word, word[:-1] + "ies"}
    if word.endswith("s"):
        return {word, word[:-1]}
    return {word, word + "s"}


def authors(lines: list[str]) -> frozenset[str]:
    """The organisations a copyright line names, lower case."""
    return frozenset(" ".join(m.group("name").lower().split()) for line in lines
                     for m in COPYRIGHT.finditer(line) if len(m.group("name").split()) >= 2)


def document_voice(texts: list[str], other: list[str] = ()) -> Voice:
    """Read the document's body sentences for a directive speaking of its own requirements, and
    its other lines (furniture, boilerplate) for a copyright naming its author and for the
    header of a rule or a court's opinion."""
    by = authors(list(other))
    issuer = issuing_body(list(other))
    paper = research_paper(list(other)) if issuer is None else None
    brief = filed_brief(list(other)) or ""
    hits = [m for text in texts for m in ISSUING.finditer(text)]
    if len(hits) < MIN_EVIDENCE:
        return Voice(authors=by, issuer=issuer, paper=paper, brief=brief)
    names = {m.group("name").lower() for m in hits}
    names |= {m.group("name").lower() for text in texts for m in ALSO_NAMED.finditer(text)}
    whom = set()
    for m in hits:
        if m.group("whom") and m.group("whom").lower() in ADDRESSEES:
            whom |= _forms(m.group("whom"))
    return Voice(directive=True, self_names=frozenset(names), addressees=frozenset(whom),
                 evidence=hits[0].group(0).strip(), authors=by, issuer=issuer, paper=paper, brief=brief)
