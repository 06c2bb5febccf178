"""The trace page's review panel: verdict buttons, "needs a source" in words, its dismissal.

Everything here is an ordinary annotation on the claim (``POST .../annotations`` with
``claim_id``, :mod:`plugins.review`), so the queue, the margin and the exports show it:

* a verdict is an annotation tagged ``verified`` / ``disputed`` / ``needs-source`` /
  ``misquoted``, with an optional comment;
* a dismissal of the "needs a source" flag is an annotation with motivation ``assessing``,
  tag ``source-not-needed`` and the reason as its comment. It counts while it is not deleted
  or rejected (a reviewer rejecting it in the queue restores the flag).

The buttons are forms that work without script; ``citetrace-verdicts.js`` sends them with
``fetch`` (same CSRF token, ``Accept: application/json``) so the page does not reload, and
offers an undo (the annotation's state set to ``deleted``).
"""

from __future__ import annotations

import json

from citetrace.annotations import api
from citetrace.annotations.model import BODY_MAX
from citetrace.db.trace import ClaimTrace
from citetrace.plugins import review, web
from citetrace.plugins.wording import plain_reasons

DISMISS_TAG = "source-not-needed"
DISMISS_MOTIVATION = "assessing"
# States in which a dismissal still holds.
DISMISSAL_STATES = ("open", "in_review", "resolved")


def needs_source_why(claim: ClaimTrace) -> str | None:
    """Why the claim is flagged, in plain words; None when it is not."""
    if not claim.needs_source:
        return None
    # the rule codes stay in the sentences table for the curious, not in the words shown
    reasons = plain_reasons(claim.reasons)
    because = "; ".join(reasons) if reasons else f"a {claim.kind or 'factual'} claim"
    return (f"Check-worthy: {because}. Unsupported: no note marker and no inline citation "
            "(a statute, case, report number, author and year, or URL written in the "
            "sentence) was found in it.")


def _claim_annotations(conn, claim_id: int) -> list[dict]:
    if not api.annotation_tables_exist(conn):
        return []
    cur = conn.execute("select * from annotations where claim_id = ? and state != 'deleted' "
                       "order by id", [claim_id])
    columns = [d[0] for d in cur.description]
    found = [api.from_row(dict(zip(columns, r))) for r in cur.fetchall()]
    # replies are listed under the annotation they answer
    return review.threaded(conn, [a for a in found if not a.in_reply_to])


def is_dismissal(item: dict) -> bool:
    return DISMISS_TAG in item["tags"] and item["state"] in DISMISSAL_STATES


async def panel(datasette, request, page: web.Readable, claim: ClaimTrace) -> dict:
    """What citetrace_trace.html needs for its review panel (``ct_claim_review``)."""
    readable = page.can(review.MARGIN_TABLES)
    items = await page.read(_claim_annotations, claim_id=claim.id) if readable else []
    dismissals = [i for i in items if is_dismissal(i)]
    rv = review.ReviewLinks(datasette, page.name)
    return {
        "readable": readable,
        "annotations": items,
        "dismissals": dismissals,
        "can_write": readable and page.db.is_mutable
        and await review.can_annotate(datasette, request.actor, page.name),
        "rv": rv,
        "th": review.thread_forms(rv),
        "verdicts": review.VERDICTS,
        "dismiss_tag": DISMISS_TAG,
        "dismiss_motivation": DISMISS_MOTIVATION,
        "why": needs_source_why(claim),
        "max_body": BODY_MAX,
        "js_url": web.static_url(datasette, "citetrace-verdicts.js"),
        "css_url": web.static_url(datasette, "citetrace-review.css"),
    }


def dismissed_counts(conn, document_id: int | None = None) -> dict[int, int]:
    """Claims flagged "needs a source" whose flag a reviewer dismissed, per document id
    (of every document, or of ``document_id``)."""
    columns = {r[1] for r in conn.execute("pragma table_info(annotations)")}
    if not {"claim_id", "tags", "state"} <= columns:
        return {}
    sql = """select c.document_id, count(distinct c.id) from claims c
             join annotations a on a.claim_id = c.id
             where c.needs_source and a.state in (select value from json_each(?))
               and exists (select 1 from json_each(a.tags) where value = ?)
               and (? is null or c.document_id = ?)
             group by c.document_id"""
    params = [json.dumps(DISMISSAL_STATES), DISMISS_TAG, document_id, document_id]
    return dict(conn.execute(sql, params).fetchall())


def apply_dismissals(conn, documents: list[dict]) -> None:
    """The home page's counts: ``needs_source`` without the dismissed flags, ``dismissed``
    beside it."""
    counts = dismissed_counts(conn)
    for d in documents:
        d["dismissed"] = counts.get(d["id"], 0)
        d["needs_source"] -= d["dismissed"]
