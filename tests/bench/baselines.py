"""Stage 1: the floor. A bare pdfplumber pass over every page's chars (the targets' unit),
pdfminer.six alone and poppler's pdftotext for reference."""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

from benchkit import ENTRY, json_of, measure


def cmd_bare(files: list[str]) -> None:
    """The floor: pdfplumber's parse of every page's chars, nothing else."""
    import pdfplumber

    wall, cpu = time.perf_counter(), time.process_time()
    pages = chars = 0
    per_file = {}
    for f in files:
        t = time.process_time()
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages += 1
        per_file[Path(f).name] = time.process_time() - t
    print(json.dumps({"pages": pages, "chars": chars, "wall": time.perf_counter() - wall,
                      "cpu": time.process_time() - cpu, "per_file_cpu": per_file}))


def cmd_miner(files: list[str]) -> None:
    """pdfminer.six alone (what pdfplumber wraps): interpret every page, count LTChar objects.
    Not the target's baseline; it shows what pdfplumber's object dicts cost on top."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    wall, cpu = time.perf_counter(), time.process_time()
    pages = chars = 0
    for f in files:
        with open(f, "rb") as fp:
            document = PDFDocument(PDFParser(fp))
            manager = PDFResourceManager(caching=True)
            device = PDFPageAggregator(manager, laparams=None)
            interpreter = PDFPageInterpreter(manager, device)
            for page in PDFPage.create_pages(document):
                interpreter.process_page(page)
                chars += sum(1 for o in device.get_result() if isinstance(o, LTChar))
                pages += 1
    print(json.dumps({"pages": pages, "chars": chars, "wall": time.perf_counter() - wall,
                      "cpu": time.process_time() - cpu}))


def run(names: list[str], work: Path, results: dict) -> None:
    """Fill results["bare"], ["miner"] and ["pdftotext"] (None when it is not installed)."""
    py = sys.executable
    results["bare"] = json_of(measure([py, ENTRY, "_bare", *names], work))
    results["bare"]["wall_total"] = results["bare"]["wall"]
    print(f"bare pdfplumber chars pass: {results['bare']['wall']:.1f}s wall, "
          f"{results['bare']['cpu']:.1f}s CPU", flush=True)

    results["miner"] = json_of(measure([py, ENTRY, "_miner", *names], work))
    if results["miner"]["chars"] != results["bare"]["chars"]:
        results["miner"]["note"] = f"{results['miner']['chars']} chars vs {results['bare']['chars']}"
    print(f"pdfminer.six alone: {results['miner']['wall']:.1f}s wall, {results['miner']['cpu']:.1f}s CPU",
          flush=True)

    if shutil.which("pdftotext"):
        wall = cpu = 0.0
        for f in names:
            r = measure(["pdftotext", "-q", f, str(work / "out.txt")], work)
            wall += r["wall"]
            cpu += r["cpu"]
        results["pdftotext"] = {"wall": wall, "cpu": cpu}
        print(f"pdftotext: {wall:.1f}s wall, {cpu:.1f}s CPU", flush=True)
    else:
        results["pdftotext"] = None
