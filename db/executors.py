"""Where the batch loader's documents are processed: ``--executor local[:N]`` (worker
processes on this machine, the default) or ``--executor dask://HOST:PORT`` (a Dask cluster).

Either way the results come back to the loader, the only writer. An executor's
``run(todo, options, handle, progress, on_start)`` calls ``handle(path, (doc, error, seconds),
worker)`` as each document completes, ``progress(path, step, done, total)`` as work
advances (``path`` None: a step of the whole run, such as loading the language model) and
``on_start(cluster)`` once connected to a cluster (Dask only).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from citetrace.ingest.pipeline import Job, Options, run_workers

DASK_INSTALL = "pip install 'citetrace[dask]'"


class ExecutorError(ValueError):
    """An --executor that cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class LocalExecutor:
    workers: int = 1

    def run(self, todo: list[Job], options: Options, handle, progress=None, on_start=None) -> None:
        run_workers(todo, self.workers, options, handle, progress)  # on_start: nothing to name


@dataclass(frozen=True)
class DaskExecutor:
    address: str  # the scheduler's, e.g. tcp://10.0.0.5:8786
    window: int | None = None  # tasks in flight (default: twice the cluster's threads)

    def run(self, todo: list[Job], options: Options, handle, progress=None, on_start=None) -> None:
        from citetrace.ingest.dask_executor import run_on_dask

        try:
            run_on_dask(self.address, todo, options, handle, progress, on_start, self.window)
        except ConnectionError as e:  # no scheduler there: one line, not a traceback
            raise ExecutorError(str(e)) from None


def parse_executor(spec: str | None, workers: int | None = None) -> LocalExecutor | DaskExecutor:
    """``local``, ``local:N`` or ``dask://HOST:PORT`` -> an executor; ``workers`` (the
    ``--workers`` option) is the size of a plain ``local``."""
    spec = (spec or "local").strip()
    if spec == "local" or spec.startswith("local:"):
        count = spec.partition(":")[2]
        if not count:
            return LocalExecutor(max(1, workers or 1))
        if not count.isdigit() or int(count) < 1:
            raise ExecutorError(f"--executor {spec}: expected local:N with N a number of worker "
                                "processes (1 or more)")
        if workers is not None and int(count) != workers:
            raise ExecutorError(f"--executor {spec} and --workers {workers} disagree: give one")
        return LocalExecutor(int(count))
    if spec.startswith("dask://"):
        host = spec.removeprefix("dask://")
        if not host or "/" in host:
            raise ExecutorError(f"--executor {spec}: expected dask://HOST:PORT (the scheduler's address)")
        if workers is not None:
            raise ExecutorError("--workers is for local runs: a Dask cluster has the workers "
                                "started there (dask worker --nworkers)")
        if importlib.util.find_spec("distributed") is None:
            raise ExecutorError(f"--executor {spec} needs Dask distributed: {DASK_INSTALL}")
        return DaskExecutor(f"tcp://{host}")
    raise ExecutorError(f"--executor {spec}: expected local, local:N or dask://HOST:PORT")
