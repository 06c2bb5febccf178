"""Check-worthiness of a body sentence, decided by the claims guidelines' definitions.

A sentence is check-worthy when its main assertion is a specific, checkable proposition
about the world (T1 events, dates, numbers, trends; T2 what a law, program, agency, court or
official says, requires, allows or did; T3 what an identified actor said, claims or intends;
T4 documented comparisons and causes; T5 research findings). It is not when the main
assertion is the authors' own: a judgement (F1), a recommendation (F2), a forecast,
speculation or hypothetical (F3), roadmap or self-reference (F4), a definition (F5), a
question (F6), a vague allusion (F7) or reasoning from the report's own statements (F8).

The rules read the dependency parse of the sentence: what governs the main verb (a modal,
"will", a first-person subject, a reporting verb with a speaker) decides most cases. A
declarative sentence with a finite verb that no F rule catches states something about the
world and is check-worthy. Every decision comes with its reasons in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citetrace.ingest.claims.authorial import consequence, evaluative_attribute, exhibit_subject, made_of, points_back
from citetrace.ingest.claims.inflection import IRREGULAR, base_candidates
from citetrace.ingest.claims.issuer import DISPOSITIONS, issued_by
from citetrace.ingest.claims.own import action_item, goal_item, refers_back
from citetrace.ingest.claims.support import citation_sentence
from citetrace.ingest.claims.voice import Voice

FINITE_TAGS = {"VBD", "VBP", "VBZ", "MD"}
REPORTING = {
    "say", "state", "announce", "claim", "argue", "assert", "insist", "warn", "tell", "declare",
    "report", "acknowledge", "admit", "promise", "pledge", "vow", "deny", "confirm", "stress",
    "emphasize", "explain", "describe", "accuse", "criticize", "decry", "testify", "write",
    "reiterate", "remark", "proclaim", "caution", "lament", "note", "observe", "suggest",
    "propose", "recommend", "urge", "call", "estimate", "predict", "forecast", "project",
    "find", "conclude", "show", "indicate", "reveal", "contend", "maintain", "allege",
    "believe", "think", "consider", "view", "expect", "hope", "intend", "plan", "seek", "want",
    "aim", "reference", "refer", "recognize", "signal", "express", "outline", "envision",
    "threaten", "request", "demand", "ask", "advocate", "welcome", "condemn", "praise",
}
# Verbs through which an actor's stance is reported (T3), unlike facts the actor did.
STANCE = {"believe", "think", "consider", "view", "expect", "hope", "intend", "plan", "seek",
          "want", "aim", "argue", "contend", "suggest"}
FIRST_PERSON = {"we", "i", "us", "our", "my"}
DISCOURSE_VERBS = {"note", "stress", "emphasize", "mention", "remember", "recall", "add", "state",
                   "point", "acknowledge", "recognize", "underline", "underscore"}
SPECULATIVE_MODALS = {"may", "might", "could", "would"}
NORMATIVE_MODALS = {"should", "ought", "must"}
FUTURE = {"will", "shall", "'ll", "wo"}
# "As long as this remains the case, the reforms will ...": a condition, like "if"
CONDITION = re.compile(r"\b(?:as long as|so long as|provided that|in the event that|assuming that)\b")
# (and their confident twins: "this will certainly take time" is as much the authors' estimate)
HEDGES = {"likely", "unlikely", "probably", "perhaps", "possibly", "presumably", "arguably",
          "conceivably", "potentially", "certainly", "surely", "undoubtedly", "inevitably", "doubtless",
          "clearly", "obviously", "evidently", "plainly"}
# "in many ways", "in some respects", "to a large extent", "in a sense": a prepositional hedge
HEDGE_NOUNS = {"ways", "way", "respects", "respect", "sense", "extent", "degree", "measure"}
HEDGE_QUANTIFIERS = {"many", "some", "several", "certain", "large", "great", "considerable", "real",
                     "important", "significant", "a", "one", "most"}
# "X was an effort to ...", "a bid to", "a ploy to": a purpose the authors attribute (F1)
PURPOSE_NOUNS = {"effort", "attempt", "bid", "ploy", "gambit", "gesture", "move", "way", "means", "tactic",
                 "ruse", "pretext"}
# What is usually so: a general description (F7) when nothing specific comes with it
GENERIC_ADVERBS = {"typically", "generally", "usually", "normally", "commonly", "ordinarily",
                   # how often, not when: "sometimes a statute requires ..." names no occasion
                   "sometimes", "often", "frequently", "occasionally", "rarely", "seldom", "routinely"}
# "can be divided into", "can be grouped in": the report's own way of sorting things (F5)
CLASSIFYING = {"divide", "classify", "group", "categorize", "categorise", "sort", "split", "separate",
               "break", "organize", "organise", "distinguish"}
# "can be seen as", "can be described as": how the authors construe something (F1)
CONSTRUING = {"characterize", "characterise", "describe", "summarize", "summarise", "understand", "see",
              "view", "think", "read", "interpret", "regard", "consider"}
# Words that make "may", "must" or "will" legal or programmatic (T2), not the authors' voice.
LEGAL_WORDS = {
    "act", "law", "laws", "statute", "statutes", "regulation", "regulations", "rule", "rules",
    "section", "code", "program", "programs", "provision", "provisions",
    "requirement", "requirements", "eligible", "eligibility", "account", "accounts", "tax",
    "taxes", "credit", "credits", "applicant", "applicants", "beneficiary", "beneficiaries",
    "court", "courts", "treaty", "amendment", "amendments", "constitution", "decree",
    "agency", "agencies", "secretary", "contract", "contracts", "grant", "grants", "grantee",
    "grantees", "waiver", "exemption", "penalty", "penalties", "distribution", "distributions",
    "contribution", "contributions", "employer", "employers", "taxpayer", "taxpayers",
    "memorandum", "guidance", "license", "permit", "statutory", "federal", "shall",
}
# Words naming an announced measure or an institution: its "will" describes what is decided.
MEASURE_WORDS = LEGAL_WORDS | {
    "plan", "plans", "package", "reform", "reforms", "referendum", "parliament", "congress",
    "government", "ministry", "president", "order", "policy", "department", "budget",
    "election", "elections", "deadline", "quota", "ban", "tariff", "tariffs", "ceasefire",
    "council", "commission", "committee", "board", "office", "administration", "cabinet",
}
# What an actor formally puts forward: its content is checkable against the text (T2).
PLAN_NOUNS = {"priority", "goal", "objective", "proposal", "initiative", "strategy", "speech",
              "address", "agenda", "program", "programme", "measure", "bill", "amendment",
              "platform", "roadmap", "pledge", "resolution", "decree", "reform", "package"}
# Verbs that carry out a decided measure: "will be adopted", "will take effect", "will include".
DECIDING_VERBS = {"adopt", "establish", "create", "replace", "reduce", "increase", "abolish",
                  "introduce", "require", "allow", "permit", "elect", "hold", "include", "drop",
                  "expire", "take", "legislate", "draft", "enter", "apply", "receive", "gain",
                  "lose", "pay", "cost", "fund", "launch", "open", "close", "end", "begin", "start",
                  "appoint", "extend", "phase", "ban", "cap", "limit", "raise", "cut", "transfer"}
# Verbs of inference: with a thing as subject ("the case suggests"), the authors conclude.
INFERENCE_VERBS = {"suggest", "indicate", "show", "imply", "demonstrate", "reflect", "illustrate",
                   "mean", "signal", "underscore", "highlight", "confirm", "reveal", "prove"}
# Nouns of a verdict: "the answer is that", "a central factor is that", "the weakness is that".
VERDICT_NOUNS = {"answer", "factor", "problem", "weakness", "strength", "advantage",
                 "disadvantage", "point", "question", "reason", "key", "lesson", "irony", "issue",
                 "challenge", "difference", "implication", "conclusion", "risk", "danger",
                 "paradox", "truth", "reality", "relevance", "significance", "upshot", "bottom"}
# Who can be reported as saying, claiming or finding something (T3, T5).
ACTORS = {
    "officials", "official", "critics", "skeptics", "sceptics", "supporters", "opponents",
    "experts", "analysts", "observers", "researchers", "scholars", "economists", "study",
    "studies", "survey", "surveys", "research", "data", "government", "ministry", "administration",
    "agency", "court", "president", "minister", "spokesman", "spokeswoman", "spokesperson",
    "leaders", "leader", "authorities", "parliament", "congress", "committee", "commission",
    "lawmakers", "members", "he", "she", "they", "secretary", "department", "statement",
    "letter", "memo", "bank", "fund", "company", "companies", "firm", "union", "group",
    "groups", "activists", "protesters", "citizens", "residents", "respondents", "poll",
    "polls", "audit", "inspector", "judge", "justices", "senator", "senators", "governor",
    # sources of findings (T5): "the audit found", "census data show"
    "analysis", "analyses", "review", "evaluation", "assessment", "report", "reports",
    "estimates", "figures", "statistics", "records", "results", "evidence", "findings",
    "documents", "testimony", "census", "index", "database",
    # a paper's own findings (T5): "our experiments show that ..."
    "experiments", "experiment", "measurements", "simulations",
}
EVALUATIVE = {
    "ambitious", "bold", "crucial", "critical", "important", "significant", "remarkable",
    "impressive", "successful", "surprising", "problematic", "difficult", "easy", "serious",
    "modest", "limited", "meaningful", "genuine", "fundamental", "dramatic", "radical",
    "welcome", "positive", "negative", "good", "bad", "better", "worse", "weak", "strong",
    "effective", "ineffective", "legitimate", "excessive", "insufficient", "inadequate",
    "necessary", "promising", "disappointing", "cosmetic", "superficial", "substantial",
    "considerable", "notable", "striking", "clear", "evident", "obvious", "unclear",
    "questionable", "doubtful", "high", "low", "key", "central", "vital", "essential", "real",
    "true", "false", "right", "wrong", "natural", "logical", "ironic", "telling", "unlikely",
    "likely", "relevant", "interesting", "noteworthy", "striking", "ambiguous", "anecdotal",
    "unprecedented", "unique", "useful", "valuable", "appropriate", "inevitable", "possible",
    "impossible", "tall", "daunting", "challenging", "fairly", "rather", "quite",
}
# Verbs by which the authors relate one thing to another: an interpretation, not an event.
INTERPRETIVE = {"align", "mirror", "echo", "resemble", "epitomize", "embody", "exemplify",
                "underpin", "represent", "constitute", "symbolize"}
# Phrases by which the authors weigh or relate things ("stands in contrast to", "has the effect
# of", "provides an indication", "raises questions", "an obstacle to"): an interpretation (F1)
# unless an actor is their subject (then a report of what the actor did, T3).
INTERPRETIVE_PHRASE = re.compile(
    r"\b(?:stands?|stood) in (?:\w+ )?contrast (?:to|with)\b|\bha(?:s|ve|d) the (?:\w+ )?effect of\b|"
    r"\b(?:provides?|provided|offers?|offered|gives?|gave) (?:an?|the|some|no) (?:\w+ )?(?:indication|sign)s?\b|"
    r"\braises? (?:\w+ )?questions\b|\bdoes not change the fact\b|\b(?:is|was) one of degree\b|"
    r"\b(?:an?|the) (?:\w+ )?(?:obstacle|recipe|testament|hallmark)s? (?:to|for|of)\b|\bplaying field\b",
    re.IGNORECASE)
# "counts heavily against", "weighs in favour of", "cuts against": the authors weighing an
# argument (F1), unless an actor is the subject (then it reports what the actor did)
WEIGHING = re.compile(r"\b(?:counts?|counted|weighs?|weighed|cuts?|militates?|militated|tells?) "
                      r"(?:\w+ )?(?:against|in favou?r of)\b", re.IGNORECASE)
QUANTITY_NOUNS = {"share", "shares", "percent", "percentage", "proportion", "majority", "minority",
                  "fraction", "portion", "half", "third", "quarter", "bulk"}
# Degree words on an adjective mark a verdict ("far more complicated", "fairly high").
DEGREE = {"fairly", "rather", "quite", "very", "particularly", "especially", "far", "even",
          "too", "so", "increasingly", "extremely", "highly", "deeply", "somewhat", "always"}
VAGUE_SUBJECTS = {"this", "that", "these", "those", "it", "such", "which", "they",
                  "much", "many", "some", "all", "both", "each", "one", "others", "what"}
JUDGEMENT_OPENERS = re.compile(
    r"(?:^|^(?:\w+(?:\s\w+)?,\s*)|,\s)(?:in other words|in short|in sum|in the final analysis|ultimately|clearly|obviously|"
    r"of course|arguably|undoubtedly|not surprisingly|unsurprisingly|interestingly|"
    r"importantly|significantly|ironically|paradoxically|fortunately|unfortunately|"
    r"it (?:is|was|has been|had been|became|becomes|seems|seemed)(?: also| increasingly| now| not)? (?:clear|evident|obvious|apparent|noteworthy|notable|striking|telling|ironic|"
    r"remarkable|unclear|doubtful|questionable|difficult|hard|easy|worth|possible|likely|"
    r"unlikely|important|necessary|essential|vital|critical|imperative|crucial|fair|safe|"
    r"true|tempting|reasonable|plausible|conceivable|too early)|"
    r"it (?:seems|appears|remains to be seen|may be that|might be that|could be that)|put simply|time will tell|"
    r"this is (?:not )?to say|(?:this|that|it) (?:is|was) (?:not |hardly |perhaps )?(?:surprising|"
    r"unsurprising|no surprise|no accident|no coincidence|remarkable|notable|striking|troubling|"
    r"worrying|understandable|natural|logical|ironic|telling|significant|important)\b|there (?:is|was|can be) (?:little|no) (?:doubt|question|dispute)|one (?:can|could|may|might)|"
    r"the (?:question|answer|problem|point|key|issue|reality|truth|fact of the matter) is)\b",
    re.IGNORECASE)
REASONING_OPENERS = re.compile(
    r"^(?:\w+,\s*)?(?:this|that|which|it)(?: (?:also|only|simply|does|did|does not|did not|doesn['’]t|"
    r"didn['’]t|in turn))* (?:means?|implies|imply|suggests?|indicates?|shows?|explains?|is why|"
    r"leads|makes|requires|raises)\b|^(?:this|that|which) (?:means|implies|suggests|indicates|shows|explains|is why|"
    r"leads|makes|requires|raises)\b|^(?:it follows|as such|hence|therefore|thus|consequently|"
    r"accordingly|for this reason|as a result|in turn|by extension|given (?:that|this|these))\b",
    re.IGNORECASE)
ROADMAP = re.compile(
    r"\b(?:this|the present|the following|the next|the previous|our) (?:report|section|chapter|"
    r"paper|study|analysis|memo|memorandum|brief|insight|article|essay|part|discussion|"
    r"review)\b(?!['’]s)|\b(?:discussed|described|examined|explained|outlined|addressed|"
    r"detailed|noted|mentioned|shown|summarized|presented|illustrated|considered|"
    r"explored|analyzed|covered|reviewed|set out)\s+(?:\w+ly\s+)?(?:below|above|later|earlier|"
    r"in (?:the )?(?:next|previous|following|later|earlier|this|appendix|section|chapter|part))\b|"
    r"\b(?:previously|earlier|already) (?:discussed|mentioned|noted|described|outlined)\b|"
    r"^(?:at issue|of (?:particular )?(?:interest|concern)) (?:for|to) (?:congress|policymakers|lawmakers)\b|"
    r"^as (?:noted|mentioned|discussed|described|argued|explained|shown|seen)\b|"
    r"\bthis (?:attempt|effort) to (?:analy[sz]e|examine|assess)\b|"
    r"\bsee (?:below|above|the (?:next|following|previous)|(?:figure|table|appendix|box|section|"
    r"chapter|part)s? [A-Z\d])|"
    # "Part I provides background on ...", "Parts II and III describe ...": an article's own parts,
    # numbered in roman (a statute's or regulation's parts are cited "Part 25 of", "Part IV of the Act")
    r"^(?:part|chapter)s? [IVX]+(?:\.[A-Z\d]+)*(?: (?:and|through|to) [IVX]+(?:\.[A-Z\d]+)*)?,? (?:\w+ly |then |also |first |next )?"
    r"(?:provides?|describes?|discuss(?:es)?|examines?|explains?|argues?|concludes?|turns?|address(?:es)?|"
    r"reviews?|analy[sz]es?|considers?|proposes?|outlines?|presents?|sets? out|summari[sz]es?|explores?|"
    r"introduces?|traces?|offers?|begins?|surveys?|evaluates?|applies|suggests?|situates?|canvass(?:es)?)\b|^(?:we|i) (?:now )?(?:turn|begin|conclude|proceed|discuss|"
    r"describe|examine|review|outline|focus|present|summarize)\b|"
    # "In Section 4 we describe ...", "In Figure 11 we show ...": the text's own parts
    r"^in (?:sections?|chapters?|appendix|appendices|figures?|figs?\.|tables?) [\dA-Z][\w.]*,? (?:we|i)\b|"
    r"^(?:below|above|next|first|finally),? "
    r"(?:we|this|the report)\b|^in (?:this|the (?:next|following)) (?:section|chapter|part)\b",
    re.IGNORECASE)
HYPOTHETICAL = re.compile(
    r"\b(?:for (?:example|instance),? (?:consider|suppose|imagine|assume|say|if)|"
    r"^(?:consider|suppose|imagine|assume)\b|in (?:this|that|the above|our) (?:example|scenario|"
    r"hypothetical|illustration)|in the (?:example|scenario|illustration) (?:above|below)|hypothetical(?:ly)?|(?:let|let's|let us) (?:say|assume|suppose))",
    re.IGNORECASE)
DEFINITION = re.compile(
    r"^(?:the )?(?:term|phrase|word|acronym|expression)\b.{0,60}\brefers? to|\b(?:is defined as|are defined as|defined as|is (?:called|termed|known as|"
    r"referred to as)|are (?:called|termed|known as|referred to as)|(?:we|this report) "
    r"(?:use|uses|call|calls|refer|refers)|for (?:the )?purposes of this (?:report|analysis|"
    r"paper)|hereinafter|the term [“\"‘]|economists call|is shorthand for)\b",
    re.IGNORECASE)
EXAMPLE = re.compile(r"^(?:for (?:example|instance)|e\.g\.)\b", re.IGNORECASE)
# "Under FISMA, agencies must ...": a directive reporting what a law or another body requires
AUTHORITY = re.compile(r"\b(?:under|pursuant to|as required by|in accordance with|required by|as directed by)"
                       r" (?:the |section |sec\. )?[A-Z0-9]")
# "This review revealed that the wiring does not meet ...": in a rule, the agency's own review is an
# act of record whose finding is checkable (T1), not the document speaking of itself (F4)
AGENCY_FINDING = re.compile(r"^(?:this|that|the) (?:review|study|evaluation|analysis|assessment|investigation|"
                            r"inspection|audit)s? (?:also )?(?:revealed|found|showed|identified|determined|"
                            r"concluded|confirmed|disclosed)\b", re.IGNORECASE)
# "Memorials with no federal involvement are those that ...", "The first category contains those
# issues for which ...": a class the report sets up, defined by what its members share (F5)
CLASS_DEFINITION = re.compile(
    r"\b(?:is|are|was|were) (?:those|the ones) (?:that|which|who|whose|for which|in which|concerning)\b|"
    r"\b(?:category|categories|group|class|tier|type) (?:contains|include|includes|covers|comprises) those\b",
    re.IGNORECASE)
# "See, e.g., 42 U.S.C. §1983; Smith v. Jones, ...", "Cf. ...", "But see ...": a legal citation
# sentence opens with a signal; it points to authority and asserts nothing of its own (F4)
# (case-sensitive after the signal: what follows is a name or a number, "See also Smith v. ...")
CITATION_SIGNAL = re.compile(r"^(?:(?i:see)(?:,? e\.g\.,?| also| generally)?|(?i:but see|cf\.|compare|accord|"
                             r"e\.g\.,))\s+(?=[A-Z0-9§“\"(])")
# "The agency reviewed the following documents.", "... the following costs:": a lead-in whose
# content (a list or table) comes after it; what it announces is not in the sentence (F4)
LEAD_IN = re.compile(r"\bthe following (?!(?:year|month|week|day|decade|morning|evening|spring|summer|"
                     r"autumn|fall|winter)s?\b)[^.:;,]*[.:]$|\b(?:is|are|was|were|as) follows[.:]$", re.IGNORECASE)
QUOTE_OR_ASIDE = re.compile(r"[“\"][^”\"]*[”\"]|\([^()]*\)")
# What a party's brief concludes about the case below: an error, a violation, ineffective
# counsel, misconduct. In a brief that is the party's contention (F1), for the court to decide.
CONTENTION = re.compile(
    r"\b(?:abused (?:its|his|her|their) discretion|erred\b|committed (?:\w+ )?(?:error|misconduct)|"
    r"(?:received|rendered|provided) (?:\w+ )?ineffective assistance|(?:was|were) violated|"
    r"violated (?:\w+['’]s |his |her |their |the )?(?:\w+ )?rights?\b|(?:was|were) (?:constitutionally )?(?:ineffective|deficient)\b|"
    r"(?:was|is) not harmless)", re.IGNORECASE)
# "it is well established that X", "scientific consensus is that X": what the field holds, reported
# as a finding to check (T5), unlike "it is clear that" (the authors' own verdict, F1)
ESTABLISHED = re.compile(r"\bit (?:is|was|has been|had been) (?:(?:now|also|widely|well|generally|firmly)[- ])?"
                         r"(?:established|known|documented|recognized|recognised) that\b|"
                         r"\bconsensus (?:is|was|remains) that\b", re.IGNORECASE)
# "it was clear to Nazarbayev that ...": the opener's verdict is held by a named actor (T3), not the authors
HELD_BY = re.compile(r"^ to (?:(?!(?:The|This|That|These|Those|Our|My)\b)[A-Z][\w’'.-]*|him|her|them)\b")
# "As noted above, X": an opening aside that points back, before a clause of its own
POINTER_ASIDE = re.compile(r"^as (?:noted|mentioned|discussed|described|explained|shown|seen|stated)"
                           r"(?: [\w-]+){0,5}?, ", re.IGNORECASE)
# "has been criticized as superficial", "was widely praised": others' reaction to it, an event (T3)
REACTIONS = {"criticize", "criticise", "praise", "condemn", "denounce", "hail", "decry", "applaud"}
# "Most important, perhaps, X": a hedge on the ranking before it, not on the clause's fact
RANKING = {"important", "importantly", "significant", "significantly", "notably", "notable", "crucially",
           "strikingly", "tellingly", "interestingly", "remarkably"}
ACCORDING_TO = re.compile(r"\baccording to (?!(?:his|her|their|its|our|my|this|these)\b)", re.IGNORECASE)
# "three categories", "one step": counts that structure the text, not statistics
SMALL_COUNTS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "first", "second", "third", "fourth", "fifth", "single", "both"}
NUMBER = re.compile(r"\d|\b(?:percent|million|billion|trillion|thousand|hundred|dozen|half|"
                    r"third|quarter|twice|double|triple)\b", re.IGNORECASE)


def cites_authority(text: str) -> bool:
    """Is the sentence a legal citation sentence, opening with a signal ("See, e.g., ...", "Cf.")
    or made of citations only ("State v. Rohrich, 149 Wn.2d 647 (2003).", "Id. at 12.", "RP 45.")?"""
    clean = text.strip().strip("\"'“”‘’")
    return bool(CITATION_SIGNAL.match(clean)) or citation_sentence(clean)


@dataclass
class Verdict:
    check_worthy: bool
    kind: str  # what kind of proposition (or of non-claim) it is
    reasons: list[str] = field(default_factory=list)


def lemma_in(token, words: set[str]) -> bool:
    """Is the word's base form in `words`? The pipeline runs without a lemmatizer (speed), so
    regular inflections are undone here, plus the irregular verbs the lexicons need."""
    w = token.lower_
    w = IRREGULAR.get(w, w)
    return w in words or bool(base_candidates(w) & words)


def _root(tokens: list):
    roots = [t for t in tokens if t.dep_ == "ROOT"]
    if not roots:
        return None
    # the first root with a verb: a leading fragment ("[…] new package") is not the assertion
    verbal = [t for t in roots if t.tag_.startswith("VB") or t.tag_ == "MD"
              or any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children)]
    return verbal[0] if verbal else roots[0]


def _list_participle(root):
    """'OMB will work with agencies to capture best practices, lessons learned, and guidance': the
    parser takes a list item made of a bare noun and its participle ("lessons learned", "funds
    appropriated") for the main clause, and hangs the real one, before it, on it. Returns the
    head of that real clause, or None."""
    if root.tag_ not in {"VBD", "VBN"} or any(c.dep_ in {"aux", "auxpass", "dobj"} for c in root.children):
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.i != root.i - 1 or subj.i == 0 or root.doc[subj.i - 1].text != "," or any(
            c.dep_ in {"det", "poss", "nummod"} for c in subj.children):
        return None
    return next((c for c in root.children if c.dep_ == "ccomp" and c.i < subj.i
                 and any(g.dep_ in {"nsubj", "nsubjpass"} for g in c.children)), None)


def _clause_heads(root) -> list:
    """The root and verbs coordinated with it: each states a main assertion."""
    heads = [root]
    for c in root.children:
        if c.dep_ == "conj" and (c.tag_.startswith("VB") or any(
                g.dep_ in {"nsubj", "nsubjpass", "cop"} for g in c.children)):
            heads.append(c)
    return heads


def _subject(head):
    for c in head.children:
        if c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"}:
            return c
    if head.dep_ == "conj":
        return _subject(head.head)
    return None


def _modals(head) -> set[str]:
    found = {c.lower_ for c in head.children if c.dep_ == "aux" and c.tag_ == "MD"}
    if not found and head.dep_ == "ROOT" and not head.tag_.startswith("VB"):
        # a misparse with a noun as root ("... may be constrained and entail risks"): the
        # sentence's own modals, outside subordinate clauses, govern it
        found = {t.lower_ for t in head.sent if t.tag_ == "MD"
                 and t.head.dep_ not in {"advcl", "relcl", "ccomp", "acl", "xcomp"}}
    if head.dep_ in {"xcomp", "conj"} and not found:
        found = {c.lower_ for c in head.head.children if c.dep_ == "aux" and c.tag_ == "MD"}
    return found


def _speaker(head) -> str | None:
    """The actor a reporting verb names ('Tokayev stated', 'officials claim'), if any."""
    if not lemma_in(head, REPORTING) or not head.tag_.startswith("VB"):
        return None
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)  # active voice only
    if subj is None or subj.lower_ in FIRST_PERSON or ROADMAP.search(" ".join(t.text for t in subj.subtree)):
        return None
    if _modals(head) & (SPECULATIVE_MODALS | NORMATIVE_MODALS | FUTURE) or any(
            c.lower_ in HEDGES for c in head.children):
        return None  # what someone might or will say is a forecast, not a report
    named_head = subj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or subj.tag_ in {"NNP", "NNPS"}
    if not named_head and subj.lower_ not in ACTORS:
        return None  # "the balance sheet suggests": the authors' reading, not a speaker
    return " ".join(t.text for t in subj.subtree)


def _named(subj) -> bool:
    """Does the subject phrase name someone or something (NER, or a proper noun NER missed)?"""
    return any(t.ent_type_ in {"PERSON", "ORG", "LAW", "GPE", "NORP"} or t.tag_ in {"NNP", "NNPS"}
               for t in subj.subtree)


def _is_vague(subj) -> bool:
    """A bare pronoun or demonstrative subject ("This", "It", "These"): it points back at what
    the report said. "This working group" names something and is not vague."""
    if subj is None:
        return False
    if subj.dep_ == "csubj" and subj.tag_ == "VBG":  # "Doing this well requires ...": points back too
        return any(c.dep_ == "dobj" and c.lower_ in {"this", "that", "so", "it"} for c in subj.children)
    return subj.lower_ in VAGUE_SUBJECTS and subj.tag_ in {"PRP", "DT", "WDT", "NN", "JJ"} \
        and not any(c.dep_ in {"compound", "amod", "prep"} for c in subj.children)


def assess(tokens: list, text: str, legal_context: bool = False, voice: Voice = Voice(),
           cited_after: bool = False, labelled: bool = False) -> Verdict:
    """Decide whether the sentence made of `tokens` (whose text is `text`) is check-worthy.

    `cited_after`: the next sentence is a legal citation sentence giving its authority. The
    sentence then states a rule of law or a fact of the record (T2/T1): its "may" and "must" are
    the law's, and it is not common knowledge nobody would source (F7), since its author sourced
    it. The authors' judgements, hedges and forecasts stay theirs.

    `voice` is the document's speaker (:func:`voice.document_voice`): in a directive, its own
    requirements and goals addressed to its readers are not claims (F2).

    `labelled`: in a directive, the sentence belongs to a labelled item of a list ("Devices: ...",
    :func:`own.labelled_units`), where a directive states its goals and requirements."""
    clean = text.strip().strip("\"'“”‘’")
    lowers = {t.lower_ for t in tokens}
    if citation_sentence(clean):
        return Verdict(False, "roadmap", ["a citation sentence (cases, statutes, the record or “Id.” and "
                                          "nothing else): it gives the authority for the sentence before "
                                          "it and asserts nothing of its own (F4)"])
    if clean.rstrip(")]").endswith("?"):
        return Verdict(False, "question", ["a question (F6)"])
    # a finite verb, or a verb the tagger missed: a root with a subject ("Kazakhstan shares")
    # (a full-stopped sentence of some length is taken as one: the tagger misreads verbs as
    # plural nouns, "The final priority concerns managing ...")
    words = [t for t in tokens if t.is_alpha]
    if not any(t.tag_ in FINITE_TAGS or (t.dep_ == "ROOT" and t.tag_.startswith("VB"))
               or any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children) for t in tokens) and (
            len(words) < 8 or not re.search(r"[.!][\"'”’)\]]*$", clean)):
        return Verdict(False, "fragment", ["no finite verb: a label, title or fragment, not a statement"])
    root = _root(tokens)
    if root is None:
        return Verdict(False, "fragment", ["no main clause"])
    root = _list_participle(root) or root
    found = _specifics(tokens, text)
    specifics = found.reasons()
    # numbers, dates, laws and citations make a statement specific whatever its subject
    hard = legal_context or found.hard
    named_law = legal_context or bool(lowers & LEGAL_WORDS) or any(t.ent_type_ == "LAW" for t in tokens)
    legal = named_law or cited_after

    # a cross-reference in brackets ("(see Figure 1)") is an aside, not the assertion
    # ("As noted above, X": X is judged on its own when it holds a number, date or law; a
    # restated reading, "As noted, the package focused largely on ...", stays a pointer back)
    if ROADMAP.search(re.sub(r"\([^()]*\)", "", POINTER_ASIDE.sub("", text.strip()) if hard else text)) and not (
            voice.rule and AGENCY_FINDING.match(clean)):
        return Verdict(False, "roadmap", ["refers to the report itself: roadmap or cross-reference (F4)"])
    exhibit = exhibit_subject(root)
    if exhibit:
        return Verdict(False, "roadmap", [f"says what the document's own “{exhibit}” holds, not what it shows: "
                                          "a pointer to it (F4)"])
    own = _self_reference(text, voice)
    if own:
        return Verdict(False, "roadmap", [f"refers to the document itself (“{own}”): self-reference (F4)"])
    if CITATION_SIGNAL.match(clean):
        return Verdict(False, "roadmap", [f"a citation sentence (“{clean.split()[0]} …”): it points to "
                                          "authority and asserts nothing of its own (F4)"])
    if LEAD_IN.search(clean) and not found.number:
        return Verdict(False, "roadmap", ["announces what follows (“the following …”): a lead-in to a "
                                          "list or table, not an assertion (F4)"])
    issued = issued_by(_clause_heads(root), voice.issuer)  # a rule or court order's own act (issuer.py)
    if issued:
        return Verdict(False, "recommendation", [issued])
    # what the directive or rule itself set out, described again ("This checklist is used when ...")
    restated = refers_back(_clause_heads(root), voice)
    if restated:
        return Verdict(False, "recommendation", [restated])
    if action_item(tokens, clean, voice):
        return Verdict(False, "recommendation", [f"an item naming an action (“{clean.split()[0]} …”), with no subject "
                                                 "or finite verb, in a directive or rule: one of the actions it requires "
                                                 "or proposes (F2)"])
    if labelled and not (found.number or found.date or found.law or cited_after or legal_context
                         or AUTHORITY.search(text)):
        item = goal_item(_clause_heads(root), clean)
        if item:
            return Verdict(False, "recommendation", [item])
    if _cross_reference(root):
        return Verdict(False, "roadmap", [f"sends the reader elsewhere (“{root.text} …”): a cross-reference (F4)"])
    if voice.paper is not None and EXAMPLE.match(clean) and not any(t.tag_ in FINITE_TAGS for t in tokens):
        return Verdict(False, "hypothetical", ["in a research paper, an example given without a verb of its own "
                                               "(“For example, the full reference: …”): an illustration (F3)"])
    if voice.paper is not None and EXAMPLE.match(clean) and _modals(root) & {"can", "ca", "could", "may", "might"}:
        return Verdict(False, "hypothetical", ["in a research paper, an example of what something can do "
                                               "(“for example, … can …”): an illustration (F3)"])
    if HYPOTHETICAL.search(text):
        return Verdict(False, "hypothetical", ["a hypothetical or worked example (F3)"])
    if DEFINITION.search(re.sub(r"\([^()]*\)", "", text)):  # "(what are known as X)" names in passing
        return Verdict(False, "definition", ["defines or names a term (F5)"])
    if REASONING_OPENERS.match(clean) and re.match(r"^(?:\w+,\s*)?(?:this|that|which|it) ", clean, re.IGNORECASE):
        return Verdict(False, "reasoning", ["draws a consequence from the report's own statements (F8)"])
    own_work = None
    if any(t.dep_ in {"nsubj", "nsubjpass"} and t.lower_ in {"we", "i"} and not _quoted(t) and not _naming_aside(t)
           and not _numbered_part(t) and not _id_citation(t) for t in tokens):
        if voice.paper is None and not _fact_beside_authors(root, tokens):
            return Verdict(False, "judgement", ["the authors speak (“we”/“I”): their own view (F1)"])
        own_work = _authors_work(root, tokens, clean, found) if voice.paper is not None else None
        if isinstance(own_work, Verdict):
            return own_work
    opener = JUDGEMENT_OPENERS.search(clean)
    held = opener and HELD_BY.match(clean[opener.end():])
    if held:
        return Verdict(True, "attributed", [f"“{opener.group(0).strip(', ')}{held.group(0)}”: what an identified "
                                            "actor saw or held, not the authors' verdict (T3)"] + specifics)
    if opener:
        return Verdict(False, "judgement", ["opens as the authors' judgement (F1)"])
    established = ESTABLISHED.search(clean)
    if established:
        return Verdict(True, "attributed", [f"“{established.group(0)} …”: reported as what is established or "
                                            "known, a finding to check (T5)"] + specifics)
    enabling = _enables_authors(root)
    if enabling is not None and not NUMBER.search(_without_asides(clean)):
        return Verdict(False, "judgement", [f"what the authors' approach lets them do (“{enabling} us”): their "
                                            "reasoning about their own method or argument, not a fact (F1)"])
    if own_work is not None:
        return Verdict(True, "quantitative" if found.number else "factual", [
            f"in a research paper ({voice.paper.evidence}), the authors report their own work (“{own_work}”): "
            "what they built, did or measured is checkable (T1/T5)"] + specifics)
    if voice.paper is not None and clean.endswith(":") and not (found.number or found.past or found.date):
        return Verdict(False, "roadmap", ["ends in a colon: a lead-in to the list or formula that follows, "
                                          "which is not in the sentence (F4)"])
    # T3: an identified actor's words or stance: checkable whatever they say.
    heads = _discourse_heads(root) or _clause_heads(root)
    if not (root.tag_.startswith("VB") or root.tag_ == "MD"):
        # a misparse with a noun, adjective or "'s" as root: its verbs with subjects are the clauses
        verbal = [c for c in root.children if c.dep_ in {"ccomp", "conj"} and c.tag_.startswith("VB")
                  and any(g.dep_ in {"nsubj", "nsubjpass", "aux"} for g in c.children)]
        heads = verbal or heads
    lead = _before_colon(root)
    if lead is not None:
        heads = [lead] + [h for h in heads if h is not lead]
    # a verb of saying with a speaker, as a main verb or a parenthetical ("X, Tokayev explained, ...")
    for head in heads + [t for t in tokens if t.dep_ == "parataxis" and t.tag_.startswith("VB")]:
        speaker = _speaker(head)
        author = speaker and voice.by_authors(speaker)
        if author:
            urges = lemma_in(head, {"call", "urge", "recommend", "propose", "advocate", "ask", "demand",
                                    "request", "encourage"})
            return Verdict(False, "recommendation" if urges else "judgement", [
                f"the document's own author (“{author}”, its copyright holder) speaking: its "
                + ("recommendation (F2)" if urges else "own view (F1)")])
        if speaker:
            what = "stance" if lemma_in(head, STANCE) else "statement"
            return Verdict(True, "attributed",
                           [f"reports an identified actor's {what}: “{speaker} {head.text}” (T3)"] + specifics)
    contention = CONTENTION.search(QUOTE_OR_ASIDE.sub(" ", text)) if voice.brief else None
    if contention and not (legal_context or cited_after):
        # (a cited proposition, "In York, the trial court erred ... 145 Wn.2d 36", reports precedent)
        return Verdict(False, "judgement", [f"a brief (“{voice.brief}”) concluding that the court or "
                                            f"counsel below went wrong (“{contention.group(0)}”): "
                                            "the party's contention, not a finding (F1)"])
    if ACCORDING_TO.search(text):
        return Verdict(True, "attributed", ["attributed with “according to” (T3)"] + specifics)
    if CLASS_DEFINITION.search(clean):
        return Verdict(False, "definition", ["defines a class by what its members share (“… are those "
                                             "that …”): the report's own category (F5)"])
    sorting = next((h for h in heads if lemma_in(h, CLASSIFYING | CONSTRUING) and _modals(h) & {"can", "ca", "could", "may"}
                    and any(c.dep_ == "auxpass" for c in h.children)), None)
    if hard:  # "... can be divided into official and private: 42% are held by ...": the numbers win
        sorting = None
    if sorting is not None and lemma_in(sorting, CONSTRUING):
        return Verdict(False, "judgement", [f"“can be {sorting.text}”: how the authors read it (F1)"])
    if sorting is not None:
        modal = sorted(_modals(sorting) & {"can", "could", "may"} or {"can"})[0]
        return Verdict(False, "definition", [f"“{modal} be {sorting.text}”: the report sorting things into its "
                                             "own categories (F5)"])


    # What governs the main verb(s): modals, "will", hedges. The fact wins when any main
    # clause states one plainly.
    plain, why_not = [], []
    for head in heads:
        reason = _voice(head, legal, tokens, voice, legal_context)
        if reason is None:
            plain.append(head)
        else:
            why_not.append(reason)
    if not plain:
        return Verdict(False, why_not[0][0], [why_not[0][1]])

    inference = _inference(plain[0])
    if inference and not _reports_figures(plain[0]):
        return Verdict(False, "reasoning", [inference])
    if REASONING_OPENERS.match(clean) and _is_vague(_subject(plain[0])) and not hard:
        return Verdict(False, "reasoning", ["follows from the report's own statements (F8)"])
    # (a paper's "Thus, our VM performs ..." reports its own system: the paper rules decide it)
    drawn = consequence(clean, plain[0]) if not (hard or cited_after or voice.paper) else None
    if drawn:
        return Verdict(False, "reasoning", [f"“{drawn} …”, in the present tense: a conclusion the authors draw "
                                            "from their own statements (F8)"])
    generic = next((c for c in plain[0].children if c.dep_ == "advmod" and c.lower_ in GENERIC_ADVERBS), None)
    if generic is not None and not hard and not _past(plain[0]) and not cited_after:
        return Verdict(False, "general", [f"“{generic.text}”, in the present tense: what is usually so, "
                                          "a general description with nothing specific to check (F7)"])
    if _judgement(plain[0], tokens) and not hard:
        return Verdict(False, "judgement", ["characterises or evaluates, with nothing specific to check (F1)"])
    if (_is_vague(_subject(plain[0])) or points_back(_subject(plain[0]))) and not hard \
            and not _names_beyond(_subject(plain[0]), tokens) and not _reaction(plain[0]):
        return Verdict(False, "vague", ["about “this”/“it”, with nothing specific of its own: "
                                        "characterises what the report said (F1/F8)"])
    parts = made_of(plain[0])
    if parts and not (hard or found.names):
        return Verdict(False, "definition", [f"“{parts}”, with no name, number or date: what the thing is "
                                             "made of, a definition by its parts (F5)"])
    verdict_noun = evaluative_attribute(plain[0], EVALUATIVE)
    if verdict_noun and not (hard or found.names):
        return Verdict(False, "judgement", [f"“{verdict_noun}”: an evaluative label the authors give it (F1)"])
    kind_of = _generic_subject(plain[0])
    if kind_of is not None and not hard and not found.names and not found.past and not cited_after:
        return Verdict(False, "general", [f"says what “{kind_of}”, a kind of thing, is (present tense, no name, "
                                          "number or date): a definition or general description (F5/F7)"])
    decided = [h for h in plain if _modals(h) & FUTURE or _going_to(h)]  # passed _voice: a measure
    if decided:
        specifics.append("a decided measure, in the future tense (T2)")
    measure = _about_measure(plain[0])
    if measure:
        specifics.append(f"says what a measure, plan or program (“{measure}”) contains or does (T2)")
    system = _own_system(plain[0]) if voice.paper is not None else None
    if system:
        specifics.append(f"in a research paper, says what the authors' own system or method (“{system}”) "
                         "does or is: checkable against it (T1)")
    if not (hard or legal or found.names or found.past or decided or measure or system):
        return Verdict(False, "general", ["a general statement: no name, number, date or law "
                                          "to check (F7)"])

    kind = "quantitative" if found.number else (
        "legal" if named_law else "factual")
    reasons = specifics or [f"states as fact what “{_subject_text(plain[0])}” {plain[0].text} (T1/T4)"]
    if named_law and not any("(T2)" in r for r in reasons):
        reasons.append("about a law, program or institution (T2)")
    return Verdict(True, kind, reasons)


def _before_colon(root):
    """'The shift is one of degree: the President is imposing ...': the parser hangs the clause
    before a colon on the one after it (as its ccomp), but the clause before the colon is the
    sentence's main assertion and the one after it elaborates it (the guidelines: a colon does
    not end a sentence). Returns the head of that leading clause, or None."""
    for c in root.children:
        # a finite clause: "Requirement to align with X: ..." is a label, not an assertion
        finite = c.tag_ in FINITE_TAGS or any(a.dep_ in {"aux", "auxpass"} and a.tag_ in FINITE_TAGS
                                              for a in c.children)
        if c.dep_ in {"ccomp", "parataxis"} and c.i < root.i and finite \
                and any(g.dep_ in {"nsubj", "nsubjpass", "expl"} for g in c.children) \
                and any(t.text == ":" and t.head in (root, c) for t in root.doc[c.i + 1:root.i]):
            return c
    return None


def _discourse_heads(root) -> list | None:
    """'It should be noted that X', 'That said, X': the verb of X carries the assertion."""
    subjects = {c.lower_ for c in root.children if c.dep_ in {"nsubjpass", "expl", "nsubj"}}
    if (lemma_in(root, DISCOURSE_VERBS) and _modals(root) and "it" in subjects) or (
            root.lower_ == "said" and subjects & {"that", "this"}):
        inner = [c for c in root.children if c.dep_ == "ccomp"]
        return inner or None
    return None


def _subject_text(head) -> str:
    subj = _subject(head)
    if subj is None:
        return "it"
    words = [t.text for t in subj.subtree]
    return " ".join(words[:6]) + (" …" if len(words) > 6 else "")


def _voice(head, legal: bool, tokens: list, voice: Voice = Voice(),
           cited: bool = False) -> tuple[str, str] | None:
    """Why the clause headed by `head` is not a plain assertion of fact, or None."""
    if head.dep_ == "conj" and not any(c.dep_ in {"nsubj", "nsubjpass", "expl"}
                                       or (c.dep_ in {"aux", "auxpass"} and c.tag_ != "MD")
                                       for c in head.children):
        parent = _voice(head.head, legal, tokens, voice, cited)  # "will not change X, or turn it into Y"
        if parent is not None:
            return parent
    issued = _issued(head, tokens, voice, cited)
    if issued:
        return "recommendation", issued
    opens = next((t for t in tokens if t.is_alpha), None) is head  # "Ensure the measures ..."
    if opens and head.dep_ == "ROOT" and head.tag_ == "VB" and not any(
            c.dep_ in {"nsubj", "nsubjpass", "expl", "aux", "auxpass"} for c in head.children):
        return "recommendation", f"an instruction (“{head.text} …”): a recommendation (F2)"
    modals = _modals(head)
    subj = _subject(head)
    subj_words = {t.lower_ for t in subj.subtree} if subj is not None else set()
    named_subject = subj is not None and _named(subj)
    if modals & NORMATIVE_MODALS and head.lower_ in DISPOSITIONS and any(c.dep_ == "auxpass" for c in head.children):
        # "This matter must be reversed", "the conviction should be vacated": what a brief asks
        # the court to do with the case (or an opinion orders), however legal its words
        return "recommendation", (f"“{sorted(modals & NORMATIVE_MODALS)[0]} be {head.text}”: a disposition "
                                  "of the case asked for or ordered, not a claim (F2)")
    if modals & {"should", "ought"} or (modals & {"must"} and not legal):
        return "recommendation", f"“{sorted(modals & NORMATIVE_MODALS)[0]}”: a recommendation or norm (F2)"
    if lemma_in(head, {"need"}) and any(c.dep_ == "xcomp" for c in head.children) and not legal:
        return "recommendation", "“need to”: a recommendation (F2)"
    perfect = any(c.lower_ == "have" and c.dep_ == "aux" for c in head.children) and head.tag_ == "VBN"
    if modals & {"can", "ca", "must"} and perfect:  # "cannot but have strengthened", "must have known"
        return "speculation", "a modal perfect (“must have”, “cannot have”): the authors' inference (F3)"
    if modals & SPECULATIVE_MODALS and not (legal and modals & {"may"}):
        if not (modals & {"could"} and head.tag_ == "VB" and any(c.dep_ == "neg" for c in head.children)
                and any(t.tag_ == "VBD" for t in tokens)):
            return "speculation", f"“{sorted(modals & SPECULATIVE_MODALS)[0]}”: the authors' speculation or conditional (F3)"
    if any(c.lower_ in HEDGES and not _hedges_ranking(c) for c in head.children) or (
            lemma_in(head, {"seem", "appear"}) and any(c.dep_ in {"xcomp", "ccomp"} for c in head.children)):
        return "speculation", "hedged or vouched for (“likely”, “seems”, “certainly”, “clearly”): the authors' estimate (F3)"
    hedge = _hedging_phrase(head)
    if hedge:
        return "judgement", f"hedged (“{hedge}”): the authors' reading, true only in part (F1)"
    future = modals & FUTURE or _going_to(head)
    conditional = any(t.lower_ in {"if", "unless"} and t.dep_ == "mark" for t in tokens) or bool(
        CONDITION.search(" ".join(t.lower_ for t in tokens)))
    # "X will depend on Y": the verb itself states a condition, unless a law sets it (T2)
    depends = lemma_in(head, {"depend", "hinge", "rest"}) and any(c.dep_ == "prep" and c.lower_ in {"on", "upon"}
                                                                 for c in head.children) and not legal
    if future and (conditional or depends or any(c.dep_ == "neg" for c in head.children)):
        return "forecast", "“will” with a condition or negation: the authors' forecast (F3)"
    if future and subj is not None and subj.dep_ == "expl":
        # "there will be new laws": what will exist stands after the verb
        subj_words |= {t.lower_ for c in head.children if c.dep_ == "attr" for t in c.subtree}
    if future:
        # "the quota will be reduced from fifteen to ten": a decided measure, not a forecast
        counted = any(_count(t) for t in tokens)
        decided = named_subject or subj_words & MEASURE_WORDS or lemma_in(head, DECIDING_VERBS) or counted \
            or _under_measure(head)
        if _is_vague(subj) and subj.lower_ in {"this", "that"} and not counted:
            # "this will require that ...": a demonstrative points back at the report's own
            # argument, and what it leads to is a forecast; "it will include" names a measure
            decided = False
        if not decided:
            return "forecast", "“will”: the authors' forecast (F3)"
    if lemma_in(head, {"be"}):  # "X is one of the industries that may be affected"
        for attr in (c for c in head.children if c.dep_ == "attr"):
            for rel in (c for c in attr.children if c.dep_ == "relcl"):
                if _modals(rel) & SPECULATIVE_MODALS:
                    return "speculation", "what it says may or could happen is the authors' speculation (F3)"
    for c in head.children:  # "is likely to", "is expected to"
        if c.dep_ == "acomp" and c.lower_ in {"likely", "unlikely", "bound", "set"}:
            return "speculation", f"“{c.text} to”: a forecast (F3)"
    return None


# What the authors of a paper do in their text, not in their work: present, describe, discuss
# ("We explained how ...", "In this contribution, we discuss ...") in any tense (F4).
TEXT_VERBS = {"present", "describe", "discuss", "explain", "outline", "introduce", "review", "summarize",
              "summarise", "detail", "illustrate", "sketch", "turn", "conclude", "focus", "highlight",
              "recall", "mention", "note", "remark", "stress", "emphasize", "emphasise", "list", "report",
              "elaborate", "proceed", "begin", "close", "reiterate", "preview", "survey", "show"}
# ... and in the present tense only: "we compare here two projects" is the text, "we compared
# the two runs" was done (the past is the work, "We evaluated our implementation using SunSpider").
TEXT_VERBS_PRESENT = {"compare", "examine", "analyze", "analyse", "consider", "explore", "address",
                      "evaluate", "study", "investigate", "assess", "provide", "offer", "give", "take",
                      "reflect", "argue", "ask", "answer", "define", "demonstrate", "contrast"}
# The authors' stance: belief, expectation, intention, proposal (F1/F3), in any tense.
OPINION_VERBS = {"believe", "think", "argue", "feel", "expect", "hope", "suspect", "conjecture",
                 "hypothesize", "hypothesise", "speculate", "guess", "want", "wish", "plan", "intend", "aim",
                 "propose", "suggest", "recommend", "advocate", "claim", "contend", "deem", "doubt", "agree",
                 "disagree", "prefer", "see", "know", "assume", "suppose", "imagine", "envision", "envisage",
                 "anticipate", "predict", "posit", "maintain", "term", "denote",
                 "like", "need", "seek", "urge", "invite", "encourage", "acknowledge", "recognize", "recognise",
                 "understand", "interpret", "consider", "regard", "view", "judge"}


def _authors_work(root, tokens: list, clean: str, found: "Specifics"):
    """In a research paper, a sentence whose main clause has the authors ("we"/"I") as subject.

    Returns the words of the clause that reports their own work ("we implemented", "we have
    measured", "we record") when one does; a Verdict when every such clause is their text, stance,
    forecast or advice instead; None when "we" stands only in a subordinate clause (the main
    clause is then judged by the rules for any sentence: "The other VMs we compared with achieve
    a speedup of 3.0x" states a number, "This is necessary since we cache ..." a vague verdict)."""
    heads = [h for h in _clause_heads(root) if (s := _subject(h)) is not None and s.lower_ in {"we", "i"}]
    if not heads:
        return None
    why = None
    for head in heads:
        modals = _modals(head)
        verbs = [head] + [c for c in head.children if c.dep_ == "xcomp" and c.tag_.startswith("VB")]
        present = not _past(head) and not any(c.lower_ in {"had", "did"} for c in head.children)
        if clean.endswith(":"):
            why = why or ("roadmap", "the authors announce what follows (a colon ends the sentence): a lead-in (F4)")
        elif any(lemma_in(v, TEXT_VERBS) or (present and lemma_in(v, TEXT_VERBS_PRESENT)) for v in verbs):
            why = why or ("roadmap", f"the authors speak of their text (“we {head.text}”): roadmap or "
                                     "self-reference (F4)")
        elif any(lemma_in(v, OPINION_VERBS) for v in verbs):
            why = why or ("judgement", f"the authors' stance (“we {head.text}”): their view, intention or "
                                       "proposal (F1/F3)")
        elif modals & NORMATIVE_MODALS:
            why = why or ("recommendation", f"“we {sorted(modals)[0]}”: the authors' norm or advice (F2)")
        elif modals or _going_to(head):
            why = why or ("speculation", f"“we {sorted(modals)[0] if modals else 'are going to'}”: what the authors "
                                         "could, would or will do (F3)")
        elif any(c.lower_ in HEDGES for c in head.children):
            why = why or ("speculation", "hedged (“likely”, “probably”): the authors' estimate (F3)")
        elif lemma_in(head, {"be"}) and not any(c.dep_ == "acomp" and c.lower_ == "able" for c in head.children) \
                and not any(c.dep_ in {"acomp", "attr", "prep"} and c.lower_ in {"unable"} for c in head.children):
            why = why or ("judgement", f"“we {head.text} …”: the authors describe themselves (F1)")
        else:
            aux = [c.text for c in head.children if c.dep_ in {"aux", "neg"}]
            return " ".join([_subject(head).text] + aux + [head.text])
    first = min(_subject(h).i for h in heads)
    if len(heads) < len(_clause_heads(root)) or any(
            t.i < first and (t.like_num and t.lower_ not in SMALL_COUNTS or t.ent_type_ in {"PERCENT", "MONEY"})
            for t in tokens):
        # "the time spent is less than 5%, so we consider ...": the fact before the authors'
        # stance wins, and another main clause is judged as usual
        return None
    return Verdict(False, why[0], [why[1]])


# What a paper calls its own system, method, data or experiment ("the implementation", "our
# compiler", "each optimization"): a description of it is what the paper reports (T1).
SYSTEM_NOUNS = {"system", "systems", "implementation", "implementations", "algorithm", "algorithms", "compiler",
                "interpreter", "tool", "prototype", "pipeline", "module", "modules", "component", "components",
                "classifier", "parser", "tracer", "engine", "dataset", "corpus", "experiment", "experiments",
                "evaluation", "benchmark", "benchmarks", "optimization", "optimizations", "optimisation",
                "optimisations", "heuristic", "protocol", "procedure", "collector", "architecture", "library",
                "database", "simulator", "simulation", "simulations", "annotators", "annotation", "sample",
                "participants", "questionnaire"}
# (not "this"/"these": a demonstrative points back at whatever the text discussed, "this approach")
OWN_DETERMINERS = {"the", "each", "every", "all"}


def _own_system(head) -> str | None:
    """In a research paper, a subject that names the authors' own system or method: "our X"
    (any X), or "the/each X" where X is a system, data or experiment noun. Not with a
    speculative modal, a hedge or a "typically", nor a verb of inference ("our experience shows
    that ..."): those keep their rules. Returns its text."""
    subj = _subject(head)
    if subj is None or not subj.tag_.startswith("NN") or _modals(head) & SPECULATIVE_MODALS or (
            lemma_in(head, INFERENCE_VERBS)):
        return None
    if any(c.dep_ == "advmod" and (c.lower_ in HEDGES or c.lower_ in GENERIC_ADVERBS or c.lower_ == "ideally")
           for c in head.children):
        return None
    ours = any(c.dep_ == "poss" and c.lower_ in {"our", "my"} for c in subj.children)
    system = subj.lower_ in SYSTEM_NOUNS and any(c.dep_ == "det" and c.lower_ in OWN_DETERMINERS
                                                 for c in subj.children)
    return " ".join(t.text for t in subj.subtree if t.i <= subj.i) if ours or system else None


def _past(head) -> bool:
    """Past or perfect: the clause reports an event."""
    return head.tag_ == "VBD" or any(c.dep_ in {"aux", "auxpass"} and (c.tag_ == "VBD" or c.lower_ in {
        "has", "have", "had"}) for c in head.children)


def _hedging_phrase(head) -> str | None:
    """'In many ways, X has played a role', 'Radiation in some respects became ...', 'to a large
    extent': a prepositional hedge on the clause (on its verb or its subject) makes the
    assertion the authors' partial reading, not a fact to check (F1)."""
    subject = _subject(head)
    for prep in [c for c in head.children if c.dep_ == "prep"] + (
            [c for c in subject.children if c.dep_ == "prep"] if subject is not None else []):
        if prep.lower_ not in {"in", "to"}:
            continue
        for noun in prep.children:
            # only quantifiers on the noun: "in a way that ..." or "in a new way" is a manner
            if noun.dep_ == "pobj" and noun.lower_ in HEDGE_NOUNS and any(noun.children) and all(
                    m.dep_ in {"amod", "det"} and m.lower_ in HEDGE_QUANTIFIERS for m in noun.children):
                return " ".join(t.text for t in prep.subtree)
    return None


def _self_reference(text: str, voice: Voice) -> str | None:
    """'This strategy frequently references cloud services': a directive naming itself by what
    it says it sets forth (ROADMAP knows "this memorandum" already)."""
    if not voice.self_names:
        return None
    m = re.search(r"\b(?:this|the present) (?:" + "|".join(map(re.escape, sorted(voice.self_names))) + r")\b",
                  re.sub(r"\([^()]*\)", "", text), re.IGNORECASE)
    return m.group(0) if m else None


def _issued(head, tokens: list, voice: Voice, cited: bool) -> str | None:
    """In a directive, what the clause headed by `head` says in the directive's own voice: a
    requirement ("agencies must"), an arrangement ("OMB will rely on"), a permission given to
    its readers ("agencies can reference") or the state it sets them ("agencies encrypt all DNS
    requests"). None when the clause reports what a law or another body requires ("Under
    FISMA, agencies must ...", a cited law) or an event (past or perfect tense)."""
    if not voice.directive or cited or any(t.ent_type_ == "LAW" for t in tokens) or AUTHORITY.search(
            " ".join(t.text for t in tokens)):
        return None
    modals = _modals(head)
    if modals & NORMATIVE_MODALS or (lemma_in(head, {"need"}) and any(c.dep_ == "xcomp" for c in head.children)):
        word = sorted(modals & NORMATIVE_MODALS)[0] if modals & NORMATIVE_MODALS else "need to"
        return f"“{word}” in a directive: its own requirement to its readers, not a report of a law (F2)"
    if head.lower_ == "required" and any(c.dep_ == "auxpass" and c.lower_ in {"is", "are"} for c in head.children) \
            and not any(c.dep_ == "agent" for c in head.children):
        return "“is required” in a directive: its own requirement to its readers (F2)"
    if _past(head):
        return None
    if modals & FUTURE or _going_to(head):
        return "“will” in a directive: what it arranges or commits to, not a report (F2)"
    # every subject: a list item's label is parsed as a second one ("Data: Agencies are ...")
    subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}] or [
        s for s in [_subject(head)] if s is not None]
    addressed = any(t.lower_ in voice.addressees for s in subjects for t in s.subtree)
    if addressed and modals & {"can", "ca", "may"}:
        return "what a directive allows its readers (“can”, “may”): its own guidance (F2)"
    present = head.tag_ in {"VBZ", "VBP"} or any(c.dep_ in {"aux", "auxpass"} and c.tag_ in {"VBZ", "VBP"}
                                                 for c in head.children)
    if addressed and present and not modals and not any(_count(t) for t in tokens):
        return ("the present tense of a directive about its readers (“"
                + _subject_text(head) + " " + head.text + "”): the state it requires, not a report (F2)")
    return None


