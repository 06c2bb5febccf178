"""Documents processed on a Dask cluster (``citetrace ingest --executor dask://HOST:PORT``).

Imported only when that executor is chosen: it needs the ``dask`` extra
(``pip install 'citetrace[dask]'``) on the client and on every worker, with the same citetrace.

- The client reads each file and ships its bytes with the task: workers need no shared
  filesystem. Results come back to the client, the only writer (db.load), as they complete.
- At most ``window`` tasks are in flight (twice the cluster's threads by default), so the
  client's memory stays flat however many files there are.
- Each worker process loads the spaCy pipeline once, in :class:`LanguageModel` (a worker
  plugin, set up again on every worker that joins or restarts).
- A document gets ``Options.timeout`` seconds: a timer raises :class:`DocumentTimeout` in
  the task's thread (as ``SIGALRM`` does in a local worker: it interrupts Python code, not a
  stuck C call).
- A worker that dies mid-document loses nothing: the scheduler gives the task to another
  worker, up to its ``distributed.scheduler.allowed-failures`` limit (default 3); after that
  the document is reported failed. Nothing is written until the client has the whole document.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, WorkerPlugin, as_completed, get_worker
from distributed.scheduler import KilledWorker

from citetrace.ingest.pipeline import DocumentTimeout, Job, Options, run_one, settle_model, timeout_message

PLUGIN = "citetrace-language-model"
CONNECT_TIMEOUT = "20s"


class LanguageModel(WorkerPlugin):
    """The worker process's spaCy pipeline: loaded once, when the plugin is set up."""

    name = PLUGIN

    def __init__(self, model: str | None):
        self.model, self.nlp = model, None

    async def setup(self, worker) -> None:
        # in a thread: the worker's event loop (heartbeats) must not wait seconds for the model
        self.nlp = await asyncio.to_thread(self._load)

    def _load(self):
        from citetrace.ingest.nlp import load_pipeline

        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # damage is reported in one line
        nlp = load_pipeline(self.model)
        settle_model()
        return nlp


@contextmanager
def _document_timer(seconds: float | None):
    """Raise DocumentTimeout in this thread after `seconds` (tasks run in a worker's thread
    pool, where SIGALRM cannot reach them)."""
    if not seconds:
        yield
        return
    target, lock, armed = threading.get_ident(), threading.Lock(), [True]

    def fire():
        with lock:
            if armed[0]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                           ctypes.py_object(DocumentTimeout))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            armed[0] = False
        timer.cancel()


def process_remote(path: str, data: bytes, sha256: str, options: Options):
    """The task: (document, error, seconds, worker address), run on a worker."""
    worker = get_worker()
    nlp = worker.plugins[PLUGIN].nlp
    try:
        with _document_timer(options.timeout):
            doc, error, seconds = run_one(Job(Path(path), sha256), nlp, options, data=data)
    except DocumentTimeout:  # the timer fired between the work and its disarming
        doc, error, seconds = None, timeout_message(options.timeout), float(options.timeout or 0)
    return doc, error, seconds, worker.address


@dataclass
class Cluster:
    """What the client found at the scheduler's address."""

    address: str
    workers: int
    threads: int
    dashboard: str | None
    allowed_failures: int | None

    def describe(self) -> str:
        return (f"dask: {self.address}, {self.workers} workers, {self.threads} threads"
                + (f"; dashboard {self.dashboard}" if self.dashboard else ""))


def _scheduler_facts(dask_scheduler=None) -> tuple[int, bool]:
    """Run on the scheduler: its retry limit, and whether its dashboard is up (the HTTP
    server runs without bokeh too, serving no dashboard)."""
    import sys

    return dask_scheduler.allowed_failures, "distributed.dashboard.scheduler" in sys.modules


def _cluster(client: Client, address: str) -> Cluster:
    info = client.scheduler_info()
    workers = info.get("workers", {})
    try:
        limit, dashboard = client.run_on_scheduler(_scheduler_facts)
    except Exception:  # a locked-down scheduler: neither is then stated
        limit, dashboard = None, False
    link = client.dashboard_link if dashboard and "dashboard" in info.get("services", {}) else None
    return Cluster(address, len(workers), sum(w.get("nthreads", 1) for w in workers.values()),
                   link, limit)


def _died_message(cluster: Cluster) -> str:
    n = cluster.allowed_failures + 1 if cluster.allowed_failures is not None else None
    tried = f"tried {n} time{'s' if n != 1 else ''}; " if n else ""
    return (f"the worker process died while processing it ({tried}a crash, or out of memory: "
            "the scheduler's allowed-failures limit)")


def run_on_dask(address: str, todo: list[Job], options: Options, handle, progress=None,
                on_start=None, window: int | None = None) -> None:
    """Process `todo` on the cluster whose scheduler is at `address`; `handle(path, (doc,
    error, seconds), worker)` is called here as each document completes. `on_start(cluster)`
    once connected; `progress(None, "loading language model", 0, 0)` while workers load it."""
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except OSError as e:  # distributed says "Timed out trying to connect to ..."
        raise ConnectionError(f"--executor dask://{address.removeprefix('tcp://')}: no Dask scheduler "
                              f"answered there within {CONNECT_TIMEOUT}") from e
    with client:
        cluster = _cluster(client, address)
        if on_start:
            on_start(cluster)
        if progress:
            progress(None, "loading language model", 0, 0)
        client.register_plugin(LanguageModel(options.model), name=PLUGIN)
        window = window or max(2, 2 * cluster.threads)
        jobs = iter(todo)
        paths: dict[str, Path] = {}
        running = as_completed()

        def submit_next() -> None:
            for job in jobs:
                try:
                    data = job.path.read_bytes()
                except OSError as e:
                    handle(job.path, (None, f"{job.path}: cannot read ({e.strerror})", 0.0), "")
                    continue
                future = client.submit(process_remote, str(job.path), data, job.sha256, options,
                                       key=f"ingest {job.path.name} {uuid.uuid4().hex[:12]}",
                                       pure=False)  # the file's name: in the dashboard too
                paths[future.key] = job.path
                running.add(future)
                return

        for _ in range(window):
            submit_next()
        for future in running:
            path = paths.pop(future.key)
            try:
                doc, error, seconds, worker = future.result()
            except KilledWorker:
                doc, error, seconds, worker = None, _died_message(cluster), 0.0, ""
            except Exception as e:  # the task's own errors are answers: this is the cluster's
                what = f"{type(e).__name__}: {e}".splitlines()[0][:200]
                doc, error, seconds, worker = None, f"the Dask cluster failed it ({what})", 0.0, ""
            future.release()
            submit_next()  # before the write: the cluster keeps working while the client writes
            handle(path, (doc, error, seconds), worker)
