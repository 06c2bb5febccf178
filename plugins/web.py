"""The kit every citetrace page is made with: the database a URL names and what the actor may
read of it, links, static files and rendering.

Page modules (views, search, pages, health, review) import this module and nothing of each
other's handlers; each exports ``routes()`` and :mod:`plugins.datasette_citetrace` joins them.

Permissions (the README's Security model): a page names the tables it reads, and asks
Datasette about each one as Datasette's own table page would (``view-table``, then
``view-database``, then ``view-instance``: the first that decides wins). A table a page cannot
do without answers 403; a part it can leave out (margin, badges, open-annotation counts) is
left out. Its SQL then runs under a SQLite authorizer that refuses any other table, so a page
that reads more than it asked for fails instead of leaking.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass
from functools import cache, partial
from typing import Iterable
from urllib.parse import urlencode

from datasette import __version__ as DATASETTE_VERSION
from datasette import default_permissions
from datasette.utils import tilde_decode, tilde_encode
from datasette.utils.asgi import Forbidden, NotFound, Response, asgi_static
from datasette.views.base import DatasetteError

from citetrace.db.errors import SchemaError
from citetrace.plugins import detect
from citetrace.plugins.render import css_token, safe_url

PREFIX = "-/citetrace"
STATIC_DIR = os.path.join(os.path.dirname(__file__), "static")
TEMPLATES_DIR = os.path.join(os.path.dirname(__file__), "templates")
STATIC_NAME = "citetrace"
PLUGIN_MODULE = "citetrace.plugins.datasette_citetrace"
MAX_ID = 2**63 - 1


def static_url(datasette, filename: str) -> str:
    """URL of a file in plugins/static (served by our own route, see :func:`static_routes`).

    Datasette 0.65 mounts ``static/`` only for plugins that are packages (on Python < 3.12
    ``importlib.resources.files`` refuses a module), so the plugin serves it itself.
    """
    try:
        version = int(os.path.getmtime(os.path.join(STATIC_DIR, filename)))
    except OSError:
        version = 0
    return f"{datasette.urls.static_plugins(STATIC_NAME, filename)}?v={version}"


def static_routes():
    return [(rf"^/-/static-plugins/{STATIC_NAME}/(?P<path>.*)$", asgi_static(STATIC_DIR))]


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

    def source_files(self, **params) -> list[tuple[str, str]]:
        """(label, URL) of the cited sources as BibTeX, RIS and CSL-JSON
        (plugins/sources_pages.py): all of them, or ``document=N`` / ``source=N``."""
        query = urlencode({k: int(v) for k, v in params.items() if v is not None})
        return [(label, f"{self._base}/{PREFIX}/sources.{ext}" + (f"?{query}" if query else ""))
                for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "csl.json"))]

    def page_data(self, doc_id) -> str:
        return f"{self._base}/{PREFIX}/documents/{int(doc_id)}/pages.json"

    def row(self, table: str, row_id) -> str:
        # the table's URL once per page: a reader links ~150 rows
        base = self._tables.get(table)
        if base is None:
            base = self._tables[table] = str(self.datasette.urls.table(self.database, table))
        if type(row_id) is int:  # digits: nothing to encode
            return f"{base}/{row_id}"
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


def parse_id(text) -> int | None:
    """A row id from request text: digits, at most what SQLite holds; else None. Length
    first: ``int()`` of over 4,300 digits raises (Python's guard against slow parsing)."""
    text = str(text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    value = int(text)
    return value if value <= MAX_ID else None


def url_id(request, name: str = "id") -> int:
    """An integer id from the URL; one SQLite cannot hold is simply not found."""
    value = parse_id(request.url_vars[name])
    if value is None:
        raise NotFound(f"No such {name}: {name}s are whole numbers up to {MAX_ID}")
    return value


def arg_id(request, name: str) -> int | None:
    """A whole number from the query string (``?document=3``): None when absent or empty,
    404 when it is not one SQLite can hold."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    value = parse_id(raw)
    if value is None:
        raise NotFound(f"{name} must be a whole number, not {raw[:40]!r}")
    return value


# --- permissions ---------------------------------------------------------------------------


class _AnyTable(Exception):
    """A metadata shape Datasette would not read as plain dicts: any table may have rules."""


def _tables_with_allow(source, database: str) -> set[str]:
    """Tables (casefolded) with an ``allow`` in a table block of one metadata source, at
    instance level or under ``database``."""
    if not isinstance(source, dict):
        return set()  # Datasette skips it too (_metadata_recursive_update)
    scopes = [source]
    databases = source.get("databases")
    if databases is not None:
        if not isinstance(databases, dict):
            raise _AnyTable
        scopes.append(databases.get(database))
    found = set()
    for scope in scopes:
        if scope is None:
            continue
        tables = scope.get("tables") if isinstance(scope, dict) else True
        if tables is None:
            continue
        if not isinstance(tables, dict):
            raise _AnyTable
        for name, config in tables.items():
            if not isinstance(name, str) or not isinstance(config, dict):
                raise _AnyTable
            if "allow" in config:
                found.add(name.casefold())
    return found


def tables_with_rules(datasette, database: str) -> frozenset | None:
    """The tables of ``database`` (casefolded) a ``view-table`` check could answer anything
    but None for; None when that could be any table.

    Each check costs Datasette a deep copy of all the metadata and a query (~0.4 ms); a page
    reads up to fifteen tables. Datasette 0.65's ``permission_allowed`` keeps the last
    non-None answer of the ``permission_allowed`` hooks. When the only ones registered are
    Datasette's defaults and ours (ours decides ``citetrace-annotate`` alone), the answer for
    ``view-table`` on a table is the default's, which is None unless
    ``_table_permission_allows`` finds an ``allow`` in that table's block (names compared
    with ASCII case folded, which casefold() only widens) in a metadata source: every
    ``get_metadata`` hook and the local metadata, the very sources read here
    (:func:`_rule_sources`), at instance level or under this database. Anything else
    (another plugin deciding permissions, another Datasette) may decide any table.
    ``view-database`` and ``view-instance`` are always asked.
    """
    # not at module level: importing datasette.plugins loads the plugins, this one included
    from datasette.plugins import pm

    if not DATASETTE_VERSION.startswith("0.65.") or not hasattr(datasette, "_metadata_local"):
        return None
    ours = sys.modules.get(PLUGIN_MODULE)
    for impl in pm.hook.permission_allowed.get_hookimpls():
        if impl.plugin is not default_permissions and impl.plugin is not ours:
            return None
    found = set()
    try:
        for source in _rule_sources(pm, ours, datasette, database):
            found |= _tables_with_allow(source, database)
    except _AnyTable:
        return None
    return frozenset(found)


def _rule_sources(pm, ours, datasette, database: str):
    """The metadata sources Datasette 0.65 reads ``allow`` blocks from
    (``Datasette._metadata_sources("tables", database, None)``: every ``get_metadata`` hook,
    then the local metadata), but for our own hook: its tables never have an ``allow``
    (``metadata.KEYS``), and building them copies every table's descriptions, a tenth of
    the CPU of a reader page served from the cache."""
    hook = pm.hook.get_metadata
    if ours is not None and pm.is_registered(ours):
        hook = pm.subset_hook_caller("get_metadata", [ours])
    yield from hook(datasette=datasette, key="tables", database=database, table=None)
    yield datasette._metadata_local


async def _database_visible(datasette, actor, database: str) -> bool:
    try:
        await datasette.ensure_permissions(actor, [("view-database", database), "view-instance"])
    except Forbidden:
        return False
    return True


async def visible_tables(datasette, actor, database: str, tables: Iterable[str]) -> frozenset:
    """Which of ``tables`` the actor may view, as Datasette's table page decides it:
    ``ensure_permissions(actor, [view-table, view-database, view-instance])``, with the
    fallback shared by all tables (database, then instance) asked once."""
    tables = list(dict.fromkeys(tables))
    ruled = tables_with_rules(datasette, database)
    answers = [None] * len(tables)
    for i, table in enumerate(tables):
        if ruled is None or table.casefold() in ruled:
            answers[i] = await datasette.permission_allowed(actor, "view-table",
                                                            (database, table), default=None)
    if any(ok is None for ok in answers):
        fallback = await _database_visible(datasette, actor, database)
        answers = [fallback if ok is None else ok for ok in answers]
    return frozenset(table for table, ok in zip(tables, answers) if ok)


# SQLite's own tables and table-valued functions; FTS5 reads its shadow tables (<fts>_data,
# ...) itself, allowed with their FTS table.
_ALWAYS_READABLE = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master",
                              "sqlite_temp_schema", "json_each", "json_tree"})
_FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def _authorizer(allowed: frozenset, action, arg1, arg2, dbname, source):
    if action != sqlite3.SQLITE_READ or not arg1:
        return sqlite3.SQLITE_OK
    name = arg1.lower()
    if name in allowed or name in _ALWAYS_READABLE or name.startswith("pragma_"):
        return sqlite3.SQLITE_OK
    for suffix in _FTS_SHADOWS:  # the FTS tables of db.schema are named <table>_fts
        base = name[: -len(suffix)]
        if name.endswith(suffix) and base.endswith("_fts") and base in allowed:
            return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def read_only_tables(conn, fn, allowed: frozenset):
    """``fn(conn)`` with every read of a table outside ``allowed`` refused by SQLite
    ("not authorized"). Setting the authorizer expires prepared statements, so statements
    cached before are checked again."""
    conn.set_authorizer(partial(_authorizer, allowed))
    try:
        return fn(conn)
    finally:
        conn.set_authorizer(None)


class _AnyParameter(dict):
    def __missing__(self, key):
        return None


def tables_read_by(conn, sql: str) -> frozenset | None:
    """Every table and view ``sql`` reads (asked of SQLite while preparing it); None when it
    cannot be prepared."""
    found = set()

    def record(action, arg1, arg2, dbname, source):
        if action == sqlite3.SQLITE_READ and arg1:
            found.add(arg1.lower())
        return sqlite3.SQLITE_OK

    conn.set_authorizer(record)
    try:
        conn.execute("explain " + sql, _AnyParameter())
    except sqlite3.Error:
        return None
    finally:
        conn.set_authorizer(None)
    return frozenset(t for t in found
                     if t not in _ALWAYS_READABLE and not t.startswith("pragma_"))


async def guard_queries(datasette, actor, db, queries: dict) -> dict:
    """The canned ``queries``, each one reading a table or view the actor may not view
    marked ``"allow": False``. Datasette asks only ``view-query``, ``view-database`` and
    ``view-instance`` before running a canned query; ours answer as a table page would (403,
    and the database page does not list them). They stay defined: Datasette looks a query up
    for other actors too (its "private" padlock)."""
    def reads(conn):
        return {name: tables_read_by(conn, query["sql"]) for name, query in queries.items()}

    read = await db.execute_fn(reads)
    visible = await visible_tables(datasette, actor, db.name,
                                   sorted(set().union(*(r for r in read.values() if r))))
    for name, query in queries.items():
        if read[name] is None or not read[name] <= visible:
            query["allow"] = False
    return queries


@dataclass(frozen=True)
class Readable:
    """A citetrace database and the tables of it the request's actor may read."""

    db: object  # datasette.database.Database
    tables: frozenset

    @property
    def name(self) -> str:
        return self.db.name

    def can(self, tables: Iterable[str]) -> bool:
        return set(tables) <= self.tables

    async def read(self, fn, **kwargs):
        """``fn(conn, **kwargs)`` on a read connection, reading only :attr:`tables`."""
        call = partial(fn, **kwargs) if kwargs else fn
        return await self.db.execute_fn(partial(read_only_tables, fn=call, allowed=self.tables))

    async def read_upgraded(self, fn, **kwargs):
        """:meth:`read`; a database too old for the page (not upgraded since) is answered in
        one line (409), naming the command that upgrades it."""
        try:
            return await self.read(fn, **kwargs)
        except SchemaError as e:
            raise DatasetteError(str(e), status=409) from None


async def readable(datasette, request, needs: Iterable[str], wants: Iterable[str] = ()):
    """The citetrace database named in the URL: 404 when there is none, 403 when the actor
    may not view one of the tables ``needs``; ``wants`` are read only when viewable."""
    route = tilde_decode(request.url_vars["database"])
    try:
        db = datasette.get_database(route=route)
    except KeyError:
        raise NotFound(f"Database not found: {route}")
    return await readable_db(datasette, request.actor, db, needs, wants)


async def readable_db(datasette, actor, db, needs: Iterable[str], wants: Iterable[str] = ()):
    needs = tuple(needs)
    visible = await visible_tables(datasette, actor, db.name, (*needs, *wants))
    refused = [table for table in needs if table not in visible]
    if refused:
        raise Forbidden(f"view-table: this page reads {', '.join(refused)}")
    if not await detect.is_citetrace_db(db):
        raise NotFound(f"{db.name} is not a citetrace database")
    return Readable(db, visible)


# --- rendering -----------------------------------------------------------------------------


async def render(datasette, request, template: str, context: dict, view_name: str):
    """A page from Datasette's templates, with the plugin's static files and helpers."""
    context = {
        "css_token": css_token,
        "safe_url": safe_url,
        "ct_css_url": static_url(datasette, "citetrace.css"),
        "ct_js_url": static_url(datasette, "citetrace.js"),
        "ct_static": partial(static_url, datasette),
        "ct_health": {},
        **context,
    }
    html = await datasette.render_template(
        [template], context, request=request, view_name=view_name
    )
    # Datasette's base.html has no language for screen readers and hyphenation (WCAG 3.1.1);
    # our pages are in English.
    return Response.html(html.replace("<html>", '<html lang="en">', 1))


def fragment_env(datasette):
    """Datasette's Jinja environment (same loader, so --template-dir still overrides), not
    async: rendering these loops synchronously takes a quarter less time. Its own template
    cache: templates compiled for the async environment cannot be rendered by this one.
    Rows' columns are read first (:func:`_rows_first`)."""
    env = getattr(datasette, "_citetrace_fragment_env", None)
    if env is None:
        env = datasette.jinja_env.overlay(enable_async=False, cache_size=50)
        env.__class__ = _rows_first(type(env))  # overlay() copies the class: only this one
        datasette._citetrace_fragment_env = env
    return env


@cache
def _rows_first(base: type) -> type:
    class RowsFirst(base):
        """``row.column`` reads a dict's key at once. Jinja tries ``getattr`` first, and a
        dict raises AttributeError before its key is read: with ~2,000 such lookups per
        reader page, a quarter of the fragments' time. The same answer for every key that
        is not the name of a dict method (no column is)."""

        def getattr(self, obj, attribute):
            if type(obj) is dict:
                try:
                    return obj[attribute]
                except KeyError:
                    pass
            return super().getattr(obj, attribute)

    return RowsFirst