def _fact_beside_authors(root, tokens: list) -> bool:
    """'The poorest 4 billion people consume a mere 5% of ..., and we need to ...': the authors
    ("we") speak only beside a main clause whose own subject is someone else, and a number, date
    or law stands outside their clauses: the fact wins, and the other rules judge the sentence.
    "We all"/"all of us" with a number is everyone ("we are all exposed to 2-3 mSv a year"), not
    the authors."""
    theirs: set[int] = set()  # the tokens of the authors' own clauses
    everyone = False
    for t in tokens:
        if t.dep_ in {"nsubj", "nsubjpass"} and t.lower_ in {"we", "i"}:
            doc = t.doc
            after = [doc[k].lower_ for k in range(t.i + 1, min(t.i + 3, len(doc)))]
            if t.lower_ == "we" and (after[:1] == ["all"] or after[1:2] == ["all"] and after[0] in {"are", "were"}):
                everyone = True
                continue
            theirs |= {x.i for x in t.head.subtree}
    if everyone and not theirs:
        return _specifics(tokens, "").number
    subj = _subject(root)
    if subj is None or not subj.tag_.startswith("NN") or root.i in theirs:  # a noun: "they" is a misparse
        return False
    depth, outside = 0, []  # nor a number in brackets: "(Figure 4)" points, it does not count
    for t in tokens:
        depth += (t.text == "(") - (t.text == ")")
        if depth == 0 and t.text != ")" and t.i not in theirs:
            outside.append(t)
    return _specifics(outside, "").hard


