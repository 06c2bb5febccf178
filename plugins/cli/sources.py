"""``citetrace sources``: the cited sources as CSL-JSON, BibTeX or RIS for a reference manager."""

from __future__ import annotations

import click

from citetrace.db import bibliography
from citetrace.db.store import open_readonly


@click.group("sources")
def sources():
    """Cited sources: export them for Zotero, Mendeley, EndNote, JabRef."""


@sources.command("export")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="citetrace database")
@click.option("--format", "fmt", type=click.Choice(list(bibliography.WRITERS)), default="bibtex",
              show_default=True)
@click.option("--document", "document_id", type=int, default=None,
              help="only the sources this document cites (default: every cited source)")
@click.option("--source", "source_id", type=int, default=None, help="only this source")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export(db_path, fmt, document_id, source_id, output):
    """Write the sources of a document (or of the whole database) as CSL-JSON, BibTeX or RIS."""
    conn = open_readonly(db_path)
    try:
        if document_id is not None and conn.execute(
                "select 1 from documents where id = ?", [document_id]).fetchone() is None:
            raise click.ClickException(f"no document {document_id} in {db_path}")
        if source_id is not None and conn.execute(
                "select 1 from sources where id = ?", [source_id]).fetchone() is None:
            raise click.ClickException(f"no source {source_id} in {db_path}")
        output.write(bibliography.export(conn, fmt, document_id=document_id, source_id=source_id))
    finally:
        conn.close()
