"""Support of a sentence: its note markers, and formal citations written inline.

What counts as an inline citation is the claims guidelines' list: a legal citation (public
law, U.S.C./CFR/Federal Register/Statutes at Large, a numbered section of a named Act or
Code, a case citation), an author-year reference, a document number (CRS/GAO report), a URL,
or a titled publication with its date or edition. Not: the bare name of a law or program,
an agency or person as speaker, internal cross-references ("see Figure 2"), and section
numbers inside a quotation.

Each inline citation found is parsed like a note's citation (``ingest.citations``), so it
gets the same fields and, where it resolves, the same source key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citetrace.ingest.citations import parse_note, source_key
from citetrace.ingest.model import Citation, InlineCitation

# a named Act: capitalised words, with the small words of a long title ("Police and Criminal
# Evidence Act 1984"); its year after "of" (U.S. style) or straight after it (U.K. style)
_ACT = (r"(?:(?:[A-Z][\w'’.-]*|and|of|for|on|the|to)\s+){0,10}?(?:Act|Code|Constitution|Amendment|Resolution)"
        r"(?:,?\s+(?:of\s+)?\d{4})?")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# law reports by volume and first page, and their short form ("501 U. S., at 235")
_REPORTER = (r"(?:U\.\s?S\.|S\.\s?Ct\.|L\.\s?Ed\.(?:\s?2d)?|F\.(?:\s?(?:2d|3d|4th)|\s?Supp\.(?:\s?[23]d)?|\s?App['’]x)?|"
             r"So\.\s?[23]d|P\.\s?[23]d|A\.\s?[23]d|N\.\s?[EW]\.\s?[23]d|S\.\s?[EW]\.\s?[23]d|B\.\s?R\.)")
# an author's surname, with the particles of "van der Berg" or "de la Cruz"
_NAME = r"(?:(?:van|von|de|der|den|da|di|del|du|la|le)\s+){0,3}[A-Z][\w'’-]+"
# Any reporter by volume and page, as U.S. courts cite state and regional reports ("149 Wn.2d
# 647", "71 P.3d 638", "159 Wn. App. 1", "45 Cal. 4th 12", "88 N.Y.2d 12", "Wn.2d at 665"):
# abbreviated words ending in a stop, with a series ("2d", "4th"), then the page. A month or a
# word that numbers something else ("5 Feb. 2020", "3 No. 4", "2 Vol. 7") is no reporter.
_NOT_REPORTER = (r"(?!(?:" + "|".join(["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept?", "Oct", "Nov",
                                       "Dec", "No", "Nos", "Vol", "Vols", "Fig", "Figs", "Tab", "Sec", "Art",
                                       "Ch", "Pt", "Mr", "Mrs", "Ms", "Dr", "St", "Ave", "Rd", "Ed", "Eds",
                                       "Para", "Op", "Pp?", "Rev", "Inc", "Co", "Ltd", "Corp"]) + r")\.)")
_ANY_REPORTER = (r"\b\d{1,4}\s+" + _NOT_REPORTER + r"[A-Z][A-Za-z]{0,7}\.(?:\s?(?:[A-Z][A-Za-z]{0,7}\.|"
                 r"(?:2d|3d|4th|5th|6th)\b\.?))*(?:,?\s+at)?\s+\d{1,5}\b")
# A statute or court rule by a code's initials and a dotted section ("RCW 9.94A.535", "ORS
# 161.015", "RAP 2.5(a)", "CrR 3.5(b)"): a version number ("TLS 1.3") has one digit after the
# stop and no subsection, and is no section.
_CODE_SECTION = (r"\b(?:[A-Z]{2,5}|CrR|CrRLJ)\s+\d{1,4}[A-Z]?\.(?:\d{2,}[A-Z]?|\d[A-Z]?(?=\())(?:\.\d+[A-Z]?)*"
                 r"(?:\([\w]+\))*|"
                 # rules of evidence and procedure: "Fed. R. Evid. 608(b)", "Fed. R. Civ. P. 12(b)(6)",
                 # "FRE 403", a state's "ER 401" or "Evid. R. 404(B)"
                 r"(?:\bFed\.\s?R\.\s?(?:Evid|Civ\.\s?P|Crim\.\s?P|App\.\s?P)\.|\bEvid\.\s?R\.|\b(?:FRE|ER|MRE))"
                 r"\s+\d{1,4}(?:\([\w]+\))*")
# A constitution by article or amendment ("U.S. Const. amend. VI", "Wash. Const. art. I, § 7")
_CONSTITUTION = r"\bConst\.,?\s+(?:[Aa]rt(?:icle|\.)?|[Aa]mend(?:ment|\.)?)\s+(?:[IVXL]+\b|\d+)(?:,\s*§+\s*\d+[\w.]*)?"
# The record of the case, in brackets: "(RP 45)", "(CP 112-13)", "(Tr. 23)", "(J.A. 45)", "(Pet.
# App. 12a)", "(Ex. 14)": a brief's statement of the case cites the pages its facts come from.
_RECORD = (r"(?:\d{1,2}\s?)?(?:V?RP|CP|Tr\.|TR|J\.\s?A\.|JA|Pet\.\s?App\.|Exh?s?\.|Ex\.)"
           r"(?:\s?\([^()]{1,30}\))?\s?\d{1,5}[a-z]?(?:\s?[-–]\s?\d{1,5}[a-z]?)?")
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("public law", re.compile(r"\b(?:P\.\s?L\.|Pub\.\s?L\.(?:\s?No\.)?|Public\s+Law(?:\s+No\.)?)\s?\d{1,3}[-–]\d{1,4}\b")),
    ("U.S. Code", re.compile(r"\b\d{1,2}\s+U\.\s?S\.\s?C\.?(?:\s+(?:A\.\s*)?§+\s*[\w.()-]+|\s+[\d]+\w*)(?:\s+et\s+seq\.?)?")),
    ("Code of Federal Regulations", re.compile(r"\b\d{1,2}\s+(?:C\.\s?F\.\s?R\.?|CFR)\s+(?:§+\s*|[Pp]arts?\s+)?\d+(?:\.\d+)*")),
    ("Federal Register", re.compile(r"\b\d{1,3}\s+(?:Fed\.\s?Reg\.|Federal\s+Register|FR)\s+\d{1,6}\b")),
    ("Statutes at Large", re.compile(r"\b\d{1,3}\s+Stat\.\s+\d{1,5}\b")),
    ("section of an Act", re.compile(r"(?:\b(?:[Ss]ection|[Ss]ec\.|[Pp]art|[Tt]itle|[Ss]chedule)|§+)\s*(?:\d+[\w.]*|[IVXL]+\b)"
                                    r"(?:\([\w]+\))*\s+of\s+the\s+" + _ACT)),
    ("section of a restatement", re.compile(r"\bRestatement\s+\((?:First|Second|Third|Fourth)\)\s+of\s+(?:[A-Z][\w]*\s+)+"
                                           r"(?:§+\s*)\d+[\w.]*(?:\([\w]+\))*")),
    ("section of a code", re.compile(r"\b(?:Internal Revenue Code|Social Security Act|IRC|[A-Z][\w]+\s+Code)\s*(?:\(IRC\)\s*)?(?:[Ss]ection|§+)\s*\d+[\w]*(?:\([\w]+\))*")),
    ("case", re.compile(r"\b\d{1,3}\s+" + _REPORTER + r"(?:,?\s+at)?\s+\d{1,5}\b")),
    ("case", re.compile(r"\b(?:19|20)\d\d\s+WL\s+\d{3,}")),  # Westlaw
    ("case", re.compile(_ANY_REPORTER)),
    ("statute", re.compile(_CODE_SECTION)),
    ("constitution", re.compile(_CONSTITUTION)),
    ("record", re.compile(r"\((?:see\s+)?" + _RECORD + r"(?:[,;]\s*(?:" + _RECORD + r"|\d{1,5}(?:\s?[-–]\s?\d{1,5})?))*\)")),
    # U.K. neutral and law-report citations: "[2015] UKSC 9", "[1999] 1 AC 123"
    ("case", re.compile(r"\[(?:1[89]|20)\d\d\]\s+(?:\d{1,2}\s+)?(?:UKSC|UKHL|UKPC|EWCA\s+(?:Civ|Crim)|EWHC|AC|QB|KB|Ch|WLR|All\s+ER)\s+\d+")),
    # a legal short form pointing at an authority just cited ("Id. at 5", "Brady, supra note 40");
    # "supra, at 7" alone points into the same opinion, an internal cross-reference
    ("short form", re.compile(r"\b(?:[Ii]d|[Ii]bid)\.,?\s+at\s+\d+|\bsupra\s+note\s+\d+")),
    ("bill", re.compile(r"\b(?:H\.\s?R\.|S\.|H\.\s?Res\.|S\.\s?Res\.|H\.\s?J\.\s?Res\.)\s?\d{1,5}\s*(?:\(\d{2,3}(?:st|nd|rd|th)\s+Congress\))")),
    ("author-year", re.compile(
        r"\((?:see\s+|e\.g\.,?\s+|cf\.\s+)?(?!" + _MONTH + r"[\s,])(?:[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\s+al\.?)?,?\s+"
        r"(?:19|20)\d\d[a-z]?(?:[;,]\s*(?:[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\s+al\.?)?,?\s+)?"
        r"(?:19|20)\d\d[a-z]?)*(?:,\s*(?:p|pp)\.\s*[\d-]+)?)\)")),
    ("author-year", re.compile(r"\b[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\s+al\.?)?\s+\((?:19|20)\d\d[a-z]?\)")),
    # three or more authors, a name with a particle, a page after a colon, and the bracketed form of
    # computing papers: "(Smith, Jones, and Lee 2004)", "(van der Berg 2004: 12)",
    # "[Smith et al. 2004]", "Smith et al. [2004]"
    ("author-year", re.compile(
        r"\((?:see\s+|e\.g\.,?\s+|cf\.\s+)?(?!" + _MONTH + r"[\s,])" + _NAME + r"(?:,\s+" + _NAME + r")*,?\s+(?:and|&)\s+" + _NAME
        + r",?\s+(?:19|20)\d\d[a-z]?(?:[:,]\s*(?:pp?\.\s*)?\d+(?:[-–]\d+)?)?\)")),
    ("author-year", re.compile(
        r"\((?:see\s+|e\.g\.,?\s+|cf\.\s+)?(?!" + _MONTH + r"[\s,])" + _NAME + r"(?:\s+et\s+al\.)?,?\s+"
        r"(?:19|20)\d\d[a-z]?:\s*\d+(?:[-–]\d+)?\)|\((?:van|von|de|der|den|da|di|del|du|la|le)\s+" + _NAME
        + r"(?:\s+et\s+al\.)?,?\s+(?:19|20)\d\d[a-z]?\)")),
    ("author-year", re.compile(r"\[" + _NAME + r"(?:\s+(?:and|&)\s+" + _NAME + r"|\s+et\s+al\.)?,?\s+(?:19|20)\d\d[a-z]?"
                               r"(?:;\s*" + _NAME + r"(?:\s+(?:and|&)\s+" + _NAME + r"|\s+et\s+al\.)?,?\s+(?:19|20)\d\d[a-z]?)*\]|"
                               r"\b[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et\s+al\.)\s+\[(?:19|20)\d\d[a-z]?\]")),
    # an organisation as author: "(Home Office, 2015)", "(World Health Organization, 2020)"
    ("author-year", re.compile(r"\((?:see\s+)?(?!" + _MONTH + r"[\s,])(?:[A-Z][\w'’-]+\s+){1,4}[A-Z][\w'’-]+,\s+(?:19|20)\d\d[a-z]?\)")),
    ("report number", re.compile(
        r"\b(?:CRS\s+(?:Report|Insight|In\s+Focus|Legal\s+Sidebar)\s+(?:[A-Z]{1,3}\d{3,5}|\d{2}-\d{2,4})|"
        r"GAO-\d{2}-\d{2,5}[A-Z]?|(?:Report|Executive Order|E\.O\.|Memorandum|OMB Memorandum)\s+(?:No\.\s*)?M?-?\d{2}-\d{2,4})\b")),
    # an airworthiness directive by its number ("AD 2018–23–51"; a line break may leave a space)
    ("directive number", re.compile(r"\bAD\s+(?:19|20)\d\d[-–]\s?\d{2}[-–]\s?\d{2}\b")),
    # an executive order by its number, as the Federal Register numbers them ("EO 14028")
    ("executive order", re.compile(r"\b(?:Executive\s+Order|E\.\s?O\.|EO)\s+(?:No\.\s*)?\d{4,5}\b")),
    ("URL", re.compile(r"\bhttps?://\S+|\bwww\.\S+\.\w{2,}\S*")),
    ("dated publication", re.compile(
        r"(?:[“\"][^”\"]{8,}[”\"],?\s+(?:published|released|issued|dated)\s+(?:in|on)\s+\w+)|"
        r"\b(?:[A-Z][\w'’-]*\s+){1,6}(?:Report|Survey|Index|Outlook|Yearbook|Review|Strategy|Assessment)\s+"
        r"(?:for\s+|of\s+)?(?:19|20)\d\d\b|"
        r"\b(?:19|20)\d\d\s+(?:edition\s+of\s+the\s+)?(?:[A-Z][\w'’-]*\s+){0,5}(?:Report|Survey|Index|Outlook|Yearbook)\b|"
        r"\b\d{1,2}(?:st|nd|rd|th)\s+edition\s+of\s+(?:the\s+)?[A-Z]|"
        # a numbered document with its date: "Boeing Special Attention Service Bulletin 737–31–1860,
        # Revision 1, dated June 12, 2020"
        r"\b(?:[A-Z][\w'’-]*\s+){0,6}(?:Bulletin|Circular|Directive|Manual|Notice|Report|Letter)\s+"
        r"(?:No\.\s*)?[\w.]*\d[\w.]*(?:[-–]\s?[\w.]+)*,?\s+(?:Revision\s+\d+,\s+)?dated\s+" + _MONTH + r"\s+\d{1,2},\s+(?:19|20)\d\d")),
]
# The rules of PATTERNS that name legal authority or the record (a citation sentence is made of them)
LEGAL_RULES = {"public law", "U.S. Code", "Code of Federal Regulations", "Federal Register", "Statutes at Large",
               "section of an Act", "section of a restatement", "section of a code", "case", "short form",
               "bill", "statute", "constitution", "record", "executive order"}
QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")
# A research paper's numbered citations (paper.py): "[12]", "[3, 7]", "[2–5]", "[12, p. 4]" always;
# "(11)" only when its reference list is numbered and the numbers fall within it. Not a
# figure's, an equation's or a step's number ("Figure (2)", "Eq. (3)"), not the items of an
# enumeration ("(1) ..., and (2) ..."), and not one opening the sentence (it cites for the one before).
_NUMBERS = r"\d{1,3}(?:\s*[-–,;]\s*\d{1,3})*"
NUMBERED_BRACKET = re.compile(r"\[" + _NUMBERS + r"(?:,\s*(?:p|pp|ch|sec)\.\s*\d+(?:[-–]\d+)?)?\]")
NUMBERED_PAREN = re.compile(r"\(" + _NUMBERS + r"\)")
NOT_A_REFERENCE = re.compile(r"\b(?:fig(?:ure)?s?|tables?|eqs?|equations?|formulas?|steps?|lines?|sections?|"
                             r"chapters?|appendix|rules?|items?|cases?|stages?|phases?|no|nos)\.?\s*$", re.IGNORECASE)


def _legal_key(rule: str, text: str) -> str | None:
    """A dedup key for a legal citation the citation parser leaves without one."""
    if rule in {"public law", "U.S. Code", "Code of Federal Regulations", "Federal Register",
                "Statutes at Large", "case", "bill", "directive number"}:
        return "law:" + re.sub(r"\s+", " ", text.lower().replace("–", "-")).strip(" .,;")
    return None


def _numbered(sentence: str, references: int) -> list[tuple[int, int, str]]:
    """A paper's numbered citations in `sentence` (see NUMBERED_BRACKET); `references` is the
    length of its numbered reference list (0: none, and "(n)" is not read as a citation)."""
    out = [(m.start(), m.end(), "numbered reference") for m in NUMBERED_BRACKET.finditer(sentence)
           if m.start() > 0 and not NOT_A_REFERENCE.search(sentence[:m.start()])]
    if not references:
        return out
    parens = list(NUMBERED_PAREN.finditer(sentence))
    if {"(1)", "(2)"} <= {m.group(0) for m in parens}:  # an enumeration's items
        return out
    for m in parens:
        numbers = [int(n) for n in re.findall(r"\d+", m.group(0))]
        if m.start() > 0 and all(1 <= n <= references for n in numbers) and not NOT_A_REFERENCE.search(
                sentence[:m.start()]):
            out.append((m.start(), m.end(), "numbered reference"))
    return out


def inline_citations(sentence: str, paper=None) -> list[InlineCitation]:
    """The formal citations in `sentence`, in order (overlaps resolved to the first, longest).
    In a research paper (`paper`, from paper.py) its numbered citations count too."""
    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(sentence)]
    found: list[tuple[int, int, str]] = _numbered(sentence, paper.references) if paper is not None else []
    for rule, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            start, end = m.start(), m.end()
            text = m.group(0).rstrip(".,;)") if rule == "URL" else m.group(0)
            end = start + len(text)
            # a section number inside a quoted statute is the quote's, not a citation
            if rule.startswith("section") and any(a <= start and end <= b for a, b in quoted):
                continue
            found.append((start, end, rule))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        kept.append(f)
    out = []
    for start, end, rule in kept:
        text = sentence[start:end]
        if text.startswith("(") and text.endswith(")"):  # "(Evans, 1996)"
            text = text[1:-1]
        elif text.count(")") > text.count("("):  # keep the bracket of "§203(b)"
            text = text.rstrip(")")
        parsed = parse_note(text)
        cite = parsed[0] if parsed else Citation(note=-1, seq=0, text=text)
        cite.note = -1  # not a note's: the sentence holds it
        key = source_key(cite) or _legal_key(rule, text)
        out.append(InlineCitation(start, end, text, rule, cite, key))
    return out


# What a legal citation sentence holds besides its citations: signals, the words of case names
# ("In re", "ex rel.", "of"), pin cites and notes, and subsequent history ("review denied").
CITATION_WORDS = {
    "see", "also", "e.g", "cf", "but", "accord", "compare", "with", "and", "id", "ibid", "at", "n", "nn",
    "note", "notes", "supra", "infra", "v", "vs", "in", "re", "ex", "rel", "of", "the", "et", "seq",
    "review", "denied", "cert", "aff'd", "rev'd", "aff’d", "rev’d", "overruled", "on", "other", "grounds",
    "by", "abrogated", "superseded", "modified", "vacated", "reversed", "affirmed", "quoting", "citing",
    "per", "curiam", "slip", "op", "amend", "art", "const", "ch", "pt", "cl", "para", "pet", "app",
    "granted", "dismissed", "mem", "table", "for", "a", "an", "to", "d", "l", "ed", "ct", "s",
}
# The record cited bare, as a sentence of its own: "RP 737.", "CP 164; RP 330.", "Exh. 14."
RECORD = re.compile(_RECORD)
ID = re.compile(r"\b(?:[Ii]d|[Ii]bid)\.")
# A provision cited by its section sign alone, as an opinion cites the statute it discusses
# ("§105.12(F).", "§§2.12(a)–(e), id., at 13."): an anchor of a citation sentence only, not an
# inline citation (a section number alone does not say of which law)
SECTION_SIGN = re.compile(r"§+\s*\d+[\w.]*(?:\([\w]+\))*(?:\s*[-–]\s*(?:\d+[\w.]*)?(?:\([\w]+\))*)?")
PARENTHETICAL = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


@lru_cache(maxsize=4096)  # asked twice per sentence: for itself and for the sentence before it
def citation_sentence(sentence: str) -> bool:
    """Is `sentence` a legal citation sentence: citations of cases, statutes, the record or "Id."
    and nothing else ("State v. Rohrich, 149 Wn.2d 647, 654, 71 P.3d 638 (2003).", "Id. at 12;
    RCW 9.94A.535.", "RP 287-88, 296.")? It asserts nothing of its own; it gives the authority for
    the sentence before it. Parentheticals ("(holding that ...)") are the cited case's words."""
    text = sentence
    while True:  # innermost brackets first: "(accord, State v. R, 149 Wn.2d 647 (2003))"
        stripped = PARENTHETICAL.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    anchors = 0
    for pattern in [p for rule, p in PATTERNS if rule in LEGAL_RULES] + [RECORD, ID, SECTION_SIGN]:
        text, n = pattern.subn(" ", text)
        anchors += n
    if not anchors:
        return False
    for word in re.findall(r"[A-Za-z][A-Za-z'’.]*", text):
        bare = word.rstrip(".").lower()
        if not (word[0].isupper() or bare in CITATION_WORDS or len(bare) == 1 or re.fullmatch(r"[ivxl]+", bare)):
            return False
    return True


def support_of(has_marker: bool, inline: list[InlineCitation]) -> str:
    """marker | inline | both | none."""
    if has_marker and inline:
        return "both"
    if has_marker:
        return "marker"
    return "inline" if inline else "none"