def _reaction(head) -> bool:
    """'This has been criticized as superficial': others reacted to it (passive, past or
    perfect): an event and a stance to check (T3), however vague the subject."""
    return lemma_in(head, REACTIONS) and any(c.dep_ == "auxpass" for c in head.children) and _past(head)


def _hedges_ranking(hedge) -> bool:
    """'Most important, perhaps, Tokayev spoke out ...': the hedge follows a ranking set off by
    commas and qualifies it; the clause's fact stands."""
    doc = hedge.doc
    return hedge.i >= 2 and doc[hedge.i - 1].text == "," and doc[hedge.i - 2].lower_ in RANKING \
        and hedge.i + 1 < len(doc) and doc[hedge.i + 1].text == ","


def _quoted(token) -> bool:
    """Is the token inside quotation marks (someone else's words)?"""
    before = token.doc.text[:token.idx]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _numbered_part(token) -> bool:
    """'art. I, § 7', 'Title I of the Act', 'Amendment I': a roman numeral numbering a part of a
    law, not the pronoun."""
    if token.text != "I" or token.i == 0:
        return False
    k = token.i - 1
    if token.doc[k].text == "." and k > 0:  # "art. I" is read as "art", ".", "I"
        k -= 1
    before = token.doc[k].lower_.rstrip(".")
    return before in {"art", "article", "amend", "amendment", "title", "part", "chapter", "ch", "schedule",
                      "division", "subtitle", "section", "sec", "book", "volume", "vol", "phase", "tier"}


