"""Bounded page rendering (plugins/page_render.py, plugins/pages.py): a page whose drawing
costs minutes (a PostScript-function shading, evaluated by pdfium for every pixel) is cut off
at the deadline with a 503 that says so, does not hold up the other page images meanwhile,
and is not rendered again. The PDF is written byte by byte here (reportlab has no type-4
functions)."""

from __future__ import annotations

import asyncio
import hashlib
import time

import pytest
from datasette.app import Datasette
from datasette.plugins import pm

import citetrace.plugins.datasette_citetrace as plugin_module
from citetrace.db.store import open_db, write_document
from citetrace.ingest.model import Document, PageInfo, Passage
from citetrace.plugins import pages
from citetrace.plugins.page_render import Busy, RenderFailed, RenderPool, RenderTimeout, Unavailable

if not pm.is_registered(plugin_module):
    pm.register(plugin_module, name="citetrace")

BOUND = 1.0  # seconds, the test's render_timeout
# pdfium evaluates the function at each of the 918 x 1188 pixels of a 1.5x page: ~20 ms per
# operator, so 1,500 operators take ~30 s, far past the bound on any machine.
OPERATORS = 1500


def shading_pdf(operators: int) -> bytes:
    """Two US-letter pages: page 1 painted by a function-based shading whose type 4
    (PostScript calculator) function runs ``operators`` operators per pixel; page 2 a plain
    rectangle."""
    function = b"{ " + b"exch 0.999 mul " * operators + b"pop 0.3 0.6 0.9 }"
    slow = b"q 612 0 0 792 0 0 cm /Sh0 sh Q"
    fast = b"0 0 1 rg 72 72 200 200 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Shading << /Sh0 7 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(slow), slow),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(fast), fast),
        b"<< /ShadingType 1 /ColorSpace /DeviceRGB /Domain [0 1 0 1] /Function 8 0 R >>",
        b"<< /FunctionType 4 /Domain [0 1 0 1] /Range [0 1 0 1 0 1] /Length %d >>\n"
        b"stream\n%s\nendstream" % (len(function), function),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


@pytest.fixture
def site(tmp_path):
    pdf = tmp_path / "shading.pdf"
    pdf.write_bytes(shading_pdf(OPERATORS))
    path = tmp_path / "reports.db"
    db = open_db(str(path))
    doc_id = write_document(db, Document(
        path=str(pdf), sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
        filename=pdf.name, title="Shading", page_count=2,
        pages=[PageInfo(1, 612, 792), PageInfo(2, 612, 792)],
        passages=[Passage(0, 1, "paragraph", "Shaded.", (72.0, 100.0, 300.0, 140.0))]), "test")
    db.conn.close()
    pages.cache.clear()
    pages.timed_out.clear()
    yield {"path": path, "doc": doc_id}
    pages.cache.clear()
    pages.timed_out.clear()


def app(site) -> Datasette:
    return Datasette([str(site["path"])],
                     metadata={"plugins": {"citetrace": {"render_timeout": BOUND}}})


async def timed_get(client, url):
    start = time.monotonic()
    r = await client.get(url)
    return r, time.monotonic() - start


def test_slow_page_is_cut_off_while_another_page_is_served(site):
    base = f"/reports/-/citetrace/documents/{site['doc']}/pages"

    async def go():
        client = app(site).client
        slow = asyncio.create_task(timed_get(client, f"{base}/1.png"))
        await asyncio.sleep(0.2)  # the slow page is rendering
        fast, fast_took = await timed_get(client, f"{base}/2.png")
        done_first = not slow.done()
        slow_r, slow_took = await slow
        again, again_took = await timed_get(client, f"{base}/1.png")
        return fast, fast_took, done_first, slow_r, slow_took, again, again_took

    fast, fast_took, done_first, slow, slow_took, again, again_took = asyncio.run(go())
    assert fast.status_code == 200 and fast.content[:4] == b"\x89PNG"
    assert done_first, "page 2 waited for page 1"
    assert slow.status_code == 503
    assert slow.text == ("Page 1 took longer than 1 s to render and was stopped; "
                         "it is not tried again while the server runs.")
    assert BOUND <= slow_took < BOUND + 5  # cut off at the bound, not after ~30 s
    # remembered: refused at once, no worker spent on it
    assert again.status_code == 503 and again.text == slow.text
    assert again_took < 0.5
    assert pages.timed_out.hits >= 1


