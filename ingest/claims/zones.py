"""Which passages are body prose, and of which zone (body, summary, abstract).

Only body prose makes claims. Out: headings, captions, pull quotes, the table of contents,
sections that are apparatus (references, author information, acknowledgments, notices),
"Source:"/"Note:" lines, licence and contact lines, author bios, and short label-like
fragments (table cells, figure labels). A section headed "Summary" or "Abstract" is prose of
that zone until the next heading.
"""

from __future__ import annotations

import re

from citetrace.ingest.claims.sentences import LEAD_IN_END
from citetrace.ingest.model import Document

NON_BODY_KINDS = {"heading", "caption", "pullquote", "toc"}
APPARATUS_HEADING = re.compile(
    r"^(?:\d+\.?\s+)?(?:(?:table of )?contents|author(?:s|'s|s')? information|about the authors?|"
    r"about (?:the )?(?:authors?|us|this (?:report|publication|series|paper))|"
    r"about (?:the )?.{0,60}\b(?:institute|center|centre|foundation|program|council|society|"
    r"initiative|project)|authors?|contributors|acknowledge?ments?|references|"
    r"bibliography|works cited|sources|(?:end)?notes|footnotes|disclaimers?|contacts?|"
    r"suggested citation|citation|how to cite|copyright|list of (?:figures|tables|abbreviations)|"
    r"figures|tables|abbreviations|acronyms|glossary|"
    r"(?:congressional research service )?(?:disclaimer|contacts))\W*$", re.IGNORECASE)
ZONE_HEADING = {
    "summary": re.compile(r"^(?:executive )?summary\W*$|^key (?:findings|points|takeaways)\W*$",
                          re.IGNORECASE),
    "abstract": re.compile(r"^abstract\W*$", re.IGNORECASE),
}
TOC_LINE = re.compile(r"(?:\.\s?){5,}|…{2,}")
APPARATUS_LINE = re.compile(
    r"^(?:sources?|notes?|source and notes?)\s*:|^(?:figure|table|chart|exhibit|map)\s+\d+[.:]|"
    r"creative commons|licen[cs]ed under|all rights reserved|^©|^copyright\b|"
    r"^(?:https?://|www\.)\S+$|^\S+@\S+\.\w+$", re.IGNORECASE)
# "Svante E. Cornell, Ph.D., is Director of ...": a bio opens with a name and a position.
BIO = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+,?(?:\s+(?:Ph\.?D\.?|J\.?D\.?|M\.?D\.?),?)?\s+"
    r"(?:is|was|serves as|has served as)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}"
    r"(?i:director|fellow|professor|researcher|analyst|specialist|editor|chair|founder|"
    r"associate|lecturer|scholar|manager|head|partner|student|candidate)\b")
# "Julie M. Lawhorn", "April 15, 2026": a summary sidebar's byline, not a section heading
BYLINE = re.compile(r"^(?:[A-Z][a-z'’-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-z'’-]+|[A-Z]\.)){1,3}$|^\w+ \d{1,2}, \d{4}$")
WORDS = re.compile(r"[A-Za-z]{2,}")
TABLE_FOOT = re.compile(r"^(?:sources?|notes?|source and notes?)\s*:", re.IGNORECASE)
TABLE_NOTE = re.compile(r"^\s*[a-z]\.\s")  # "a. The Port Chicago ... memorial ...": a table's lettered note
# "Abstract The QA campaign at CLEF ...": a paper's abstract with its label run into its first line
INLINE_ABSTRACT = re.compile(r"^abstract\s*[:.—–-]?\s+(?=[A-Z])", re.IGNORECASE)
KEYWORDS = re.compile(r"^(?:key ?words?|index terms|categories and subject descriptors|ccs concepts|jel\b)",
                      re.IGNORECASE)
