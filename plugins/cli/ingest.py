"""``citetrace ingest``: PDF files, folders or globs into a database, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from citetrace.plugins.cli.pipes import Console


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite file to write")
@click.option("--workers", type=int, default=None, help="worker processes (default 1; same as --executor local:N)")
@click.option("--executor", default="local", show_default=True,
              help="local[:N] (processes on this machine) or dask://HOST:PORT (a Dask scheduler)")
@click.option("--force", is_flag=True, help="re-ingest files whose sha256 is already known")
@click.option("--model", default=None, help="spaCy pipeline (default: en_core_web_sm)")
@click.option("--password", default=None, help="password for encrypted PDFs")
@click.option("--max-pages", type=int, default=2000, show_default=True, help="refuse longer PDFs")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="seconds allowed per document (0: no limit)")
@click.option("--quiet", is_flag=True, help="no progress bar")
@click.option("--allow-foreign-db", "allow_foreign", is_flag=True,
              help="add citetrace's tables to a SQLite file of another program (refused by default)")
def ingest(paths, db_path, workers, executor, force, model, password, max_pages, timeout, quiet,
           allow_foreign):
    """Ingest PDF files, folders or globs into a database.

    Exit code 0 when every file succeeded (or was unchanged), 1 when any failed.
    """
    from citetrace.db.errors import explained
    from citetrace.db.executors import DaskExecutor, ExecutorError, parse_executor
    from citetrace.db.load import ingest as run  # the batch loader
    from citetrace.ingest.pipeline import Options

    try:
        chosen = parse_executor(executor, workers)
    except ExecutorError as e:
        raise click.UsageError(str(e)) from None
    # `ingest ... | head -1`: a reader that went away must not stop the batch
    err = Console(stderr=True)
    out = Console()
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.description}"),
                        console=err, disable=quiet or not err.is_terminal)
    with progress:
        task = progress.add_task("", total=None)

        def report(o, done, total):
            progress.update(task, completed=done, total=total, description=Path(o.path).name)
            if o.status == "ingested":
                progress.console.print(
                    f"ingested {Path(o.path).name}: {o.pages} pages, {o.passages} passages, "
                    f"{o.notes} notes, {o.markers} markers, {o.claims} claims ({o.seconds:.1f}s)",
                    highlight=False, markup=False, soft_wrap=True)
                if o.suspect:
                    err.print(f"warning: {Path(o.path).name}: extraction suspect: {o.suspect}",
                              highlight=False, markup=False, soft_wrap=True)
            elif o.status == "failed":
                err.print(f"error: {o.message}", highlight=False, markup=False, soft_wrap=True)
            else:
                progress.console.print(f"{o.status} {o.message}", highlight=False, markup=False, soft_wrap=True)

        def step(path, what, done, total):
            # what a worker is doing now, so a long file or the model load does not look stuck
            what = f"page {done}/{total}" if what == "pages" else what
            progress.update(task, description=f"{Path(path).name}: {what}" if path else what)

        def started(cluster):
            err.print(cluster.describe(), highlight=False, markup=False, soft_wrap=True)

        try:
            # a failed write of a document is its outcome; a failure between documents stops here
            with explained(db_path, "the batch stopped (documents reported ingested are saved)"):
                summary = run(list(paths), db_path, force=force, executor=chosen, progress=step,
                              on_start=started, allow_foreign=allow_foreign,
                              options=Options(model, password, max_pages, timeout or None),
                              report=report)
        except ExecutorError as e:
            err.print(f"error: {e}", highlight=False, markup=False, soft_wrap=True)
            sys.exit(1)
    rate = summary.pages / summary.seconds if summary.seconds else 0
    out.print(
        f"{summary.count('ingested')} ingested, {summary.count('skipped')} unchanged, "
        f"{summary.count('duplicate')} duplicates, {summary.count('failed')} failed, "
        f"{summary.suspect} suspect; "
        f"{summary.pages} pages in {summary.seconds:.1f}s ({rate:.1f} pages/s)",
        highlight=False, soft_wrap=True)
    if isinstance(chosen, DaskExecutor):
        for worker, (pages, seconds) in sorted(summary.throughput().items()):
            out.print(f"  {worker}: {pages} pages in {seconds:.1f}s busy "
                      f"({pages / seconds if seconds else 0:.1f} pages/s)", highlight=False, soft_wrap=True)
    sys.exit(1 if summary.failed else 0)


