"""Which URLs a database cites: one target per distinct URL, deduplicated through ``sources``.

A source's URL is ``sources.url`` (else the first URL its citations print), exactly as the
``source_health`` view computes it, so checks stored under ``Target.url`` join back to it.
Citations with a URL but no source are targets too.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from citetrace.db import ddl
from citetrace.db.links.archive import is_archive_url, original_of

# documents columns that may hold the report's publication date (none in schema v1: the
# ingest date stands in; a later schema adding one of these is picked up).
PUBLICATION_COLUMNS = ("published_at", "publication_date", "published", "date")

TARGETS_SQL = """
select
  ci.source_id,
  case when ci.source_id is not null then
    coalesce(s.url, (select min(c2.url) from citations c2
                     where c2.source_id = ci.source_id and c2.url is not null))
  else ci.url end as url,
  ci.archive_url,
  f.document_id,
  {date_expr} as report_date
from citations ci
join footnotes f on f.id = ci.footnote_id
join documents d on d.id = f.document_id
left join sources s on s.id = ci.source_id
where (ci.url is not null or s.url is not null) {where}
order by ci.id
"""


@dataclass
class Target:
    url: str  # as cited: the key link_checks rows are stored under
    check_url: str | None  # what to request; None: an archive copy hiding its live URL
    source_ids: list[int] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    report_date: str | None = None  # earliest publication (else ingest) date of the citers
    printed_archive: str | None = None  # archive link printed in a note, if any
    last_checked_at: str | None = None
    has_snapshot: bool = False  # a Wayback snapshot is already stored

    @property
    def skip_reason(self) -> str | None:
        if self.check_url is None:
            return "archive link (the live URL is not printed)"
        if not self.check_url.lower().startswith(("http://", "https://")):
            return "not an http(s) URL"
        return None


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"pragma table_info({table})")}


def find_targets(conn: sqlite3.Connection, document_id: int | None = None) -> list[Target]:
    cols = _columns(conn, "documents")
    dates = [f"nullif(d.{c}, '')" for c in PUBLICATION_COLUMNS if c in cols] + ["d.ingested_at"]
    sql = TARGETS_SQL.format(
        date_expr=f"coalesce({', '.join(dates)})" if len(dates) > 1 else dates[0],
        where="and f.document_id = ?" if document_id is not None else "",
    )
    params = [document_id] if document_id is not None else []
    targets: dict[str, Target] = {}
    for source_id, url, archive_url, doc_id, report_date in conn.execute(sql, params):
        url = url.strip()
        t = targets.get(url)
        if t is None:
            if is_archive_url(url):
                t = Target(url, original_of(url), printed_archive=url)
            else:
                t = Target(url, url)
            targets[url] = t
        if source_id is not None and source_id not in t.source_ids:
            t.source_ids.append(source_id)
        if doc_id not in t.document_ids:
            t.document_ids.append(doc_id)
        if report_date and (t.report_date is None or report_date < t.report_date):
            t.report_date = report_date
        if archive_url and not t.printed_archive:
            t.printed_archive = archive_url
    if targets and ddl.exists(conn, "link_checks"):
        for url, last in conn.execute("select url, max(checked_at) from link_checks group by url"):
            if url in targets:
                targets[url].last_checked_at = last
        for (url,) in conn.execute(
                "select distinct url from link_archives where archive_url is not null"):
            if url in targets:
                targets[url].has_snapshot = True
    return list(targets.values())


def due(targets: list[Target], since_days: float | None,
        now: datetime | None = None) -> list[Target]:
    """Targets not checked within the last ``since_days`` days (all when None)."""
    if since_days is None:
        return list(targets)
    now = now or datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=since_days)).isoformat(timespec="seconds")
    return [t for t in targets if not t.last_checked_at or t.last_checked_at <= cutoff]
