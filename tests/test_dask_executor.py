"""`citetrace ingest --executor dask://…` on a real distributed.LocalCluster (2 worker
processes, one thread each, on 127.0.0.1): the same database as local worker processes, worker
deaths that lose nothing, the same one-line errors, an interrupted client that a rerun finishes."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from briefs import write_briefs

pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'citetrace[dask]'")

from distributed import Client, LocalCluster  # noqa: E402

from citetrace.db.compare import compare, report  # noqa: E402
from citetrace.db.executors import DaskExecutor, ExecutorError, parse_executor  # noqa: E402
from citetrace.db.load import ingest  # noqa: E402
from citetrace.ingest.pipeline import Options  # noqa: E402

CITETRACE = [sys.executable, "-m", "citetrace.plugins.cli"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """The sample report (10 pages: long enough to be killed in the middle of), two one-page
    briefs, then a truncated PDF and a text file: the good ones are ingested, the bad ones
    fail in one line each. (No two good files cite one source in different words: the first
    written would set it, and the order documents complete in is not the point here.)"""
    from citetrace.ingest.sample import build_sample

    folder = tmp_path_factory.mktemp("batch")
    good = [build_sample(folder)[0], *write_briefs(folder, 2)]
    truncated = folder / "truncated.pdf"
    truncated.write_bytes(good[0].read_bytes()[:3000])
    text = folder / "notes.pdf"
    text.write_text("hello, I am not a PDF")
    return good + [truncated, text]


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                      worker_dashboard_address=None) as c, Client(c) as client:
        yield c, client


def _cli(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(CITETRACE + ["ingest", *args, "--quiet"], capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def local_db(batch, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The batch through today's local executor, 2 worker processes (the reference)."""
    db = tmp_path_factory.mktemp("local") / "local.db"
    return db, _cli([*map(str, batch), "--db", str(db), "--workers", "2"])


def _errors(text: str) -> list[str]:
    return sorted(line for line in text.splitlines() if line.startswith("error:"))


def _identical(a: Path, b: Path) -> None:
    result = compare(a, b, renumbered=True)
    assert result.identical, "\n".join(report(result))


def _documents(db: Path) -> set[str]:
    return {r[0] for r in sqlite3.connect(db).execute("select filename from documents")}


def test_a_batch_lands_as_with_local_workers_with_the_same_errors(batch, cluster, local_db, tmp_path):
    local, local_run = local_db
    db = tmp_path / "dask.db"
    run = _cli([*map(str, batch), "--db", str(db), "--executor", f"dask://{cluster[0].scheduler_address.removeprefix('tcp://')}"])
    assert run.returncode == local_run.returncode == 1  # two bad files
    assert _errors(run.stderr) == _errors(local_run.stderr)
    assert f"error: {batch[3]}: truncated PDF (no %%EOF at the end): copy or download it again" in run.stderr
    assert f"error: {batch[4]}: not a PDF (no %PDF header)" in run.stderr
    assert "3 ingested, 0 unchanged, 0 duplicates, 2 failed" in run.stdout
    # per-worker throughput: both workers' addresses, pages/s each
    workers = [line for line in run.stdout.splitlines() if line.startswith("  tcp://127.0.0.1:")]
    assert 1 <= len(workers) <= 2 and all(line.endswith("pages/s)") for line in workers)
    assert run.stderr.startswith(f"dask: {cluster[0].scheduler_address}, 2 workers, 2 threads")
    assert _documents(db) == {p.name for p in batch[:3]}
    _identical(local, db)


def _executing(client: Client) -> dict[int, list[str]]:
    """Worker pid -> the keys of the tasks it is running now."""
    def probe(dask_worker):
        return os.getpid(), [str(ts.key) for ts in dask_worker.state.executing]

    return dict(client.run(probe).values())


def _ingest_killing_a_worker(batch, cluster, db: Path):
    """Ingest the good files on the cluster; kill (SIGKILL, by pid) the worker process seen in
    the middle of the sample report. Returns the summary and the pid killed."""
    c, client = cluster
    result: dict = {}
    thread = threading.Thread(target=lambda: result.setdefault("summary", ingest(
        [str(p) for p in batch[:3]], str(db), executor=DaskExecutor(c.scheduler_address))))
    thread.start()
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and thread.is_alive() and time.monotonic() < deadline:
        for pid, keys in _executing(client).items():
            if any(batch[0].name in key for key in keys):
                os.kill(pid, signal.SIGKILL)
                killed = pid
        time.sleep(0.05)
    thread.join(600)
    assert killed is not None, "no worker was ever seen in the middle of a document"
    client.wait_for_workers(2, timeout=120)  # the nanny restarts it for the next test
    return result["summary"], killed


