"""Cited-source health in the pages (issue 9): the ``/<db>/-/citetrace/health`` page and
the verdict badges of the reader, trace, source and index pages.

Everything reads the ``source_health`` view (``db.links.schema``); a database that has not
got it yet (made before issue 9, never opened by ``citetrace``) just shows no badges, and so
does an actor who may not view the view or a table under it (:data:`TABLES`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup

from citetrace.db import ddl
from citetrace.db.source_titles import TITLE_CITATIONS, load_sources
from citetrace.plugins import queries, web
from citetrace.plugins.render import safe_url

VIEW = "source_health"
# What reading the view reads (its SQL in db/links/schema.py): badges need all of it.
TABLES = (VIEW, "sources", "citations", "link_checks", "link_archives")
# The health page also counts the documents citing each source.
PAGE_TABLES = (*TABLES, "footnotes")
FLAG_TAG = "source-unavailable"
# Verdicts a reviewer is offered to flag in one click (annotations, plugins/review.py).
FLAGGABLE = ("dead", "soft-404", "unreachable")
ORDER = ("dead", "soft-404", "unreachable", "moved", "redirected", "ok", "unchecked")
LABELS = {
    "ok": "online", "redirected": "redirected", "moved": "moved to another site",
    "dead": "dead", "soft-404": "soft 404", "unreachable": "unreachable", "unchecked": "unchecked",
}


def has_health(conn) -> bool:
    return ddl.exists(conn, VIEW)


def flag_url(ct, source_id: int) -> str:
    """The prefilled source-unavailable annotation form (plugins/review.py)."""
    return f"{ct.home()}/review/new?" + urlencode({"source_id": int(source_id), "tag": FLAG_TAG})


def when(value) -> Markup:
    """A stored timestamp as people read it ("2 Jan 2026, 14:05 UTC"), in a ``<time>``
    whose ``datetime`` and title keep the ISO text; the text as is when it is not one."""
    text = str(value or "")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return Markup("{}").format(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    shown = f"{moment.day} {moment:%b %Y}"
    if len(text) > 10:  # a time of day was stored
        shown += f", {moment:%H:%M} UTC"
    return Markup('<time datetime="{}" title="{}">{}</time>').format(text, text, shown)


def same_address(a, b) -> bool:
    """The same URL but for scheme case, host case, default ports and a final slash: a
    redirect there (http -> https aside) is no move worth showing."""
    def norm(url):
        try:
            p = urlsplit(str(url or "").strip())
            port = p.port
        except ValueError:
            return str(url)
        netloc = (p.hostname or "") + (f":{port}" if port not in (None, 80, 443) else "")
        return (netloc.removeprefix("www."), p.path.rstrip("/") or "/", p.query)
    return norm(a) == norm(b)


def decorate(row: dict, ct) -> dict:
    """Add what the badge shows: label, tooltip, archive and flag links."""
    v = row.get("verdict") or "unchecked"
    bits = [LABELS.get(v, v)]
    if v == "unchecked":
        bits.append("not checked yet: run citetrace check-links")
    if row.get("status") is not None:
        bits.append(f"HTTP {row['status']}")
    if row.get("error_kind") and row.get("error_kind") != "http":
        bits.append(row["error_kind"])
    if row.get("checked_at"):
        bits.append(f"checked {row['checked_at'][:10]}")
    if row.get("failing_since"):
        bits.append(f"failing since {row['failing_since'][:10]}")
    # a soft 404 usually answers at its own address: "now at" only when it went elsewhere
    moved_away = row.get("final_url") and not same_address(row.get("final_url"), row.get("url"))
    if v in ("redirected", "moved") and moved_away:
        bits.append(f"now at {row['final_url']}")
    row["label"] = LABELS.get(v, v)
    row["badge_title"] = "; ".join(bits)
    row["archive_href"] = safe_url(row.get("archive_url"))
    row["final_href"] = safe_url(row.get("final_url")) if moved_away else None
    row["flag_url"] = flag_url(ct, row["source_id"]) if v in FLAGGABLE and ct else None
    return row


def health_for(conn, ids) -> dict[int, dict]:
    ids = sorted({int(i) for i in ids})
    if not ids or not has_health(conn):
        return {}
    rows = queries._rows(conn, f"select * from {VIEW} where source_id in ({queries._qmarks(ids)})",
                         ids)
    return {r["source_id"]: r for r in rows}


def collect_source_ids(value, found: set | None = None) -> set[int]:
    """Every source id in a page's context: ``source_id`` keys, and ``source.id``."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "source_id" and isinstance(v, int):
                found.add(v)
            elif k == "source" and isinstance(v, dict) and isinstance(v.get("id"), int):
                found.add(v["id"])
            elif k in ("sources", "top_sources") and isinstance(v, list):
                found.update(s["id"] for s in v
                             if isinstance(s, dict) and isinstance(s.get("id"), int))
            if isinstance(v, (dict, list, tuple)):
                collect_source_ids(v, found)
    elif isinstance(value, (list, tuple)):
        for v in value:
            collect_source_ids(v, found)
    return found


