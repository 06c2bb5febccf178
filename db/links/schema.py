"""Tables and views of cited-source health. Public interface: only ever add columns.

``link_checks`` is a history (one row per check, never updated), so "when did this source
die?" has an answer; ``source_health`` reads the latest check of each source's URL.
"""

from __future__ import annotations

import sqlite_utils

# Verdicts, best first. ``unchecked`` is what the view says before any check.
VERDICTS = ("ok", "redirected", "moved", "soft-404", "dead", "unreachable")
ALIVE = ("ok", "redirected")
# Answered and said the page is gone: what "dead source" means in queries and rankings.
DEAD = ("dead", "soft-404")
ERROR_KINDS = ("dns", "timeout", "tls", "refused", "private", "http", "redirects", "invalid",
               "other")

LINK_CHECKS = {
    "id": int,
    "url": str,  # the URL as cited (sources.url / citations.url): the join key
    "checked_url": str,  # what was requested, when it differs (live URL behind a Wayback link)
    "checked_at": str,  # ISO UTC, seconds
    "verdict": str,  # one of VERDICTS, for this check alone
    "status": int,  # final HTTP status (None: no answer)
    "final_url": str,  # after redirects
    "redirects": str,  # JSON [{"url", "status"}...]: every hop that answered 3xx
    "content_type": str,
    "title": str,  # <title> of HTML pages
    "error_kind": str,  # one of ERROR_KINDS (None when the page answered 2xx/3xx)
    "error": str,  # the error message, for humans
    "method": str,  # HEAD or GET (the request that decided)
    "attempts": int,  # requests made for the final hop, retries included
    "elapsed_ms": int,
}

LINK_ARCHIVES = {
    "id": int,
    "url": str,  # the URL as cited
    "looked_up_at": str,
    "api": str,  # availability API base URL asked
    "target_date": str,  # YYYYMMDD asked for (report publication or ingest date)
    "archive_url": str,  # closest snapshot (None: no snapshot)
    "archive_timestamp": str,  # YYYYMMDDhhmmss of the snapshot
    "archive_status": str,  # HTTP status the archive recorded for the snapshot
    "error": str,  # lookup failure (None on an answer, even "no snapshot")
}

INDEXES = [
    ("link_checks", ["url", "checked_at"]),
    ("link_archives", ["url", "looked_up_at"]),
]

# SQL LIKE patterns of archive copies (kept in step with db.links.archive.ARCHIVE_PREFIXES).
_ARCHIVE_LIKE = " or ".join(
    f"{{col}} like '{p}%'"
    for p in (
        "http://perma.cc/", "https://perma.cc/", "http://www.perma.cc/", "https://www.perma.cc/",
        "http://web.archive.org/web/", "https://web.archive.org/web/",
        "http://archive.org/web/", "https://archive.org/web/",
        "http://archive.today/", "https://archive.today/", "http://archive.ph/",
        "https://archive.ph/", "http://archive.is/", "https://archive.is/",
    )
)

SOURCE_HEALTH_SQL = f"""
with su as (
  select s.id as source_id,
    coalesce(s.url, (select min(c.url) from citations c
                     where c.source_id = s.id and c.url is not null)) as url
  from sources s
),
latest as (
  select su.source_id, su.url,
    (select lc.id from link_checks lc where lc.url = su.url
     order by lc.checked_at desc, lc.id desc limit 1) as check_id,
    (select max(lc.checked_at) from link_checks lc where lc.url = su.url
       and lc.verdict in ('ok', 'redirected')) as last_alive_at,
    (select count(*) from link_checks lc where lc.url = su.url) as checks
  from su
)
select
  latest.source_id,
  latest.url,
  coalesce(lc.verdict, 'unchecked') as verdict,
  lc.status,
  lc.final_url,
  lc.error_kind,
  lc.title,
  lc.checked_at,
  latest.checks,
  latest.last_alive_at,
  case when lc.verdict is not null and lc.verdict not in ('ok', 'redirected') then
    (select min(f.checked_at) from link_checks f where f.url = latest.url
       and f.verdict not in ('ok', 'redirected')
       and f.checked_at > coalesce(latest.last_alive_at, ''))
  end as failing_since,
  coalesce(
    case when {_ARCHIVE_LIKE.format(col="latest.url")} then latest.url end,
    (select min(c.archive_url) from citations c
     where c.source_id = latest.source_id and c.archive_url is not null)
  ) as printed_archive_url,
  la.archive_url as wayback_url,
  la.archive_timestamp as wayback_timestamp,
  coalesce(
    case when {_ARCHIVE_LIKE.format(col="latest.url")} then latest.url end,
    (select min(c.archive_url) from citations c
     where c.source_id = latest.source_id and c.archive_url is not null),
    la.archive_url
  ) as archive_url
from latest
left join link_checks lc on lc.id = latest.check_id
left join link_archives la on la.id = (
  select a.id from link_archives a where a.url = latest.url and a.archive_url is not null
  order by a.looked_up_at desc, a.id desc limit 1)
"""

VIEWS = {"source_health": SOURCE_HEALTH_SQL}


def ensure_link_schema(db: sqlite_utils.Database) -> None:
    """Create (or extend) the link tables. Idempotent; runs inside ``ensure_schema``'s
    transaction, which then creates the :data:`VIEWS` over them (db.schema owns views)."""
    for name, columns in (("link_checks", LINK_CHECKS), ("link_archives", LINK_ARCHIVES)):
        table = db[name]
        if not table.exists():
            table.create(columns, pk="id", not_null={"url"})
        else:
            for col, typ in columns.items():
                if col not in table.columns_dict:
                    table.add_column(col, typ)
    for table, cols in INDEXES:
        db[table].create_index(cols, if_not_exists=True)
