"""`citetrace ... | head -1` (issue 19 item 7): a reader that closes the pipe early must not
abort an ingest half way (every document is in the database) nor print a traceback.
Run through a real shell pipe."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from citetrace.annotations import api
from citetrace.db.store import open_db

CITETRACE = str(Path(sys.executable).with_name("citetrace"))
COPIES = 4


@pytest.fixture(scope="module")
def pdfs(sample, tmp_path_factory) -> Path:
    """Copies of the sample report, each a different file (a comment appended)."""
    folder = tmp_path_factory.mktemp("pipe-pdfs")
    for i in range(COPIES):
        copy = folder / f"report-{i}.pdf"
        shutil.copy(sample[0], copy)
        with copy.open("ab") as f:
            f.write(f"\n% copy {i}\n".encode())
    return folder


def piped(command: str, tmp_path: Path) -> tuple[str, str]:
    """(what `head -1` printed, what the command wrote to stderr when it is not piped)."""
    err = tmp_path / "stderr.txt"
    done = subprocess.run(["sh", "-c", f"{command} 2> {err} | head -1"], capture_output=True,
                          text=True, timeout=600, env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"})
    return done.stdout, err.read_text()


def documents(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from documents").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("streams", ["stdout", "stdout and stderr"])
def test_ingest_into_head_finishes_the_batch(pdfs, tmp_path, streams):
    db = tmp_path / "piped.db"
    command = f"{CITETRACE} ingest {pdfs} --db {db}"
    if streams == "stdout and stderr":  # each "ingested ..." line meets the closed pipe
        err = tmp_path / "none.txt"
        done = subprocess.run(["sh", "-c", f"{command} 2>&1 | head -1; echo $? > {err}"],
                              capture_output=True, text=True, timeout=600)
        assert done.stdout.startswith("ingested report-0.pdf: ")
        assert done.stdout.count("\n") == 1 and done.stderr == ""
    else:
        out, err = piped(command, tmp_path)
        assert out.startswith(f"{COPIES} ingested, 0 unchanged")
        assert "Traceback" not in err and "Exception ignored" not in err
    assert documents(db) == COPIES


def test_trace_and_annotate_list_into_head_say_nothing_more(pdfs, tmp_path):
    db = tmp_path / "read.db"
    subprocess.run([CITETRACE, "ingest", str(pdfs / "report-0.pdf"), "--db", str(db), "--quiet"],
                   check=True, capture_output=True, timeout=600)
    conn = open_db(str(db))
    target = api.resolve_target(conn, passage_id=conn.execute(
        "select id from passages where kind = 'paragraph' limit 1").fetchone()[0], start=0, end=10)
    for i in range(3000):  # more than a pipe's 64 KiB buffer of listing
        api.add(conn, target, body=f"comment {i}", author="ana")
    conn.conn.close()
    for command, first in ((f"trace --db {db}", "Paying for the Pipes"),
                           (f"trace --json --db {db}", "{"),
                           (f"annotate list --db {db}", "   1  open"),
                           (f"annotate export --format csv --db {db}", "id,uuid,")):
        out, err = piped(f"{CITETRACE} {command}", tmp_path)
        assert out.startswith(first), (command, out)
        assert err == "", (command, err[-500:])
