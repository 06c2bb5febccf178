"""What every benchmark stage of bench_ingest.py shares: paths, running and measuring a
subprocess (wall, CPU of the process tree, peak RSS per process), machine facts."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CITETRACE = str(BIN / "citetrace")
CORPUS = ROOT.parent / "shared" / "corpus" / "pdfs"
# The stages run their in-process helpers as `python bench_ingest.py _name ARGS`.
ENTRY = str(Path(__file__).resolve().with_name("bench_ingest.py"))


def clear_db(path: Path) -> None:
    """Remove a SQLite file and its WAL companions (each run starts from nothing)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def measure(cmd: list[str], work: Path, env: dict | None = None) -> dict:
    """Run `cmd`; wall clock, CPU (user+sys) of the process tree, peak RSS of the tree
    (wait4) and of each process (VmHWM sampled every 0.2 s), exit code, stdout/stderr."""
    out_f = open(work / "stdout.txt", "w+")
    err_f = open(work / "stderr.txt", "w+")
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, env=env)
    peaks: dict[int, int] = {}
    done = threading.Event()

    def sample():
        while not done.is_set():
            todo = [proc.pid]
            while todo:
                pid = todo.pop()
                hwm = _hwm_kb(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
                    todo += _children(pid)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out_f.seek(0)
    err_f.seek(0)
    stdout, stderr = out_f.read(), err_f.read()
    out_f.close()
    err_f.close()
    root_peak = peaks.pop(proc.pid, 0)
    return {
        "cmd": cmd, "code": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
        "maxrss_mb": ru.ru_maxrss / 1024, "main_rss_mb": root_peak / 1024,
        "child_rss_mb": sorted((v / 1024 for v in peaks.values()), reverse=True),
        "stdout": stdout, "stderr": stderr,
    }


def json_of(run: dict) -> dict:
    if run["code"] != 0:
        raise SystemExit(f"{run['cmd'][:3]} failed ({run['code']}):\n{run['stderr'][-3000:]}")
    return json.loads(run["stdout"].strip().splitlines()[-1])


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, IndexError, ValueError):
        pass
    import pdfplumber
    import pdfminer
    import spacy

    poppler = "-"
    if shutil.which("pdftotext"):
        r = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True)
        poppler = (r.stderr or r.stdout).splitlines()[0].strip()
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "ram": mem, "python": platform.python_version(),
        "pdfplumber": pdfplumber.__version__, "pdfminer": getattr(pdfminer, "__version__", "?"),
        "spacy": spacy.__version__, "pdftotext": poppler,
    }


def pages_of(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)
