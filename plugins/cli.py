"""The `citetrace` command line: ingest, serve, demo, eval, sample."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

DEMO_DB = "citetrace-demo.db"
DEMO_DIR = Path("samples")


@click.group()
@click.version_option(package_name="citetrace")
def cli():
    """citetrace: trace every claim of a PDF report to its footnote and source."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite file to write")
@click.option("--workers", type=int, default=1, show_default=True, help="worker processes")
@click.option("--force", is_flag=True, help="re-ingest files whose sha256 is already known")
@click.option("--model", default=None, help="spaCy pipeline (default: en_core_web_sm)")
@click.option("--password", default=None, help="password for encrypted PDFs")
@click.option("--max-pages", type=int, default=2000, show_default=True, help="refuse longer PDFs")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="seconds allowed per document (0: no limit)")
@click.option("--quiet", is_flag=True, help="no progress bar")
def ingest(paths, db_path, workers, force, model, password, max_pages, timeout, quiet):
    """Ingest PDF files, folders or globs into a database.

    Exit code 0 when every file succeeded (or was unchanged), 1 when any failed.
    """
    from citetrace.ingest.pipeline import Options
    from citetrace.ingest.pipeline import ingest as run

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
            elif o.status == "failed":
                err.print(f"error: {o.message}", highlight=False, markup=False, soft_wrap=True)
            else:
                progress.console.print(f"{o.status} {o.message}", highlight=False, markup=False, soft_wrap=True)

        summary = run(list(paths), db_path, workers=workers, force=force,
                      options=Options(model, password, max_pages, timeout or None), report=report)
    rate = summary.pages / summary.seconds if summary.seconds else 0
    out.print(
        f"{summary.count('ingested')} ingested, {summary.count('skipped')} unchanged, "
        f"{summary.count('duplicate')} duplicates, {summary.count('failed')} failed; "
        f"{summary.pages} pages in {summary.seconds:.1f}s ({rate:.1f} pages/s)",
        highlight=False, soft_wrap=True)
    sys.exit(1 if summary.failed else 0)


@cli.command()
@click.argument("db_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--root", is_flag=True, help="sign in as root (local use: lets you write annotations)")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="server processes sharing the port (each runs its own Datasette)")
def serve(db_file, host, port, root, workers):
    """Serve a database in Datasette with the citetrace plugin."""
    if workers > 1:
        if root:
            raise click.UsageError("--root signs in through one process: use it with --workers 1")
        _serve_workers(db_file, host, port, workers)
    else:
        _serve(db_file, host, port, root)


def _serve(db_file, host, port, root=False):
    from datasette.cli import cli as datasette_cli

    click.echo(f"citetrace: serving {db_file} at http://{host}:{port}/-/citetrace")
    args = ["serve", str(db_file), "--host", host, "--port", str(port)]
    if root:
        args.append("--root")
    datasette_cli.main(args, standalone_mode=True)


SERVE_DB_ENV = "CITETRACE_SERVE_DB"


def _serve_workers(db_file, host, port, workers):
    # One Datasette process runs Python on one core at a time (the GIL): N processes, each
    # its own Datasette. They must share the signing secret, or a CSRF token or cookie issued
    # by one process would be refused by another.
    import multiprocessing
    import os
    import secrets
    import signal

    os.environ[SERVE_DB_ENV] = str(Path(db_file).resolve())
    os.environ.setdefault("DATASETTE_SECRET", secrets.token_hex(32))
    click.echo(f"citetrace: serving {db_file} at http://{host}:{port}/-/citetrace "
               f"({workers} worker processes)")
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_run_worker, args=(host, port)) for _ in range(workers)]
    for proc in procs:
        proc.start()

    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
        for proc in procs:
            proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for proc in procs:
        proc.join()
    # uvicorn ends a worker by the signal it was stopped with (a negative exit code)
    failed = [p.exitcode for p in procs if p.exitcode and not (stopping and p.exitcode < 0)]
    sys.exit(1 if failed else 0)


def _run_worker(host, port):
    import uvicorn

    config = uvicorn.Config("citetrace.plugins.cli:worker_app", factory=True, log_level="info",
                            lifespan="on")
    uvicorn.Server(config).run(sockets=[_listen(host, port)])


def _listen(host, port):
    import socket

    # Each worker listens on its own SO_REUSEPORT socket, so the kernel spreads connections
    # evenly; with one shared socket (uvicorn --workers) one process took ~3/4 of them.
    # IPPROTO_TCP given: asyncio sets TCP_NODELAY only on sockets that say so (else small
    # answers on a kept-alive connection wait ~40 ms for a delayed ACK).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def worker_app():
    """ASGI app of one ``citetrace serve --workers N`` process (a uvicorn app factory)."""
    import os

    from datasette.app import Datasette

    ds = Datasette([os.environ[SERVE_DB_ENV]], secret=os.environ["DATASETTE_SECRET"])
    return ds.app()


@cli.group()
def sample():
    """The bundled sample report."""


@sample.command("build")
@click.option("--out", "out_dir", default=str(DEMO_DIR), show_default=True, type=click.Path(file_okay=False))
def sample_build(out_dir):
    """Typeset the sample report PDF and its gold file."""
    from citetrace.ingest.sample import build_sample

    pdf, gold = build_sample(Path(out_dir))
    click.echo(f"wrote {pdf}\nwrote {gold}")


@cli.command()
@click.option("--db", "db_path", default=DEMO_DB, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="build and ingest only")
def demo(db_path, host, port, no_serve):
    """Build the sample report, ingest it and serve it (what `make demo` runs)."""
    from citetrace.ingest.pipeline import ingest as run
    from citetrace.ingest.sample import build_sample

    pdf, _ = build_sample(DEMO_DIR)
    summary = run([str(pdf)], db_path, force=True)
    for o in summary.outcomes:
        click.echo(f"{o.status} {Path(o.path).name}: {o.pages} pages, {o.notes} notes, "
                   f"{o.markers} markers, {o.claims} claims {o.message}")
    if summary.failed:
        sys.exit(1)
    if not no_serve:
        _serve(db_path, host, port)


@cli.command("eval")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="print the scores as JSON")
def eval_(db_path, gold_dir, as_json):
    """Score a database against gold files (the corpus README's metrics)."""
    import json

    from citetrace.db.evaluate import evaluate, render

    report = evaluate(db_path, gold_dir)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        render(report, Console(width=110))


# Commands of the other packages register here, one line each:
# from annotations.cli import annotate; cli.add_command(annotate)
from citetrace.annotations.cli import annotate; cli.add_command(annotate)  # noqa: E402, E702
from citetrace.db.trace import trace_command; cli.add_command(trace_command)  # noqa: E402, E702
from citetrace.db.links.cli import check_links; cli.add_command(check_links)  # noqa: E402, E702


if __name__ == "__main__":
    cli()
