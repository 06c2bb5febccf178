"""Where a reviewer starts (issue 17, item 9): the home's "start here" panel, the list of
claims behind its counts, the review report and CSV as downloads, and sign-in landing there.

URLs (routes joined by :mod:`plugins.datasette_citetrace`):

* ``/<db>/-/citetrace/claims?needs_source=1&document=N``  claims, each linked to its trace
* ``/<db>/-/citetrace/review/report.md?document=N``       the Markdown review report
* ``/<db>/-/citetrace/annotations.csv[?document=N]``      annotations as CSV
* ``/-/auth-token?token=``  Datasette's ``--root`` sign-in, landing on the citetrace home

The downloads are the very functions ``citetrace annotate export`` writes with
(:mod:`annotations.exchange`): one source for the command line and the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from datasette.utils.asgi import NotFound, Response

from citetrace.annotations import api, exchange
from citetrace.db import ddl, trace
from citetrace.plugins import claim_review, detect, health, queries, web

CLAIM_LIST_TABLES = ("documents", "claims", "passages")
REPORT_TABLES = ("documents", "annotations", "claims", "passages", "claim_footnotes",
                 "footnotes")
CSV_TABLES = ("documents", "annotations")
CLAIMS_PER_PAGE = 200
# Verdicts the "start here" panel counts as link trouble, most urgent first.
LINK_TROUBLE = ("dead", "soft-404", "unreachable", "moved")


@dataclass
class StartHere:
    """The counts of the home's "start here" panel; None where the actor may not see them."""

    needs_source: int
    dismissed: int
    open_annotations: int | None
    in_review: int | None
    links: dict | None  # verdict -> count
    unchecked: int | None
    suspect: list  # documents whose extraction the self-check distrusts


def _link_counts(conn) -> dict[str, int]:
    if not health.has_health(conn):
        return {}
    return dict(conn.execute(f"select verdict, count(*) from {health.VIEW} where url is not null "
                             "group by verdict").fetchall())


def _annotation_counts(conn) -> dict[str, int] | None:
    """Annotations by state; None for a table of that name that is not ours (no state)."""
    if "state" not in {r[1] for r in conn.execute("pragma table_info(annotations)")}:
        return None
    return api.counts_by_state(conn)


def _collection(conn, annotations: bool, checks: bool) -> dict:
    """Counts over every document (the home lists one page of them): claims needing a
    source (dismissed flags apart, when the actor may read annotations) and the documents
    the self-check distrusts (when the actor may read extraction_checks)."""
    flagged = conn.execute("select count(*) from claims where needs_source").fetchone()[0]
    dismissed = sum(claim_review.dismissed_counts(conn).values()) if annotations else 0
    suspect = queries._rows(conn, """select d.id, d.title, d.filename from extraction_checks e
        join documents d on d.id = e.document_id where e.verdict = 'suspect'
        order by coalesce(nullif(d.title, ''), d.filename) collate nocase, d.id""") \
        if checks and ddl.exists(conn, "extraction_checks") else []
    return {"needs_source": flagged - dismissed, "dismissed": dismissed, "suspect": suspect}


async def start_here(page: web.Readable) -> StartHere:
    """The collection's counts and, when readable, the cited sources' health and the
    annotations' states."""
    totals = await page.read(_collection, annotations=page.can(["annotations"]),
                             checks=page.can(["extraction_checks"]))
    links = unchecked = None
    if page.can(health.TABLES):
        counts = await page.read(_link_counts)
        links = {v: counts.get(v, 0) for v in LINK_TROUBLE}
        unchecked = counts.get("unchecked", 0)
    open_n = in_review = None
    states = await page.read(_annotation_counts) if page.can(["annotations"]) else None
    if states is not None:
        open_n, in_review = states.get("open", 0), states.get("in_review", 0)
    return StartHere(open_annotations=open_n, in_review=in_review, links=links,
                     unchecked=unchecked, **totals)


# --- claims list ---------------------------------------------------------------------------

def _claims(conn, needs_source: bool, document_id: int | None, offset: int) -> dict:
    where, params = [], []
    if needs_source:
        where.append("c.needs_source")
    if document_id is not None:
        where.append("c.document_id = ?")
        params.append(document_id)
    sql_where = ("where " + " and ".join(where)) if where else ""
    total = conn.execute(f"select count(*) from claims c {sql_where}", params).fetchone()[0]
    page = trace.claim_page(conn, "c", "p") + " as page"  # where the sentence starts
    rows = queries._rows(conn, f"""
        select c.id, c.text, c.kind, c.needs_source, c.score, c.document_id,
          d.title as document_title, d.filename as document_filename, {page}
        from claims c join documents d on d.id = c.document_id
        left join passages p on p.id = c.passage_id
        {sql_where}
        order by {"c.score desc," if needs_source else ""} c.document_id, p.seq, c.start, c.id
        limit ? offset ?""", [*params, CLAIMS_PER_PAGE, offset])
    document = queries.get_document(conn, document_id) if document_id is not None else None
    return {"total": total, "claims": rows, "document": document}