# two or more e-mail addresses: the authors' affiliations and contacts, not body prose
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def passage_zones(doc: Document) -> list[str | None]:
    """Per passage: its zone when it is body prose, else None.

    A "Summary" or "Abstract" heading covers its whole page (a CRS summary page reads its
    sidebar -- heading, date, author -- in the middle of the prose) and the pages after it up to
    the next heading; the author's name set as a heading on its page does not end it."""
    zones: list[str | None] = []
    section: str | None = "body"  # what the current heading opened (None: apparatus)
    zone_page: int | None = None  # page of the summary/abstract heading in force
    tables = table_passages(doc)
    for i, p in enumerate(doc.passages):
        text = p.text.strip()
        if i in tables:
            zones.append(None)
            continue
        if p.kind == "heading" and _cut_first_line(text, doc.passages[i + 1:i + 2]):
            zones.append(section if section is not None and _is_prose(text) else None)
            continue
        if p.kind in NON_BODY_KINDS:
            if p.kind == "heading":
                opened = _section(text)
                if opened in ZONE_HEADING:
                    zone_page = p.page
                    for k in range(len(zones) - 1, -1, -1):  # the prose before it on its page
                        if doc.passages[k].page != p.page:
                            break
                        if zones[k] is not None:
                            zones[k] = opened
                    section = opened
                elif not (zone_page == p.page and opened == "body" and BYLINE.match(text)):
                    section, zone_page = opened, None
            zones.append(None)
            continue
        if section == "abstract" and KEYWORDS.match(text):
            section, zone_page = "body", None  # the keywords close a paper's abstract; they are no prose
            zones.append(None)
            continue
        if section is None or not _is_prose(text, p.kind == "list_item"):
            zones.append(None)
            continue
        if p.kind == "paragraph" and INLINE_ABSTRACT.match(text):
            section, zone_page = "abstract", p.page
        zones.append(section)
    return zones


def _cut_first_line(text: str, following: list) -> bool:
    """A paragraph's first line the layout took for a heading: long, it stops on a lower-case
    word, and the next passage on its page goes on in lower case ("... security goals by" |
    "the end of Fiscal Year 2024.")."""
    if not following or following[0].kind != "paragraph":
        return False
    nxt = following[0].text.lstrip()
    return len(WORDS.findall(text)) >= 6 and bool(re.search(r"\b[a-z][a-z'’-]*$", text)) \
        and nxt[:1].islower()


def _is_cell(p) -> bool:
    """A table cell or column head: a short line with no sentence end."""
    text = p.text.strip()
    return p.kind in {"paragraph", "heading"} and 0 < len(text.split()) <= 8 \
        and not re.search(r"[.?!:;][\"'”’)]*$", text)


def table_passages(doc: Document) -> set[int]:
    """Passages of a table: from a run of at least four cells on a page to the table's
    "Source:"/"Notes:" line on the same page, and the lettered table notes after it. Its
    description cells are full sentences, but a table is not body prose."""
    passages = doc.passages
    out: set[int] = set()
    i = 0
    while i < len(passages):
        run = i
        while run < len(passages) and passages[run].page == passages[i].page and _is_cell(passages[run]):
            run += 1
        if run - i < 4:
            i += 1
            continue
        page = passages[i].page
        end = run
        while end < len(passages) and passages[end].page == page and not TABLE_FOOT.match(
                passages[end].text.strip()):
            end += 1
        if end == len(passages) or passages[end].page != page:  # no table foot on its page
            end = _foot_overleaf(passages, end)
            if end is None:
                i = run
                continue
        end += 1
        while end < len(passages) and passages[end].page == page and (
                TABLE_FOOT.match(passages[end].text.strip()) or TABLE_NOTE.match(passages[end].text)):
            end += 1
        out.update(range(i, end))
        i = end
    return out


def _foot_overleaf(passages, end: int) -> int | None:
    """A table run on to the next page: its foot ("Source:") comes there before any heading or
    title (a title's foot is its own figure's), so the rest of its first page and the top of the
    next are its rows. The foot's index, or None."""
    if end == len(passages):
        return None
    page = passages[end].page
    while end < len(passages) and passages[end].page == page:
        if passages[end].kind == "heading" or (passages[end].kind == "caption"
                                                 and not TABLE_FOOT.match(passages[end].text.strip())):
            return None
        if TABLE_FOOT.match(passages[end].text.strip()):
            return end
        end += 1
    return None


def _section(heading: str) -> str | None:
    if APPARATUS_HEADING.match(heading):
        return None
    for zone, pattern in ZONE_HEADING.items():
        if pattern.match(heading):
            return zone
    return "body"


def _is_prose(text: str, item: bool = False) -> bool:
    if not text or TOC_LINE.search(text) or APPARATUS_LINE.search(text) or BIO.match(text) \
            or len(EMAIL.findall(text)) >= 2:
        return False
    words = WORDS.findall(text)
    if len(words) < 3:
        return False
    # a short fragment with no sentence end that starts like a label: a table cell, a legend
    if not item and len(words) <= 6 and not re.search(r"[.?!:;,]$", text) and not text[0].islower() \
            and not LEAD_IN_END.search(text):
        return False
    if re.search(r"\s[·|•]\s", text) and not re.search(r"[.?!]", text):  # "Authors · October 2024"
        return False
    return True
