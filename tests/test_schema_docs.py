"""Every public table, view and column is described, and Datasette shows those descriptions.

Descriptions live beside the columns (db.schema, db.links.schema, annotations.schema); the
Datasette metadata is generated from them, so a column added without one fails here.
"""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.schema import SCHEMA
from citetrace.db.store import open_db
from citetrace.plugins.metadata import table_metadata

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "reports.db"
    open_db(str(path)).close()
    return path


def public_columns(path) -> dict[str, list[str]]:
    """Tables and views of a new database, with their columns; full-text indexes (virtual
    tables and their shadow tables, which Datasette hides) and SQLite's own left out."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("select name, sql from sqlite_master where type in ('table', 'view') "
                            "and name not like 'sqlite_%'").fetchall()
        virtual = [n for n, sql in rows if sql.upper().startswith("CREATE VIRTUAL")]
        return {n: [r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')] for n, _ in rows
                if not any(n == v or n.startswith(v + "_") for v in virtual)}
    finally:
        conn.close()


def test_every_public_table_and_column_has_a_description(fresh):
    found = public_columns(fresh)
    assert {"documents", "furniture", "citations", "annotations", "link_checks", "claim_trace",
            "source_health"} <= set(found)
    meta = table_metadata()
    undescribed = [name for name in found if not meta.get(name, {}).get("description")]
    undescribed += [f"{name}.{col}" for name, cols in found.items() for col in cols
                    if not (meta.get(name, {}).get("columns") or {}).get(col, "").strip()]
    assert not undescribed, "describe them beside their declaration: " + ", ".join(undescribed)


def test_declarations_are_what_a_new_database_has(fresh):
    found = public_columns(fresh)
    declared = {t.name: list(t.columns) for t in SCHEMA.tables}
    declared.update({v.name: list(v.columns) for v in SCHEMA.views})
    assert found == declared


def test_datasette_shows_the_descriptions(fresh):
    async def get(url):
        return await Datasette([str(fresh)]).client.get(url)

    tables = asyncio.run(get("/-/metadata.json")).json()["databases"]["reports"]["tables"]
    assert tables["furniture"]["description"].startswith("Printed text kept out of the passages")
    assert "perma.cc" in tables["citations"]["columns"]["archive_url"]
    assert tables["claims"]["facets"] == ["kind", "needs_source", "document_id"]  # kept
    page = asyncio.run(get("/reports/furniture")).text
    assert "The rule that left it out" in page
