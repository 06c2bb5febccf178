"""Cited sources as reference-manager files: CSL-JSON, BibTeX and RIS (Zotero, Mendeley,
EndNote and JabRef import each of them).

One record per source (:func:`records`), from what its citations say (the most common
authors, date, journal...) and its readable title (:mod:`db.source_titles`); the writers
only format. Text comes from PDFs, so every writer keeps a value inside its field: BibTeX
escapes its special characters (a ``}`` cannot close the field), RIS puts each value on one
line (a newline cannot start a new tag or record), CSL-JSON is ``json.dumps``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from citetrace.db.source_titles import SourceInfo, load_sources

FORMATS = {"csl-json": "csl.json", "bibtex": "bib", "ris": "ris"}  # format -> file extension
MEDIA_TYPES = {"csl-json": "application/vnd.citationstyles.csl+json",
               "bibtex": "application/x-bibtex", "ris": "application/x-research-info-systems"}

CSL_TYPES = {"web": "webpage", "report": "report", "article": "article-journal",
             "book": "book", "legal_case": "legal_case", "statute": "legislation",
             "government": "report", "other": "document"}
BIBTEX_TYPES = {"article": "article", "book": "book", "report": "techreport",
                "government": "techreport"}  # everything else: misc
RIS_TYPES = {"web": "ELEC", "report": "RPRT", "article": "JOUR", "book": "BOOK",
             "legal_case": "CASE", "statute": "STAT", "government": "RPRT", "other": "GEN"}

# Words that make an author a body, not a person ("Lorvane Water Regulatory Authority").
_BODY_WORDS = re.compile(
    r"\b(?:Authority|Institute|Institution|Bank|Office|Ministry|Network|Court|Agency|Service|"
    r"Council|Commission|Department|University|Association|Forum|Organi[sz]ation|Fund|Research|"
    r"Statistics|Bureau|Committee|Group|Cent(?:er|re)|Foundation|Press|Government|Republic|"
    r"Company|Corporation|Board|Parliament|Assembly|Union|Ombudsman|Nations|Congress|Senate)\b")
_AUTHOR_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass
class Name:
    family: str | None = None
    given: str | None = None
    literal: str | None = None  # a body, or a name that does not split


@dataclass
class Record:
    id: int
    kind: str
    title: str
    authors: list[Name] = field(default_factory=list)
    date: str | None = None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD
    container: str | None = None
    publisher: str | None = None
    place: str | None = None
    url: str | None = None
    doi: str | None = None

    @property
    def key(self) -> str:
        return f"citetrace{self.id}"

    @property
    def date_parts(self) -> list[int]:
        m = _DATE.match(self.date or "")
        return [int(p) for p in m.groups() if p] if m else []


def split_authors(text: str | None) -> list[Name]:
    text = one_line(text)
    if not text:
        return []
    names = []
    for part in _AUTHOR_SPLIT.split(text):
        part = part.strip(" .")
        if not part:
            continue
        words = part.split()
        if _BODY_WORDS.search(part) or len(words) == 1 or len(words) > 4 \
                or not all(w[:1].isupper() for w in words):
            names.append(Name(literal=part))
        else:
            names.append(Name(family=words[-1], given=" ".join(words[:-1])))
    return names


def one_line(value) -> str:
    """A value on one line: control characters (newlines too) become spaces."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def _common(values) -> str | None:
    values = [one_line(v) for v in values if v and one_line(v)]
    return Counter(values).most_common(1)[0][0] if values else None


def record(source: SourceInfo) -> Record:
    cites = source.citations
    pick = lambda name: _common(c.get(name) for c in cites)  # noqa: E731
    container = pick("container")
    # sources.publisher holds the publisher or the container (journal, report series)
    stored = one_line(source.publisher)
    publisher = pick("publisher") or (stored if stored != container else None)
    return Record(
        id=source.id, kind=source.kind or pick("kind") or "other",
        title=one_line(source.best_title), authors=split_authors(pick("authors")),
        date=pick("date"), container=container, publisher=publisher, place=pick("place"),
        url=one_line(source.url) or pick("url"), doi=pick("doi"))


