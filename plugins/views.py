"""The citetrace pages (route handlers registered by :mod:`plugins.datasette_citetrace`).

URLs (stable):

* ``/-/citetrace``                                 every citetrace database and its documents
* ``/<db>/-/citetrace``                            documents of one database
* ``/<db>/-/citetrace/documents/<id>``             reader view of a document
* ``/<db>/-/citetrace/claims/<id>``                trace of a claim to its sources
* ``/<db>/-/citetrace/sources/<id>``               a source and everything citing it
* ``/<db>/-/citetrace/search?q=``                  search passages, notes, claims (search.py)
* ``/<db>/-/citetrace/documents/<id>/pages/<n>.png`` a PDF page image (pages.py)
* ``/<db>/-/citetrace/documents/<id>/pages.json``  page sizes and boxes for the reader (pages.py)

``<db>`` is the database route as in Datasette's own URLs (tilde-encoded).
"""

from __future__ import annotations

import os
from functools import partial
from urllib.parse import urlencode

from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import NotFound, Response, asgi_static

from plugins import detect, health, queries
from plugins.metadata import canned_queries
from plugins.render import css_token, render_text, safe_url

PREFIX = "-/citetrace"
STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "templates")
STATIC_NAME = "citetrace"

# Tables whose rows the pages show: a page is refused when any of them is not viewable.
PAGE_TABLES = ("documents", "passages", "footnotes", "footnote_refs", "citations", "sources",
               "claims")