# "X helps us to ascertain", "gives us the flexibility", "allows us to highlight": the authors
# (object "us") say what a step of their own reasoning or method does for them
ENABLING = {"help", "allow", "give", "let", "enable", "permit", "lead", "bring"}
# A run-in subsection number opening a paragraph ("2 Looking to the customary practices ...", as a
# court's opinion numbers its parts): it counts the text's parts. Not a volume of a record or
# a report ("1 App. 24", "5 U.S. 137"): its next word is abbreviated.
SUBSECTION_NUMBER = re.compile(r"^\d{1,2}\s+(?=[A-Z][a-z]+\b(?!\.))")


def _enables_authors(root) -> str | None:
    """The verb of a main clause whose object is the authors ("helps us", "allows us to"), or None."""
    for head in _clause_heads(root):
        if not lemma_in(head, ENABLING):
            continue
        for t in head.subtree:
            if t.lower_ in {"us", "me"} and (t.head.i == head.i or t.head.head.i == head.i) and not _quoted(t):
                return head.text
    return None


def _without_asides(text: str) -> str:
    """The sentence without its quotes and brackets ("(e.g. between “Iliad” and “1.30”)") and
    without a run-in subsection number: where its own numbers would be."""
    return SUBSECTION_NUMBER.sub("", QUOTE_OR_ASIDE.sub(" ", text))


