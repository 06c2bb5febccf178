"""``citetrace upgrade``: bring a database written by an older release up to this one's schema
(the tables, columns and migrations of db.migrate), without ingesting anything."""

from __future__ import annotations

import click

from citetrace.db import store
from citetrace.db.migrate import SCHEMA_VERSION


@click.command("upgrade")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="citetrace database")
def upgrade(db_path):
    """Upgrade a citetrace database to this release's schema. Commands that write do it as
    they open the file; the web pages only read it, so upgrade a file before serving it."""
    was = store.upgrade(db_path)
    click.echo(f"{db_path}: schema version {was} -> {SCHEMA_VERSION}" if was != SCHEMA_VERSION
               else f"{db_path}: schema version {was}, up to date")
