"""One citation segment to a :class:`Citation`: signal, short form, authors, title, outlet,
publisher, place, date, pages, kind and source key.
"""

from __future__ import annotations

import re

from ..model import Citation
from ..urls import find_urls, is_archive, normalize_url
from .dates import find_date
from .keys import report_number, source_key
from .patterns import (
    ACT_LOCATOR_RE,
    AFTER_PUBLISHER_RE,
    AND_RE,
    AUTHOR_DATE_RE,
    CASE_NAME_RE,
    CASE_SHORT_RE,
    CONTINUED_NAME_RE,
    CRS_PRODUCT_RE,
    CRS_TITLE_RE,
    DOCKET_RE,
    DOI_RE,
    DOMAIN_TOKEN_RE,
    EDITORS_RE,
    EG_RE,
    ET_AL_END_RE,
    GAO_REPORT_RE,
    GAZETTE_RE,
    GENRE_RE,
    GOV_AUTHORS_RE,
    GOV_HOST_RE,
    HEREINAFTER_OPEN_RE,
    IBID_RE,
    IN_BOOK_RE,
    IN_BY_NAME_RE,
    JOURNAL_MARK_RE,
    LAW_JOURNAL_RE,
    LEAD_IN_NAME_RE,
    LEAD_IN_RE,
    LOWER_AFTER_RE,
    MAX_AUTHORS_LEN,
    MAX_NAME_WORDS,
    MAX_ORG_WORDS,
    MAX_OUTLET_FIELDS,
    MIN_CAPS_ONE_WORD_NAME,
    MIN_ORG_WORDS,
    MONTH_START_RE,
    NAMED_ACT_RE,
    NAME_FIELD_RE,
    NAME_TOKEN_RE,
    NOT_NAME_TOKEN_RE,
    NOT_ORG_RE,
    ORG_CONNECTORS,
    OUTLET_FIELD_RE,
    PAGES_RE,
    PAREN_GROUP_RE,
    PIN_RE,
    PLACE_RE,
    PRESS_RE,
    PUBLISHER_WORD_RE,
    QUOTE_RE,
    REPORTER_RE,
    REPORT_WORD_RE,
    SENTENCE_END_RE,
    SIGNAL_NAMES,
    SIGNAL_RE,
    SPACED_PAREN_GROUP_RE,
    STATUTE_RE,
    SUPRA_WINDOW,
    SUPRA_WORD_RE,
    TITLE_LEAD_RE,
    TITLE_STOP_RE,
    TRAILING_NAMES_RE,
)
from .scan import inside_parens, is_abbreviation, mask_explanatory, prose, without_urls


def build(seg: str, note: int, spans=None) -> Citation:
    """The citation ``seg`` prints. ``spans``: :func:`find_urls` of ``seg``, when the caller
    has them already (found once; kept in ``Citation.printed_urls``)."""
    spans = find_urls(seg) if spans is None else spans
    signal, body = strip_signal(seg)
    urls = [u for _, _, u in spans]
    cite = Citation(note=note, seq=0, text=seg, signal=signal, printed_urls=urls)
    live = [u for u in urls if not is_archive(u)] or urls
    cite.url = live[0] if live else None
    doi = DOI_RE.search(seg)
    cite.doi = doi.group(1) if doi else None
    _short_form(cite, body)
    title = None if cite.short_form in ("ibid", "id") else title_span(body)
    if cite.short_form in ("ibid", "id"):
        pass  # everything else comes from the antecedent
    elif title:
        cite.title = _clean_title(body[title[0] : title[1]])
        cite.authors = _authors_before(body[: title[0] - 1])
        _container(cite, body[title[1] + 1 :])
    else:
        _unquoted_fields(cite, body)
    _place_publisher(cite, body)
    plain = mask_explanatory(without_urls(seg, spans))
    cite.date, cite.date_text = find_date(plain, exclude=title and cite.title)
    pages = PAGES_RE.search(plain)
    pin = PIN_RE.search(mask_explanatory(body)) if cite.short_form or REPORTER_RE.search(body) else None
    cite.pages = pages.group().strip() if pages else (f"at {pin.group(1)}" if pin else None)
    cite.kind = _kind(cite, body)
    cite.source_key = source_key(cite)
    return cite


