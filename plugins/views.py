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
from datasette.utils.asgi import Forbidden, NotFound, Response, asgi_static
from markupsafe import Markup

from citetrace.plugins import detect, health, queries
from citetrace.plugins.cache import data_version, snapshot_cache
from citetrace.plugins.metadata import canned_queries
from citetrace.plugins.render import css_token, render_text, safe_url

PREFIX = "-/citetrace"
STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "templates")
STATIC_NAME = "citetrace"
OTHER_CLAIMS_SHOWN = 100  # on a trace page
# Fragments of the reader rendered once per document and database snapshot.
READER_TEXT = "citetrace_reader_text.html"
READER_NOTES = "citetrace_reader_notes.html"

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
        self._tables: dict[str, str] = {}

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
        # the table's URL once per page: a reader links ~150 rows
        base = self._tables.get(table)
        if base is None:
            base = self._tables[table] = str(self.datasette.urls.table(self.database, table))
        return f"{base}/{tilde_encode(str(row_id))}"

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


async def _database(datasette, request, tables=PAGE_TABLES):
    """The citetrace database named in the URL, after permission checks on ``tables``."""
    route = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(route=route)
    except KeyError:
        raise NotFound(f"Database not found: {route}")
    await _ensure_pages_visible(datasette, request.actor, db.name, tables)
    if not await detect.is_citetrace_db(db):
        raise NotFound(f"{db.name} is not a citetrace database")
    return db


def _table_rules_possible(datasette, database: str) -> bool:
    """Could a ``view-table`` check on ``database`` decide anything?

    Not when the only permission and metadata hooks are Datasette's defaults and ours (ours
    never decide ``view-table`` nor set ``allow``) and the metadata Datasette was started
    with has no ``allow`` on a table: then every table check answers None. Each check costs
    Datasette a copy of all the metadata (~1 ms for ours), several per page.
    """
    from datasette.plugins import pm

    known = {"datasette.default_permissions", "citetrace.plugins.datasette_citetrace"}
    for hook in (pm.hook.permission_allowed, pm.hook.get_metadata):
        if any(getattr(impl.plugin, "__name__", None) not in known
               for impl in hook.get_hookimpls()):
            return True
    local = getattr(datasette, "_metadata_local", None)
    if not isinstance(local, dict):
        return True  # not the Datasette 0.65 we know: ask
    scopes = [local, (local.get("databases") or {}).get(database) or {}]
    for scope in scopes:
        for config in (scope.get("tables") or {}).values():
            if not isinstance(config, dict) or "allow" in config:
                return True
    return False


async def _ensure_pages_visible(datasette, actor, database: str, tables=PAGE_TABLES) -> None:
    """What ``ensure_permissions(actor, [view-table, view-database, view-instance])`` decides
    for each of ``tables``, with the fallback shared by all tables (database, then instance)
    asked once instead of once per table."""
    if not _table_rules_possible(datasette, database):
        tables = ()  # each table check would answer None
    undecided = not tables
    for table in tables:
        ok = await datasette.permission_allowed(actor, "view-table", (database, table),
                                                default=None)
        if ok is False:
            raise Forbidden("view-table")
        undecided = undecided or ok is None
    if undecided:
        await datasette.ensure_permissions(actor, [("view-database", database), "view-instance"])


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


def _fragment_env(datasette):
    """Datasette's Jinja environment (same loader, so --template-dir still overrides), not
    async: rendering these loops synchronously takes a quarter less time. Its own template
    cache: templates compiled for the async environment cannot be rendered by this one."""
    env = getattr(datasette, "_citetrace_fragment_env", None)
    if env is None:
        env = datasette.jinja_env.overlay(enable_async=False, cache_size=50)
        datasette._citetrace_fragment_env = env
    return env


def _reader_head(conn, doc_id: int):
    return data_version(conn), queries.get_document(conn, doc_id)


async def _reader_body(datasette, ct: Links, database: str, data: dict) -> dict:
    """The document-dependent part of the reader: passages and notes as HTML, and counts."""
    for p in data["passages"]:
        p["html"] = _passage_html(p, ct)
    for n in data["notes"]:
        n["html"] = render_text(n["text"], entities=n["entities"])
    source_ids = {c["source_id"] for n in data["notes"] for c in n["citations"]
                  if c.get("source_id") is not None}
    common = {"ct": ct, "css_token": css_token, "safe_url": safe_url,
              "ct_health": await health.for_ids(datasette, database, source_ids, ct)}
    env = _fragment_env(datasette)
    text = env.get_template(READER_TEXT).render(passages=data["passages"], **common)
    notes = env.get_template(READER_NOTES).render(notes=data["notes"], **common)
    return {
        "reader_text": Markup(text),
        "reader_notes": Markup(notes),
        "passage_count": len(data["passages"]),
        "note_count": len(data["notes"]),
        "claim_counts": data["claim_counts"],
        "entity_labels": data["entity_labels"],
        "orphan_marker_count": len(data["orphan_markers"]),
        "unreferenced_note_count": len(data["unreferenced_notes"]),
    }


async def reader(datasette, request):
    db = await _database(datasette, request)
    doc_id = url_id(request)
    seen, document = await db.execute_fn(partial(_reader_head, doc_id=doc_id))
    if document is None:
        raise NotFound(f"No document {doc_id}")
    ct = Links(datasette, db.name)
    # Passages and notes are rendered once per database snapshot (plugins/cache.py).
    cache = snapshot_cache(datasette)
    generation = cache.observe(db.name, seen)
    body = cache.get(db.name, ("reader", doc_id))
    if body is None:
        data = await db.execute_fn(partial(queries.load_reader, doc_id=doc_id))
        if data is None:
            raise NotFound(f"No document {doc_id}")
        body = await _reader_body(datasette, ct, db.name, data)
        size = len(body["reader_text"]) + len(body["reader_notes"])
        cache.put(db.name, ("reader", doc_id), body, size, generation)
    return await _render(
        datasette, request, "citetrace_reader.html",
        {"database": db.name, "ct": ct, "document": document, "ct_health": {}, **body},
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
    # A source shared across a collection is cited by thousands of claims: list the first
    # ones (each source's page lists them all).
    data["other_claims"] = data["other_claims"][:OTHER_CLAIMS_SHOWN]
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
    from citetrace.plugins import pages, search  # handlers living in their own modules

    handlers = globals()
    return [(regex, handlers[name]) for regex, name in ROUTES] + health.routes() + [
        (r"^/(?P<database>[^/]+)/-/citetrace/search/?$", search.search),
        (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/pages/(?P<page>\d+)\.png$",
         pages.page_image),
        (r"^/(?P<database>[^/]+)/-/citetrace/documents/(?P<id>\d+)/pages\.json$",
         pages.page_data),
        (rf"^/-/static-plugins/{STATIC_NAME}/(?P<path>.*)$", asgi_static(STATIC_DIR)),
    ]
