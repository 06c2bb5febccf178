"""Titles that a kind of document states by convention rather than by type size.

A memorandum names its subject in a labelled line ("SUBJECT: ..."); a Federal Register
document sets its subject in bold right above its labelled header ("AGENCY: ..."); a court
opinion or brief is known by its caption ("TARRANT REGIONAL WATER DISTRICT v. HERRMANN").
On these pages the largest type is the issuer, not the document: the court's name, the
office's letterhead, the Register's section ("Proposed Rules"), so the largest-type rule of
`title.py` would name the wrong thing. Each rule here needs the convention's own marks (the
label and its colon, a "v." between two parties in capitals) in the upper part of page 1.
"""

from __future__ import annotations

import re

from citetrace.ingest.passages import Block
from citetrace.ingest.text import in_capitals
from citetrace.ingest.tolerances import CONVENTION_TOP, HEADING_LINES, TITLE_CHARS

# a memo's subject line: the label, its colon, the subject ("Re:" as letters write it)
SUBJECT = re.compile(r"^(?:SUBJECT|Subject|SUBJ|RE|Re)\s*:\s*(?P<text>\S.*)$")
# the labelled header fields of a Federal Register document, which follow its subject line
AGENCY_HEADER = re.compile(r"^(?:AGENCY|ACTION)\s*:")
# "A v. B" / "A vs. B": the case name of a caption (lower-case "v", as captions print it;
# "V." in capitals only as a line of its own)
VERSUS = re.compile(r"(?:^|\s)(?:v|vs)\.?(?=\s|$)")
LONE_VERSUS = re.compile(r"^(?:v|V|vs|VS)\.?$")
# a party's role after its name in a caption ("STATE OF WASHINGTON, Respondent")
ROLE = re.compile(r",?\s*\b(?:(?:cross|third-party)[- ])?(?:respondent|appellant|petitioner|plaintiff|"
                  r"defendant|appellee|intervenor|claimant)s?(?:[-/ ](?:respondent|appellant|"
                  r"petitioner|plaintiff|defendant|appellee)s?)?\.?$", re.IGNORECASE)


def convention_title(first: list[Block], height: float) -> tuple[str, list[Block]] | None:
    """(title, the blocks that print it) by a memo's, a rule's or a court's convention, read
    from page 1's blocks in reading order; None when the page follows none of them."""
    top = [b for b in first if b.lines[0].top < CONVENTION_TOP * height]
    return _subject_line(top) or _agency_header(top) or _caption(top)


def _flat(b: Block) -> str:
    return " ".join(b.text.split())


def _subject_line(blocks: list[Block]) -> tuple[str, list[Block]] | None:
    for b in blocks:
        m = SUBJECT.match(_flat(b))
        if m and len(b.lines) <= HEADING_LINES and len(m["text"]) <= TITLE_CHARS \
                and len(m["text"].split()) >= 2:
            return m["text"], [b]
    return None


def _agency_header(blocks: list[Block]) -> tuple[str, list[Block]] | None:
    """The bold block right above the first "AGENCY:" / "ACTION:" field in its column."""
    for i, b in enumerate(blocks):
        if AGENCY_HEADER.match(_flat(b)):
            prev = next((p for p in reversed(blocks[:i]) if p.column is b.column), None)
            if prev is not None and all(ln.bold for ln in prev.lines) \
                    and len(prev.lines) <= HEADING_LINES and len(_flat(prev)) <= TITLE_CHARS \
                    and len(_flat(prev).split()) >= 2:
                return _flat(prev), [prev]
            return None
    return None


def _caption(blocks: list[Block]) -> tuple[str, list[Block]] | None:
    """A case name in capitals: "A v. B" in one block, or with "v." at the end or start of
    one block and the other party in the block before or after it (or "v." set alone)."""
    for i, b in enumerate(blocks):
        text = " ".join("v." if LONE_VERSUS.match(ln.body_text.strip()) else ln.body_text
                        for ln in b.lines)
        text = " ".join(text.split())
        m = VERSUS.search(text)
        if m is None or len(b.lines) > HEADING_LINES:
            continue
        run = [b]
        before, after = text[:m.start()].strip(), text[m.end():].strip()
        if not before and i > 0:
            run.insert(0, blocks[i - 1])
            before = _flat(blocks[i - 1])
        if not after and i + 1 < len(blocks):
            run.append(blocks[i + 1])
            after = _flat(blocks[i + 1])
        parties = [_party(before), _party(after)]
        if all(p and _capitals(p) for p in parties) and all(len(r.lines) <= HEADING_LINES for r in run) \
                and sum(len(p) for p in parties) <= TITLE_CHARS:
            return f"{parties[0]} v. {parties[1]}", run
    return None


def _party(text: str) -> str:
    return ROLE.sub("", text).strip(" ,")


def _capitals(text: str) -> bool:
    """Set in capitals, but for "et al." (which captions print in lower case too)."""
    name = re.sub(r"\bet al\.?", "", text, flags=re.IGNORECASE)
    return sum(c.isalpha() for c in name) >= 2 and in_capitals(name)
