"""The authors writing about their own text and reasoning, in plain statements (F4, F8, F1).

Rules on the parse of a sentence's main clause that any report's structure shows: its own
exhibits as subject ("Table 3 lists ..."), a conclusion drawn with "thus"/"therefore", and a
subject that only points back at what the report said ("several of these issues").
"""

from __future__ import annotations

import re

# "Table 3", "Figures 1 and 2", "Appendix A", "Fig. 4": the document's own exhibits
EXHIBIT = re.compile(r"(?:tables?|figures?|figs?\.?|charts?|exhibits?|appendix|appendices|maps?|boxes|box|graphs?)"
                     r"(?:\s+(?:[A-Z]|[A-Z]?\d+(?:[.-]\d+)*[a-z]?)(?=\s|$)(?:\s*(?:,|and|through|to|-)\s*)?)+",
                     re.IGNORECASE)
# "Thus, ...", "Therefore ...", "As such, ...": a conclusion the authors draw from what they said
CONSEQUENCE = re.compile(r"^(?:thus|hence|therefore|consequently|accordingly|as such|it follows that)\b",
                         re.IGNORECASE)
# "several of these issues", "many of them", "each of those": a quantity of what was said before
QUANTIFIERS = {"several", "many", "some", "most", "few", "all", "each", "both", "any", "none", "much",
               "either", "neither", "one", "two", "three"}
POINTERS = {"this", "these", "those", "them", "that", "such"}


def exhibit_subject(head) -> str | None:
    """'Table 3 lists national memorials ...', 'Figure 1 shows the foreign share since 1945':
    the document's own table or figure as subject, and what it holds is not in the sentence (F4).
    Not when a clause states what it shows ("Table 3 shows that exports fell by 12 percent"):
    that reports the figures. Returns the subject's words."""
    subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if subj is None or any(c.dep_ == "ccomp" for c in head.children):
        return None
    words = " ".join(t.text for t in subj.subtree)
    return words if EXHIBIT.fullmatch(words) else None


def consequence(clean: str, head) -> str | None:
    """'Thus, the closure has wide-ranging effects ...', 'As such, all grantees are held
    accountable ...': the authors' conclusion from their own statements (F8), in the present
    tense. Not a past event ("Thus, the agency revised ..."), nor a rank or comparison ("Thus, the
    Gulf is one of the world's major sources"): those are facts (T1/T4); the caller lets numbers,
    dates and laws win. Returns the opener."""
    m = CONSEQUENCE.match(clean)
    if m is None:
        return None
    verbs = [head] + [c for c in head.children if c.dep_ in {"aux", "auxpass"}]
    if not any(v.tag_ in {"VBZ", "VBP"} for v in verbs) or any(
            c.dep_ == "aux" and c.lower_ in {"has", "have"} and head.tag_ == "VBN" for c in head.children):
        return None  # past or perfect: what happened
    if any(t.tag_ in {"JJR", "JJS", "RBR", "RBS"} or (t.lower_ == "one" and any(c.lower_ == "of" for c in t.children))
           for t in head.subtree):
        return None
    return m.group(0)


def points_back(subj) -> bool:
    """'Several of these issues', 'many of them', 'each of those reforms': a quantity of
    what the report has just discussed, as vague as "these" alone."""
    if subj is None or subj.lower_ not in QUANTIFIERS:
        return False
    for prep in (c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"):
        for obj in (c for c in prep.children if c.dep_ == "pobj"):
            if obj.lower_ in POINTERS or any(d.dep_ == "det" and d.lower_ in POINTERS for d in obj.children):
                return True
    return False


# "is composed of", "consists of", "comprises", "is made up of": a thing described by its parts
COMPOSED = re.compile(r"^(?:is|are) (?:composed|made up) of$|^consists? of$|^comprises?$|^comprised of$")


def made_of(head) -> str | None:
    """'The gross debt is composed of debt held by the public and ...': in the present tense, what
    a thing is made of defines it (F5); the caller keeps it a claim when it names someone or
    something ("The council comprises the mayors of Ohio"). Returns the verb's words."""
    aux = [c for c in head.children if c.dep_ in {"auxpass", "aux"} and c.tag_ in {"VBZ", "VBP"}]
    prep = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if aux and prep is not None:
        words = f"{aux[0].lower_} {head.lower_} {'up ' if any(c.lower_ == 'up' for c in head.children) else ''}of"
    elif head.tag_ in {"VBZ", "VBP"} and (prep is not None or head.lower_.startswith("compris")):
        words = f"{head.lower_} of" if prep is not None else head.lower_
    else:
        return None
    return words if COMPOSED.match(words) else None


def evaluative_attribute(head, evaluative: set[str]) -> str | None:
    """'Investment in nuclear has become an urgent necessity', 'X is a serious problem': a
    copula whose noun carries an evaluative adjective labels the subject (F1); the caller keeps
    it a claim when it names someone or something, and "there are only limited spaces" says
    what exists. Returns the noun phrase's core words."""
    if any(c.dep_ == "expl" for c in head.children) or head.lower_ not in {"is", "are", "was", "were", "be", "been", "become", "becomes", "became",
                           "remain", "remains", "remained"}:
        return None
    for attr in (c for c in head.children if c.dep_ == "attr" and c.tag_ in {"NN", "NNS"}):
        adjectives = [a for a in attr.children if a.dep_ == "amod" and a.lower_ in evaluative | {"urgent"}]
        if adjectives:
            return f"{adjectives[0].text} {attr.text}"
    return None
