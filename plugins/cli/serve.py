"""``citetrace serve``: Datasette with the citetrace plugin, in one process or N sharing a port."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("db_files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--root", is_flag=True, help="sign in as root (local use: lets you write annotations)")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="server processes sharing the port (each runs its own Datasette)")
def serve(db_files, host, port, root, workers):
    """Serve one or more databases in Datasette with the citetrace plugin.

    Several files (one per collection or year, say) are served side by side: the citetrace
    home lists each, and every page lives under its database's name."""
    from citetrace.db.store import open_readonly

    # before any server starts: a file that is not a citetrace database is one line (serving
    # only reads; an older release's database is served as it is, never upgraded)
    for db_file in db_files:
        open_readonly(db_file).close()
    if workers > 1:
        if root:
            raise click.UsageError("--root signs in through one process: use it with --workers 1")
        _serve_workers(db_files, host, port, workers)
    else:
        serve_one(db_files, host, port, root)


def _names(db_files) -> str:
    return ", ".join(str(f) for f in db_files)


def serve_one(db_files, host, port, root=False):
    """One Datasette process (what `serve --workers 1` and `demo` run)."""
    from datasette.cli import cli as datasette_cli

    click.echo(f"citetrace: serving {_names(db_files)} at http://{host}:{port}/-/citetrace")
    settle_imports()
    args = ["serve", *map(str, db_files), "--host", host, "--port", str(port)]
    if root:
        args.append("--root")
    datasette_cli.main(args, standalone_mode=True)


SERVE_DB_ENV = "CITETRACE_SERVE_DB"


def _serve_workers(db_files, host, port, workers):
    # One Datasette process runs Python on one core at a time (the GIL): N processes, each
    # its own Datasette. They must share the signing secret, or a CSRF token or cookie issued
    # by one process would be refused by another.
    import multiprocessing
    import os
    import secrets
    import signal

    os.environ[SERVE_DB_ENV] = os.pathsep.join(str(Path(f).resolve()) for f in db_files)
    os.environ.setdefault("DATASETTE_SECRET", secrets.token_hex(32))
    click.echo(f"citetrace: serving {_names(db_files)} at http://{host}:{port}/-/citetrace "
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

    config = uvicorn.Config("citetrace.plugins.cli.serve:worker_app", factory=True, log_level="info",
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

    ds = Datasette(os.environ[SERVE_DB_ENV].split(os.pathsep), secret=os.environ["DATASETTE_SECRET"])
    settle_imports()
    return ds.app()


def settle_imports() -> None:
    """Once Datasette and the plugins are imported: their ~90,000 long-lived objects leave
    the garbage collector's view (``gc.freeze``). Each full collection walked them all:
    ~80-100 ms of CPU (a loaded 2-core machine; pint's unit registry is much of it), once
    every ~75 uncached reader pages, the whole process stalled meanwhile; frozen, 2-5 ms."""
    import gc

    gc.freeze()


