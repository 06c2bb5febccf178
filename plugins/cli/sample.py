"""``citetrace sample build`` and ``citetrace demo``: the bundled sample report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .serve import serve_one

DEMO_DB = "citetrace-demo.db"
DEMO_DIR = Path("samples")


@click.group()
def sample():
    """The bundled sample report."""


@sample.command("build")
@click.option("--out", "out_dir", default=str(DEMO_DIR), show_default=True, type=click.Path(file_okay=False))
def sample_build(out_dir):
    """Typeset the sample report PDF and its gold file."""
    from citetrace.ingest.sample import build_sample

    pdf, gold = build_sample(Path(out_dir))
    click.echo(f"wrote {pdf}\nwrote {gold}")


@click.command()
@click.option("--db", "db_path", default=DEMO_DB, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="build and ingest only")
def demo(db_path, host, port, no_serve):
    """Build the sample report, ingest it and serve it (what `make demo` runs)."""
    from citetrace.db.load import ingest as run
    from citetrace.ingest.sample import build_sample

    pdf, _ = build_sample(DEMO_DIR)
    summary = run([str(pdf)], db_path, force=True)
    for o in summary.outcomes:
        click.echo(f"{o.status} {Path(o.path).name}: {o.pages} pages, {o.notes} notes, "
                   f"{o.markers} markers, {o.claims} claims {o.message}")
    if summary.failed:
        sys.exit(1)
    if not no_serve:
        serve_one([db_path], host, port)


