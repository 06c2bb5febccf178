"""Servers the tests and benchmarks start on 127.0.0.1: a free port, and a process that is
waited for until it answers and always stopped (terminate, then kill) when the block ends."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running(cmd: list[str], ready_url: str, log_path: Path, *, env: dict | None = None,
            cwd: Path | None = None, timeout: float = 60):
    """Run `cmd` with its output in `log_path`; yield the process once `ready_url` answers 200.

    A process that exits before answering raises with the tail of its log (a failing test then
    says why the server did not start, not just that it did not)."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited with {proc.returncode} before answering: "
                                       f"{Path(log_path).read_text(errors='replace')[-2000:]}")
                try:
                    urllib.request.urlopen(ready_url, timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{ready_url} did not answer within {timeout:.0f} s: see "
                                           f"{log_path}") from None
                    time.sleep(0.2)
            yield proc
        finally:
            stop(proc)
