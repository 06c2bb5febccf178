"""documents.path (issue 19 item 8): a PDF ingested by a relative path from one folder shows
its page images when the database is served from another folder; an older release's
relative path still works where it can be found (the server's folder, the database's)."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

CITETRACE = str(Path(sys.executable).with_name("citetrace"))


def _page_image(db: Path) -> int:
    ds = Datasette([str(db)])
    return asyncio.run(ds.client.get(f"/{db.stem}/-/citetrace/documents/1/pages/1.png")).status_code


def _ingest_relative(tmp_path, sample) -> tuple[Path, Path]:
    folder_a = tmp_path / "a"
    folder_a.mkdir()
    shutil.copy(sample[0], folder_a / "tiny.pdf")
    subprocess.run([CITETRACE, "ingest", "tiny.pdf", "--db", "reports.db", "--quiet"],
                   cwd=folder_a, check=True, capture_output=True, timeout=600)
    return folder_a, folder_a / "reports.db"


def test_ingest_stores_the_absolute_path_and_another_folder_serves_the_pages(tmp_path, sample, monkeypatch):
    folder_a, db = _ingest_relative(tmp_path, sample)
    conn = sqlite3.connect(db)
    assert conn.execute("select path from documents").fetchone() == (str(folder_a / "tiny.pdf"),)
    conn.close()
    folder_b = tmp_path / "b"
    folder_b.mkdir()
    monkeypatch.chdir(folder_b)
    assert _page_image(db) == 200


def test_an_older_relative_path_is_found_beside_the_database(tmp_path, sample, monkeypatch):
    folder_a, db = _ingest_relative(tmp_path, sample)
    conn = sqlite3.connect(db)
    conn.execute("update documents set path = 'tiny.pdf'")  # as the previous release wrote it
    conn.commit()
    conn.close()
    elsewhere = tmp_path / "b"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert _page_image(db) == 200
    (folder_a / "tiny.pdf").rename(tmp_path / "moved.pdf")
    assert _page_image(db) == 404  # not found anywhere: the reader says so
