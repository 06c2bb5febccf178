"""`citetrace serve --workers N`: several Datasette processes on one port (SO_REUSEPORT),
sharing the signing secret, so a form served by one process is accepted by another."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from click.testing import CliRunner
from datasette.app import Datasette
from servers import free_port

from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, PageInfo, Passage
from citetrace.plugins.cli import cli

CITETRACE = str(Path(sys.executable).parent / "citetrace")
SECRET = "test-secret-shared-by-the-workers"



def _db(tmp_path, name="reports", text="Water tariffs rose in 2022.") -> tuple[Path, int]:
    path = tmp_path / f"{name}.db"
    database = open_db(str(path))
    doc = Document(path="/nonexistent/a.pdf", sha256="a" * 64, filename="a.pdf", title="Report",
                   page_count=1, pages=[PageInfo(1, 612, 792)],
                   passages=[Passage(0, 1, "paragraph", text, (72.0, 100.0, 300.0, 140.0))])
    doc_id = write_document(database, doc, "test")
    database.conn.close()
    return path, doc_id


def test_root_needs_one_worker(tmp_path):
    path, _ = _db(tmp_path)
    result = CliRunner().invoke(cli, ["serve", str(path), "--workers", "2", "--root"])
    assert result.exit_code == 2 and "--workers 1" in result.output


def test_workers_serve_and_share_the_secret(tmp_path):
    path, doc_id = _db(tmp_path)
    # a second collection served beside the first (one database per collection or year)
    other, other_id = _db(tmp_path, "archive-2019", "Grain exports fell in 2019.")
    port = free_port()
    server = subprocess.Popen([CITETRACE, "serve", str(path), str(other), "--port", str(port),
                               "--workers", "2"],
                              env={**os.environ, "DATASETTE_SECRET": SECRET},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    reader = f"{base}/reports/-/citetrace/documents/{doc_id}"
    try:
        for _ in range(100):
            try:
                if httpx.get(reader, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")
        actor = {"ds_actor": Datasette(secret=SECRET).sign({"a": {"id": "root"}}, "actor")}
        for i in range(8):  # new connections: the kernel spreads them over both workers
            page = httpx.get(reader, cookies=actor, timeout=10)
            assert page.status_code == 200 and "tariffs rose" in page.text
            token = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
            form = {"csrftoken": token, "passage_id": "1", "start": "0", "end": "5",
                    "exact": "Water", "body": f"note {i}", "document": str(doc_id)}
            cookies = {**actor, "ds_csrftoken": page.cookies["ds_csrftoken"]}
            posted = httpx.post(f"{base}/reports/-/citetrace/annotations", data=form,
                                cookies=cookies, timeout=10)
            assert posted.status_code == 303, (i, posted.status_code, posted.text[:300])
        page = httpx.get(reader, timeout=10).text
        assert all(f"note {i}" in page for i in range(8))
        archived = httpx.get(f"{base}/archive-2019/-/citetrace/documents/{other_id}", timeout=10)
        assert archived.status_code == 200 and "Grain exports fell" in archived.text
        assert "note 0" not in archived.text  # each file keeps its own annotations
        home = httpx.get(f"{base}/-/citetrace", timeout=10).text
        assert "/reports/-/citetrace" in home and "/archive-2019/-/citetrace" in home
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        finally:
            server.kill()
    assert server.returncode == 0, server.stdout.read().decode()[-2000:]


def test_worker_connections_do_not_wait_for_delayed_acks():
    # asyncio turns Nagle off (TCP_NODELAY) only on sockets made with proto IPPROTO_TCP;
    # without it a small answer on a kept-alive connection took ~40 ms longer.
    import asyncio

    from citetrace.plugins.cli.serve import _listen

    sock = _listen("127.0.0.1", 0)

    async def go():
        accepted = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport):
                accepted.set_result(transport)

        server = await asyncio.get_running_loop().create_server(Protocol, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        transport = await accepted
        nodelay = transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                socket.TCP_NODELAY)
        writer.close()
        server.close()
        return nodelay

    assert asyncio.run(go()) != 0


def test_worker_freezes_the_long_lived_objects(tmp_path):
    """Datasette's import-time objects leave the collector's view in each worker: a full
    collection walked them all (~100 ms with the process stalled), now only what requests
    leave behind. Checked in a fresh interpreter, as a worker runs."""
    path, _ = _db(tmp_path)
    code = ("import gc; from citetrace.plugins.cli.serve import worker_app; "
            "before = gc.get_freeze_count(); worker_app(); "
            "print(before, gc.get_freeze_count())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "CITETRACE_SERVE_DB": str(path),
                              "DATASETTE_SECRET": SECRET})
    assert out.returncode == 0, out.stderr[-2000:]
    before, frozen = map(int, out.stdout.split())
    assert before == 0 and frozen > 20_000
