"""A full disk (issue 19 item 7): `annotate add`, `annotate import`, `check-links` and `ingest`
say in one line that the disk is full and what was not saved (a comment's text is given back),
never "cannot rollback"; the database stays intact and the next open works.

Two ways to fill the disk: SQLite's own limit (``PRAGMA max_page_count`` on every connection
citetrace opens to the file: SQLite then answers SQLITE_FULL, "database or disk is full", as on
a full disk), which works everywhere; and, where the machine allows user mount namespaces, a
real tmpfs of a few hundred KiB that the command fills."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from linkserver import LinkServer
from test_linkcheck import make_document

from citetrace.annotations import api
from citetrace.annotations.exchange import export_jsonld
from citetrace.db.store import open_db, write_document
from citetrace.plugins.cli import cli
from tests.annotations_support import annotation_count, base, copy_db, long_passage  # noqa: F401
from tests.test_database_files import needs_namespaces

LONG = "A comment that needs pages of its own. " * 400  # ~16,000 characters, under BODY_MAX


@pytest.fixture
def full(monkeypatch):
    """``full(path)``: from now on, citetrace's connections to ``path`` cannot grow it."""
    real = sqlite3.connect
    limits: dict[str, int] = {}

    def connect(database, *args, **kwargs):
        conn = real(database, *args, **kwargs)
        name = str(database)
        if kwargs.get("uri"):  # file:///...?mode=rw (open_existing); mode=ro ones never write
            url = urlsplit(name)
            name = unquote(url.path) if "mode=rw" in url.query else ""
        name = str(Path(name).resolve()) if name else name
        if name in limits:  # a writing connection
            conn.execute(f"PRAGMA max_page_count = {limits[name]}")
        return conn

    def fill(path: Path) -> None:
        conn = real(path)
        limits[str(Path(path).resolve())] = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.close()

    monkeypatch.setattr(sqlite3, "connect", connect)
    return fill