def strip_signal(seg: str) -> tuple[str | None, str]:
    """("See also", rest) for "See also, e.g., X"; lead-ins like "For details, see" are dropped."""
    m = SIGNAL_RE.match(seg)
    if m and (not m.group("lead") or LEAD_IN_RE.match(m.group("lead"))):
        return SIGNAL_NAMES[m.group("sig").lower()], EG_RE.sub("", seg[m.end() :])
    return None, EG_RE.sub("", seg)


def _short_form(cite: Citation, body: str) -> None:
    if IBID_RE.match(body):
        cite.short_form = IBID_RE.match(body).group("form").lower()
    elif SUPRA_WORD_RE.search(body[:SUPRA_WINDOW]):
        cite.short_form = "supra"


def title_span(body: str) -> tuple[int, int] | None:
    """Span of the quoted title: a quotation that starts the reference or follows a comma,
    colon or "see"/"in"/"and", or ends with a comma (the CMOS '...,"' form).

    Quotations inside prose ("defines it as “the conditions for ...”") are not titles.
    """
    for m in QUOTE_RE.finditer(body):
        inner = m.group("a") if m.group("a") is not None else m.group("b")
        if len(inner.split()) < 1 or inside_parens(body, m.start()):
            continue
        # “Background Principles” in the Law of ...: a quoted phrase inside an unquoted title
        if LOWER_AFTER_RE.match(body[m.end() :]) and not inner.rstrip().endswith((",", ".")):
            continue
        before = body[: m.start()].rstrip()
        lead_ok = not before or before[-1] in ",:" or TITLE_LEAD_RE.search(before)
        if lead_ok or inner.rstrip().endswith(","):
            if HEREINAFTER_OPEN_RE.search(before):
                continue
            return m.start() + 1, m.end() - 1
    return None


def _clean_title(title: str) -> str:
    """Collapse spaces; drop the comma or period CMOS puts inside the closing quote,
    but not the period of "U.S." nor a question mark."""
    title = " ".join(title.split()).rstrip(" ,;:")
    while title.endswith(".") and not is_abbreviation(title, len(title) - 1):
        title = title[:-1].rstrip(" ,")
    return title


def _authors_before(text: str) -> str | None:
    """Authors are what precedes the title, minus a lead-in ("the study of this in X")."""
    text = PAREN_GROUP_RE.sub("", text).strip(" ,.:")
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text) if not is_abbreviation(text, m.start())]
    if ends:  # "42 U.S.C. §3144. The FY2025 NOFO noted that, “...”": only the last sentence
        text = text[ends[-1] :]
    if not text or len(text) > MAX_AUTHORS_LEN:
        return None
    if prose(text) or IN_BY_NAME_RE.search(text) and text[:1].islower():
        m = TRAILING_NAMES_RE.search(text)
        return m.group(1).strip() if m else None
    return text


def _container(cite: Citation, rest: str) -> None:
    """Outlet after the title: '..., Akorda.kz, Dec 14, 2012' or 'in X, eds., Book, Place: Pub'."""
    rest = rest.lstrip(" ,.”\"")
    if rest.startswith("in "):
        book = IN_BOOK_RE.match(rest)
        if book:
            cite.container = book.group("book").strip()
        return
    chunks = _outlet_chunks(rest)
    if not chunks:
        return
    dom = DOMAIN_TOKEN_RE.match(chunks[0])
    if dom:  # "Akorda.kz Republic of Kazakhstan": the site, then its owner
        cite.container = dom.group("dom")
        if dom.group("rest") and not cite.publisher:
            cite.publisher = dom.group("rest").strip(" .")
        return
    if len(chunks) > 1 and len(chunks[-1].split()) == 1:  # "..., Data and Society, Budapest, 2019"
        cite.place = chunks.pop()
    cite.container = ", ".join(chunks).strip(" .")


