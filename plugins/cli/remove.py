"""``citetrace remove``: take documents out of a database by id, file name or sha256.

Every name is looked up before anything is removed: one that names no document, or several,
stops the command with nothing removed (as ``git rm`` does with a path that matches
nothing), since a removal is not undone. Each document then goes in its own transaction
(:func:`db.store.remove_document`). Annotations are never removed: they are orphaned, the way
a re-ingest orphans those whose text is gone, and come back when the file is ingested again.
"""

from __future__ import annotations

import sys

import click

from citetrace.db import removal
from citetrace.db.errors import explained
from citetrace.db.store import Removed, open_existing, open_readonly, remove_document
from citetrace.plugins.cli.terminal import printable

# what the summary names, in the words of `citetrace ingest`'s line
SHOWN = {"pages": "pages", "passages": "passages", "footnotes": "notes",
         "footnote_refs": "markers", "citations": "citations", "claims": "claims",
         "entities": "entities"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n != 1 else f"1 {'entity' if word == 'entities' else word[:-1]}"


def what_goes(rows: dict[str, int], annotations: int, sole_sources: int) -> str:
    """"10 pages, 54 passages, ...; 3 annotations kept, orphaned; ..." of a removal."""
    parts = [", ".join(_plural(rows.get(table, 0), word) for table, word in SHOWN.items())]
    parts.append(f"{_plural(annotations, 'annotations')} kept, orphaned until the file is "
                 "ingested again" if annotations else "no annotations")
    if sole_sources:
        parts.append(f"{_plural(sole_sources, 'sources')} no longer cited by any document (kept)")
    return "; ".join(parts)


def _line(verb: str, r: Removed) -> str:
    return printable(f"{verb} document {r.id} {r.filename} (sha256 {r.sha256[:12]}): "
                     f"{what_goes(r.rows, r.annotations, r.sole_sources)}")


def _resolve(conn, db_path: str, names) -> list[int]:
    """The ids the names give, each once, in the order given; exits with one line per name
    that names no document or several (nothing removed)."""
    ids, problems = [], []
    for name in names:
        found = removal.find(conn, name)
        if len(found.documents) == 1:
            doc_id = found.documents[0][0]
            ids += [doc_id] if doc_id not in ids else []
        elif not found.documents:
            problems.append(f"no document {name!r} in {db_path} (give its id, a file name or "
                            f"path it was ingested from, or {removal.SHA256_PREFIX_MIN}+ hex "
                            "digits of its sha256)")
        else:
            which = ", ".join(f"{i} {f} (sha256 {s[:12]})" for i, s, f in found.documents)
            problems.append(f"{name!r} names {len(found.documents)} documents in {db_path}: "
                            f"{which}; give the id or the sha256")
    for problem in problems:
        click.echo(printable(f"error: {problem}: nothing was removed"), err=True)
    if problems:
        sys.exit(1)
    return ids


@click.command("remove")
@click.argument("documents", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="citetrace database")
@click.option("--dry-run", is_flag=True, help="say what would be removed; change nothing")
def remove(documents, db_path, dry_run):
    """Remove documents (by id, file name or path, or sha256) and their passages, notes,
    markers, citations, claims and entities. Sources stay, with their counts moved; the
    PDF files are not touched.

    Annotations are never removed: a removed document's annotations are kept, orphaned, with
    their quote and comment (`citetrace annotate list --orphaned`), and are anchored again
    if the same file is ingested later.

    Exit code 1, with nothing removed, when a name names no document or several.
    """
    if dry_run:
        conn = open_readonly(db_path)  # a dry run never upgrades or writes the file
        try:
            with explained(db_path, ""):
                ids = _resolve(conn, db_path, documents)
                # each as if those before it were gone, as the removal will find them
                done = [removal.preview(conn, i, ids[:k]) for k, i in enumerate(ids)]
        finally:
            conn.close()
        for r in done:
            click.echo(_line("would remove", r))
    else:
        db = open_existing(db_path)
        try:
            with explained(db_path, "documents reported removed are removed; the others are not"):
                done = []
                for doc_id in _resolve(db.conn, db_path, documents):
                    r = remove_document(db, doc_id)
                    if r is None:  # another process removed it since it was looked up
                        click.echo(f"error: document {doc_id} is no longer in {db_path}", err=True)
                        sys.exit(1)
                    click.echo(_line("removed", r))
                    done.append(r)
        finally:
            db.close()
    if len(done) > 1:
        total = {t: sum(r.rows[t] for r in done) for t in SHOWN}
        click.echo(f"{len(done)} documents {'would be ' if dry_run else ''}removed: " + what_goes(
            total, sum(r.annotations for r in done), sum(r.sole_sources for r in done)))
    if dry_run:
        click.echo(f"dry run: nothing was removed from {db_path}")
