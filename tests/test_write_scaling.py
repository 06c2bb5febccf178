"""Re-ingesting or removing one document costs what that document holds, not what the
collection holds (docs/scaling.md: both took minutes at 3,000 documents, when SQLite read
whole tables for the foreign keys of each deleted row and the first citation of a title was
looked for among every citation of its source).

Measured without a clock, in SQLite's own unit of work: the virtual-machine instructions a
statement runs (a progress handler counts them), which grow with every row read. A
collection of the sample report written 2 and then 8 times (the same sources cited by every
document: the worst case of docs/scaling.md), on a real database file."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle

import pytest
from annotations_support import ingested

from citetrace.db.store import open_db, remove_document, write_document

TICK = 100  # instructions per progress-handler call


@pytest.fixture(scope="module")
def document(tmp_path_factory, sample):
    return pickle.loads(ingested(tmp_path_factory, sample)[1].read_bytes())


def _copy(doc, n: int):
    """The document under another file identity: another document citing the same works."""
    return dataclasses.replace(doc, sha256=hashlib.sha256(f"copy {n}".encode()).hexdigest(),
                               filename=f"copy-{n}.pdf")


def _work(db, write) -> int:
    """SQLite instructions ``write`` runs."""
    ticks = 0

    def tick():
        nonlocal ticks
        ticks += 1
        return 0

    db.conn.set_progress_handler(tick, TICK)
    try:
        write()
    finally:
        db.conn.set_progress_handler(None, TICK)
    return ticks * TICK


def _costs(tmp_path, document, documents: int) -> dict[str, int]:
    """The work of re-ingesting, then removing, the first of ``documents`` copies."""
    db = open_db(str(tmp_path / f"{documents}.db"))
    first = write_document(db, _copy(document, 0), "test")
    for n in range(1, documents):
        write_document(db, _copy(document, n), "test")
    # the first document gives every source's first citation: its removal finds the next
    costs = {"re-ingest": _work(db, lambda: write_document(db, _copy(document, 0), "test")),
             "remove": _work(db, lambda: remove_document(db, first))}
    db.close()
    return costs


def test_reingest_and_removal_cost_the_same_in_a_collection_four_times_larger(
        tmp_path, document):
    small, large = _costs(tmp_path, document, 2), _costs(tmp_path, document, 8)
    # Measured: 158,800 -> 158,700 instructions to re-ingest, 69,400 -> 69,600 to remove.
    # Before (no index on 9 referring columns): 353,200 -> 1,575,700 and 289,900 ->
    # 1,512,600; with those indexes but the first citation of a title looked for among all
    # its source's citations, the removal still grew by 1,100 a document (68,300 -> 75,000).
    for what in small:
        assert large[what] < 1.05 * small[what], (what, small, large)

