"""Crash safety: SIGKILL the ingest (inside a document's write transaction, or while a worker
extracts a large document) or a Datasette serving annotation writes; the database opens,
passes `PRAGMA integrity_check`, holds no partial document, and a rerun completes the batch."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from citetrace.plugins.cli import cli
from servers import free_port
from test_badinput import BODY, text_pdf

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# Runs the real CLI with one change: after the rows of PAUSE_ON are written, inside the
# still-open transaction, it says so and waits to be killed.
DRIVER = """
import os, sys, time
sys.path.insert(0, {root!r})
import citetrace.db.store as store
orig = store._write
def _write(db, doc, version):
    doc_id = orig(db, doc, version)
    if doc.filename == os.environ.get("PAUSE_ON"):
        print("IN-TRANSACTION", doc.filename, flush=True)
        time.sleep(300)
    return doc_id
store._write = _write
from citetrace.plugins.cli import cli
cli(sys.argv[1:])
"""


def docs(tmp: Path, names: list[str]) -> list[str]:
    out = []
    for name in names:
        p = tmp / name
        p.write_bytes(text_pdf([b"Report %s: " % name.encode() + line for line in BODY]))
        out.append(str(p))
    return out


def start(tmp: Path, args: list[str], pause_on: str = "") -> subprocess.Popen:
    driver = tmp / "driver.py"
    driver.write_text(DRIVER.format(root=str(ROOT)))
    return subprocess.Popen([PYTHON, str(driver), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env={**os.environ, "PAUSE_ON": pause_on})


def wait_for(proc: subprocess.Popen, pattern: str, timeout: float = 90) -> str:
    """Read the process's output until a line matches; return the output so far."""
    seen = []
    found = threading.Event()

    def read():
        for line in proc.stdout:
            seen.append(line)
            if re.search(pattern, line):
                found.set()
                return

    t = threading.Thread(target=read, daemon=True)
    t.start()
    if not found.wait(timeout):
        proc.kill()
        pytest.fail(f"never saw {pattern!r}: {''.join(seen)}")
    return "".join(seen)


def kill_and_check_group_gone(proc: subprocess.Popen, within: float = 10) -> None:
    """SIGKILL the ingest process alone; its workers must go with it (no orphans)."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    deadline = time.time() + within
    while time.time() < deadline:
        if not live_members(proc.pid):
            return
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("worker processes outlived the killed ingest")


def live_members(pgid: int) -> list[int]:
    """Processes of a process group that still run (zombies left to an init that does not
    reap them count as gone)."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    out = []
    for stat in proc_dir.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            out.append(int(stat.parent.name))
    return out


def check_db(db: Path) -> set[str]:
    """Integrity, no rows without their document, every document whole; the filenames."""
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert con.execute("pragma foreign_key_check").fetchall() == []
    for table in ("pages", "passages", "footnotes", "footnote_refs", "claims", "entities"):
        assert con.execute(f"select count(*) from {table} where document_id not in "
                           "(select id from documents)").fetchone()[0] == 0, table
    for doc_id, page_count in con.execute("select id, page_count from documents"):
        assert con.execute("select count(*) from pages where document_id = ?",
                           [doc_id]).fetchone()[0] == page_count
        assert con.execute("select count(*) from passages where document_id = ?",
                           [doc_id]).fetchone()[0] > 0
    names = {n for (n,) in con.execute("select filename from documents")}
    con.close()
    return names


def test_kill_inside_a_write_transaction(tmp_path):
    files = docs(tmp_path, ["a.pdf", "b.pdf", "c.pdf"])
    db = tmp_path / "crash.db"
    proc = start(tmp_path, ["ingest", *files, "--db", str(db), "--quiet"], pause_on="b.pdf")
    wait_for(proc, "IN-TRANSACTION b.pdf")
    # a reader meanwhile sees the committed documents only
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    assert [n for (n,) in reader.execute("select filename from documents")] == ["a.pdf"]
    reader.close()
    kill_and_check_group_gone(proc)
    assert check_db(db) == {"a.pdf"}
    rerun = CliRunner().invoke(cli, ["ingest", *files, "--db", str(db), "--quiet"])
    assert rerun.exit_code == 0, rerun.output
    assert "2 ingested, 1 unchanged, 0 duplicates, 0 failed" in rerun.output
    assert check_db(db) == {"a.pdf", "b.pdf", "c.pdf"}