def test_a_worker_killed_mid_document_loses_nothing(batch, cluster, local_db, tmp_path):
    db = tmp_path / "killed.db"
    summary, pid = _ingest_killing_a_worker(batch, cluster, db)
    assert [o.message for o in summary.outcomes if o.status != "ingested"] == []
    assert summary.count("ingested") == 3
    assert pid not in _executing(cluster[1])  # a new worker process took its place
    # the same rows as the local run (which also has the bad files' absence)
    _identical(local_db[0], db)


def test_past_the_retry_limit_the_document_fails_and_nothing_of_it_is_written(batch, cluster, tmp_path):
    scheduler = cluster[0].scheduler
    before = scheduler.allowed_failures
    scheduler.allowed_failures = 0  # the first death is past the limit
    try:
        summary, _ = _ingest_killing_a_worker(batch, cluster, tmp_path / "limit.db")
    finally:
        scheduler.allowed_failures = before
    failed = [o for o in summary.outcomes if o.status == "failed"]
    assert [o.path for o in failed] == [str(batch[0])] and summary.count("ingested") == 2
    assert failed[0].message == (f"{batch[0]}: the worker process died while processing it (tried "
                                 "1 time; a crash, or out of memory: the scheduler's allowed-failures limit)")
    assert _documents(tmp_path / "limit.db") == {batch[1].name, batch[2].name}


def test_a_timeout_on_a_worker_is_reported_like_a_local_one(batch, cluster, tmp_path):
    summary = ingest([str(batch[0])], str(tmp_path / "t.db"), options=Options(timeout=0.3),
                     executor=DaskExecutor(cluster[0].scheduler_address))
    assert [o.message for o in summary.outcomes] == [f"{batch[0]}: timed out after 0.3s (--timeout)"]
    assert _documents(tmp_path / "t.db") == set()


def test_an_interrupted_client_and_a_rerun_finish_the_batch(batch, cluster, local_db, tmp_path):
    db = tmp_path / "resumed.db"
    address = cluster[0].scheduler_address.removeprefix("tcp://")
    args = CITETRACE + ["ingest", *map(str, batch[:3]), "--db", str(db), "--executor", f"dask://{address}", "--quiet"]
    first = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    landed: set[str] = set()
    while not landed and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        if db.exists():
            try:
                landed = _documents(db)
            except sqlite3.OperationalError:  # the schema is being created
                pass
    first.kill()  # SIGKILL: no clean-up of any kind
    first.wait()
    done = len(_documents(db))
    assert 1 <= done < 3, "the client finished before it could be interrupted"
    rerun = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{3 - done} ingested, {done} unchanged" in rerun.stdout
    _identical(local_db[0], db)


def test_the_executor_option_in_one_line():
    assert parse_executor("local:3").workers == 3
    assert parse_executor(None, 2).workers == 2
    assert parse_executor("dask://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    for spec, workers, message in [
        ("local:0", None, "--executor local:0: expected local:N with N a number of worker processes (1 or more)"),
        ("local:2", 3, "--executor local:2 and --workers 3 disagree: give one"),
        ("dask://h:1", 2, "--workers is for local runs: a Dask cluster has the workers started there (dask worker --nworkers)"),
        ("spark://h", None, "--executor spark://h: expected local, local:N or dask://HOST:PORT"),
    ]:
        with pytest.raises(ExecutorError) as e:
            parse_executor(spec, workers)
        assert str(e.value) == message


def test_without_distributed_the_option_says_how_to_install_it(tmp_path):
    code = ("import sys; sys.modules['distributed'] = None\n"  # as if not installed
            "from citetrace.plugins.cli import cli; cli(sys.argv[1:])")
    run = subprocess.run([sys.executable, "-c", code, "ingest", "x.pdf", "--db", str(tmp_path / "x.db"),
                          "--executor", "dask://127.0.0.1:8786"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.splitlines()[-1] == (
        "Error: --executor dask://127.0.0.1:8786 needs Dask distributed: pip install 'citetrace[dask]'")


def test_no_scheduler_at_the_address_is_one_line(batch, tmp_path, monkeypatch):
    from citetrace.ingest import dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", "2s")
    with socket.socket() as s:  # a port nobody listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        with pytest.raises(ExecutorError) as e:
            ingest([str(batch[1])], str(tmp_path / "n.db"), executor=DaskExecutor(f"tcp://127.0.0.1:{port}"))
    assert str(e.value) == f"--executor dask://127.0.0.1:{port}: no Dask scheduler answered there within 2s"
