"""Full-text search over passages, notes and claims (``/<db>/-/citetrace/search?q=...``).

Uses the FTS5 tables ``passages_fts``, ``footnotes_fts`` and ``claims_fts`` (external content,
porter tokenizer, kept in sync by triggers; see :mod:`db.schema`).

* The query is never handed to FTS5 as typed: every word becomes a quoted string
  (``"rent"``), so punctuation and FTS operators in user input cannot cause syntax errors.
  Kept: ``"quoted phrases"``, a trailing ``*`` for prefixes (``tarif*``) and ``OR`` between
  two terms. Terms are ANDed. Bounded (:func:`parse_query`): 16 words, 3 prefixes of 2
  characters or more; the page names the words left out.
* Snippets come from SQLite's ``snippet()`` with two control characters as the highlight
  delimiters; the snippet is then HTML-escaped piece by piece and only those delimiters become
  ``<mark>`` tags (balanced, even if a document contained the characters itself).

Bounded work per query (a common word matches most of a large collection):

* counts stop at :data:`COUNT_CAP` (shown as "10000+") and read the FTS index alone;
* when more than :data:`RANK_LIMIT` rows match, only the most recent ``RANK_LIMIT`` (highest
  rowids, i.e. last ingested) are ranked by bm25, and the page says so;
* ``document=`` bounds the FTS scan to that document's rowid range;
* ``snippet()`` runs for the rows shown only (FTS5 consumes ``order by rank``).

Parameters: ``q``; ``kind`` (``passages``, ``notes`` or ``claims``: one group, more rows);
``document`` (a document id: search one document).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from markupsafe import Markup, escape

from citetrace.plugins import web
from citetrace.plugins.cache import data_version, snapshot_cache
from citetrace.plugins.render import css_token

START, END = "\x02", "\x03"
MAX_QUERY = 300
MAX_TERMS = 16  # words searched for, each side of an OR counted
MAX_PREFIXES = 3  # words with a trailing *
MIN_PREFIX = 2  # characters before the *
GROUP_LIMIT = 10
KIND_LIMIT = 200
SNIPPET_TOKENS = 24
RESULTS_TEMPLATE = "citetrace_search_results.html"
COUNT_CAP = 10_000
RANK_LIMIT = 500

_TOKEN_RE = re.compile(r'"([^"]*)"?|(\S+)')
_DELIM_RE = re.compile(f"([{START}{END}])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

# The tables a search reads (it is refused when one is not viewable).
SEARCH_TABLES = ("documents", "passages", "footnotes", "claims", "claim_footnotes",
                 "passages_fts", "footnotes_fts", "claims_fts")

# kind -> (title, FTS table, content table)
KINDS = {
    "passages": ("Passages", "passages_fts", "passages"),
    "notes": ("Notes", "footnotes_fts", "footnotes"),
    "claims": ("Claims", "claims_fts", "claims"),
}

# "cross join" keeps the FTS table as the outer loop: with a document filter SQLite would
# otherwise walk the document's rows and run the MATCH once per row.
SQL = {
    "passages": """
        select p.id, p.document_id, p.page, p.kind, d.title as document_title,
          d.filename as document_filename,
          snippet(passages_fts, 0, char(2), char(3), '…', {tokens}) as snippet
        from passages_fts
        cross join passages p on p.id = passages_fts.rowid
        join documents d on d.id = p.document_id
        where passages_fts match :q {bounds} {doc_filter}
        order by passages_fts.rank
        limit :limit""",
    "notes": """
        select f.id, f.document_id, f.page, f.label, f.kind, d.title as document_title,
          d.filename as document_filename,
          snippet(footnotes_fts, 0, char(2), char(3), '…', {tokens}) as snippet
        from footnotes_fts
        cross join footnotes f on f.id = footnotes_fts.rowid
        join documents d on d.id = f.document_id
        where footnotes_fts match :q {bounds} {doc_filter}
        order by footnotes_fts.rank
        limit :limit""",
    "claims": """
        select c.id, c.document_id, c.passage_id, c.kind, c.needs_source, c.score,
          d.title as document_title, d.filename as document_filename,
          (select p.page from passages p where p.id = c.passage_id) as page,
          exists(select 1 from claim_footnotes cf where cf.claim_id = c.id) as cited,
          snippet(claims_fts, 0, char(2), char(3), '…', {tokens}) as snippet
        from claims_fts
        cross join claims c on c.id = claims_fts.rowid
        join documents d on d.id = c.document_id
        where claims_fts match :q {bounds} {doc_filter}
        order by claims_fts.rank
        limit :limit""",
}

# Counting joins the content table only to filter by document (inside the rowid bounds).
COUNT_SQL = """
    select count(*) from (select 1 from {fts} {join}
    where {fts} match :q {bounds} {doc_filter} limit :cap)"""
# The RANK_LIMIT-th most recent match: rows below it are not ranked.
RANK_FLOOR_SQL = """
    select rowid from {fts} where {fts} match :q {bounds}
    order by rowid desc limit 1 offset :offset"""


@dataclass(frozen=True)
class SearchQuery:
    """A safe FTS5 query ('' when nothing searchable is left) and the words of the user's
    query that were not searched for, over the limits (shown on the page)."""

    match: str
    left_out: tuple[str, ...] = ()


def parse_query(q: str | None) -> SearchQuery:
    """User input -> :class:`SearchQuery`. At most :data:`MAX_TERMS` words (each side of an
    ``OR`` counts), of which at most :data:`MAX_PREFIXES` prefixes of
    :data:`MIN_PREFIX` characters or more: a prefix expands to every indexed word it starts,
    and long ``OR`` chains of short prefixes cost tens of times a plain search."""
    q = _CONTROL_RE.sub(" ", (q or "")[:MAX_QUERY])
    terms: list[str] = []
    left_out: list[str] = []
    words = prefixes = 0
    pending_or = False
    for phrase, word in _TOKEN_RE.findall(q):
        if word == "OR" and not phrase:
            pending_or = bool(terms)
            continue
        prefix = False
        text = phrase if phrase else word
        if word and word.endswith("*"):
            text, prefix = word.rstrip("*"), True
        text = text.replace('"', " ").strip()
        or_here, pending_or = pending_or, False
        if not text or not any(ch.isalnum() for ch in text):
            continue
        if words >= MAX_TERMS or (prefix and (prefixes >= MAX_PREFIXES
                                              or len(text) < MIN_PREFIX)):
            left_out.append(word or f'"{phrase}"')
            continue
        words += 1
        prefixes += prefix
        term = '"' + text + '"' + ("*" if prefix else "")
        if or_here:
            terms[-1] = f"{terms[-1]} OR {term}"
        else:
            terms.append(term)
    match = " ".join(terms) if len(terms) < 2 else " AND ".join(f"({t})" for t in terms)
    return SearchQuery(match, tuple(left_out))


def fts_query(q: str | None) -> str:
    """User input -> a safe FTS5 query ('' when nothing searchable is left)."""
    return parse_query(q).match


def snippet_html(snippet: str | None) -> Markup:
    """Escape a ``snippet()`` result; its delimiters become balanced ``<mark>`` tags."""
    out: list[Markup] = []
    is_open = False
    for part in _DELIM_RE.split(snippet or ""):
        if part == START:
            if not is_open:
                out.append(Markup('<mark class="ct-hit">'))
                is_open = True
        elif part == END:
            if is_open:
                out.append(Markup("</mark>"))
                is_open = False
        elif part:
            out.append(escape(part))
    if is_open:
        out.append(Markup("</mark>"))
    return Markup("").join(out)


def _fts_tables(conn) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name in (%s)"
            % ",".join("?" for _ in KINDS),
            [fts for _, fts, _ in KINDS.values()],
        )
    }


def _rows(conn, sql, params) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def run_search(conn, q: str, kinds, document_id: int | None, limit: int) -> dict:
    """{kind: {"count": n, "capped": bool, "ranked_recent": n|None, "rows": [...]}} for each
    kind (rows carry ``snippet``)."""
    query = parse_query(q)
    match = query.match
    present = _fts_tables(conn)
    out: dict[str, dict] = {}
    for kind in kinds:
        title, fts, table = KINDS[kind]
        group = {"kind": kind, "title": title, "count": 0, "capped": False,
                 "ranked_recent": None, "rows": [], "missing": False}
        out[kind] = group
        if fts not in present:
            group["missing"] = True
            continue
        if not match:
            continue
        params = {"q": match, "limit": limit, "doc": document_id, "cap": COUNT_CAP,
                  "offset": RANK_LIMIT - 1}
        bounds, doc_filter, count_filter, join = "", "", "", ""
        alias = {"passages": "p", "notes": "f", "claims": "c"}[kind]
        if document_id is not None:
            # A document's rows are written together: its rowid range keeps FTS5 from
            # visiting every match in the collection.
            params["lo"], params["hi"] = conn.execute(
                f"select min(id), max(id) from {table} where document_id = ?", [document_id]
            ).fetchone()
            if params["lo"] is None:
                continue
            bounds = f"and {fts}.rowid between :lo and :hi"
            doc_filter = f"and {alias}.document_id = :doc"
            count_filter = "and t.document_id = :doc"
            join = f"cross join {table} t on t.id = {fts}.rowid"
        try:
            group["count"] = conn.execute(
                COUNT_SQL.format(fts=fts, join=join, bounds=bounds, doc_filter=count_filter),
                params
            ).fetchone()[0]
            group["capped"] = group["count"] >= COUNT_CAP
            row_bounds = bounds
            if group["count"] > RANK_LIMIT:
                floor = conn.execute(RANK_FLOOR_SQL.format(fts=fts, bounds=bounds),
                                     params).fetchone()
                if floor is not None:
                    params["floor"] = floor[0]
                    row_bounds += f" and {fts}.rowid >= :floor"
                    group["ranked_recent"] = RANK_LIMIT
            group["rows"] = _rows(
                conn, SQL[kind].format(tokens=SNIPPET_TOKENS, bounds=row_bounds,
                                       doc_filter=doc_filter), params
            )
        except sqlite3.OperationalError as e:  # an FTS5 error we did not foresee
            group["error"] = str(e)
    document = None
    if document_id is not None:
        rows = _rows(conn, "select id, title, filename from documents where id = ?",
                     [document_id])
        document = rows[0] if rows else None
    return {"groups": out, "match": match, "left_out": query.left_out, "document": document}


async def search(datasette, request):
    page = await web.readable(datasette, request, SEARCH_TABLES)
    db = page.db
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    kind = request.args.get("kind")
    kind = kind if kind in KINDS else None
    document_id = web.parse_id(request.args.get("document"))
    kinds = [kind] if kind else list(KINDS)
    limit = KIND_LIMIT if kind else GROUP_LIMIT
    ct = web.Links(datasette, db.name)

    def url(**params):
        base = {"q": q, "kind": kind, "document": document_id}
        base.update(params)
        return ct.search(**{k: v for k, v in base.items() if v not in (None, "")})

    result = {"groups": [], "match": "", "left_out": (), "document": None, "html": ""}
    if q or document_id is not None:
        # The results, rendered, are kept per query and database snapshot (plugins/cache.py).
        cache = snapshot_cache(datasette)
        generation = cache.observe(db.name, await page.read(data_version))
        key = ("search", q, kind, document_id)
        result = cache.get(db.name, key)
        if result is None:
            found = await page.read(run_search, q=q, kinds=kinds, document_id=document_id,
                                    limit=limit)
            groups = list(found["groups"].values())
            for group in groups:
                for row in group["rows"]:
                    row["html"] = snippet_html(row.pop("snippet"))
            html = web.fragment_env(datasette).get_template(RESULTS_TEMPLATE).render(
                groups=groups, kind=kind, ct=ct, search_url=url, css_token=css_token)
            result = {"groups": [{k: g[k] for k in ("kind", "title", "count", "capped")}
                                 for g in groups],
                      "match": found["match"], "left_out": found["left_out"],
                      "document": found["document"],
                      "html": Markup(html)}
            cache.put(db.name, key, result, len(html) + 1000, generation)
    groups = result["groups"]
    total = sum(g["count"] for g in groups)
    return await web.render(
        datasette, request, "citetrace_search.html",
        {"database": db.name, "ct": ct, "q": q, "kind": kind, "document_id": document_id,
         "document": result["document"], "groups": groups, "search_results": result["html"],
         "searched": bool(result["match"]), "total": total, "left_out": result["left_out"],
         "limits": {"terms": MAX_TERMS, "prefixes": MAX_PREFIXES, "min_prefix": MIN_PREFIX},
         "total_capped": any(g["capped"] for g in groups), "search_url": url},
        "citetrace-search",
    )


def routes():
    return [(r"^/(?P<database>[^/]+)/-/citetrace/search/?$", search)]
