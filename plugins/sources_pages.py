"""Sources as a reader wants them (issue 17, items 7 and "Interoperability"): readable
titles, short forms under their full citation, each citing claim paired with its note, a
tally of reviewers' verdicts, and downloads for reference managers.

URLs (routes joined by :mod:`plugins.datasette_citetrace`):

* ``/<db>/-/citetrace/sources``                            every cited source
* ``/<db>/-/citetrace/sources.{bib,ris,csl.json}``         BibTeX / RIS / CSL-JSON of every
  cited source; ``?document=N`` those of one document, ``?source=N`` one source

The source page itself is :func:`plugins.views.source`; :func:`source_extras` is what this
module adds to it. Titles and the short-form pairing are :mod:`db.source_titles`, the files
:mod:`db.bibliography` (the same code as ``citetrace sources export``).
"""

from __future__ import annotations

from datasette.utils.asgi import NotFound, Response

from citetrace.db import bibliography, source_stats
from citetrace.db.source_titles import TITLE_CITATIONS, load_sources
from citetrace.plugins import health, queries, web

LIST_TABLES = ("documents", "footnotes", "citations", "sources")
EXPORT_TABLES = ("footnotes", "citations", "sources")
# The verdict tally reads annotations on the source and on the claims citing it.
TALLY_TABLES = ("annotations", "claims", "claim_footnotes", "note_sources")
VERDICT_TAGS = ("verified", "disputed", "needs-source", "misquoted", "source-unavailable")
COUNTED_STATES = ("open", "in_review", "resolved")  # rejected and deleted verdicts do not count
EXTENSIONS = {ext: fmt for fmt, ext in bibliography.FORMATS.items()}


def verdict_tally(conn, ids=None) -> dict[int, dict[str, int]]:
    """source id -> {tag: annotations}: annotations on the source itself or on a claim
    whose note cites it (directly or through a short form: table note_sources)."""
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if not {"claim_id", "source_id", "tags", "state"} <= columns:
        return {}
    if ids is not None:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return {}
        marks = queries._qmarks(ids)
        direct, through = f"and a.source_id in ({marks})", f"and ns.source_id in ({marks})"
    else:
        direct, through = "and a.source_id is not null", ""
    states = queries._qmarks(COUNTED_STATES)
    tags = queries._qmarks(VERDICT_TAGS)
    sql = f"""with tagged(annotation_id, source_id, tags) as (
      select a.id, a.source_id, a.tags from annotations a where a.state in ({states}) {direct}
      union
      select a.id, ns.source_id, a.tags from annotations a
      join claim_footnotes cf on cf.claim_id = a.claim_id
      join note_sources ns on ns.footnote_id = cf.footnote_id
      where a.state in ({states}) {through}
    )
    select t.source_id, j.value, count(distinct t.annotation_id)
    from tagged t, json_each(t.tags) j where j.value in ({tags})
    group by t.source_id, j.value"""
    out: dict[int, dict[str, int]] = {}
    for sid, tag, n in conn.execute(sql, [*COUNTED_STATES, *(ids or []), *COUNTED_STATES,
                                          *(ids or []), *VERDICT_TAGS]):
        out.setdefault(sid, {})[tag] = n
    return {sid: {t: counts[t] for t in VERDICT_TAGS if t in counts}
            for sid, counts in out.items()}


def best_titles(conn, ids, page_titles: bool) -> dict[int, str]:
    return {sid: s.best_title for sid, s in
            load_sources(conn, ids, page_titles, per_source=TITLE_CITATIONS).items()}


# --- the list of sources ------------------------------------------------------------------

SOURCES_PER_PAGE = 100  # full citations a page of the list shows, most cited first


