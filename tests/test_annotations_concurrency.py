"""Concurrent reviewers: many writers at once (processes and threads, each with its own
connection) lose no annotation and no history row (WAL, busy timeout, BEGIN IMMEDIATE)."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

import pytest
from annotations_support import base, concurrent_writer, copy_db, db_path, ingested  # noqa: F401  (fixtures)

from citetrace.annotations import api
from citetrace.db.store import open_db

WRITERS = 8
PER_WRITER = 50




def _passages(db_path) -> list[int]:
    conn = open_db(str(db_path))
    try:
        return [r[0] for r in conn.execute("select id from passages where length(text) >= 10")]
    finally:
        conn.close()


def _check(db_path, writers: int) -> None:
    conn = open_db(str(db_path))
    try:
        total = writers * PER_WRITER
        assert conn.execute("select count(*) from annotations").fetchone()[0] == total
        assert conn.execute("select count(distinct uuid) from annotations").fetchone()[0] == total
        per_author = dict(conn.execute("select author, count(*) from annotations group by author"))
        assert per_author == {f"w{w}": PER_WRITER for w in range(writers)}
        assert conn.execute("select count(*) from annotations where state = 'in_review'").fetchone()[0] == total
        actions = dict(conn.execute("select action, count(*) from annotation_history group by action"))
        assert actions == {"create": total, "state": total}
        # every history row belongs to an annotation, every annotation has both rows
        orphans = conn.execute(
            "select count(*) from annotation_history h left join annotations a "
            "on a.id = h.annotation_id and a.uuid = h.annotation_uuid where a.id is null").fetchone()[0]
        assert orphans == 0
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_concurrent_processes(db_path):
    passages = _passages(db_path)
    ctx = multiprocessing.get_context("spawn")  # fresh interpreters: no shared connection state
    with ctx.Pool(WRITERS) as pool:
        done = pool.map(concurrent_writer,
                        [(str(db_path), w, PER_WRITER, passages) for w in range(WRITERS)])
    assert done == [PER_WRITER] * WRITERS
    _check(db_path, WRITERS)


def test_concurrent_threads(db_path):
    passages = _passages(db_path)
    with ThreadPoolExecutor(WRITERS) as pool:
        done = list(pool.map(concurrent_writer,
                             [(str(db_path), w, PER_WRITER, passages) for w in range(WRITERS)]))
    assert done == [PER_WRITER] * WRITERS
    _check(db_path, WRITERS)