def test_kill_while_a_large_document_is_extracted(sample, tmp_path):
    pdf, _ = sample
    files = docs(tmp_path, ["first.pdf"]) + [str(pdf)]
    db = tmp_path / "crash.db"
    proc = start(tmp_path, ["ingest", *files, "--db", str(db)])
    wait_for(proc, r"ingested first\.pdf")
    time.sleep(1.0)  # the worker is inside the 10-page sample now, seconds from done
    kill_and_check_group_gone(proc, within=3)  # the busy worker dies with the ingest
    assert check_db(db) == {"first.pdf"}
    rerun = CliRunner().invoke(cli, ["ingest", *files, "--db", str(db), "--quiet"])
    assert rerun.exit_code == 0, rerun.output
    assert "1 ingested, 1 unchanged" in rerun.output
    assert check_db(db) == {"first.pdf", pdf.name}


def test_a_killed_writer_does_not_block_a_concurrent_ingest(tmp_path):
    """Two ingests write one database; one is killed holding the write lock: the other
    waits for the lock, then finishes its whole batch."""
    first = docs(tmp_path, ["a.pdf", "b.pdf"])
    second = docs(tmp_path, ["c.pdf", "d.pdf"])
    db = tmp_path / "two.db"
    CliRunner().invoke(cli, ["ingest", first[0], "--db", str(db), "--quiet"])  # schema exists
    killed = start(tmp_path, ["ingest", *first, "--db", str(db), "--quiet"], pause_on="b.pdf")
    wait_for(killed, "IN-TRANSACTION b.pdf")
    other = subprocess.Popen([PYTHON, "-m", "citetrace.plugins.cli", "ingest", *second, "--db", str(db), "--quiet"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(3)  # the other ingest is now waiting for the lock (or still extracting)
    assert other.poll() is None
    kill_and_check_group_gone(killed)
    out, _ = other.communicate(timeout=90)
    assert other.returncode == 0, out
    assert "2 ingested" in out
    assert check_db(db) == {"a.pdf", "c.pdf", "d.pdf"}


# --- Datasette killed during annotation writes ----------------------------------------------


class Client:
    """A cookie-keeping HTTP client for a live Datasette."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def request(self, path: str, data: dict | None = None, accept: str = "application/json"):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={
            "Accept": accept, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())})
        opener = urllib.request.build_opener(NoRedirect)
        try:
            resp = opener.open(req, timeout=10)
        except urllib.error.HTTPError as e:
            resp = e
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return resp.status, resp.read().decode("utf-8", "replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_kill_datasette_during_annotation_writes(tmp_path):
    pytest.importorskip("citetrace.annotations.api")
    files = docs(tmp_path, ["a.pdf"])
    db = tmp_path / "review.db"
    assert CliRunner().invoke(cli, ["ingest", *files, "--db", str(db), "--quiet"]).exit_code == 0
    passages = [i for (i,) in sqlite3.connect(db).execute("select id from passages")]
    port = free_port()
    proc = subprocess.Popen([PYTHON, "-m", "datasette", "serve", str(db), "--root", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out = wait_for(proc, r"/-/auth-token\?token=", timeout=60)
        token_url = re.search(r"(http://\S+/-/auth-token\?token=\w+)", out).group(1)
        client = Client(f"http://127.0.0.1:{port}")
        for _ in range(100):  # until it listens
            try:
                client.request(urllib.parse.urlparse(token_url).path + "?" + urllib.parse.urlparse(token_url).query)
                break
            except OSError:
                time.sleep(0.1)
        assert "ds_actor" in client.cookies
        status, _ = client.request("/review/-/citetrace/review", accept="text/html")
        assert status == 200 and "ds_csrftoken" in client.cookies
        acknowledged: list[str] = []
        errors: list[str] = []

        def writer(n: int):
            for i in range(10_000):
                try:
                    status, body = client.request("/review/-/citetrace/annotations", {
                        "csrftoken": client.cookies["ds_csrftoken"], "passage_id": passages[0],
                        "body": f"writer {n} comment {i}", "tag": ["needs-source"]})
                except OSError:
                    return  # the server is gone
                if status == 201:
                    acknowledged.append(json.loads(body)["id"])
                else:
                    errors.append(f"{status} {body[:200]}")
                    return

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(4)]
        for t in threads:
            t.start()
        deadline = time.time() + 20
        while len(acknowledged) < 20 and time.time() < deadline and not errors:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # mid-stream: writes in flight
        proc.wait(10)
        for t in threads:
            t.join(15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert not errors, errors[:3]
    assert len(acknowledged) >= 20
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone()[0] == "ok"
    rows = {u: i for i, u in con.execute("select id, uuid from annotations")}
    # every acknowledged write survived; every annotation has its "create" history entry
    assert {a.rsplit(":", 1)[-1] for a in acknowledged} <= set(rows)
    created = {i for (i,) in con.execute(
        "select annotation_id from annotation_history where action = 'create'")}
    assert created == set(rows.values())
    # and the database still takes writes
    status = CliRunner().invoke(cli, ["ingest", *docs(tmp_path, ["after.pdf"]), "--db", str(db), "--quiet"])
    assert status.exit_code == 0
