"""PDF -> Document: extract -> citations -> NLP, for one file (:func:`process`) or many in
worker processes (:func:`run_workers`). Writing them to a database is db.load's business.

Documents are processed in worker processes (each loads the spaCy model once, on its first
readable document) and handed back to the calling process, the only writer.

A document gets at most ``Options.timeout`` seconds. The worker arms a timer
(``SIGALRM``) that interrupts pure-Python work and reports the document as timed out;
if the worker does not answer ``HARD_KILL_GRACE`` seconds later (stuck in C code), the
main process kills it and starts a fresh worker. A worker that dies (killed, out of memory,
a crash in a C extension) fails its document only; the batch goes on. Workers die with the
main process (``PR_SET_PDEATHSIG`` on Linux, a parent check elsewhere).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from citetrace.ingest.extract import ExtractError, extract
from citetrace.ingest.model import Document

DEFAULT_TIMEOUT = 300.0
# Seconds after the timeout before a silent worker is killed: room for the model load
# (not counted in the timeout) and for the worker to report the timeout itself.
HARD_KILL_GRACE = 30.0


@dataclass
class Options:
    model: str | None = None
    password: str | None = None
    max_pages: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document; None or 0: no limit


@dataclass(frozen=True)
class Job:
    path: Path
    sha256: str | None = None  # when known already: not hashed again


def process(path: Path, nlp, options: Options, sha256: str | None = None,
            data: bytes | None = None, progress=None) -> Document:
    """Everything but the database write, for one file. `nlp` is a spaCy pipeline or a
    zero-argument callable returning one (loaded only once a document has been extracted).
    `data`: the file's bytes (read instead of `path`, which names the document).
    `progress(step, done, total)`: "pages" as each page is parsed, "loading language model"
    (the first time), then "language model" (annotating)."""
    from citetrace.ingest.citations import parse_citations
    from citetrace.ingest.nlp import annotate

    on_page = (lambda done, total: progress("pages", done, total)) if progress else None
    doc = extract(path, password=options.password, max_pages=options.max_pages, sha256=sha256,
                  data=data, on_page=on_page)
    parse_citations(doc)
    if isinstance(nlp, _Loader):
        nlp = nlp(progress)
    if progress:
        progress("language model", 0, 0)
    annotate(nlp, doc)
    return doc


class DocumentTimeout(BaseException):
    """Raised in a worker by its timer; a BaseException so no `except Exception` eats it."""


# Allocations between young-generation collections in a worker (Python's default: 700).
# PDF parsing and spaCy allocate millions of short-lived objects, nearly all freed by their
# reference counts: at the default, collecting took ~10% of a document's CPU (1.1 of 11 s on
# the 86-page World Bank file), at this threshold 0.15 s, peak RSS unchanged (368 MB).
WORKER_GC_THRESHOLDS = (50_000, 20, 100)


def settle_model() -> None:
    """In a worker process, once the model is loaded: its many long-lived objects leave the
    collector's view (``gc.freeze``), and collections come rarer (``WORKER_GC_THRESHOLDS``)."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


class _Loader:
    """The worker's spaCy pipeline, loaded on first use with the document timer paused."""

    def __init__(self, model: str | None):
        self.model, self.nlp = model, None

    def __call__(self, progress=None):
        if self.nlp is None:
            from citetrace.ingest.nlp import load_pipeline

            if progress:
                progress("loading language model", 0, 0)
            left = _set_timer(0)
            try:
                self.nlp = load_pipeline(self.model)
                settle_model()
            finally:
                _set_timer(left)
        return self.nlp


# Worker processes keep their pipeline here: one model load per process, not per file.
_WORKER: dict = {}


def _init_worker(options: Options) -> None:
    _WORKER["nlp"] = _Loader(options.model)
    _WORKER["options"] = options


def _set_timer(seconds: float | None) -> float:
    """Arm (or with 0/None, disarm) the document timer; returns the seconds that were left."""
    if not hasattr(signal, "setitimer"):
        return 0.0
    return signal.setitimer(signal.ITIMER_REAL, seconds or 0)[0]


def _on_timer(signum, frame):
    raise DocumentTimeout()


def timeout_message(timeout: float | None) -> str:
    return f"timed out after {timeout:g}s (--timeout)"


_PARSERS = tuple(f"{os.sep}{lib}{os.sep}" for lib in ("pdfminer", "pdfplumber", "pypdfium2"))
_OURS = tuple(str(Path(__file__).parents[1] / pkg) + os.sep
              for pkg in ("ingest", "db", "plugins", "annotations"))


