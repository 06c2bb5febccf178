"""The web kit's shape: page modules import on their own, routes are joined in one place."""

from __future__ import annotations

import subprocess
import sys

import pytest

PAGE_MODULES = ("web", "views", "search", "pages", "health", "review", "start", "sources_pages",
                "query_links", "datasette_citetrace")


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_a_page_module_imports_first(module):
    # importing datasette.plugins loads this plugin through its entry point: a module that
    # imports it at module level, imported first, meets itself half-initialised
    done = subprocess.run([sys.executable, "-c", f"import citetrace.plugins.{module}"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_routes_are_joined_once_from_every_page_module():
    from datasette.app import Datasette

    from citetrace.plugins import (
        datasette_citetrace,
        health,
        pages,
        review,
        search,
        sources_pages,
        start,
        views,
    )

    joined = datasette_citetrace.register_routes(Datasette([]))
    regexes = [regex for regex, _ in joined]
    assert len(regexes) == len(set(regexes))
    for module in (views, search, pages, health, review, start, sources_pages):
        assert module.routes() and set(module.routes()) <= set(joined), module.__name__


def test_fragments_read_row_columns_as_jinja_would():
    """The fragments' environment reads a dict's key before trying an attribute (fast for
    rows); the answers are Jinja's: columns, a missing one undefined, dict methods and
    objects' attributes as before, the page's environment untouched."""
    from types import SimpleNamespace

    from datasette.app import Datasette

    from citetrace.plugins import web

    ds = Datasette([])
    env = web.fragment_env(ds)
    assert web.fragment_env(ds) is env and type(ds.jinja_env) is not type(env)
    template = env.from_string(
        "{{ r.title }}|{{ r.id }}|{{ r.missing is undefined }}|{{ r.get('title') }}|"
        "{{ r['id'] }}|{{ o.title }}|{% for k, v in r.items() %}{{ k }}{% endfor %}|{{ r.note }}")
    row = {"title": "A <b>report</b>", "id": 7, "note": None}
    assert template.render(r=row, o=SimpleNamespace(title="Other")) == (
        "A &lt;b&gt;report&lt;/b&gt;|7|True|A &lt;b&gt;report&lt;/b&gt;|7|Other|titleidnote|None")
