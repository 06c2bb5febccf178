"""One ``check-links`` run: find the targets, check them, look up archives, store the rows."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

import httpx
import sqlite_utils

from citetrace.db.links.addresses import PrivateAddress
from citetrace.db.links.archive import DEFAULT_API, parse_availability, wayback_timestamp
from citetrace.db.links.fetch import BudgetExhausted, FetchConfig, Fetcher, FetchResult
from citetrace.db.links.targets import Target, due, find_targets
from citetrace.db.links.verdict import page_title, verdict_for

FLUSH_EVERY = 100  # rows buffered between commits: one fsync per batch, not per URL


@dataclass
class RunOptions:
    document_id: int | None = None
    since_days: float | None = None  # only URLs not checked for that long
    budget: float = 600.0  # seconds for the whole run
    archive: bool = True  # look up archived copies of sources that are not ok
    archive_api: str = DEFAULT_API
    fetch: FetchConfig = field(default_factory=FetchConfig)
    transport: httpx.AsyncBaseTransport | None = None  # tests: a mock transport


@dataclass
class Plan:
    to_check: list[Target]
    recent: list[Target]  # checked within --since
    skipped: list[tuple[Target, str]]  # not checkable, with the reason


@dataclass
class RunSummary:
    plan: Plan
    verdicts: Counter = field(default_factory=Counter)
    checked: int = 0
    out_of_budget: int = 0
    lookups: int = 0
    snapshots: int = 0
    requests: int = 0
    seconds: float = 0.0


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def make_plan(db: sqlite_utils.Database, options: RunOptions) -> Plan:
    targets = find_targets(db.conn, options.document_id)
    skipped = [(t, t.skip_reason) for t in targets if t.skip_reason]
    checkable = [t for t in targets if not t.skip_reason]
    to_check = due(checkable, options.since_days)
    chosen = {id(t) for t in to_check}
    return Plan(to_check, [t for t in checkable if id(t) not in chosen], skipped)


def check_row(target: Target, r: FetchResult, checked_at: str) -> dict:
    title = page_title(r.body)
    return {
        "url": target.url,
        "checked_url": r.url if r.url != target.url else None,
        "checked_at": checked_at,
        "verdict": verdict_for(r.url, r.status, r.final_url, r.error_kind, title, r.body),
        "status": r.status,
        "final_url": r.final_url,
        "redirects": json.dumps(r.redirects),
        "content_type": r.content_type,
        "title": title,
        "error_kind": r.error_kind,
        "error": r.error,
        "method": r.method,
        "attempts": r.attempts,
        "elapsed_ms": r.elapsed_ms,
    }


class _Writer:
    """Buffers rows and writes them in batches (the event loop's thread owns the connection).
    A batch SQLite refuses (a full disk) is kept as :attr:`error`: nothing more is written,
    and the run stops at once and reports it, once."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.rows: dict[str, list[dict]] = {"link_checks": [], "link_archives": []}
        self.error: sqlite3.Error | None = None

    def add(self, table: str, row: dict) -> None:
        self.rows[table].append(row)
        if sum(len(v) for v in self.rows.values()) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.error is not None:
            return
        try:
            with self.db.conn:
                for table, rows in self.rows.items():
                    if rows:
                        self.db[table].insert_all(rows)
                        rows.clear()
        except sqlite3.Error as e:
            self.error = e


async def _lookup(fetcher: Fetcher, options: RunOptions, target: Target) -> dict:
    stamp = wayback_timestamp(target.report_date)
    row = {"url": target.url, "looked_up_at": now_iso(), "api": options.archive_api,
           "target_date": stamp, "archive_url": None, "archive_timestamp": None,
           "archive_status": None, "error": None}
    params = {"url": target.check_url}
    if stamp:
        params["timestamp"] = stamp
    try:
        snap = parse_availability(await fetcher.get_json(options.archive_api, params))
    except (httpx.HTTPError, httpx.InvalidURL, PrivateAddress, ValueError, RecursionError) as e:
        # ValueError: not JSON; RecursionError: JSON nested deeper than the parser goes.
        row["error"] = f"{type(e).__name__}: {e}"[:500]
        return row
    row.update(archive_url=snap.archive_url, archive_timestamp=snap.timestamp,
               archive_status=snap.status)
    return row


async def run_async(db: sqlite_utils.Database, options: RunOptions,
                    report: Callable[[Target, dict], None] | None = None) -> RunSummary:
    started = time.monotonic()
    plan = make_plan(db, options)
    summary = RunSummary(plan)
    writer = _Writer(db)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + options.budget
    async with Fetcher(options.fetch, deadline=deadline, transport=options.transport) as fetcher:

        async def one(target: Target) -> None:
            if writer.error is not None:  # nowhere to save what it would find
                return
            result = await fetcher.check(target.check_url)
            row = check_row(target, result, now_iso())
            writer.add("link_checks", row)
            summary.checked += 1
            summary.verdicts[row["verdict"]] += 1
            if report:
                report(target, row)
            # Archive lookups only for sources in trouble, and only when no copy is known.
            if (options.archive and row["verdict"] not in ("ok",)
                    and not target.printed_archive and not target.has_snapshot):
                summary.lookups += 1
                arow = await _lookup(fetcher, options, target)
                writer.add("link_archives", arow)
                summary.snapshots += arow["archive_url"] is not None

        tasks = [asyncio.create_task(one(t)) for t in plan.to_check]
        if tasks:
            done, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - loop.time()))
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            failures = [task.exception() for task in done]  # every one retrieved
            failure = next((e for e in failures if e is not None
                            and not isinstance(e, BudgetExhausted)), None)
            if failure is not None:
                writer.flush()
                raise failure
        summary.requests = fetcher.requests
    writer.flush()
    if writer.error is not None:
        raise writer.error
    summary.out_of_budget = len(plan.to_check) - summary.checked
    summary.seconds = time.monotonic() - started
    return summary


def run(db: sqlite_utils.Database, options: RunOptions,
        report: Callable[[Target, dict], None] | None = None) -> RunSummary:
    return asyncio.run(run_async(db, options, report))
