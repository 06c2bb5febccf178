"""Compare two citetrace databases table by table: same tables, same columns, same rows.

    python -m citetrace.db.compare BEFORE.db AFTER.db

Rows are compared whole, ids included, as multisets. Ids are assigned in the order documents
are written, so build both databases with ``citetrace ingest --workers 1`` over the same
files in the same order (with more workers documents finish in any order, and their ids with
them). Left out: columns that differ on every run (:data:`VOLATILE`), ``citetrace_meta``
(schema bookkeeping: its version is expected to differ across releases), the full-text index
tables (derived from their content tables by triggers) and views (queries over the tables).

Exit status: 0 identical, 1 different (each difference listed), 2 a file cannot be read.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# table -> columns that change on every ingest
VOLATILE = {"documents": ("ingested_at", "path")}
SKIPPED = ("citetrace_meta",)
EXAMPLES = 3  # differing rows shown per table and side


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


def _rows(conn: sqlite3.Connection, table: str, columns: list[str]) -> Counter:
    names = ", ".join(f'"{c}"' for c in columns)
    return Counter(conn.execute(f'select {names} from "{table}"'))


def compare_table(a: sqlite3.Connection, b: sqlite3.Connection, table: str) -> TableDiff:
    cols_a, cols_b = _columns(a, table), _columns(b, table)
    ignored = VOLATILE.get(table, ())
    shared = [c for c in cols_a if c in cols_b and c not in ignored]
    rows_a, rows_b = _rows(a, table, shared), _rows(b, table, shared)
    only_a, only_b = rows_a - rows_b, rows_b - rows_a
    return TableDiff(
        table, (rows_a.total(), rows_b.total()),
        ([c for c in cols_a if c not in cols_b], [c for c in cols_b if c not in cols_a]),
        (sorted(only_a, key=repr)[:EXAMPLES], sorted(only_b, key=repr)[:EXAMPLES]),
        (only_a.total(), only_b.total()), shared)


def compare(path_a: str | Path, path_b: str | Path) -> Comparison:
    a, b = _open(path_a), _open(path_b)
    try:
        tables_a, tables_b = _tables(a), _tables(b)
        return Comparison(
            ([t for t in tables_a if t not in tables_b], [t for t in tables_b if t not in tables_a]),
            [compare_table(a, b, t) for t in tables_a if t in tables_b])
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
    if len(args) != 2:
        print("usage: python -m citetrace.db.compare A.db B.db", file=sys.stderr)
        return 2
    try:
        result = compare(*args)
    except CompareError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print("\n".join(report(result)))
    return 0 if result.identical else 1


if __name__ == "__main__":
    sys.exit(main())