def _outlet_chunks(rest: str) -> list[str]:
    """Capitalised comma-separated fields after the title, up to the date, URL or locator."""
    chunks, stopped = [], False
    for m in OUTLET_FIELD_RE.finditer(rest):
        chunk = m.group().strip()
        if (
            not chunk
            or find_date(chunk)[0]
            or MONTH_START_RE.match(chunk)
            or chunk.startswith("http")
            or PAGES_RE.match(chunk)
            or JOURNAL_MARK_RE.match(chunk)
            or chunk[:1].isdigit()
        ):
            stopped = True
            break
        if chunk[:1].islower() and not DOMAIN_TOKEN_RE.match(chunk):
            break
        chunks.append(chunk)
        if len(chunks) > MAX_OUTLET_FIELDS or rest[m.end() : m.end() + 1] != ",":
            break
    # Several fields count as one outlet only when a date or URL closes them.
    return chunks if stopped and len(chunks) <= MAX_OUTLET_FIELDS else chunks[:1]


def _unquoted_fields(cite: Citation, body: str) -> None:
    """Books, reports, law-review articles and cases: no quotation marks around the title."""
    crs = CRS_PRODUCT_RE.search(body)
    if crs:
        m = CRS_TITLE_RE.match(body[crs.end() :])
        if m:
            cite.title = _clean_title(m.group("title"))
            cite.authors = m.group("by")
        return
    case = CASE_NAME_RE.match(body)
    if case:
        cite.title = case.group("name").strip()
        return
    act = NAMED_ACT_RE.match(body)
    if act:  # the act's name is its title; the gazette that printed it, its container
        cite.title = act.group("name")
        gazette = GAZETTE_RE.match(body[act.end():])
        if gazette and not ACT_LOCATOR_RE.match(gazette.group("c")):
            cite.container = gazette.group("c")
        return
    if REPORTER_RE.match(body) or CASE_SHORT_RE.match(body) and REPORTER_RE.search(body):
        return  # "505 U.S. 1003 (1992)" or the short cite "Lucas, 505 U.S. at 1027"
    author_date = AUTHOR_DATE_RE.match(body)
    if author_date:  # "WHO (2020). Road traffic injuries. Available at: ..."
        cite.authors = author_date.group("auth").strip(" ,.")
        cite.title = _clean_title(author_date.group("title"))
        return
    if STATUTE_RE.search(body):
        return
    body = LEAD_IN_NAME_RE.sub("", body)
    names, rest = name_chunks(body)
    if not names:
        return
    if "," in names and _no_title_follows(rest):
        # "A. Smith, Takings Law Today, 34 ECOLOGY L.Q. 307": a short title-case title
        # looks like one more name; nothing title-like after it means it was the title.
        names, _, last = names.rpartition(", ")
        rest = f"{last}, {rest}"
    cite.authors = names
    rest = GENRE_RE.sub("", rest)
    title = _title_chunk(rest)
    if title:
        cite.title = title


def _no_title_follows(rest: str) -> bool:
    place = PLACE_RE.match(rest)
    return bool(rest[:1].isdecimal() or place and _plausible_place(rest, place))


def _title_chunk(rest: str) -> str | None:
    """The title after the authors: up to the journal volume, the place, a report number or
    a parenthesis; a subtitle after ':' is kept."""
    stops = [len(rest)]
    for m in (LAW_JOURNAL_RE.search(rest), PRESS_RE.search(rest), _last_place(rest)):
        if m:
            stops.append(m.start())
    gao = GAO_REPORT_RE.search(rest)
    if gao:  # "GAO, Title, With Commas, GAO-98-137 (Washington, ...)"
        stops.append(gao.start())
    else:
        m = TITLE_STOP_RE.search(rest)
        if m:
            stops.append(m.start())
    title = rest[: min(stops)].strip(" ,")
    if not title or find_date(title)[0] == title or title.startswith("http") or title[:1].isdigit():
        return None
    return _clean_title(title)


def name_chunks(body: str) -> tuple[str | None, str]:
    """Leading comma-separated person/organisation names, and the rest of the text."""
    pos, names = 0, []
    for m in NAME_FIELD_RE.finditer(body):
        chunk = m.group().rstrip(",").strip()
        bare = SPACED_PAREN_GROUP_RE.sub("", chunk)
        if _is_name_list(bare) or (names and CONTINUED_NAME_RE.match(chunk)) or (not names and _is_org(bare)):
            names.append(chunk)
            pos = m.end()
        else:
            break
    if not names:
        return None, body
    return ", ".join(names).rstrip("."), body[pos:].strip()


