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