def _id_citation(token) -> bool:
    """'§1.01(b), id., at 9', 'Id. at 12': the tokenizer splits the legal "Id." (the authority
    just cited) into "I" and "d.", and the parser takes that "I" for a subject. No one speaks."""
    doc = token.doc
    return token.lower_ == "i" and not token.whitespace_ and token.i + 1 < len(doc) \
        and doc[token.i + 1].lower_ in {"d", "d.", "bid", "bid."}


def _naming_aside(we) -> bool:
    """'..., or what we might call soft law': a "we" in a free relative ("what we call X") names
    something in passing; the main clause asserts its own fact. (A "we" in any other clause
    still speaks for the authors: "the literature we reviewed", "as the cases we described show".)"""
    verb = we.head
    return verb.dep_ != "ROOT" and any(c.lower_ == "what" and c.dep_ in {"dobj", "attr", "oprd", "nsubj"}
                                       for c in verb.children)


def _reports_figures(head) -> bool:
    """'The table shows that holdings rose by $1.5 trillion': what a verb of inference introduces
    states numbers of its own, a reported figure to check (T1), not the authors' inference."""
    clauses = [c for c in head.children if c.dep_ in {"ccomp", "xcomp"}]
    return any((t.like_num and t.lower_ not in SMALL_COUNTS) or t.ent_type_ in {"MONEY", "PERCENT"}
               for c in clauses for t in c.subtree)