def intact(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def one_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "cannot rollback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def db_path(base, tmp_path):
    return copy_db(base[0], tmp_path)


def test_annotate_add_on_a_full_disk_gives_the_text_back(db_path, full):
    before = annotation_count(db_path)
    args = ["annotate", "add", "--db", str(db_path), "--passage", str(long_passage(db_path)),
            "--start", "0", "--end", "20", "-m", LONG, "--author", "ana"]
    full(db_path)
    line = one_line(CliRunner().invoke(cli, args))
    assert line == (f"error: {db_path}: the disk is full: the annotation was NOT saved; "
                    f"its text: {json.dumps(LONG)}")
    assert annotation_count(db_path) == before and intact(db_path)


def test_the_next_open_after_a_failed_write_works(db_path, full, monkeypatch):
    args = ["annotate", "add", "--db", str(db_path), "--passage", str(long_passage(db_path)),
            "--start", "0", "--end", "20", "-m", LONG, "--author", "ana"]
    full(db_path)
    assert CliRunner().invoke(cli, args).exit_code == 1
    monkeypatch.undo()  # room again
    listed = CliRunner().invoke(cli, ["annotate", "list", "--db", str(db_path)])
    assert listed.exit_code == 0 and listed.output == "0 annotations\n"
    added = CliRunner().invoke(cli, args)
    assert added.exit_code == 0, added.output
    assert annotation_count(db_path) == 1 and intact(db_path)


def test_annotate_import_on_a_full_disk_saves_nothing(db_path, full, tmp_path):
    db = open_db(str(db_path))
    target = api.resolve_target(db, passage_id=long_passage(db_path), start=0, end=20)
    api.add(db, target, body=LONG, author="ana")
    item = export_jsonld(db)["first"]["items"][0]
    db.conn.close()
    items = [dict(item, id=f"https://example.org/a/{i}") for i in range(20)]
    data = tmp_path / "many.jsonld"
    data.write_text(json.dumps(items))
    full(db_path)
    line = one_line(CliRunner().invoke(cli, ["annotate", "import", "--db", str(db_path), str(data)]))
    assert line == f"error: {db_path}: the disk is full: nothing was saved"
    assert annotation_count(db_path) == 1 and intact(db_path)


def test_ingest_on_a_full_disk_reports_the_document_and_saves_nothing_of_it(sample, tmp_path, full):
    pdf, _ = sample
    db_path = tmp_path / "new.db"
    open_db(str(db_path)).conn.close()  # the schema fits; the document will not
    full(db_path)
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(db_path), "--quiet"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "cannot rollback" not in result.output
    assert f"error: {pdf}: database write failed: the disk is full: nothing of it was saved" \
        in result.output.splitlines()
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from documents").fetchone() == (0,)
    assert conn.execute("select count(*) from passages").fetchone() == (0,)
    conn.close()
    assert intact(db_path)


def test_check_links_on_a_full_disk_says_so_in_one_line(tmp_path, full):
    with LinkServer(1) as server:
        db_path = tmp_path / "links.db"
        db = open_db(str(db_path))
        write_document(db, make_document([{"url": server.url(f"/ok?n={i}")} for i in range(250)]),
                       "test")
        db.conn.close()
        full(db_path)
        result = CliRunner().invoke(cli, ["check-links", "--db", str(db_path), "--allow-private",
                                          "--no-archive", "--delay", "0", "--quiet",
                                          "--per-host", "10"])
    line = one_line(result)
    assert line == (f"error: {db_path}: the disk is full: the checks not saved yet were lost "
                    "(they are saved 100 at a time); run check-links again when there is room")
    assert intact(db_path)


# --- a real full disk: a small tmpfs in a private mount namespace -------------------------

CITETRACE = str(Path(sys.executable).with_name("citetrace"))
ON_SMALL_DISK = r'''
set -u
mount -t tmpfs -o size="$SIZE"k tmpfs "$DISK"
cp "$SRC" "$DISK/review.db"
"$CITETRACE" annotate list --db "$DISK/review.db" > /dev/null  # its -shm and -wal exist
dd if=/dev/zero of="$DISK/filler" bs=4k 2> /dev/null  # every block taken
"$CITETRACE" "$@" --db "$DISK/review.db" 2> "$OUT/stderr"; echo $? > "$OUT/rc"
"$CITETRACE" annotate list --db "$DISK/review.db" > "$OUT/list-full" 2>&1  # next open, still full
rm "$DISK/filler"
"$CITETRACE" annotate list --db "$DISK/review.db" > "$OUT/list" 2>&1  # room again
cp "$DISK/review.db" "$OUT/review.db"
'''


@needs_namespaces
@pytest.mark.parametrize("command", ["annotate add", "ingest", "check-links"])
def test_on_a_real_full_disk(db_path, sample, tmp_path, command):
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    with LinkServer(1) as server:
        if command == "check-links":  # a database citing 250 pages of a server on 127.0.0.1
            db_path = tmp_path / "links.db"
            db = open_db(str(db_path))
            write_document(db, make_document([{"url": server.url(f"/ok?n={i}")} for i in range(250)]),
                           "test")
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.conn.close()
        argv = {"annotate add": ["annotate", "add", "--claim", "1", "-m", LONG, "--author", "ana"],
                "ingest": ["ingest", str(sample[0]), "--force", "--quiet"],
                "check-links": ["check-links", "--allow-private", "--no-archive", "--delay", "0",
                                "--per-host", "10", "--quiet"]}[command]
        env = {"PATH": "/usr/bin:/bin", "SIZE": str(db_path.stat().st_size // 1024 + 200),
               "DISK": str(disk), "SRC": str(db_path), "OUT": str(out), "CITETRACE": CITETRACE}
        subprocess.run(["unshare", "-rm", "sh", "-c", ON_SMALL_DISK, "sh", *argv], env=env,
                       check=True, timeout=600)
    stderr = (out / "stderr").read_text()
    assert (out / "rc").read_text().strip() == "1"
    assert "Traceback" not in stderr and "cannot rollback" not in stderr
    if command == "annotate add":
        assert stderr.splitlines() == [
            f"error: {disk}/review.db: the disk is full: the annotation was NOT saved; "
            f"its text: {json.dumps(LONG)}"]
    elif command == "ingest":
        assert (f"error: {sample[0]}: database write failed: the disk is full: "
                "nothing of it was saved") in stderr.splitlines()
    else:  # one line, not one traceback per URL whose check found no room
        assert stderr.splitlines() == [
            f"error: {disk}/review.db: the disk is full: the checks not saved yet were lost "
            "(they are saved 100 at a time); run check-links again when there is room"]
    assert (out / "list-full").read_text() == "0 annotations\n"
    assert (out / "list").read_text() == "0 annotations\n"
    assert intact(out / "review.db")
    conn = sqlite3.connect(out / "review.db")
    assert conn.execute("select count(*) from footnotes").fetchone()[0] > 0  # the old document kept
    conn.close()
