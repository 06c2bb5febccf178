"""Database files a command must not harm (issue 19 items 7 and 8): read-only commands never
write (not even to an older release's database), every command answers a file that is not
SQLite, another program's SQLite file, a read-only file or filesystem in one line, and the
writing commands refuse another program's file unless asked."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from citetrace.db.migrate import SCHEMA_VERSION
from citetrace.db.store import upgrade
from citetrace.plugins.cli import cli

RELEASE_1 = Path(__file__).parent / "data" / "release-1.db"

READERS = {  # the read-only commands, as run on a file (the path goes last)
    "trace": ["trace", "--db"],
    "trace --json": ["trace", "--json", "--db"],
    "annotate list": ["annotate", "list", "--db"],
    "annotate show": ["annotate", "show", "1", "--db"],
    "annotate export": ["annotate", "export", "--db"],
    "annotate export csv": ["annotate", "export", "--format", "csv", "--db"],
    "annotate export markdown": ["annotate", "export", "--format", "markdown", "--document", "1", "--db"],
    "eval": ["eval", "GOLD", "--db"],
    "remove --dry-run": ["remove", "--dry-run", "1", "--db"],
    "serve": ["serve", "--port", "1"],  # refused before any server starts
}
WRITERS = {
    "ingest": ["ingest", "missing.pdf", "--db"],
    "check-links": ["check-links", "--no-archive", "--db"],
    "annotate add": ["annotate", "add", "--claim", "1", "-m", "x", "--author", "ana", "--db"],
    "annotate import": ["annotate", "import", "ITEMS", "--db"],
    "annotate status": ["annotate", "status", "1", "resolved", "--by", "ana", "--db"],
    "upgrade": ["upgrade", "--db"],
    "remove": ["remove", "1", "--db"],
}


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file()}


def _run(command: list[str], path: Path, tmp_path: Path):
    gold = tmp_path / "gold"
    gold.mkdir(exist_ok=True)
    items = tmp_path / "items.jsonld"
    items.write_text('{"type": "AnnotationPage", "items": []}')
    argv = [str(gold) if a == "GOLD" else str(items) if a == "ITEMS" else a for a in command]
    return CliRunner().invoke(cli, [*argv, str(path)])


def _other_program(folder: Path) -> Path:
    path = folder / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table things (x)")
    conn.execute("insert into things values (1)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize("name", READERS)
def test_read_only_commands_read_an_older_database_without_writing(tmp_path, name):
    if name == "serve":
        pytest.skip("serving an older database unchanged: test_migrate's serving test")
    (tmp_path / "db").mkdir()
    db = tmp_path / "db" / "release-1.db"
    shutil.copy(RELEASE_1, db)
    before = _digest(db.parent)
    result = _run(READERS[name], db, tmp_path)
    if name.startswith("trace"):  # its chains are read from note_sources, which release 1 lacks
        assert result.exit_code == 1
        assert result.output == (f"error: {db}: written before short forms were stored (table "
                                 f"note_sources): upgrade it once with `citetrace upgrade --db {db}`\n")
    else:
        assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert _digest(db.parent) == before  # no migration, no WAL switch, no -wal / -shm left
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1 < SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_read_only_commands_show_what_the_older_database_holds(tmp_path):
    db = tmp_path / "release-1.db"
    shutil.copy(RELEASE_1, db)
    listed = _run(READERS["annotate list"], db, tmp_path).output.splitlines()
    assert listed[-1] == "2 annotations" and "release1-reviewer" in listed[0]


@pytest.mark.parametrize("name", {**READERS, **WRITERS})
@pytest.mark.parametrize("kind", ["text file", "other program's SQLite", "empty file"])
def test_every_command_refuses_a_file_that_is_not_a_citetrace_database(tmp_path, name, kind):
    folder = tmp_path / "files"
    folder.mkdir()
    if kind == "text file":
        path = folder / "notes.db"
        path.write_text("not a database at all\n" * 200)
        reason = "not a readable SQLite database (file is not a database)"
    elif kind == "empty file":
        path = folder / "empty.db"
        path.write_bytes(b"")
        reason = "not a citetrace database (it has no documents table)"
    else:
        path = _other_program(folder)
        reason = "not a citetrace database (it has no documents table)"
    if name == "ingest":
        if kind == "empty file":
            pytest.skip("an empty file is a new database to ingest into")
        if kind != "text file":
            reason += "; `citetrace ingest --allow-foreign-db` adds citetrace's tables to it"
    before = _digest(folder)
    result = _run({**READERS, **WRITERS}[name], path, tmp_path)
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [f"error: {path}: {reason}"]
    assert _digest(folder) == before  # byte-identical, no -wal / -shm / journal left


def test_ingest_writes_into_another_programs_file_only_when_asked(tmp_path, sample):
    pdf, _ = sample
    other = _other_program(tmp_path)
    result = CliRunner().invoke(cli, ["ingest", str(pdf), "--db", str(other), "--quiet",
                                      "--allow-foreign-db"])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(other)
    assert conn.execute("select x from things").fetchall() == [(1,)]  # theirs kept
    assert conn.execute("select count(*) from documents").fetchone() == (1,)
    conn.close()


def test_upgrade_says_what_it_did_and_readers_then_see_the_new_schema(tmp_path):
    db = tmp_path / "release-1.db"
    shutil.copy(RELEASE_1, db)
    first = CliRunner().invoke(cli, ["upgrade", "--db", str(db)])
    assert first.output == f"{db}: schema version 1 -> {SCHEMA_VERSION}\n"
    again = CliRunner().invoke(cli, ["upgrade", "--db", str(db)])
    assert again.output == f"{db}: schema version {SCHEMA_VERSION}, up to date\n"


# --- read-only filesystem: a private mount namespace where the machine allows one ---------

def _namespaces() -> bool:
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_namespaces = pytest.mark.skipif(not _namespaces(), reason="no user mount namespaces (unshare -rm)")
CITETRACE = str(Path(sys.executable).with_name("citetrace"))


def in_read_only_folder(folder: Path, argv: list[str]) -> subprocess.CompletedProcess:
    """Run citetrace with ``folder`` remounted read-only (a bind mount in a private
    namespace: nothing outside sees it, nothing is left when it ends)."""
    script = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"')
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(folder), CITETRACE,
                           *argv], capture_output=True, text=True, timeout=300)


@needs_namespaces
@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_read_only_filesystem(tmp_path, journal):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "review.db"
    shutil.copy(RELEASE_1, db)
    upgrade(str(db))  # trace reads note_sources, which release 1 lacks
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA journal_mode = {journal}")  # a WAL file cannot get its -shm there
    conn.close()
    before = _digest(folder)
    for name in ("trace", "annotate list", "annotate export", "remove --dry-run"):
        done = in_read_only_folder(folder, [*READERS[name], str(db)])
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
    listed = in_read_only_folder(folder, ["annotate", "list", "--db", str(db)])
    assert listed.stdout.splitlines()[-1] == "2 annotations"
    for name in ("annotate add", "remove"):
        added = in_read_only_folder(folder, [*WRITERS[name], str(db)])
        assert added.returncode == 1
        [line] = added.stderr.strip().splitlines()
        assert line.startswith(f"error: {db}: ") and "read-only" in line, line
    assert _digest(folder) == before