def _dismissed_claims(conn, ids) -> set[int]:
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if not ids or not {"claim_id", "tags", "state"} <= columns:  # none, or not ours
        return set()
    return {r[0] for r in conn.execute(
        f"select distinct a.claim_id from annotations a where a.claim_id in "
        f"({queries._qmarks(ids)}) and a.state in ({queries._qmarks(claim_review.DISMISSAL_STATES)})"
        f" and exists (select 1 from json_each(a.tags) where value = ?)",
        [*ids, *claim_review.DISMISSAL_STATES, claim_review.DISMISS_TAG])}


async def claim_list(datasette, request):
    page = await web.readable(datasette, request, CLAIM_LIST_TABLES, ["annotations"])
    needs_source = request.args.get("needs_source") in ("1", "true", "yes")
    document_id = web.arg_id(request, "document")
    offset = web.arg_id(request, "offset") or 0
    data = await page.read(_claims, needs_source=needs_source, document_id=document_id,
                           offset=offset)
    if document_id is not None and data["document"] is None:
        raise NotFound(f"No document {document_id}")
    dismissed = set()
    if page.can(["annotations"]):
        dismissed = await page.read(_dismissed_claims, ids=[c["id"] for c in data["claims"]])
    for c in data["claims"]:
        c["dismissed"] = c["id"] in dismissed
    ct = web.Links(datasette, page.name)
    params = {k: v for k, v in (("needs_source", "1" if needs_source else None),
                                ("document", document_id)) if v is not None}
    base = f"{ct.home()}/claims"
    more = offset + CLAIMS_PER_PAGE
    return await web.render(
        datasette, request, "citetrace_claims.html",
        {"database": page.name, "ct": ct, **data, "needs_source": needs_source,
         "offset": offset, "shown_to": offset + len(data["claims"]),
         "next_url": f"{base}?{urlencode({**params, 'offset': more})}"
         if more < data["total"] else None,
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css")},
        "citetrace-claims",
    )


# --- downloads ---------------------------------------------------------------------------

def _download(text: str, media_type: str, filename: str) -> Response:
    return Response(text, status=200, content_type=f"{media_type}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "X-Content-Type-Options": "nosniff"})


def _report(conn, document_id: int) -> str:
    if conn.execute("select 1 from documents where id = ?", [document_id]).fetchone() is None:
        raise NotFound(f"No document {document_id}")
    return exchange.markdown_report(conn, document_id)


async def review_report(datasette, request):
    page = await web.readable(datasette, request, REPORT_TABLES)
    document_id = web.arg_id(request, "document")
    if document_id is None:
        raise NotFound("Give a document (?document=N): the report covers one document")
    text = await page.read(_report, document_id=document_id)
    return _download(text, "text/markdown", f"review-document-{document_id}.md")


def _csv(conn, document_id: int | None) -> str:
    try:
        return exchange.export_csv(conn, api.Filters(document=document_id, include_deleted=True))
    except api.NotFoundError as e:
        raise NotFound(str(e)) from None


async def annotations_csv(datasette, request):
    page = await web.readable(datasette, request, CSV_TABLES)
    document_id = web.arg_id(request, "document")
    text = await page.read(_csv, document_id=document_id)
    name = f"annotations-document-{document_id}.csv" if document_id else "annotations.csv"
    return _download(text, "text/csv", name)


# --- sign-in -------------------------------------------------------------------------------

def start_url(datasette) -> str:
    """The citetrace home of the one citetrace database, else the list of them."""
    names = detect.citetrace_database_names(datasette)
    if len(names) == 1:
        return web.Links(datasette, names[0]).home()
    return datasette.urls.path(f"/{web.PREFIX}")


async def auth_token(datasette, request):
    """Datasette's own ``--root`` sign-in (its view decides), sent on to :func:`start_url`
    instead of Datasette's home, where citetrace is only in the menu."""
    from datasette.views.special import AuthTokenView

    response = await AuthTokenView(datasette).get(request)
    if response.status in (301, 302) and response.headers.get("Location") == \
            datasette.urls.instance():
        response.headers["Location"] = start_url(datasette)
    return response


def routes():
    db = r"^/(?P<database>[^/]+)/-/citetrace"
    return [
        (db + r"/claims/?$", claim_list),
        (db + r"/review/report\.md$", review_report),
        (db + r"/annotations\.csv$", annotations_csv),
        (r"^/-/auth-token$", auth_token),
    ]
