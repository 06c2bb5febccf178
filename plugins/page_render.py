"""Rendering PDF pages to PNG, in worker processes with a deadline.

Why processes: pdfium is not thread-safe (one lock per process) and cannot be interrupted; a
page with a costly drawing (a PostScript-function shading evaluated per pixel: 92 s for a
92 KB PDF) would hold that lock and every other page image would wait. Each worker has its
own pdfium; a render that passes its deadline has its worker killed (the next render starts a
fresh one), so one slow page costs one worker for the deadline and no more.

This module imports neither Datasette nor the rest of the plugin: a worker
(``python -m citetrace.plugins.page_render FD``) imports only it, pypdfium2 and Pillow, and
ends when the server's end of its socket closes (the server stopped or died).
"""

from __future__ import annotations

import io
import queue
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

MAX_PIXELS = 25_000_000  # refuse absurd page sizes (a 1.5x A0 page is ~20 Mpx)
STARTUP_TIMEOUT = 60.0  # seconds for a new worker to load its libraries (not a render's)


class Unavailable(Exception):
    """The document's PDF cannot be shown; the message says why (no server paths)."""


class RenderFailed(Unavailable):
    """The page itself cannot be rendered (it took too long, or crashed its worker): worth
    remembering, so that it is not tried again."""


class RenderTimeout(RenderFailed):
    """A render passed its deadline and was stopped."""


class Busy(Unavailable):
    """No worker could take the page now (all busy until the deadline, or none could start):
    not the page's fault, so not remembered."""


def render_png(path: str, page: int, scale: float) -> bytes:
    """Page ``page`` (1-based) of ``path`` as a 64-colour PNG (in this process)."""
    import pypdfium2 as pdfium
    from PIL import Image

    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:
        raise Unavailable("The PDF file could not be opened.")
    try:
        if not 1 <= page <= len(pdf):
            raise Unavailable(f"The PDF has no page {page}.")
        pdf_page = pdf[page - 1]
        try:
            width, height = pdf_page.get_size()
            if width * height * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            image = pdf_page.render(scale=scale).to_pil()
        finally:
            pdf_page.close()
    finally:
        pdf.close()
    image = image.convert("RGB").quantize(64, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


def serve(conn) -> None:
    """A worker: says ``("ready", None)`` once its libraries are loaded, then
    ``(path, page, scale)`` in, ``("ok", png)`` or ``("error", message)`` out, until the
    parent closes the pipe (or dies)."""
    import PIL.Image  # noqa: F401  (loaded before the first deadline starts)
    import pypdfium2  # noqa: F401

    conn.send(("ready", None))
    while True:
        try:
            path, page, scale = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("ok", render_png(path, page, scale))
        except Unavailable as e:
            answer = ("error", str(e))
        except Exception as e:  # pdfium or Pillow refusing the page: say so, keep serving
            answer = ("error", f"The page could not be rendered ({type(e).__name__}).")
        conn.send(answer)


def main(argv: list[str]) -> None:
    """``python -m citetrace.plugins.page_render FD``: a worker on the socket ``FD``."""
    serve(Connection(int(argv[1])))


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.conn.close()


@dataclass
class RenderPool:
    """Up to ``size`` worker processes, started on demand and kept while they behave.
    Thread-safe: called from the executor threads of the page-image route."""

    size: int = 2
    _slots: threading.BoundedSemaphore = field(init=False)
    _idle: queue.SimpleQueue = field(init=False, default_factory=queue.SimpleQueue)

    def __post_init__(self):
        self._slots = threading.BoundedSemaphore(self.size)

    def render(self, path: str, page: int, scale: float, timeout: float) -> bytes:
        """The PNG, or :class:`RenderTimeout` after ``timeout`` seconds of rendering,
        :class:`RenderFailed` when the worker died rendering it, or
        :class:`Busy` when no worker came free within ``timeout``."""
        if not self._slots.acquire(timeout=timeout):
            raise Busy(f"Every page renderer stayed busy for {timeout:g} s; try again later.")
        try:
            worker = self._take()
            try:
                worker.conn.send((path, page, scale))
                if not worker.conn.poll(timeout):
                    worker.stop()
                    raise RenderTimeout(
                        f"Page {page} took longer than {timeout:g} s to render and was "
                        "stopped; it is not tried again while the server runs.")
                status, value = worker.conn.recv()
            except (EOFError, OSError):
                worker.stop()
                raise RenderFailed(f"Rendering page {page} crashed its worker process; "
                                   "it is not tried again while the server runs.")
            self._idle.put(worker)
        finally:
            self._slots.release()
        if status == "ok":
            return value
        raise Unavailable(value)

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return self._start()
            if worker.alive():
                return worker
            worker.stop()

    @staticmethod
    def _start() -> _Worker:
        # A fresh interpreter, not fork (the server has threads: a fork could copy a held
        # lock) nor multiprocessing's spawn (it re-runs the server's main script, which need
        # not guard itself with `if __name__ == "__main__"`).
        ours, theirs = socket.socketpair()
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        parent = Connection(ours.detach())
        worker = _Worker(process, parent)
        try:
            ready = parent.poll(STARTUP_TIMEOUT) and parent.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            worker.stop()
            raise Busy("The page renderer could not be started; try again later.")
        return worker

    def close(self) -> None:
        """Stop the idle workers (busy ones stop when their render returns or times out)."""
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


if __name__ == "__main__":
    main(sys.argv)
