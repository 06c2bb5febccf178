"""Compare two citetrace databases table by table: same tables, same columns, same rows.

    python -m citetrace.db.compare [--renumber] BEFORE.db AFTER.db

Rows are compared whole, ids included, as multisets. Ids are assigned in the order documents
are written, so build both databases with ``citetrace ingest --workers 1`` over the same
files in the same order, or compare with ``--renumber`` (with more workers, or on a Dask
cluster, documents finish in any order, and their ids with them): each table's ids are then
replaced by their rank in an order of the rows' content (:func:`renumber`), in the
referencing columns too. Left out: columns that differ on every run (:data:`VOLATILE`), ``citetrace_meta``
(schema bookkeeping: its version is expected to differ across releases), the full-text index
tables (derived from their content tables by triggers) and views (queries over the tables).

Exit status: 0 identical, 1 different (each difference listed), 2 a file cannot be read.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# table -> columns that change on every ingest
VOLATILE = {"documents": ("ingested_at", "path")}
SKIPPED = ("citetrace_meta",)
EXAMPLES = 3  # differing rows shown per table and side
# id columns the schema does not declare as references: (table, column) -> table referred to
UNDECLARED = {("claims", "sentence_id"): "sentences"}
ID_LISTS = {("sentences", "footnote_ids"): "footnotes"}  # JSON lists of ids
# Columns that say which row was written first: meaningless once write order is ignored
# (a document retried on another worker is written last, and its citation is no longer first)
WRITE_ORDER = {"source_title_votes": ("first_citation_id",)}


class CompareError(Exception):
    pass


@dataclass
class TableDiff:
    table: str
    rows: tuple[int, int]
    columns_only: tuple[list[str], list[str]] = ([], [])
    rows_only: tuple[list[tuple], list[tuple]] = ([], [])  # examples of rows in one side only
    counts_only: tuple[int, int] = (0, 0)
    compared: list[str] = field(default_factory=list)  # the columns compared

    @property
    def identical(self) -> bool:
        return not any(self.columns_only) and self.counts_only == (0, 0)


@dataclass
class Comparison:
    tables_only: tuple[list[str], list[str]]
    tables: list[TableDiff]

    @property
    def identical(self) -> bool:
        return not any(self.tables_only) and all(t.identical for t in self.tables)


def _open(path: str | Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise CompareError(f"{path}: no such file")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as e:
        conn.close()
        raise CompareError(f"{path}: not a SQLite database ({e})") from None
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("select name, sql from sqlite_master where type = 'table' "
                        "and name not like 'sqlite_%' order by name").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    return [name for name, _ in rows if name not in SKIPPED
            and not any(name == v or name.startswith(v + "_") for v in virtual)]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


Renumbering = dict  # table -> {old id: new id}


def _declared(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """column -> the table whose id it holds, as the schema declares it."""
    return {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}


def _references(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    """:func:`_declared` and :data:`UNDECLARED`."""
    return _declared(conn, table) | {c: t for (tab, c), t in UNDECLARED.items() if tab == table}


def _sort_key(value):
    # SQLite values of mixed types in one column: NULLs first, then numbers, text, blobs
    if value is None:
        return (0, 0)
    return (1, value) if isinstance(value, (int, float)) else (2, str(value)) \
        if isinstance(value, str) else (3, bytes(value))


def renumber(conn: sqlite3.Connection) -> Renumbering:
    """New ids for every table with an ``id`` column, independent of the order documents were
    written in: rows ordered by their declared references (renumbered first) and then by their
    content; the old id breaks ties only between rows of one document, written in one order."""
    tables = [t for t in _tables(conn) if "id" in _columns(conn, t)]
    done: Renumbering = {}
    while len(done) < len(tables):
        ready = [t for t in tables if t not in done and all(
            ref in done or ref == t or ref not in tables for ref in _declared(conn, t).values())]
        if not ready:  # a cycle of declared keys: the rest by content alone
            ready = [t for t in tables if t not in done]
        for t in ready:
            columns = _columns(conn, t)
            declared = _declared(conn, t)
            skip = set(VOLATILE.get(t, ())) | {c for (tab, c) in [*UNDECLARED, *ID_LISTS] if tab == t}
            content = [c for c in columns if c != "id" and c not in declared and c not in skip]
            keyed = []
            for row in conn.execute(f'select * from "{t}"'):
                values = dict(zip(columns, row))
                refs = [done.get(declared[c], {}).get(values[c], values[c]) for c in declared]
                keyed.append(([_sort_key(v) for v in refs + [values[c] for c in content]], values["id"]))
            keyed.sort(key=lambda k: (k[0], k[1]))
            done[t] = {old: new for new, (_, old) in enumerate(keyed, start=1)}
    return done


def _rows(conn: sqlite3.Connection, table: str, columns: list[str],
          ids: Renumbering | None = None) -> Counter:
    names = ", ".join(f'"{c}"' for c in columns)
    rows = conn.execute(f'select {names} from "{table}"')
    if ids is None:
        return Counter(rows)
    refs = {c: t for c, t in _references(conn, table).items() if c in columns}
    if "id" in columns:
        refs["id"] = table
    lists = {c: t for (tab, c), t in ID_LISTS.items() if tab == table and c in columns}

    def mapped(row: tuple) -> tuple:
        out = []
        for c, v in zip(columns, row):
            if c in refs and v is not None:
                v = ids.get(refs[c], {}).get(v, v)
            elif c in lists and v:
                v = json.dumps([ids.get(lists[c], {}).get(i, i) for i in json.loads(v)])
            out.append(v)
        return tuple(out)

    return Counter(mapped(r) for r in rows)


def compare_table(a: sqlite3.Connection, b: sqlite3.Connection, table: str,
                  ids: tuple[Renumbering, Renumbering] | None = None) -> TableDiff:
    cols_a, cols_b = _columns(a, table), _columns(b, table)
    ignored = VOLATILE.get(table, ()) + (WRITE_ORDER.get(table, ()) if ids else ())
    shared = [c for c in cols_a if c in cols_b and c not in ignored]
    rows_a = _rows(a, table, shared, ids[0] if ids else None)
    rows_b = _rows(b, table, shared, ids[1] if ids else None)
    only_a, only_b = rows_a - rows_b, rows_b - rows_a
    return TableDiff(
        table, (rows_a.total(), rows_b.total()),
        ([c for c in cols_a if c not in cols_b], [c for c in cols_b if c not in cols_a]),
        (sorted(only_a, key=repr)[:EXAMPLES], sorted(only_b, key=repr)[:EXAMPLES]),
        (only_a.total(), only_b.total()), shared)


def compare(path_a: str | Path, path_b: str | Path, renumbered: bool = False) -> Comparison:
    """`renumbered`: compare ids as :func:`renumber` gives them (write order ignored)."""
    a, b = _open(path_a), _open(path_b)
    try:
        tables_a, tables_b = _tables(a), _tables(b)
        ids = (renumber(a), renumber(b)) if renumbered else None
        return Comparison(
            ([t for t in tables_a if t not in tables_b], [t for t in tables_b if t not in tables_a]),
            [compare_table(a, b, t, ids) for t in tables_a if t in tables_b])
    finally:
        a.close()
        b.close()


def _row_text(columns: list[str], row: tuple, width: int = 160) -> str:
    text = ", ".join(f"{c}={v!r}" for c, v in zip(columns, row))
    return text if len(text) <= width else text[: width - 1] + "…"


def report(result: Comparison) -> list[str]:
    """The comparison, one line per table (then the differing rows), and a verdict."""
    lines = []
    for side, tables in zip("AB", result.tables_only):
        lines += [f"{t}: only in {side}" for t in tables]
    for t in result.tables:
        if t.identical:
            lines.append(f"{t.table}: {t.rows[0]} rows, identical")
            continue
        lines.append(f"{t.table}: {t.rows[0]} vs {t.rows[1]} rows; {t.counts_only[0]} only in "
                     f"A, {t.counts_only[1]} only in B")
        for side, cols in zip("AB", t.columns_only):
            if cols:
                lines.append(f"  columns only in {side}: {', '.join(cols)}")
        for side, rows in zip("AB", t.rows_only):
            lines += [f"  only in {side}: {_row_text(t.compared, r)}" for r in rows]
    ignored = [f"{t}.{c}" for t, cols in VOLATILE.items() for c in cols] + list(SKIPPED)
    same = sum(t.identical for t in result.tables)
    lines.append(f"{'IDENTICAL' if result.identical else 'DIFFERENT'}: {same} of "
                 f"{len(result.tables)} shared tables identical (ignored: {', '.join(ignored)})")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    renumbered = "--renumber" in args
    args = [a for a in args if a != "--renumber"]
    if len(args) != 2:
        print("usage: python -m citetrace.db.compare [--renumber] A.db B.db", file=sys.stderr)
        return 2
    try:
        result = compare(*args, renumbered=renumbered)
    except CompareError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("\n".join(report(result)))
    return 0 if result.identical else 1


if __name__ == "__main__":
    sys.exit(main())