ROUTES = [
    (r"^/-/citetrace/?$", "index_all"),
    (r"^/(?P<database>[^/]+)/-/citetrace/?$", "index_db"),
    (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/?$", "reader"),
    (r"^/(?P<database>[^/]+)/-/citetrace/claims/(?P<id>\d+)/?$", "claim_trace"),
    (r"^/(?P<database>[^/]+)/-/citetrace/sources/(?P<id>\d+)/?$", "source"),
]


def static_url(datasette, filename: str) -> str:
    """URL of a file in plugins/static (served by our own route, see :data:`ROUTES`).

    Datasette 0.65 mounts ``static/`` only for plugins that are packages (on Python < 3.12
    ``importlib.resources.files`` refuses a module), so the plugin serves it itself.
    """
    try:
        version = int(os.path.getmtime(os.path.join(STATIC_DIR, filename)))
    except OSError:
        version = 0
    return f"{datasette.urls.static_plugins(STATIC_NAME, filename)}?v={version}"


class Links:
    """URL builder for one database, handed to templates as ``ct``."""

    def __init__(self, datasette, database: str):
        self.datasette = datasette
        self.database = database
        self._base = datasette.urls.database(database)

    def home(self) -> str:
        return f"{self._base}/{PREFIX}"

    def document(self, doc_id, anchor: str | None = None) -> str:
        url = f"{self._base}/{PREFIX}/documents/{int(doc_id)}"
        return f"{url}#{anchor}" if anchor else url

    def claim(self, claim_id) -> str:
        return f"{self._base}/{PREFIX}/claims/{int(claim_id)}"

    def source(self, source_id) -> str:
        return f"{self._base}/{PREFIX}/sources/{int(source_id)}"

    def search(self, **params) -> str:
        url = f"{self._base}/{PREFIX}/search"
        return url + "?" + urlencode(params) if params else url

    def page_data(self, doc_id) -> str:
        return f"{self._base}/{PREFIX}/documents/{int(doc_id)}/pages.json"

    def row(self, table: str, row_id) -> str:
        return self.datasette.urls.row(self.database, table, tilde_encode(str(row_id)))

    def table(self, table: str, **params) -> str:
        url = self.datasette.urls.table(self.database, table)
        if params:
            url += "?" + urlencode(params)
        return url

    def query(self, name: str) -> str:
        return self.datasette.urls.query(self.database, name)

    def db(self) -> str:
        return self._base


def url_id(request, name: str = "id") -> int:
    """An integer id from the URL; one SQLite cannot hold is simply not found."""
    value = int(request.url_vars[name])
    if value > 2**63 - 1:
        raise NotFound(f"No such {name}")
    return value


async def _database(datasette, request):
    """The citetrace database named in the URL, after permission checks."""
    route = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(route=route)
    except KeyError:
        raise NotFound(f"Database not found: {route}")
    for table in PAGE_TABLES:
        await datasette.ensure_permissions(
            request.actor,
            [("view-table", (db.name, table)), ("view-database", db.name), "view-instance"],
        )
    if not await detect.is_citetrace_db(db):
        raise NotFound(f"{db.name} is not a citetrace database")
    return db


async def _render(datasette, request, template: str, context: dict, view_name: str):
    context = {
        "css_token": css_token,
        "safe_url": safe_url,
        "ct_css_url": static_url(datasette, "citetrace.css"),
        "ct_js_url": static_url(datasette, "citetrace.js"),
        "ct_static": partial(static_url, datasette),
        **context,
    }
    if "ct_health" not in context:  # verdict badges of the cited sources (issue 9)
        context["ct_health"] = await health.for_context(datasette, context)
    html = await datasette.render_template(
        [template], context, request=request, view_name=view_name
    )
    return Response.html(html)


def _queries_for_links() -> list[tuple[str, str]]:
    return [(name, q["title"]) for name, q in canned_queries().items()]


async def index_all(datasette, request):
    await datasette.ensure_permissions(request.actor, ["view-instance"])
    databases = []
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        visible, _ = await datasette.check_visibility(
            request.actor, permissions=[("view-database", name), "view-instance"]
        )
        if not visible or not await detect.is_citetrace_db(db):
            continue
        databases.append(
            {
                "name": name,
                "ct": Links(datasette, name),
                "documents": await db.execute_fn(queries.list_documents),
            }
        )
    return await _render(
        datasette, request, "citetrace_index.html",
        {"databases": databases, "database": None, "queries": _queries_for_links(),
         "top_sources": None},
        "citetrace-index",
    )


async def index_db(datasette, request):
    db = await _database(datasette, request)
    documents = await db.execute_fn(queries.list_documents)
    top = await db.execute_fn(partial(queries.top_sources, limit=10))
    ct = Links(datasette, db.name)
    return await _render(
        datasette, request, "citetrace_index.html",
        {"databases": [{"name": db.name, "ct": ct, "documents": documents}],
         "database": db.name, "ct": ct, "queries": _queries_for_links(), "top_sources": top},
        "citetrace-database",
    )


def _passage_html(passage: dict, ct: Links, claims=None):
    return render_text(
        passage["text"],
        markers=passage.get("markers", ()),
        claims=passage.get("claims", ()) if claims is None else claims,
        entities=passage.get("entities", ()),
        claim_url=lambda c: ct.claim(c["id"]),
    )


async def reader(datasette, request):
    db = await _database(datasette, request)
    doc_id = url_id(request)
    data = await db.execute_fn(partial(queries.load_reader, doc_id=doc_id))
    if data is None:
        raise NotFound(f"No document {doc_id}")
    ct = Links(datasette, db.name)
    for p in data["passages"]:
        p["html"] = _passage_html(p, ct)
    for n in data["notes"]:
        n["html"] = render_text(n["text"], entities=n["entities"])
    return await _render(
        datasette, request, "citetrace_reader.html",
        {"database": db.name, "ct": ct, **data},
        "citetrace-reader",
    )


async def claim_trace(datasette, request):
    db = await _database(datasette, request)
    claim_id = url_id(request)
    data = await db.execute_fn(partial(queries.load_claim_trace, claim_id=claim_id))
    if data is None:
        raise NotFound(f"No claim {claim_id}")
    ct = Links(datasette, db.name)
    claim = data["claim"]
    passage = data["passage"]
    if passage:
        passage["html"] = render_text(
            passage["text"], markers=data["passage_markers"], claims=[claim], anchor_ids=False
        )
        start, end = claim.get("start"), claim.get("end")
        text = passage["text"] or ""
        if start is not None and end is not None and 0 <= start < end <= len(text):
            sentence_markers = [
                {**m, "start": m["start"] - start}
                for m in data["markers"]
                if m["start"] is not None and start <= m["start"] <= end
            ]
            data["sentence_html"] = render_text(text[start:end], markers=sentence_markers)
    if "sentence_html" not in data:
        data["sentence_html"] = render_text(claim["text"])
    for n in data["notes"]:
        n["html"] = render_text(n["text"])
    return await _render(
        datasette, request, "citetrace_trace.html",
        {"database": db.name, "ct": ct, **data},
        "citetrace-claim",
    )


async def source(datasette, request):
    db = await _database(datasette, request)
    source_id = url_id(request)
    data = await db.execute_fn(partial(queries.load_source, source_id=source_id))
    if data is None:
        raise NotFound(f"No source {source_id}")
    ct = Links(datasette, db.name)
    for doc in data["documents"]:
        for n in doc["notes"]:
            n["html"] = render_text(n["text"])
    return await _render(
        datasette, request, "citetrace_source.html",
        {"database": db.name, "ct": ct, **data},
        "citetrace-source",
    )


def routes():
    from plugins import pages, search  # handlers living in their own modules

    handlers = globals()
    return [(regex, handlers[name]) for regex, name in ROUTES] + health.routes() + [
        (r"^/(?P<database>[^/]+)/-/citetrace/search/?$", search.search),
        (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/pages/(?P<page>\d+)\.png$",
         pages.page_image),
        (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/pages\.json$",
         pages.page_data),
        (rf"^/-/static-plugins/{STATIC_NAME}/(?P<path>.*)$", asgi_static(STATIC_DIR)),
    ]