async def badges(page: web.Readable, ids, ct) -> dict[int, dict]:
    """``ct_health`` for the sources ``ids``: {} when the actor may not view :data:`TABLES`."""
    if not ids or not page.can(TABLES):
        return {}
    try:
        rows = await page.read(health_for, ids=ids)
    except sqlite3.Error:  # badges are decoration: a page never fails for want of them
        return {}
    return {sid: decorate(row, ct) for sid, row in rows.items()}


PAGE_SQL = f"""
select h.*, h.title as page_title, s.title as source_title, s.key, s.kind, s.publisher,
  (select count(distinct f.document_id) from citations c
   join footnotes f on f.id = c.footnote_id where c.source_id = h.source_id) as documents
from {VIEW} h join sources s on s.id = h.source_id
where h.url is not null {{where}}
order by case h.verdict {' '.join(f"when '{v}' then {i}" for i, v in enumerate(ORDER))} else 99 end,
  documents desc, h.source_id
limit 1000
"""


def load_health_page(conn, verdict: str | None = None) -> dict:
    if not has_health(conn):
        return {"ready": False, "counts": [], "rows": [], "total": 0}
    counts = dict(conn.execute(
        f"select verdict, count(*) from {VIEW} where url is not null group by verdict").fetchall())
    where, params = ("and h.verdict = ?", [verdict]) if verdict else ("", [])
    rows = queries._rows(conn, PAGE_SQL.format(where=where), params)
    checks = conn.execute("select count(*), max(checked_at) from link_checks").fetchone()
    return {
        "ready": True,
        "counts": [(v, counts.get(v, 0)) for v in ORDER if counts.get(v)],
        "rows": rows,
        "total": sum(counts.values()),
        "check_count": checks[0],
        "last_checked_at": checks[1],
    }


def _titles(conn, ids) -> dict[int, str]:
    return {sid: s.best_title for sid, s in
            load_sources(conn, ids, page_titles=True, per_source=TITLE_CITATIONS).items()}


async def health_page(datasette, request):
    page = await web.readable(datasette, request, PAGE_TABLES)
    verdict = request.args.get("verdict") or None
    bad_verdict = verdict if verdict is not None and verdict not in ORDER else None
    if bad_verdict:
        verdict = None
    data = await page.read(load_health_page, verdict=verdict)
    ct = web.Links(datasette, page.name)
    titles = await page.read(_titles, ids=[row["source_id"] for row in data["rows"]])
    for row in data["rows"]:
        decorate(row, ct)
        row["title"] = titles.get(row["source_id"]) or row["source_title"]
        # the fetched page's title, when it says something the source's title does not
        page_title = " ".join((row.get("page_title") or "").split())
        row["answer_title"] = page_title if page_title and row["verdict"] != "unchecked" \
            and page_title.casefold() != (row["title"] or "").casefold() else None
    if bad_verdict:
        data["rows"] = []
    response = await web.render(
        datasette, request, "citetrace_health.html",
        {"database": page.name, "ct": ct, "verdict": verdict, "labels": LABELS,
         "bad_verdict": bad_verdict, "verdicts": ORDER,
         "exports": ct.source_files(),
         "lists_css_url": web.static_url(datasette, "citetrace-lists.css"),
         "health_url": f"{ct.home()}/health", **data},
        "citetrace-health",
    )
    if bad_verdict:
        response.status = 400
    return response


def routes():
    return [(r"^/(?P<database>[^/]+)/-/citetrace/health/?$", health_page)]