def load_source_list(conn, page_titles: bool, offset: int = 0) -> dict:
    """One page of the cited sources, most cited first: readable title, notes and documents
    citing it, and its short forms (nested under it, not listed again); all stored at ingest
    (:mod:`db.source_stats`)."""
    found = source_stats.cited_sources(conn, page_titles)
    rows = {r["id"]: {"id": r["id"], "title": r["title"], "kind": r["kind"], "url": r["url"],
                      "notes": r["citing_notes"], "documents": r["citing_documents"],
                      "short_forms": []} for r in found}
    shorts = {r["id"]: r["short_form_of"] for r in found if r["short_form_of"] in rows}
    for short_id, full_id in shorts.items():
        while full_id in shorts and shorts[full_id] != short_id:  # a short form of a short form
            full_id = shorts[full_id]
        rows[full_id]["short_forms"].append(rows[short_id])
    listed = [r for sid, r in rows.items() if sid not in shorts]
    ranked = sorted(listed, key=lambda r: (-r["documents"], -(r["notes"] + sum(
        s["notes"] for s in r["short_forms"])), r["title"].casefold(), r["id"]))
    page = ranked[offset:offset + SOURCES_PER_PAGE]
    return {"sources": page, "total": len(rows), "listed": len(ranked),
            "first": offset + 1 if page else 0, "last": offset + len(page),
            "previous": max(offset - SOURCES_PER_PAGE, 0) if offset else None,
            "next": offset + SOURCES_PER_PAGE if offset + SOURCES_PER_PAGE < len(ranked)
            else None}


async def source_list(datasette, request):
    page = await web.readable(datasette, request, LIST_TABLES,
                              [*health.TABLES, *TALLY_TABLES])
    listing = await page.read_upgraded(load_source_list, page_titles=page.can(health.TABLES),
                                       offset=web.parse_id(request.args.get("offset")) or 0)
    rows = listing["sources"]
    ids = {r["id"] for r in rows} | {s["id"] for r in rows for s in r["short_forms"]}
    tally = await page.read(verdict_tally, ids=ids) if page.can(TALLY_TABLES) else {}
    ct = web.Links(datasette, page.name)
    return await web.render(
        datasette, request, "citetrace_sources.html",
        {"database": page.name, "ct": ct, **listing, "tally": tally,
         "exports": ct.source_files(),
         "ct_health": await health.badges(page, ids, ct),
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css")},
        "citetrace-sources",
    )


# --- the downloads ------------------------------------------------------------------------

def _export(conn, fmt: str, document_id, source_id) -> str:
    if document_id is not None and conn.execute(
            "select 1 from documents where id = ?", [document_id]).fetchone() is None:
        raise NotFound(f"No document {document_id}")
    if source_id is not None and conn.execute(
            "select 1 from sources where id = ?", [source_id]).fetchone() is None:
        raise NotFound(f"No source {source_id}")
    return bibliography.export(conn, fmt, document_id=document_id, source_id=source_id)


async def export(datasette, request):
    document_id, source_id = web.arg_id(request, "document"), web.arg_id(request, "source")
    needs = EXPORT_TABLES + (("documents",) if document_id is not None else ())
    page = await web.readable(datasette, request, needs)
    fmt = EXTENSIONS[request.url_vars["ext"]]
    text = await page.read(_export, fmt=fmt, document_id=document_id, source_id=source_id)
    scope = (f"-document-{document_id}" if document_id is not None else "") + \
        (f"-source-{source_id}" if source_id is not None else "")
    return Response(text, status=200,
                    content_type=f"{bibliography.MEDIA_TYPES[fmt]}; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="sources{scope}.{request.url_vars["ext"]}"',
                             "X-Content-Type-Options": "nosniff"})


# --- what the source page adds ------------------------------------------------------------

def pairs(documents: list[dict]) -> None:
    """Each document of :func:`plugins.queries.load_source` gets ``pairs``: one row per
    citing claim and note (a note no claim rests on gets a row of its own)."""
    for doc in documents:
        doc["pairs"] = [{"claim": c, "note": n} for n in doc["notes"]
                        for c in (n["claims"] or [None])]


async def source_extras(page: web.Readable, source_id: int, data: dict) -> dict:
    pairs(data["documents"])
    extras = await page.read_upgraded(source_stats.forms_of, source_id=source_id,
                             page_titles=page.can(health.TABLES))
    tally = {}
    if page.can(TALLY_TABLES):
        tally = (await page.read(verdict_tally, ids=[source_id])).get(source_id, {})
    return {**extras, "tally": tally}


def routes():
    db = r"^/(?P<database>[^/]+)/-/citetrace"
    return [(db + r"/sources/?$", source_list),
            (db + r"/sources\.(?P<ext>bib|ris|csl\.json)$", export)]
