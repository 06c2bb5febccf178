"""Readable names for sources, and which sources are short forms of others.

``sources.title`` is empty for many sources (a case cited by its reporter, a bare URL in a
note), and pages used to fall back to the dedup key ("case:505 u.s. 1003",
"url:brennock-institute.org/..."). :func:`best_title` picks what a reader would call the
work: the stored title, else the title most notes give it, else a case's name as printed,
else the fetched page title (check-links), else words made from the URL.

A short form ("LWRA, “Baseline Study,” 17-19." after the full "Baseline Study of the
Municipal Water Utilities, 2016-2020") is parsed as a source of its own: :func:`short_forms`
pairs it with the full citation it abbreviates (same author, its title a word-prefix of the
full one, cited by a same document), so lists can show it under the full citation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from citetrace.db import ddl
from citetrace.ingest.citations.keys import norm_text
from citetrace.ingest.citations.patterns import CASE_NAME_RE, REPORTER_RE

_SIGNAL = re.compile(r"^(?:see(?:,? e\.g\.,| also| generally)?|cf\.|accord|but see|compare)\s+",
                     re.I)
_FILE_EXT = re.compile(r"\.(?:pdf|html?|aspx?|php|xlsx?|docx?|csv)$", re.I)


@dataclass
class SourceInfo:
    """A source with what its citations say of it (:func:`load_sources`)."""

    id: int
    key: str | None
    url: str | None
    title: str | None
    kind: str | None
    publisher: str | None
    citations: list[dict] = field(default_factory=list)  # id, footnote_id, text, title, ...
    documents: set = field(default_factory=set)
    page_title: str | None = None  # fetched by check-links, when the caller may read it

    @property
    def best_title(self) -> str:
        return best_title(self)


def _most_common(values) -> str | None:
    values = [" ".join(v.split()) for v in values if v and v.strip()]
    return Counter(values).most_common(1)[0][0] if values else None


def case_name(text: str | None) -> str | None:
    """'Lucas v. South Carolina Coastal Council, 505 U.S. 1003' from a case citation."""
    text = _SIGNAL.sub("", " ".join((text or "").split()))
    m = CASE_NAME_RE.match(text)
    reporter = REPORTER_RE.search(text)
    if not m and reporter and reporter.start() > 0:
        name = text[: reporter.start()].rstrip(" ,")
        m_name = name if 0 < len(name) <= 150 and "," not in name else None
    else:
        m_name = m.group("name") if m else None
    if not m_name:
        return None
    if reporter and reporter.group("page") != "at":
        return f"{m_name}, {reporter.group('vol')} {' '.join(reporter.group('rep').split())} " \
               f"{reporter.group('page')}"
    return m_name


def title_from_url(url: str | None) -> str | None:
    """'Water Tariff Household Survey 2024: Summary Tables (brennock-institute.org)'."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    words = []
    for segment in segments[-2:]:
        segment = _FILE_EXT.sub("", segment)
        text = " ".join(re.split(r"[-_+]+", segment)).strip()
        if text and not text.isdigit() and re.search(r"[A-Za-z]{3}", text):
            words.append(text[:1].upper() + text[1:] if text.islower() else text)
    if not words:
        return host
    titled = [" ".join(w[:1].upper() + w[1:] if w.islower() and len(w) > 3 else w
                       for w in part.split()) for part in words]
    return f"{': '.join(titled)} ({host})"


def is_case(kind: str | None, key: str | None) -> bool:
    """A source whose notes name it by its case name ("Lucas v. ...")."""
    return kind == "legal_case" or (key or "").startswith("case:")


# Where a readable title came from (sources.readable_title_from), in the order they are tried;
# a fetched page title (check-links) comes after CITED_ORIGINS and before the URL.
CITED_ORIGINS = ("title", "citations", "case")


def readable_title(source_id: int, key: str | None, title: str | None, cited: str | None,
                   case: str | None, page_title: str | None, url: str | None) -> tuple[str, str]:
    """(title, where it came from): the stored title, else the title most notes give, else a
    case's name as printed (``case``: None for other sources), else the fetched page title,
    else words made from the URL, else the key."""
    if title and title.strip():
        return " ".join(title.split()), "title"
    if cited:
        return cited, "citations"
    if case:
        return case, "case"
    if page_title and page_title.strip():
        return " ".join(page_title.split()), "page"
    from_url = title_from_url(url)
    if from_url:
        return from_url, "url"
    return (key or "").partition(":")[2] or f"Source {source_id}", "key"


def best_title(source: SourceInfo) -> str:
    case = None
    if is_case(source.kind, source.key):
        case = _most_common(case_name(c.get("text")) for c in source.citations)
    url = source.url or next((c.get("url") for c in source.citations if c.get("url")), None)
    return readable_title(source.id, source.key, source.title,
                          _most_common(c.get("title") for c in source.citations), case,
                          source.page_title, url)[0]


# --- loading -------------------------------------------------------------------------------

def _qmarks(values) -> str:
    return ",".join("?" for _ in values)


TITLE_CITATIONS = 50  # citations read per source to choose its title (a collection's
# most cited source has thousands, all saying much the same)