def _generic_subject(head) -> str | None:
    """'Scientific research is a joint effort', 'A citation is a link between two sources': the
    subject names a kind, not an instance (a bare or indefinite common noun with no name in it),
    and the present-tense copula says what such a thing is, with a noun. That is a definition
    (F5) or a general description (F7), not a fact about an instance. (What a kind of actor does
    or must do, "recruits are required to ...", is left alone: in a report about one program it
    is that program's rule.) Returns the subject's text, or None."""
    if not lemma_in(head, {"be"}) or not any(c.dep_ == "attr" and c.tag_ in {"NN", "NNS"} for c in head.children):
        return None
    subj = _subject(head)
    if subj is None or subj.dep_ == "expl" or subj.tag_ not in {"NN", "NNS"}:
        return None
    if any(c.dep_ in {"det", "poss", "nummod", "predet"} and c.lower_ not in {"a", "an", "any", "every"}
           for c in subj.children):
        return None
    if any(t.ent_type_ or t.tag_ in {"NNP", "NNPS", "CD"} or t.like_num for t in subj.subtree):
        return None
    verbs = [head] + [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    present = any(v.tag_ in {"VBZ", "VBP"} for v in verbs)
    if not present or _modals(head) - {"can", "ca"} or any(
            c.dep_ in {"aux", "auxpass"} and c.lower_ in {"has", "have", "had"} for c in head.children):
        return None
    return " ".join(t.text for t in subj.subtree)


def _inference(head) -> str | None:
    """The authors drawing a conclusion: 'the balance sheet suggests that ...' (no speaker, F8),
    'the most logical answer is that ...' (a verdict on their own question, F1)."""
    subj = _subject(head)
    if subj is None:
        return None
    has_clause = any(c.dep_ in {"ccomp", "attr", "xcomp"} for c in head.children)
    if lemma_in(head, INFERENCE_VERBS) and has_clause and subj.lower_ not in ACTORS \
            and not (subj.ent_type_ in {"PERSON", "ORG"} or subj.tag_ in {"NNP", "NNPS"}):
        return f"“{subj.text} {head.text} that …”: the authors' inference, no speaker (F8)"
    if lemma_in(head, {"be"}) and subj.lower_ in VERDICT_NOUNS and any(
            c.dep_ in {"ccomp", "attr"} for c in head.children):
        return f"“the {subj.text} is …”: the authors' verdict (F1)"
    return None


def _about_measure(head) -> str | None:
    """The subject is a measure, plan, program or speech ("The eighth priority proposes ...",
    "His goals include ..."): the clause reports what it contains or does (T2)."""
    subj = _subject(head)
    if subj is None or _is_vague(subj):
        return None
    noun = subj if subj.tag_.startswith("NN") else None
    if noun is not None and lemma_in(noun, MEASURE_WORDS | PLAN_NOUNS):
        return noun.text
    return None


def _cross_reference(root) -> bool:
    """'For a discussion of X, see CRS Report R1': an instruction to look elsewhere."""
    # (a report number after "see" is often misread as its subject: only one before it counts)
    return root.lower_ in {"see", "refer", "consult"} and root.tag_ == "VB" and not any(
        c.dep_ in {"nsubj", "nsubjpass", "aux"} and c.i < root.i for c in root.children)


def _names_beyond(subject, tokens: list) -> bool:
    """Does the sentence name an actor, place or law outside its subject? "This has manifested
    in divestments from Samruk-Kazyna": a vague "this", but a specific, checkable assertion."""
    inside = {t.i for t in subject.subtree} if subject is not None else set()
    return any(t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP", "LAW", "FAC", "LOC"} and t.i not in inside
               for t in tokens)


def _first_word(tokens: list) -> str:
    return next((t.lower_ for t in tokens if t.is_alpha), "")


# "Under the new design, this light will ...", "Under the agreement, tariffs will ...": what a
# measure or a design provides, in the future tense (T2), not the authors' forecast
UNDER_NOUNS = MEASURE_WORDS | PLAN_NOUNS | {"design", "agreement", "deal", "scheme", "arrangement", "framework",
                                            "treaty", "contract", "settlement", "compact", "accord"}


def _under_measure(head) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "under" and any(
        o.dep_ == "pobj" and lemma_in(o, UNDER_NOUNS) for o in c.children) for c in head.children)


