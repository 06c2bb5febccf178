"""One line for each way a database file can fail a command, naming the file.

SQLite reports a full disk, a read-only file or filesystem, a file that is not a database or
a damaged one as :class:`sqlite3.Error` with a short English message; commands turn them into
a :class:`StoreError` here (:func:`explained`), which the CLI prints as one line, never a
traceback.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager


class StoreError(Exception):
    """A database file a command cannot use, or a write it could not make; one line, naming
    the file."""


class SchemaError(StoreError):
    """The database cannot be used by this release. Here rather than in db.migrate so that
    every db module can raise it without importing db.migrate."""


# (what SQLite says, what the line says): the first that matches
_REASONS = (
    ("database or disk is full", "the disk is full"),
    ("readonly database", "the file or its filesystem is read-only"),
    ("read-only file system", "the filesystem is read-only"),
    ("file is not a database", "not a readable SQLite database (file is not a database)"),
    ("malformed", "the database file is damaged (SQLite: database disk image is malformed)"),
    ("unable to open database file", "cannot open it (a missing or read-only folder?)"),
    ("disk i/o error", "disk I/O error (a full, failing or read-only disk?)"),
)


def reason(e: sqlite3.Error) -> str:
    text = str(e).lower()
    return next((said for sqlite_says, said in _REASONS if sqlite_says in text),
                f"database error ({e})")


def explain(path, e: sqlite3.Error, what: str = "nothing was saved") -> StoreError:
    """``e`` as one line about ``path``; ``what`` says what became of the command's work
    ("" when the command only reads)."""
    why = reason(e)
    if "no such table" in str(e) or "no such column" in str(e):
        # a release-1 file read without upgrading it: the read-only commands never upgrade
        why = (f"written by an older citetrace and not upgraded yet ({e}): "
               f"run `citetrace upgrade --db {path}` first")
    return StoreError(f"{path}: {why}" + (f": {what}" if what else ""))


@contextmanager
def explained(path, what: str = "nothing was saved"):
    """Run the block; an SQLite error in it becomes one :class:`StoreError` line."""
    try:
        yield
    except sqlite3.Error as e:
        raise explain(path, e, what) from None