def _is_org(chunk: str) -> bool:
    """'Office of New York State Attorney General Eric T. Schneiderman', 'Committee on X'."""
    tokens = chunk.split()
    if not MIN_ORG_WORDS <= len(tokens) <= MAX_ORG_WORDS or NOT_ORG_RE.search(chunk):
        return False
    return tokens[0][0].isupper() and tokens[-1][0].isupper() and all(
        t[0].isupper() or t in ORG_CONNECTORS for t in tokens
    ) and any(t in ORG_CONNECTORS for t in tokens)


def _is_name_list(chunk: str) -> bool:
    """'S. Frederick Starr and Albert Barro', 'Tom Blake et al.', 'EDA' (an agency)."""
    chunk = ET_AL_END_RE.sub("", chunk)
    parts = AND_RE.split(chunk)
    return all(_is_name(p) for p in parts) and bool(chunk)


def _is_name(part: str) -> bool:
    tokens = part.split()
    if not 1 <= len(tokens) <= MAX_NAME_WORDS or any(NOT_NAME_TOKEN_RE.search(t) for t in tokens):
        return False
    if len(tokens) == 1:  # one word: only an acronym or CamelCase organisation ("EDA", "IBISWorld")
        return sum(c.isupper() for c in tokens[0]) >= MIN_CAPS_ONE_WORD_NAME and tokens[0][0].isupper()
    return all(NAME_TOKEN_RE.match(t) for t in tokens) and tokens[0][0].isupper()


def _last_place(text: str):
    """The last "Place: Publisher" that really is one (not "Title: Subtitle")."""
    found = [m for m in PLACE_RE.finditer(text) if _plausible_place(text, m)]
    return found[-1] if found else None


def _plausible_place(text: str, m: re.Match) -> bool:
    # A state or "D.C." after the city, a year or ")" right after the publisher, or an
    # institution-like publisher; subtitles have none of these.
    if "," in m.group("place"):
        return True
    if AFTER_PUBLISHER_RE.match(text[m.end() :]):
        return True
    return bool(PUBLISHER_WORD_RE.search(m.group("pub")))


def _place_publisher(cite: Citation, body: str) -> None:
    place = _last_place(without_urls(body))
    if place and not (cite.title and place.group("place") in cite.title):
        cite.place = place.group("place")
        pub = place.group("pub").strip(" .")
        if not find_date(pub)[0] and not pub[:1].isdigit() and not MONTH_START_RE.match(pub):
            cite.publisher = pub
    press = PRESS_RE.search(body)
    if press and not cite.publisher:
        cite.publisher = press.group("pub").strip()


def _kind(cite: Citation, body: str) -> str:
    outside = QUOTE_RE.sub(" ", body)
    host = normalize_url(cite.url).split("/")[0] if cite.url else ""
    if LAW_JOURNAL_RE.search(body) and cite.authors:
        return "article"
    if cite.title and not cite.authors and NAMED_ACT_RE.match(body):
        return "statute"
    if REPORTER_RE.search(outside) or DOCKET_RE.search(outside) or (
        cite.title and " v. " in cite.title and not cite.url
    ):
        return "legal_case"
    if STATUTE_RE.search(outside) and not cite.title:
        return "statute"
    if report_number(body) or REPORT_WORD_RE.search(outside):
        return "report"
    if LAW_JOURNAL_RE.search(body) or JOURNAL_MARK_RE.search(outside) or cite.doi:
        return "article"
    if (cite.place and cite.publisher) or PRESS_RE.search(body) or EDITORS_RE.search(outside):
        return "book"
    gov_host = GOV_HOST_RE.search(host)
    if gov_host or STATUTE_RE.search(outside) or GOV_AUTHORS_RE.search(outside):
        return "government"
    if cite.title and cite.container and cite.authors:  # "Author, “Title,” Outlet, date"
        return "article"
    if cite.url:
        return "web"
    return "other"