def _going_to(head) -> bool:
    return any(c.lower_ == "going" for c in head.children) and any(c.lower_ == "to" for c in head.children)


def _judgement(head, tokens: list) -> bool:
    """A copular verdict on a vague subject: 'This is a difficult task.'"""
    if lemma_in(head, INTERPRETIVE) and head.tag_.startswith("VB") and not any(
            c.dep_ == "auxpass" for c in head.children):  # "are represented in two ways": a description
        # "the second priority aligns with his vision": the authors relate things; but
        # "represent a small share of imports" is a quantity
        # ("the first part of his vision": an ordinal counts the text's parts, not a quantity)
        return not any((t.like_num and t.lower_ not in SMALL_COUNTS) or t.lower_ in QUANTITY_NOUNS
                       for t in head.subtree)
    subj = _subject(head)
    # its own words, not those of a clause hung on it ("..., which views X as a recipe for ...")
    inner = {t.i for c in head.children if c.dep_ in {"advcl", "relcl", "ccomp"} for t in c.subtree}
    clause = " ".join(t.text for t in head.subtree if t.i not in inner)
    weighs = INTERPRETIVE_PHRASE.search(clause) or WEIGHING.search(clause)
    if weighs and not (subj is not None and (_named(subj) and subj.tag_ in {"NNP", "NNPS"} or subj.lower_ in ACTORS)):
        return True
    if lemma_in(head, {"be"}) and _subject(head) is not None and _subject(head).lower_ == "there" and any(
            t.lower_ in {"lot", "lots", "host", "number", "variety", "range", "plenty"} for t in head.subtree):
        return True  # "there are a host of reasons": a vague allusion (F7)
    if lemma_in(head, {"be"}) and any(a.dep_ == "attr" and a.lower_ in PURPOSE_NOUNS and any(
            v.dep_ in {"acl", "relcl"} and any(x.lower_ == "to" and x.dep_ == "aux" for x in v.children)
            for v in a.children) for a in head.children):
        return True  # "the plan was an effort to thread the needle": a motive the authors read into it
    if lemma_in(head, {"play"}):  # "plays a major role in": a weighting, the authors'
        return any(c.dep_ == "dobj" and c.lower_ in {"role", "part"} and any(
            a.dep_ == "amod" and a.lower_ in EVALUATIVE | {"major", "minor", "big", "large", "small", "great"}
            for a in c.children) for c in head.children)
    if not lemma_in(head, {"be", "remain", "seem", "appear", "prove", "become", "look"}):
        return False
    comps = [c for c in head.children if c.dep_ in {"acomp", "attr", "oprd"}]
    if not _is_vague(_subject(head)):
        # "political reform has been far more complicated": an adjective verdict on any subject
        return any(c.dep_ == "acomp" and (c.lower_ in EVALUATIVE or any(
            a.lower_ in DEGREE for a in c.subtree)) for c in comps)
    words = {t.lower_ for c in comps for t in c.subtree}
    return bool(words & EVALUATIVE)


