"""Declared schema -> SQLite DDL, for every schema of the database (db.schema's tables, the
link tables, the annotation tables).

A :class:`Schema` says what should exist; :func:`missing` lists the statements that would
create what does not (tables, columns, indexes, full-text indexes, triggers, changed views)
and :func:`apply` runs them. Nothing is ever dropped or renamed: the tables and columns are a
public interface. A column added to an existing table keeps only its type and the table it
references (SQLite cannot add NOT NULL without a default, nor a key); the other constraints
hold on tables created new.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    # column -> (SQL type and constraints, description), in order
    columns: dict[str, tuple[str, str]]
    # table constraints, e.g. 'PRIMARY KEY ("document_id", "page")'
    constraints: tuple[str, ...] = ()

    def create_sql(self) -> str:
        # laid out as sqlite-utils lays out the tables it creates (older databases have those)
        parts = [f"{quote(c)} {sql}" for c, (sql, _) in self.columns.items()]
        return f"CREATE TABLE {quote(self.name)} (\n   " + ",\n   ".join(
            parts + list(self.constraints)) + "\n)"


@dataclass(frozen=True)
class Index:
    table: str
    columns: tuple[str, ...]
    unique: bool = False
    where: str = ""  # a partial index: only the rows this holds for (SQL, e.g. "x IS NOT NULL")

    @property
    def name(self) -> str:  # sqlite-utils' naming, which older databases have
        return f"idx_{self.table}_{'_'.join(self.columns)}"

    def create_sql(self) -> str:
        cols = ", ".join(quote(c) for c in self.columns)
        unique = "UNIQUE " if self.unique else ""
        where = f" WHERE {self.where}" if self.where else ""
        return (f"CREATE {unique}INDEX {quote(self.name)}\n"
                f"    ON {quote(self.table)} ({cols}){where}")


@dataclass(frozen=True)
class View:
    name: str
    description: str
    sql: str  # the SELECT
    columns: dict[str, str] = field(default_factory=dict)  # output column -> description


@dataclass(frozen=True)
class Trigger:
    name: str
    sql: str  # what follows CREATE TRIGGER <name>


@dataclass(frozen=True)
class FullText:
    """An FTS5 index over ``table`` as sqlite-utils' ``enable_fts`` builds it (same names, so
    Datasette finds it), kept in step by triggers."""

    table: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.table}_fts"

    def create_sql(self) -> list[str]:
        t, fts = quote(self.table), quote(self.name)
        names = ", ".join(quote(c) for c in self.columns)
        new = ", ".join(f"new.{quote(c)}" for c in self.columns)
        old = ", ".join(f"old.{quote(c)}" for c in self.columns)
        delete = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES('delete', old.rowid, {old});"
        insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new});"
        return [
            f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({names}, tokenize='porter', content={t})",
            f"INSERT INTO {fts} (rowid, {names}) SELECT rowid, {names} FROM {t}",
            f"CREATE TRIGGER {quote(self.table + '_ai')} AFTER INSERT ON {t} BEGIN {insert} END",
            f"CREATE TRIGGER {quote(self.table + '_ad')} AFTER DELETE ON {t} BEGIN {delete} END",
            f"CREATE TRIGGER {quote(self.table + '_au')} AFTER UPDATE ON {t} BEGIN "
            f"{delete} {insert} END",
        ]


@dataclass(frozen=True)
class Schema:
    tables: tuple[Table, ...] = ()
    indexes: tuple[Index, ...] = ()
    full_text: tuple[FullText, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    views: tuple[View, ...] = ()

    def __add__(self, other: Schema) -> Schema:
        return Schema(*(getattr(self, f) + getattr(other, f)
                        for f in ("tables", "indexes", "full_text", "triggers", "views")))

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def _addable(sql: str) -> str:
    """What ALTER TABLE ADD COLUMN can keep of a column's declaration: its type and the
    table it references (NOT NULL, UNIQUE, keys and defaults only hold on new tables)."""
    refs = sql.find("REFERENCES")
    return sql.split()[0] + (" " + sql[refs:] if refs >= 0 else "")


def exists(conn: sqlite3.Connection, name: str) -> bool:
    """The database has this table or view (a file from an older release may lack it)."""
    return conn.execute("select 1 from sqlite_master where type in ('table', 'view') "
                        "and name = ?", [name]).fetchone() is not None


def missing(conn: sqlite3.Connection, schema: Schema) -> list[str]:
    """The DDL statements that would bring the database up to ``schema`` (none: it is)."""
    objects = {(kind, name): sql for kind, name, sql in conn.execute(
        "select type, name, sql from sqlite_master")}
    out: list[str] = []
    for t in schema.tables:
        if ("table", t.name) not in objects:
            out.append(t.create_sql())
            continue
        have = {r[1] for r in conn.execute(f"PRAGMA table_info({quote(t.name)})")}
        out.extend(f"ALTER TABLE {quote(t.name)} ADD COLUMN {quote(c)} {_addable(sql)}"
                   for c, (sql, _) in t.columns.items() if c not in have)
    out.extend(i.create_sql() for i in schema.indexes if ("index", i.name) not in objects)
    for f in schema.full_text:
        if ("table", f.name) not in objects:
            out.extend(f.create_sql())
    out.extend(f"CREATE TRIGGER {quote(t.name)} {t.sql}" for t in schema.triggers
               if ("trigger", t.name) not in objects)
    for v in schema.views:
        current = objects.get(("view", v.name))
        if current is None or v.sql.strip() not in current:
            if current is not None:
                out.append(f"DROP VIEW {quote(v.name)}")
            out.append(f"CREATE VIEW {quote(v.name)} AS {v.sql}")
    return out


def apply(conn: sqlite3.Connection, statements: list[str]) -> None:
    """Run ``statements`` one by one, inside the caller's transaction (executescript would
    commit it halfway)."""
    for sql in statements:
        conn.execute(sql)
