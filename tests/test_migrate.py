"""Schema versions and migrations, on a database written by the previous release.

tests/data/release-1.db was written by citetrace at schema version 1 (the release before
versions were read): ``citetrace sample build``, ``citetrace ingest`` of the sample, three
``citetrace annotate add`` (one then taken into review, one deleted), VACUUMed.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.annotations import api
from citetrace.db.compare import compare, report
from citetrace.db.ddl import Schema, Table
from citetrace.db.migrate import MIGRATIONS, SCHEMA_VERSION, Migration, SchemaError, ensure_schema
from citetrace.db.schema import SCHEMA
from citetrace.db.store import open_db

if not pm.is_registered(plugin_module):  # entry point not loaded (e.g. not pip-installed)
    pm.register(plugin_module, name="citetrace")

RELEASE_1 = Path(__file__).parent / "data" / "release-1.db"


@pytest.fixture
def release_1(tmp_path) -> Path:
    return Path(shutil.copy(RELEASE_1, tmp_path / "release-1.db"))


def shape(path: Path) -> dict:
    """What a schema has: every object, and every table's columns (name, type, not null,
    default, primary key; in any order: a column added later comes last) and foreign keys."""
    conn = sqlite3.connect(path)
    try:
        objects = sorted(conn.execute("select type, name, tbl_name from sqlite_master "
                                      "where name not like 'sqlite_%'"))
        tables = [n for t, n, _ in objects if t == "table"]
        return {"objects": objects,
                "columns": {t: sorted(r[1:] for r in conn.execute(f'PRAGMA table_info("{t}")'))
                            for t in tables},
                "foreign_keys": {t: sorted(r[2:5] for r in conn.execute(
                    f'PRAGMA foreign_key_list("{t}")')) for t in tables}}
    finally:
        conn.close()


def version(path: Path) -> tuple[int, str | None]:
    conn = sqlite3.connect(path)
    try:
        meta = conn.execute("select value from citetrace_meta where key = 'schema_version'").fetchone()
        return conn.execute("PRAGMA user_version").fetchone()[0], meta and meta[0]
    finally:
        conn.close()


def open_db_plain(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_migrations_are_numbered_one_by_one():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert SCHEMA_VERSION == MIGRATIONS[-1].version


def test_release_1_database_is_migrated_keeping_every_row(release_1, tmp_path):
    untouched = Path(shutil.copy(RELEASE_1, tmp_path / "untouched.db"))
    assert version(release_1) == (1, "1")
    db = open_db(str(release_1))
    db.close()
    assert version(release_1) == (SCHEMA_VERSION, str(SCHEMA_VERSION))
    result = compare(untouched, release_1)
    # every table, column and row of the release kept; tables and columns added since, new
    assert not result.tables_only[0] and not any(t.columns_only[0] for t in result.tables)
    assert all(t.counts_only == (0, 0) for t in result.tables), report(result)
    rows = {t.table: t.rows[1] for t in result.tables}
    assert rows["passages"] == 57 and rows["footnotes"] == 45 and rows["claims"] == 86
    assert rows["annotations"] == 3 and rows["annotation_history"] == 5
    # and it is now the schema a new database gets
    open_db(str(tmp_path / "fresh.db")).close()
    assert shape(release_1) == shape(tmp_path / "fresh.db")


def test_annotations_of_release_1_still_work(release_1):
    db = open_db(str(release_1))
    found = api.list_annotations(db, api.Filters(include_deleted=True))
    assert sorted((a.state, a.assignee, tuple(a.tags)) for a in found) == [
        ("deleted", None, ()), ("in_review", "bob", ("verified",)),
        ("open", "alice", ("needs-source",))]
    note = next(a for a in found if a.target.kind == "note")
    assert note.target.exact == "Lorvane Water Regulatory Authority"
    assert [h.action for h in api.history(db, note.id)] == ["create"]
    resolved = api.set_state(db, next(a for a in found if a.state == "in_review").id,
                             "resolved", "carol")
    assert resolved.state == "resolved"
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        db.execute("delete from annotations")
    db.close()


def test_an_up_to_date_database_is_only_read(tmp_path):
    path = tmp_path / "current.db"
    open_db(str(path)).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process writing (an ingest)
    try:
        reader = sqlite3.connect(path, timeout=0.2, isolation_level=None)
        started = time.perf_counter()
        assert ensure_schema(reader) == SCHEMA_VERSION  # no wait for the write lock
        assert time.perf_counter() - started < 0.2
        reader.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_what_a_version_1_database_lacks_is_added(tmp_path):
    # Releases at version 1 added tables and columns in place: any of them may be missing.
    path = tmp_path / "old.db"
    open_db(str(path)).close()
    expected = shape(path)
    conn = sqlite3.connect(path, isolation_level=None)
    for sql in ("DROP VIEW source_health", "DROP INDEX idx_citations_source_id_archive_url",
                "ALTER TABLE citations DROP COLUMN archive_url", "DROP TABLE furniture",
                "DROP TRIGGER annotations_never_deleted", "DROP TABLE claims_fts",
                "DROP TRIGGER claims_ai", "DROP TRIGGER claims_ad", "DROP TRIGGER claims_au",
                "PRAGMA user_version = 1"):
        conn.execute(sql)
    conn.close()
    assert shape(path) != expected
    assert ensure_schema(open_db_plain(path)) == 1
    assert shape(path) == expected
    assert version(path) == (SCHEMA_VERSION, str(SCHEMA_VERSION))


# The indexes migration 5 brought: one on every column referring to another table's id.
MIGRATION_5_INDEXES = (
    "idx_citations_refers_to_footnote_id", "idx_note_sources_via_footnote_id",
    "idx_entities_footnote_id", "idx_claims_end_passage_id", "idx_sentences_passage_id",
    "idx_sentences_end_passage_id", "idx_sentences_claim_id", "idx_inline_citations_document_id",
    "idx_inline_citations_sentence_id")


def test_migration_5_indexes_a_version_4_file_and_changes_no_row(release_1, tmp_path):
    # a version-4 file: what that release wrote, every table and row, without the indexes
    open_db(str(release_1)).close()
    conn = open_db_plain(release_1)
    for name in MIGRATION_5_INDEXES:
        conn.execute(f"DROP INDEX {name}")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("update citetrace_meta set value = '4' where key = 'schema_version'")
    conn.close()
    version_4 = Path(shutil.copy(release_1, tmp_path / "version-4.db"))

    def indexes(path):
        with sqlite3.connect(path) as c:
            return {r[0] for r in c.execute("select name from sqlite_master where type = 'index'")}

    assert not indexes(release_1) & set(MIGRATION_5_INDEXES)
    assert ensure_schema(open_db_plain(release_1)) == 4
    assert version(release_1) == (5, "5") == (SCHEMA_VERSION, str(SCHEMA_VERSION))
    assert indexes(release_1) - indexes(version_4) == set(MIGRATION_5_INDEXES)
    # the same tables, columns and rows: the indexes are not content (db.compare)
    result = compare(version_4, release_1)
    assert result.identical, report(result)
    with sqlite3.connect(release_1) as c:
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "newer.db"
    open_db(str(path)).close()
    conn = open_db_plain(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaError, match=rf"newer.db: schema version {SCHEMA_VERSION + 1} is newer"):
        ensure_schema(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


# A later release, as a test sees it: one new column, filled by two migrations in order.
STEM = Schema(tables=(Table("documents", "", {"stem": ("TEXT", "File name without .pdf")}),))


def _fill_stem(conn):
    conn.execute("update documents set stem = substr(filename, 1, length(filename) - 4)")


def _upper_stem(conn):
    conn.execute("update documents set stem = upper(stem)")


LATER = MIGRATIONS + (Migration(SCHEMA_VERSION + 1, "stem", _fill_stem),
                      Migration(SCHEMA_VERSION + 2, "STEM", _upper_stem))


def test_migrations_run_in_order_once(release_1):
    conn = open_db_plain(release_1)
    assert ensure_schema(conn, SCHEMA + STEM, LATER) == 1
    assert conn.execute("select stem from documents").fetchall() == [("CITETRACE-SAMPLE",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
    conn.execute("update documents set stem = 'edited'")
    assert ensure_schema(conn, SCHEMA + STEM, LATER) == SCHEMA_VERSION + 2
    assert conn.execute("select stem from documents").fetchall() == [("edited",)]


def test_a_failing_migration_leaves_the_file_as_it_was(release_1):
    def fail(conn):
        _fill_stem(conn)
        raise RuntimeError("disk on fire")

    before = shape(release_1)
    conn = open_db_plain(release_1)
    broken = MIGRATIONS + (Migration(SCHEMA_VERSION + 1, "fails", fail),)
    with pytest.raises(RuntimeError, match="disk on fire"):
        ensure_schema(conn, SCHEMA + STEM, broken)
    assert not conn.in_transaction
    conn.close()
    assert version(release_1) == (1, "1")
    assert shape(release_1) == before


def test_the_first_web_annotation_upgrades_the_database(release_1, tmp_path):
    # As written before annotations existed; served, it is read as it is until someone writes.
    conn = open_db_plain(release_1)
    conn.execute("DROP TABLE annotation_history")
    conn.execute("DROP TABLE annotations")
    passage = conn.execute("select id from passages where kind = 'paragraph' "
                           "order by seq limit 1").fetchone()[0]
    conn.close()
    before = shape(release_1)
    ds = Datasette([str(release_1)])
    cookies = {"ds_actor": ds.sign({"a": {"id": "root"}}, "actor")}
    reader = "/release-1/-/citetrace/documents/1"

    async def visit_then_annotate():
        page = await ds.client.get(reader, cookies=cookies)
        assert page.status_code == 200
        assert shape(release_1) == before  # reading changed nothing
        token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
        return await ds.client.post(
            "/release-1/-/citetrace/annotations", cookies={**cookies, "ds_csrftoken": token},
            data={"passage_id": str(passage), "start": "0", "end": "20", "body": "First!",
                  "motivation": "commenting", "csrftoken": token, "next": reader})

    response = asyncio.run(visit_then_annotate())
    assert response.status_code == 303, response.text
    assert version(release_1) == (SCHEMA_VERSION, str(SCHEMA_VERSION))
    db = open_db(str(release_1))
    [a] = api.list_annotations(db)
    assert (a.body, a.author, a.target.passage_id) == ("First!", "root", passage)
    assert db.execute("select count(*) from passages").fetchone() == (57,)
    db.close()


@pytest.mark.parametrize("command", [["ingest", "missing.pdf", "--db"], ["annotate", "list", "--db"],
                                     ["trace", "--db"]])
def test_commands_refuse_a_newer_database_in_one_line(tmp_path, command):
    from click.testing import CliRunner

    from citetrace.plugins.cli import cli

    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    result = CliRunner().invoke(cli, [*command, str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines() == [
        f"error: {path}: schema version {SCHEMA_VERSION + 1} is newer than this citetrace knows "
        f"({SCHEMA_VERSION}): upgrade citetrace to open it"]


def _other_programs_db(tmp_path):
    """An SQLite file of another program: one table that is none of ours."""
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("create table things (x)")
    conn.commit()
    conn.close()
    return other


def test_trace_refuses_other_files_in_one_line_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from citetrace.plugins.cli import cli

    other = _other_programs_db(tmp_path)
    text = tmp_path / "notes.db"
    text.write_text("not a database at all " * 100)
    before = other.read_bytes()
    for path, reason in ((other, "not a citetrace database (it has no documents table)"),
                         (text, "not a readable SQLite database (file is not a database)")):
        result = CliRunner().invoke(cli, ["trace", "--db", str(path)])
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [f"error: {path}: {reason}"]
    assert other.read_bytes() == before
    assert not (tmp_path / "other.db-wal").exists()


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["export"],
                                     ["add", "--claim", "1", "-m", "x", "--author", "ana"]])
def test_annotate_leaves_other_programs_databases_alone(tmp_path, command):
    # issue 19 item 8: `annotate list` on any SQLite file added 76 schema objects and WAL
    from click.testing import CliRunner

    from citetrace.plugins.cli import cli

    other = _other_programs_db(tmp_path)
    before = other.read_bytes()
    result = CliRunner().invoke(cli, ["annotate", command[0], "--db", str(other), *command[1:]])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: {other}: not a citetrace database (it has no documents table)"]
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]
