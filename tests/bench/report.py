"""The results as Markdown: tables per stage and the targets met or missed, written between
the markers of docs/benchmarks.md."""

from __future__ import annotations

import re
from pathlib import Path

import dask_ingest
from scale import FULL_BUILD_LIMIT

START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

TARGETS = {
    "w1_ratio": 1.4,  # end-to-end, 1 worker / bare pdfplumber char pass
    "w2_ratio": 0.8,  # end-to-end, 2 workers / bare pdfplumber char pass
    "worker_rss_mb": 600,
    "incremental_share": 0.03,
    "fts_p95_ms": 100,
    "reader_p95_ms": 300,
}


def _f(x, digits=1):
    return "-" if x is None else f"{x:.{digits}f}"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(results: dict) -> str:
    m = results["machine"]
    L = []
    kind = "quick" if results["quick"] else "partial" if results.get("partial") else "full"
    L.append(f"Run {results['started']} ({kind} run, "
             f"{results['seconds'] / 60:.1f} min). Machine: {m['nproc']} CPUs ({m['cpu']}), "
             f"{m['ram']} RAM, Python {m['python']}, pdfplumber {m['pdfplumber']} "
             f"(pdfminer.six {m['pdfminer']}), spaCy {m['spacy']}, {m['pdftotext']}. "
             f"Load average (1/5/15 min) at start {results['load_start']}, at end {results['load_end']}.")
    L.append("")
    if "bare" in results:
        pages = results["pages"]
        bare, w1, w2, inc = results["bare"], results["w1"], results["w2"], results["incremental"]
        pt = results.get("pdftotext")
        r1, r2 = w1["wall"] / bare["wall"], w2["wall"] / bare["wall"]
        c1, c2 = w1["cpu"] / bare["cpu"], w2["cpu"] / bare["cpu"]
        worker_rss = max([results["rss"]["peak_rss_mb"]] + w1["child_rss_mb"][:1] + w2["child_rss_mb"][:2])
        share = inc["wall"] / w1["wall"]
        L.append(f"### Ingest: {len(results['files'])} files, {pages} pages")
        L.append("")
        L.append("Files: " + ", ".join(f"{f['file']} ({f['pages']})" for f in results["files"]) + ".")
        L.append("")
        L.append("| run | wall s | pages/s | CPU s (all processes) | wall / bare pass | CPU / bare pass | peak RSS |")
        L.append("|---|---:|---:|---:|---:|---:|---|")
        L.append(f"| bare pdfplumber `page.chars` pass (1 process) | {_f(bare['wall'])} | "
                 f"{_f(pages / bare['wall'])} | {_f(bare['cpu'])} | 1.00 | 1.00 | |")
        mi = results.get("miner")
        if mi:
            L.append(f"| (reference) pdfminer.six alone, no pdfplumber objects | {_f(mi['wall'])} | "
                     f"{_f(pages / mi['wall'])} | {_f(mi['cpu'])} | {_f(mi['wall'] / bare['wall'], 2)} | "
                     f"{_f(mi['cpu'] / bare['cpu'], 2)} | |")
        if pt:
            L.append(f"| `pdftotext` (poppler), file by file | {_f(pt['wall'])} | {_f(pages / pt['wall'], 0)} | "
                     f"{_f(pt['cpu'])} | {_f(pt['wall'] / bare['wall'], 3)} | {_f(pt['cpu'] / bare['cpu'], 3)} | |")
        else:
            L.append("| `pdftotext` | - | - | - | - | - | not installed (`apt-get install -y poppler-utils`) |")
        for key, label in (("w1", "`citetrace ingest --workers 1`"), ("w2", "`citetrace ingest --workers 2`")):
            r = results[key]
            workers = ", ".join(f"{x:.0f}" for x in r["child_rss_mb"][:int(key[1])])
            L.append(f"| {label} | {_f(r['wall'])} | {_f(pages / r['wall'])} | {_f(r['cpu'])} | "
                     f"{_f(r['wall'] / bare['wall'], 2)} | {_f(r['cpu'] / bare['cpu'], 2)} | "
                     f"main {r['main_rss_mb']:.0f} MB, worker(s) {workers} MB |")
        L.append(f"| re-ingest, unchanged (skipped by sha256) | {_f(inc['wall'], 2)} | | {_f(inc['cpu'], 2)} | "
                 f"{_f(inc['wall'] / bare['wall'], 3)} | | |")
        L.append("")
        L.append(f"Load average during `--workers 1`: {w1['load_before']} → {w1['load_after']}; "
                 f"`--workers 2`: {w2['load_before']} → {w2['load_after']}. CLI summaries: "
                 f"`{w1['summary']}` / `{w2['summary']}` / `{inc['summary']}`.")
        L.append("")
        st = results["stages"]
        total_cpu = sum(st["cpu"].values())
        L.append("#### Time per stage (one process, same files)")
        L.append("")
        L.append("| stage | CPU s | share | wall s | x bare pass (CPU) |")
        L.append("|---|---:|---:|---:|---:|")
        order = ["model load", "pdf open", "pdf parsing", "layout", "checks", "notes/markers",
                 "passages/markers", "other extraction", "citations", "nlp", "database writes"]
        for k in order + [k for k in st["cpu"] if k not in order]:
            if k in st["cpu"]:
                L.append(f"| {k} | {_f(st['cpu'][k], 2)} | {100 * st['cpu'][k] / total_cpu:.1f}% | "
                         f"{_f(st['wall'][k], 2)} | {_f(st['cpu'][k] / bare['cpu'], 2)} |")
        L.append(f"| **total** | {_f(total_cpu, 2)} | 100% | {_f(sum(st['wall'].values()), 2)} | "
                 f"{_f(total_cpu / bare['cpu'], 2)} |")
        L.append("")
        L.append("\"pdf parsing\" is pdfminer building each page's layout tree and "
                 "`ingest.lines.page_objects` reading its chars and rules from it, plus link annotations; \"layout\" is `ingest.layout.analyze` "
                 "on parsed pages (glyphs, rows, words, furniture, columns); \"notes/markers\" is "
                 "`find_note_zones`, `find_endnotes`, `split_notes` and the note texts; "
                 "\"passages/markers\" is `reading_blocks`, the title, passage texts and marker linking; "
                 "\"other extraction\" is the rest of `extract()` (sha256, page sizes, closing the PDF). "
                 "Each stage is declared in the code by `@timed(stage)` (`ingest/stages.py`).")
        L.append("")
        rss = results["rss"]
        L.append(f"One worker on the largest file, {rss['file']} ({rss['pages']} pages): model loaded "
                 f"{rss['model_rss_mb']:.0f} MB, peak {rss['peak_rss_mb']:.0f} MB "
                 f"(process() took {rss['seconds']:.1f}s).")
        L.append("")
    if "scale" in results and "path" in results["scale"]:
        s = results["scale"]
        L.append(f"### Scale: {s['counts']['documents']} documents")
        L.append("")
        how = (f"**full path**: {s['docs']} variants generated (`build_sample(out, variant=n)`) and "
               f"ingested with `citetrace ingest --workers 2`"
               if s["path"] == "full" else
               f"**clone path**: {s['seeds']} variants generated and run through the real pipeline "
               f"(`citetrace ingest --workers 2` for the cost estimate, then `ingest.pipeline.process`); "
               f"the other {s['docs'] - s['seeds']} documents are copies of those `Document` objects "
               f"re-keyed (sha256, filename) with the variant's country name swapped in every text "
               f"(same length, so offsets stay valid), written with `db.store.write_document`")
        L.append(f"Built by the {how}. Per-document cost measured first: {s['gen_per_doc']:.2f}s to "
                 f"generate a variant, {s['ingest_cpu_per_doc']:.2f}s CPU to ingest it; the full path "
                 f"would take ~{s['estimate_full_s'] / 60:.0f} min on 2 cores "
                 f"(limit {FULL_BUILD_LIMIT / 60:.0f} min, `BENCH_FULL_LIMIT`).")
        if s["path"] == "clone" and "write_ms_mean" in s:
            L.append(f" `write_document`: {s['write_ms_mean']:.0f} ms per document on average "
                     f"({s['write_ms_first50']:.0f} ms for the first 50, {s['write_ms_last50']:.0f} ms "
                     f"for the last 50); {s['clone_s']:.0f}s for all clones.")
        c = s["counts"]
        L.append("")
        L.append(f"Database: **{s['db_mb']:.0f} MB** (after a WAL checkpoint) with {c['documents']} documents, "
                 f"{c['passages']} passages, {c['footnotes']} notes, {c['claims']} claims, "
                 f"{c['citations']} citations, {c['sources']} sources, {c['entities']} entities "
                 f"({c['entity_names']} names).")
        L.append("")
    if "serve" in results:
        sv = results["serve"]
        L.append(f"#### Datasette latency, {sv['clients']} concurrent clients, {sv['seconds']:.0f}s per view")
        L.append("")
        L.append("| view | example | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | "
                 "client CPU | 1 client: p50 / p95 ms |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|")
        labels = {"reader_cold": "reader, uncached (each document once)",
                  "search_cold": "search, uncached (each query once)"}
        for view in ("reader_cold", "reader", "trace", "search_cold", "search"):
            if view not in sv:
                continue
            v = sv[view]
            one = v.get("one_client") or {}
            L.append(f"| {labels.get(view, view)} | `{v['example']}` | {v['requests']} | {_f(v['rps'])} | "
                     f"{_f(v['p50_ms'], 0)} | {_f(v['p95_ms'], 0)} | {_f(v['p99_ms'], 0)} | "
                     f"{_f(v['max_ms'], 0)} | {v['errors'] or 0} | "
                     f"{_f(100 * v['client_cpu'], 0) + '%' if 'client_cpu' in v else ''} | "
                     f"{_f(one.get('p50_ms'), 0)} / {_f(one.get('p95_ms'), 0)} |")
        L.append("")
        workers = sv.get("workers", 1)
        distinct = sv.get("distinct_urls") or {}
        L.append(f"Closed loop: each of the {sv['clients']} clients (one connection each) sends its next "
                 f"request when the last one is answered, so p50 ≈ clients / throughput. `citetrace serve` "
                 f"({'one Datasette process' if workers == 1 else f'{workers} worker processes'}) and the "
                 f"aiohttp clients share the machine's {m['nproc']} CPUs (client CPU: the share "
                 f"of one core the load generator used). Distinct URLs: "
                 + ", ".join(f"{k} {n}" for k, n in distinct.items())
                 + ". The server caches rendered reader passages and search results per database "
                 "snapshot (plugins/cache.py, 64 MB); the uncached rows fetch every document once, "
                 "then queries the timed search run does not use, each once, from a freshly started "
                 "server: every request is a miss (their last column: one client alone on the first "
                 f"sixth of those URLs). The "
                 f"last column is the same URLs from one client for 5 s (service time without queueing). "
                 f"Load average {sv['load_before']} → {sv['load_after']}.")
        L.append("")
    L += dask_ingest.render(results)
    # targets
    L.append("### Targets")
    L.append("")
    L.append("| target | measured | |")
    L.append("|---|---|---|")
    if "bare" in results:
        L.append(f"| end-to-end, 1 worker ≤ {TARGETS['w1_ratio']}x bare char pass | {r1:.2f}x wall "
                 f"({c1:.2f}x CPU) | {_verdict(r1 <= TARGETS['w1_ratio'])} |")
        L.append(f"| end-to-end, 2 workers ≤ {TARGETS['w2_ratio']}x bare char pass | {r2:.2f}x wall "
                 f"({c2:.2f}x CPU) | {_verdict(r2 <= TARGETS['w2_ratio'])} |")
        L.append(f"| peak RSS per worker < {TARGETS['worker_rss_mb']} MB on the largest file | "
                 f"{worker_rss:.0f} MB | {_verdict(worker_rss < TARGETS['worker_rss_mb'])} |")
        L.append(f"| re-ingest unchanged < {100 * TARGETS['incremental_share']:.0f}% of full | "
                 f"{100 * share:.1f}% ({inc['wall']:.2f}s / {w1['wall']:.1f}s) | "
                 f"{_verdict(share < TARGETS['incremental_share'])} |")
    if "serve" in results:
        f95, r95 = sv["search"]["p95_ms"], sv["reader"]["p95_ms"]
        n = results["scale"]["counts"]["documents"]
        L.append(f"| {n}-doc database: FTS p95 < {TARGETS['fts_p95_ms']} ms | {f95:.0f} ms | "
                 f"{_verdict(f95 < TARGETS['fts_p95_ms'])} |")
        L.append(f"| {n}-doc database: reader p95 < {TARGETS['reader_p95_ms']} ms | {r95:.0f} ms | "
                 f"{_verdict(r95 < TARGETS['reader_p95_ms'])} |")
        if "reader_cold" in sv:
            c95 = sv["reader_cold"]["p95_ms"]
            L.append(f"| {n}-doc database: reader p95 < {TARGETS['reader_p95_ms']} ms, uncached | "
                     f"{c95:.0f} ms | {_verdict(c95 < TARGETS['reader_p95_ms'])} |")
        if "search_cold" in sv:
            c95 = sv["search_cold"]["p95_ms"]
            L.append(f"| {n}-doc database: FTS p95 < {TARGETS['fts_p95_ms']} ms, uncached | "
                     f"{c95:.0f} ms | {_verdict(c95 < TARGETS['fts_p95_ms'])} |")
        L.append(f"| (not a target) trace p95 | {sv['trace']['p95_ms']:.0f} ms | |")
    L.append("")
    return "\n".join(L)


def write_markdown(path: Path, body: str) -> None:
    block = f"{START}\n{body}\n{END}"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if START in text and END in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _m: block, text, flags=re.S)
        else:
            text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    else:
        text = f"# Benchmarks\n\n## Results\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