def _describe(e: BaseException) -> str:
    """One line for an unexpected exception: the PDF's fault (raised inside the PDF parser)
    or ours (anywhere else: a bug, reported as such).

    The innermost frame that is the parser's or ours decides: the standard library called by
    either (``base64`` decoding a stream for pdfminer) does not. Our own pdfminer device
    (:mod:`ingest.lines`) is ours: a bug in it is reported as one.
    """
    what = f"{type(e).__name__}: {e}".splitlines()[0].strip().rstrip(":")[:200]
    if isinstance(e, RecursionError):
        return "objects nested too deeply to parse"
    if isinstance(e, MemoryError):
        return "out of memory"
    for frame in reversed(traceback.extract_tb(e.__traceback__)):
        if any(lib in frame.filename for lib in _PARSERS):
            return f"damaged PDF: the parser failed ({what})"
        if frame.filename.startswith(_OURS):
            break
    return f"internal error ({what}): please report it"


def run_one(job: Job, nlp, options: Options, data: bytes | None = None,
            progress=None) -> tuple[Document | None, str, float]:
    """:func:`process` one job: (document, "", seconds) or (None, one-line error, seconds).
    The caller arms the document timer, which raises :class:`DocumentTimeout` in here."""
    t = time.perf_counter()
    try:
        return process(job.path, nlp, options, job.sha256, data=data, progress=progress), "", \
            time.perf_counter() - t
    except DocumentTimeout:
        return None, timeout_message(options.timeout), time.perf_counter() - t
    except ExtractError as e:
        return None, str(e), time.perf_counter() - t
    except Exception as e:  # one bad file must not stop the batch
        return None, _describe(e), time.perf_counter() - t


def _work(job: Job, progress=None) -> tuple[Document | None, str, float]:
    options = _WORKER["options"]
    _set_timer(options.timeout)
    try:
        return run_one(job, _WORKER["nlp"], options, progress=progress)
    finally:
        _set_timer(0)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass


def _worker_main(conn, options: Options, parent: int) -> None:
    """A worker: read jobs from `conn`, answer (document, error, seconds) for each."""
    _die_with_parent()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # damage is reported in one line
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_timer)
    _init_worker(options)
    while True:
        while not conn.poll(1.0):
            if os.getppid() != parent:
                return
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            result = _work(job, lambda step, done, total: conn.send(("progress", (step, done, total))))
        except DocumentTimeout:  # the timer fired between the work and its disarming
            result = None, timeout_message(options.timeout), float(options.timeout or 0)
        except (OSError, ValueError):  # the main process is gone (a progress message failed)
            return
        try:
            conn.send(("result", result))
        except (OSError, ValueError):
            return


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Worker:
    def __init__(self, ctx, options: Options):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, options, os.getpid()),
                                daemon=True, name="citetrace-ingest-worker")
        self.proc.start()
        child.close()
        self.path: Path | None = None
        self.started = 0.0

    def send(self, job: Job) -> None:
        self.path, self.started = job.path, time.perf_counter()
        self.conn.send(job)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


def _died(proc) -> str:
    proc.join(1)
    code = proc.exitcode
    if code is not None and code < 0:
        try:
            how = signal.Signals(-code).name
        except ValueError:
            how = f"signal {-code}"
        return f"the worker process was killed by {how} (a crash, or out of memory)"
    return f"the worker process exited unexpectedly (exit code {code})"


def run_workers(todo: list[Job], workers: int, options: Options, handle, progress=None) -> None:
    """Process `todo` in `workers` worker processes; `handle(path, (doc, error, seconds),
    worker)` is called in this process as each document finishes (in completion order), with
    the worker's name; `progress(path, step, done, total)` as a worker reports a step."""
    ctx = _context()
    timeout = options.timeout or None
    pending = deque(todo)
    pool = [_Worker(ctx, options) for _ in range(max(1, min(workers, len(todo))))]
    try:
        while pending or any(w.path for w in pool):
            for w in pool:
                if w.path is None and pending:
                    w.send(pending.popleft())
            busy = [w for w in pool if w.path is not None]
            wait_for = None
            if timeout:
                deadline = min(w.started for w in busy) + timeout + HARD_KILL_GRACE
                wait_for = max(0.0, deadline - time.perf_counter())
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], wait_for)
            for i, w in enumerate(pool):
                if w.path is None:
                    continue
                path, seconds = w.path, time.perf_counter() - w.started
                name = f"process {w.proc.pid}"
                if w.conn in ready or w.proc.sentinel in ready:
                    try:
                        kind, result = w.conn.recv()
                    except (EOFError, OSError):
                        result = None, _died(w.proc), seconds
                        w.kill()
                        pool[i] = _Worker(ctx, options)
                    else:
                        if kind == "progress":
                            if progress:
                                progress(path, *result)
                            continue
                        w.path = None
                    handle(path, result, name)
                elif timeout and seconds > timeout + HARD_KILL_GRACE:
                    w.kill()  # stuck where the timer cannot reach it
                    pool[i] = _Worker(ctx, options)
                    handle(path, (None, timeout_message(timeout), seconds), name)
    finally:
        for w in pool:
            if w.path is None:
                w.stop()
            else:
                w.kill()