def records(conn, document_id: int | None = None, source_id: int | None = None) -> list[Record]:
    """The sources cited by one document's notes, one source, or every cited source."""
    if source_id is not None:
        ids = [source_id]
    elif document_id is not None:
        ids = [r[0] for r in conn.execute(
            "select distinct c.source_id from citations c join footnotes f on f.id = c.footnote_id "
            "where f.document_id = ? and c.source_id is not null", [document_id])]
    else:
        ids = None
    found = load_sources(conn, ids)
    return [record(s) for _, s in sorted(found.items()) if s.citations or source_id is not None]


# --- CSL-JSON ------------------------------------------------------------------------------

def to_csl_json(items: list[Record]) -> str:
    out = []
    for r in items:
        item = {"id": r.key, "type": CSL_TYPES.get(r.kind, "document"), "title": r.title}
        if r.authors:
            item["author"] = [{"literal": n.literal} if n.literal else
                              {"family": n.family, "given": n.given} for n in r.authors]
        if r.date_parts:
            item["issued"] = {"date-parts": [r.date_parts]}
        for csl, value in (("container-title", r.container), ("publisher", r.publisher),
                           ("publisher-place", r.place), ("URL", r.url), ("DOI", r.doi)):
            if value:
                item[csl] = value
        out.append(item)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


# --- BibTeX --------------------------------------------------------------------------------

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
                "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}",
                "~": r"\textasciitilde{}"}
_BIB_RE = re.compile("|".join(re.escape(c) for c in _BIB_SPECIAL))


def bib_text(value) -> str:
    """A value for a braced BibTeX field: LaTeX specials escaped, so no brace is unbalanced."""
    return _BIB_RE.sub(lambda m: _BIB_SPECIAL[m.group()], one_line(value))


def bib_url(value) -> str:
    """URLs stay verbatim (the url field is read as is) but for what could end the field."""
    return quote(one_line(value), safe="!#$%&'()*+,-./:;=?@[]^_`|~")


def _bib_name(n: Name) -> str:
    if n.literal:
        return "{" + bib_text(n.literal) + "}"  # braced: a body is not split into names
    return f"{bib_text(n.family)}, {bib_text(n.given)}"


def to_bibtex(items: list[Record]) -> str:
    entries = []
    for r in items:
        kind = BIBTEX_TYPES.get(r.kind, "misc")
        fields = [("title", bib_text(r.title))]
        if r.authors:
            fields.append(("author", " and ".join(_bib_name(n) for n in r.authors)))
        parts = r.date_parts
        if parts:
            fields.append(("year", str(parts[0])))
            if len(parts) > 1:
                fields.append(("month", str(parts[1])))
        if r.container:
            fields.append(("journal" if kind == "article" else "howpublished"
                           if kind == "misc" else "series", bib_text(r.container)))
        if r.publisher:
            fields.append(("institution" if kind == "techreport" else "publisher",
                           bib_text(r.publisher)))
        if r.place:
            fields.append(("address", bib_text(r.place)))
        if r.doi:
            fields.append(("doi", bib_url(r.doi)))
        if r.url:
            fields.append(("url", bib_url(r.url)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{r.key},\n{body}\n}}\n")
    return "\n".join(entries)


# --- RIS -----------------------------------------------------------------------------------

def to_ris(items: list[Record]) -> str:
    lines = []
    for r in items:
        tag_lines = [("TY", RIS_TYPES.get(r.kind, "GEN")), ("ID", r.key), ("TI", r.title)]
        for n in r.authors:
            tag_lines.append(("AU", n.literal or f"{n.family}, {n.given}"))
        parts = r.date_parts
        if parts:
            tag_lines.append(("PY", str(parts[0])))
            tag_lines.append(("DA", "/".join(f"{p:02d}" if i else str(p)
                                             for i, p in enumerate(parts))))
        for tag, value in (("T2", r.container), ("PB", r.publisher), ("CY", r.place),
                           ("DO", r.doi), ("UR", r.url)):
            if value:
                tag_lines.append((tag, value))
        lines += [f"{tag}  - {one_line(value)}" for tag, value in tag_lines]
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


WRITERS = {"csl-json": to_csl_json, "bibtex": to_bibtex, "ris": to_ris}


def export(conn, fmt: str, document_id: int | None = None, source_id: int | None = None) -> str:
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(WRITERS)})")
    return WRITERS[fmt](records(conn, document_id=document_id, source_id=source_id))