@dataclass
class Specifics:
    """What makes a sentence specific and checkable, found in its tokens."""

    number: bool = False
    date: bool = False
    law: bool = False
    names: list[str] = field(default_factory=list)  # entity labels of named actors and places
    past: bool = False
    compares: bool = False

    @property
    def hard(self) -> bool:
        """A number, a date or a law: specific whatever the sentence's subject."""
        return self.number or self.date or self.law

    def reasons(self) -> list[str]:
        return [r for flag, r in (
            (self.number, "states a number, amount or share (T1)"), (self.date, "dated (T1)"),
            (self.law, "names a law (T2)"),
            (bool(self.names), "about named actors or places (" + ", ".join(self.names) + ")"),
            (self.past, "reports a past event or action (T1)"), (self.compares, "compares (T4)"),
        ) if flag]


def _acronym(token) -> bool:
    """'OVAE', 'USFCS': a proper noun in capitals, not a unit or a roman numeral."""
    return (token.tag_ in {"NNP", "NNPS", "NN", "NNS"} and not token.ent_type_ and token.is_upper and token.is_alpha
            and 3 <= len(token.text) <= 8 and not re.fullmatch(r"[IVXLC]+", token.text))


def _enumerator(token) -> bool:
    """'(1)', '2)' marking an item of a list inside the sentence: one of a run that starts at 1
    and goes on ('(1) ..., and (2) ...'). A lone '(10)' is a numbered reference, not a list."""
    if not (token.like_num and len(token.text) <= 2 and _closes(token)):
        return False
    items = {t.text for t in token.sent if t.like_num and len(t.text) <= 2 and _closes(t)}
    return {"1", "2"} <= items


def _closes(token) -> bool:
    doc = token.doc
    return token.i + 1 < len(doc) and doc[token.i + 1].text == ")"


def _term_zero(token) -> bool:
    """'zero trust', 'zero tolerance', 'zero-day': "zero" before a singular noun makes a term, not
    a count (a count of none takes a plural: "zero deaths")."""
    return token.lower_ == "zero" and token.head.i > token.i and token.head.tag_ == "NN"


def _counts_world(token) -> bool:
    """Not a count that structures the text ("three categories") nor a term ("zero trust")."""
    return token.lower_ not in SMALL_COUNTS and not _term_zero(token)


def _count(token) -> bool:
    """A number that counts something in the world."""
    return token.like_num and _counts_world(token)


def _specifics(tokens: list, text: str) -> Specifics:
    # "(1) ... and (2) ...": the numbers of an enumeration count the text's items, not the world's
    tokens = [t for t in tokens if not _enumerator(t)]
    # "4.2 Blacklisting with Nesting The ...": a run-in section number opening the sentence numbers
    # the text's parts, not the world's
    if tokens and (re.fullmatch(r"\d+(?:\.\d+)+\.?", tokens[0].text) or SUBSECTION_NUMBER.match(text.lstrip())):
        tokens = tokens[1:]
    ents = {t.ent_type_ for t in tokens if t.ent_type_}
    counts = [t for t in tokens if t.ent_type_ in {"CARDINAL", "QUANTITY"} and _counts_world(t)]
    undated = " ".join(t.text for t in tokens if t.ent_type_ not in {"DATE", "TIME"})  # "January 1"
    return Specifics(
        number=bool(ents & {"PERCENT", "MONEY"} or counts
                    or NUMBER.search(re.sub(r"\b(?:19|20)\d\d\b", "", undated))),
        date=bool(ents & {"DATE", "TIME"} or re.search(r"\b(?:1[89]|20)\d\d\b", text)),
        law="LAW" in ents,
        # an acronym the recogniser passed over ("OVAE negotiates ...") names a body too
        names=sorted(ents & {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
                     | {"ACRONYM" for t in tokens if _acronym(t)}),
        # "X was adopted", "were elected", "has been extended": passive and perfect report events too
        past=any(t.dep_ in {"ROOT", "conj"} and (t.tag_ == "VBD" or (t.tag_ == "VBN" and any(
            c.dep_ in {"aux", "auxpass"} and (c.tag_ == "VBD" or c.lower_ in {"has", "have", "had"})
            for c in t.children))) for t in tokens),
        compares=any(t.tag_ in {"JJR", "JJS", "RBR", "RBS"} for t in tokens),
    )