def test_pool_replaces_a_killed_worker(tmp_path):
    pdf = tmp_path / "shading.pdf"
    pdf.write_bytes(shading_pdf(OPERATORS))
    pool = RenderPool(1)
    try:
        with pytest.raises(RenderTimeout):
            pool.render(str(pdf), 1, 1.5, 0.5)
        # its one worker was killed; the next render gets a new one
        assert pool.render(str(pdf), 2, 1.5, 30)[:4] == b"\x89PNG"
        with pytest.raises(Unavailable, match="The PDF has no page 3"):
            pool.render(str(pdf), 3, 1.5, 30)
    finally:
        pool.close()


def test_a_server_script_without_a_main_guard_renders(tmp_path):
    """Workers are fresh interpreters running this module, not multiprocessing's spawn
    (which re-runs the server's main script: a script without `if __name__ == "__main__"`
    got 500s)."""
    import subprocess
    import sys

    pdf = tmp_path / "shading.pdf"
    pdf.write_bytes(shading_pdf(1))
    script = tmp_path / "serve_once.py"
    script.write_text(f"""
from citetrace.plugins.page_render import RenderPool
pool = RenderPool(1)
print(pool.render({str(pdf)!r}, 2, 1.0, 60)[:4])
pool.close()
""")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == repr(b"\x89PNG")


def test_every_worker_busy_is_a_plain_refusal(tmp_path):
    import threading

    pdf = tmp_path / "shading.pdf"
    pdf.write_bytes(shading_pdf(OPERATORS))
    pool = RenderPool(1)
    slow = threading.Thread(target=lambda: pytest.raises(RenderTimeout, pool.render,
                                                         str(pdf), 1, 1.5, 3))
    try:
        pool.render(str(pdf), 2, 1.5, 30)  # the worker is up
        slow.start()
        time.sleep(0.3)
        with pytest.raises(Busy) as refused:
            pool.render(str(pdf), 2, 1.5, 0.5)
        assert str(refused.value) == "Every page renderer stayed busy for 0.5 s; try again later."
        assert not isinstance(refused.value, RenderTimeout)  # so pages.py does not remember it
    finally:
        slow.join()
        pool.close()


def _worker_pids() -> list[int]:
    """This process's page-render workers (from /proc)."""
    import os
    from pathlib import Path

    pids = []
    for proc in Path("/proc").iterdir():
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if f"\nPPid:\t{os.getpid()}\n" in status and b"citetrace.plugins.page_render" in cmdline:
            pids.append(int(proc.name))
    return pids


def test_a_worker_that_dies_rendering_a_page_is_a_remembered_failure(tmp_path):
    """A render that kills its worker (pdfium crashing, the kernel's OOM killer) is a
    RenderFailed, which pages.py remembers like a timeout; the pool goes on."""
    import os
    import signal
    import threading

    pdf = tmp_path / "shading.pdf"
    pdf.write_bytes(shading_pdf(OPERATORS))
    pool = RenderPool(1)
    outcome = {}

    def render():
        try:
            pool.render(str(pdf), 1, 1.5, 60)
        except Unavailable as e:
            outcome["error"] = e

    others = set(_worker_pids())  # the page route's own pool, from earlier tests
    try:
        pool.render(str(pdf), 2, 1.5, 30)  # the worker is up
        (pid,) = set(_worker_pids()) - others
        thread = threading.Thread(target=render)
        thread.start()
        time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
        thread.join(30)
        error = outcome["error"]
        assert isinstance(error, RenderFailed) and not isinstance(error, RenderTimeout)
        assert str(error) == ("Rendering page 1 crashed its worker process; it is not tried "
                              "again while the server runs.")
        assert pool.render(str(pdf), 2, 1.5, 30)[:4] == b"\x89PNG"  # a new worker
    finally:
        pool.close()