def load_sources(conn, ids=None, page_titles: bool = False, per_source: int | None = None,
                 all_documents: bool = False) -> dict[int, SourceInfo]:
    """The sources ``ids`` (all when None) with their citations and citing documents: all of
    them, or the first ``per_source`` of each (enough for :func:`best_title`), then with the
    documents of those citations only, or of all when ``all_documents`` (from note_sources).

    Reads sources, citations and footnotes; link_checks (through source_health) only when
    ``page_titles`` (the caller checked the reader may view them)."""
    where, params = "", []
    if ids is not None:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return {}
        where, params = f"where s.id in ({_qmarks(ids)})", ids
    found = {}
    for row in conn.execute(f"select s.id, s.key, s.url, s.title, s.kind, s.publisher "
                            f"from sources s {where}", params):
        found[row[0]] = SourceInfo(*row)
    columns_sql = ("select c.source_id, c.id, c.footnote_id, c.text, c.title, c.authors, c.date, "
                   "c.date_text, c.container, c.publisher, c.place, c.url, c.doi, c.pages, "
                   "c.kind, c.short_form, f.document_id from citations c "
                   "join footnotes f on f.id = c.footnote_id ")
    order = " order by c.source_id, f.document_id, f.seq, c.seq, c.id"
    if per_source is not None and ids is not None:
        # the first citations of each source, by id (its index order), one query each
        cursors = [conn.execute(columns_sql + "where c.id in (select id from citations "
                                "where source_id = ? order by id limit ?)" + order,
                                [sid, per_source]) for sid in ids]
    else:
        cwhere = f"where c.source_id in ({_qmarks(ids)})" if ids is not None else \
            "where c.source_id is not null"
        cursors = [conn.execute(columns_sql + cwhere + order, params)]
    if all_documents and ids:  # from note_sources' covering index
        for sid, doc in conn.execute("select distinct source_id, document_id from note_sources "
                                     f"where source_id in ({_qmarks(ids)})", ids):
            if sid in found:
                found[sid].documents.add(doc)
    for cur in cursors:
        columns = [d[0] for d in cur.description][1:]
        for row in cur:
            source = found.get(row[0])
            if source is None:
                continue
            cite = dict(zip(columns, row[1:]))
            source.citations.append(cite)
            source.documents.add(cite["document_id"])
    if page_titles:
        for sid, title in fetched_titles(conn, found).items():
            found[sid].page_title = title
    return found


def fetched_titles(conn, ids) -> dict[int, str]:
    """source id -> the title of its page as check-links fetched it (source_health), for
    the ``ids`` whose link answered; none from a database never checked."""
    ids = list(ids)
    if not ids or not ddl.exists(conn, "source_health"):
        return {}
    return dict(conn.execute(f"select source_id, title from source_health where source_id in "
                             f"({_qmarks(ids)}) and verdict in ('ok', 'redirected', 'moved')",
                             ids))


# --- short forms ---------------------------------------------------------------------------

def is_short_form(key: str | None, url: str | None) -> bool:
    """May abbreviate another source: keyed by its title, with no URL or DOI of its own."""
    return (key or "").startswith("title:") and not url


def author_tag(key: str | None) -> str | None:
    """The surname (or acronym) a title key was made with: 'title:baseline study|lwra'."""
    key = key or ""
    return key.partition("|")[2] or None if key.startswith("title:") else None


def abbreviates(words: tuple, full_words: tuple, full_key: str | None) -> bool:
    """A short form's title ``words`` are the full title's first words, or all of them when
    the full one is keyed by URL (not by its title)."""
    longer = len(full_words) > len(words) and full_words[:len(words)] == words
    same = full_words == words and not (full_key or "").startswith("title:")
    return longer or same


def names_author(tag: str | None, citations) -> bool:
    """``tag`` (None: no author to find) is a word of the citations' authors or text."""
    return tag is None or any(tag in norm_text(f"{authors or ''} {text or ''}").split()
                              for authors, text in citations)


def short_forms(sources: dict[int, SourceInfo]) -> dict[int, int]:
    """short-form source id -> id of the full source it abbreviates.

    A short form has no URL or DOI of its own (its key is a title key), its title is the
    full title's first words (or the whole of it, when the full one is keyed by URL), the
    full citation names its author, and a same document cites both. Of several, the one
    with the fewest words, then the lowest id."""
    titled = []
    for s in sources.values():
        words = tuple(norm_text(best_title(s)).split())
        if words:
            titled.append((s, words))
    # every title under its first words: a short form looks only there, not at all sources
    by_start: dict[tuple, list] = {}
    for full, full_words in titled:
        by_start.setdefault(full_words[:_INDEXED_WORDS], []).append((full, full_words))
    out = {}
    for short, words in titled:
        if not is_short_form(short.key, short.url):
            continue
        author = author_tag(short.key)
        fulls = [(len(full_words), full.id) for full, full_words in _starting_with(by_start, words)
                 if full.id != short.id and short.documents & full.documents
                 and abbreviates(words, full_words, full.key)
                 and names_author(author, ((c.get("authors"), c.get("text"))
                                           for c in full.citations))]
        if fulls:
            out[short.id] = min(fulls)[1]
    return out


_INDEXED_WORDS = 2


def _starting_with(by_start: dict, words: tuple):
    """The indexed titles that may start with ``words``."""
    if len(words) >= _INDEXED_WORDS:
        return by_start.get(words[:_INDEXED_WORDS], ())
    return [item for key, items in by_start.items() if key[:len(words)] == words
            for item in items]
