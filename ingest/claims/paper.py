"""A research paper, read from the document's own apparatus, and how it cites its references.

A scientific or scholarly article prints an abstract, a keywords or classification block
("Keywords", "Index Terms", "Categories and Subject Descriptors", "CCS Concepts", "JEL"), a
numbered introduction ("1. Introduction", "I. INTRODUCTION"), its authors' e-mail addresses on
the first page and a reference list. In such a paper the authors describe their own system,
method, data and measurements ("We implemented X for SpiderMonkey", "we measured speedups of
10x"): under the claims guidelines those are checkable statements (T1/T5), not the authors'
view, as a think tank's "we believe" is. The reading is made once per document from its
lines, never from one sentence: the same "we ran" in a report keeps the report's rules.

A paper whose reference list is numbered ("[12] A. Gal, ...") cites by number in its text:
"Gal et al. (11)", "the QA campaign at CLEF [1]". Those numbers are its formal citations
(inline support), like an author-year reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Abstract" as a heading, or as the first word of the abstract's paragraph ("Abstract The QA ...")
ABSTRACT = re.compile(r"^(?:abstract|summary of the paper)(?:\s*[:.—–-]?\s*$|[\s:.—–-]+[A-Z])", re.IGNORECASE)
KEYWORDS = re.compile(r"^(?:key ?words?|index terms|categories and subject descriptors|general terms|"
                      r"ccs concepts|acm reference format|jel(?: classification)?(?: codes?)?)\b", re.IGNORECASE)
INTRODUCTION = re.compile(r"^(?:1\.?|I\.)\s+introduction\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\{[\w.,\s-]+\}@[\w-]+(?:\.[\w-]+)+")
REFERENCES = re.compile(r"^(?:\d+\.?\s+)?(?:references|bibliography|works cited|literature cited|"
                        r"references and notes)\W*$", re.IGNORECASE)
# a numbered reference list entry: "[12] C. Garrett, J. Dean, ..." or "12. Garrett C, ..."
NUMBERED_ENTRY = re.compile(r"^\[(\d{1,3})\]\s+\S")
MIN_MARKS = 2
MIN_ENTRIES = 3


@dataclass(frozen=True)
class Paper:
    evidence: str  # the marks that showed it, quoted in reasons ("abstract, keywords")
    references: int = 0  # entries of a numbered reference list ("[1]" ... "[19]"), 0 if none


def research_paper(lines: list[str]) -> Paper | None:
    """The paper, when its lines show an abstract and at least one other mark of a research
    article (keywords or subject block, a numbered introduction, e-mail addresses of its
    authors, a numbered reference list)."""
    lines = [" ".join(line.split()) for line in lines if line and line.strip()]
    marks: list[str] = []
    if any(ABSTRACT.match(line) for line in lines):
        marks.append("an abstract")
    if any(KEYWORDS.match(line) for line in lines):
        marks.append("a keywords or subject block")
    if any(INTRODUCTION.match(line) for line in lines):
        marks.append("a numbered introduction")
    if sum(len(EMAIL.findall(line)) for line in lines) >= 2:
        marks.append("its authors' e-mail addresses")
    entries = _numbered_entries(lines)
    if entries >= MIN_ENTRIES:
        marks.append("a numbered reference list")
    if "an abstract" not in marks or len(marks) < MIN_MARKS:
        return None
    return Paper(", ".join(marks), entries)


def _numbered_entries(lines: list[str]) -> int:
    """The highest number of a run of "[n]" entries that starts at [1] after a references
    heading (a numbered list of references, not bracketed numbers in the text)."""
    best = 0
    after = False
    for line in lines:
        if REFERENCES.match(line):
            after = True
            continue
        if not after:
            continue
        for m in re.finditer(r"(?:^|\s)\[(\d{1,3})\]\s+[A-Z]", line):
            n = int(m.group(1))
            if n == best + 1:
                best = n
    return best
