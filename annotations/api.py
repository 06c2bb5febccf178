"""The annotation API used by the CLI and the web pages.

Plain functions taking an open database: a ``sqlite_utils.Database`` (the CLI's, opened
through ``citetrace.db``, which creates and upgrades the tables) or the ``sqlite3.Connection``
under one (Datasette's write / read connection through ``execute_write_fn`` /
``execute_fn``). Each write is one transaction that writes the annotation row and its history
row together: no change without its record.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass

from citetrace.annotations.anchor import Match, Stream, load_streams, locate, norm, position_fields
from citetrace.annotations.model import (
    BODY_MAX,
    STATES,
    Annotation,
    AnnotationError,
    NotSaved,
    NotFoundError,
    Target,
    allowed,
    check_length,
    check_vocabulary,
)
from citetrace.annotations.tx import conn_of, now, transaction

_UNSET = object()


@dataclass
class HistoryEntry:
    id: int
    annotation_id: int
    annotation_uuid: str
    at: str
    actor: str | None
    action: str
    changes: dict


def annotation_tables_exist(conn: sqlite3.Connection) -> bool:
    """False for a database the reader may not upgrade (opened read-only) that predates
    annotations: reads then find nothing instead of failing."""
    return conn.execute(
        "select count(*) from sqlite_master where type = 'table' "
        "and name in ('annotations', 'annotation_history')").fetchone()[0] == 2


def _rows(conn, sql, params=()) -> list[dict]:
    cur = conn.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def from_row(row: dict) -> Annotation:
    target = Target(
        document_sha256=row["document_sha256"], kind=row["target_kind"], exact=row["exact"],
        prefix=row["prefix"] or "", suffix=row["suffix"] or "", start=row["start"],
        end=row["end"], document_id=row["document_id"], passage_id=row["passage_id"],
        end_passage_id=row["end_passage_id"], footnote_id=row["footnote_id"],
        claim_id=row["claim_id"], source_id=row["source_id"],
    )
    return Annotation(
        uuid=row["uuid"], target=target, body=row["body"] or "", motivation=row["motivation"],
        tags=json.loads(row["tags"] or "[]"), author=row["author"] or "",
        assignee=row["assignee"], state=row["state"], anchor=row["anchor"],
        anchor_score=row["anchor_score"], created=row["created"], modified=row["modified"],
        id=row["id"], in_reply_to=row.get("in_reply_to"),  # absent before replies existed
    )


# --- targets ----------------------------------------------------------------------------


def _document(conn, document) -> dict:
    """A document by id, sha256 or (unique) sha256 prefix."""
    if document is None:
        raise AnnotationError("a document is needed")
    text = str(document).strip()
    if text.isascii() and text.isdigit() and len(text) < 16:
        rows = _rows(conn, "select id, sha256, title from documents where id = ?", [int(text)])
    else:
        rows = _rows(conn, "select id, sha256, title from documents where sha256 like ?",
                     [text.lower() + "%"])
    if len(rows) != 1:
        raise NotFoundError(f"no document {document}" if not rows else f"ambiguous document {document}")
    return rows[0]


def _match_in(stream: Stream, row_id: int, start, end, quote, end_row_id=None) -> Match:
    """A span of one row (or, for passages, from one row into the following ones)."""
    base = stream.offset_of(row_id)
    if base is None:
        raise NotFoundError(f"no {stream.kind} {row_id}")
    text_len = len(stream.texts[stream.ids.index(row_id)])
    if start is not None and end is not None:
        end_base = stream.offset_of(end_row_id) if end_row_id is not None else base
        if end_base is None:
            raise NotFoundError(f"no {stream.kind} {end_row_id}")
        raw_start, raw_end = base + int(start), end_base + int(end)
        if not (base <= raw_start < raw_end <= len(stream.raw)) or (
                end_row_id is None and raw_end > base + text_len):
            raise AnnotationError(f"span {start}-{end} is outside {stream.kind} {row_id}")
        if quote is None or norm(stream.raw[raw_start:raw_end]) == norm(quote):
            return Match(stream, raw_start, raw_end, "exact", 100.0)
        hint = raw_start  # offsets and quote disagree (stale page): trust the quote, nearby
    elif quote is not None:
        hint = base
    else:
        return Match(stream, base, base + text_len, "exact", 100.0)
    m = locate([stream], quote, hint=hint)
    if m is None or m.method != "exact" or stream.row_at(m.raw_start) != stream.ids.index(row_id):
        raise AnnotationError(f"quote not found in {stream.kind} {row_id}")
    return m


def resolve_target(db, *, document=None, passage_id=None, end_passage_id=None,
                   footnote_id=None, claim_id=None, start=None, end=None, quote=None) -> dict:
    """Target columns (selectors and current ids) from a passage / note / claim id, with an
    optional span or quote inside it, or from a quote found anywhere in a document."""
    conn = conn_of(db)
    if claim_id is not None:
        claim = _rows(conn, "select * from claims where id = ?", [int(claim_id)])
        if not claim:
            raise NotFoundError(f"no claim {claim_id}")
        c = claim[0]
        doc_id, passage_id = c["document_id"], c["passage_id"]
        if quote is None and start is None:
            start, end = c["start"], c["end"]
            # a sentence cut by a break ends in a later passage (claims.end_passage_id)
            end_passage_id = dict(c).get("end_passage_id") or end_passage_id
    elif passage_id is not None:
        found = _rows(conn, "select document_id from passages where id = ?", [int(passage_id)])
        if not found:
            raise NotFoundError(f"no passage {passage_id}")
        doc_id = found[0]["document_id"]
    elif footnote_id is not None:
        found = _rows(conn, "select document_id from footnotes where id = ?", [int(footnote_id)])
        if not found:
            raise NotFoundError(f"no note {footnote_id}")
        doc_id = found[0]["document_id"]
    else:
        if not quote or not quote.strip():
            raise AnnotationError("give a passage, note or claim id, or a quote")
        doc_id = _document(conn, document)["id"]
    streams = load_streams(conn, doc_id)
    if footnote_id is not None:
        match = _match_in(streams["note"], int(footnote_id), start, end, quote)
    elif passage_id is not None:
        match = _match_in(streams["passage"], int(passage_id), start, end, quote,
                          int(end_passage_id) if end_passage_id not in (None, "") else None)
    else:
        match = locate([streams["passage"], streams["note"]], quote)
        if match is None or match.method != "exact":
            raise AnnotationError("quote not found in the document")
    # Whitespace at the edges of a selection means nothing (and normalized matching drops
    # it): trim it, so that re-anchoring the new annotation finds exactly these offsets.
    raw, s, e = match.stream.raw, match.raw_start, match.raw_end
    while s < e and raw[s].isspace():
        s += 1
    while e > s and raw[e - 1].isspace():
        e -= 1
    if s == e:
        raise AnnotationError("empty selection")
    match = Match(match.stream, s, e, match.method, match.score)
    exact = raw[s:e]
    prefix, suffix = match.stream.context(match.raw_start, match.raw_end)
    fields = position_fields(conn, match, exact)
    if claim_id is not None and fields["passage_id"] == passage_id:
        fields["claim_id"] = int(claim_id)  # asked for this claim: keep it even if overlapping
    sha = conn.execute("select sha256 from documents where id = ?", [doc_id]).fetchone()[0]
    return {**fields, "document_id": doc_id, "document_sha256": sha, "exact": exact,
            "prefix": prefix, "suffix": suffix}


# --- writes -----------------------------------------------------------------------------


def _history(conn, annotation_id: int, uuid: str, at: str, actor, action: str, changes: dict):
    conn.execute(
        "insert into annotation_history (annotation_id, annotation_uuid, at, actor, action, changes) "
        "values (?, ?, ?, ?, ?, ?)",
        [annotation_id, uuid, at, actor, action, json.dumps(changes, ensure_ascii=False)])


def add(db, target: dict, *, body: str = "", motivation: str = "commenting", tags=(),
        author: str, assignee: str | None = None) -> Annotation:
    """Create an annotation on a target from :func:`resolve_target`."""
    conn = conn_of(db)
    tags = check_vocabulary(motivation, tags)
    check_length("comment", body, BODY_MAX)
    if not author:
        raise AnnotationError("an author is needed")
    if not (body or "").strip() and not tags and motivation == "commenting":
        raise AnnotationError("a comment needs a body or a tag")
    at = now()
    row = {**target, "uuid": str(uuidlib.uuid4()), "body": body or "", "motivation": motivation,
           "tags": json.dumps(tags), "author": author, "assignee": assignee or None,
           "state": "open", "created": at, "modified": at}
    changes = {k: [None, tags if k == "tags" else v] for k, v in row.items()
               if v not in (None, "", "[]") and k not in ("created", "modified", "uuid")}
    return _insert(conn, row, changes, "the annotation was NOT saved")


def _insert(conn, row: dict, changes: dict, not_saved: str) -> Annotation:
    """Write a new annotation row and its ``create`` history entry, in one transaction."""
    cols = ", ".join(f'"{c}"' for c in row)
    try:
        with transaction(conn):
            new_id = conn.execute(
                f"insert into annotations ({cols}) values ({', '.join('?' for _ in row)})",
                list(row.values())).lastrowid
            _history(conn, new_id, row["uuid"], row["created"], row["author"], "create", changes)
    except NotSaved as e:  # a held lock or a full disk
        raise e.not_saved(not_saved, row["body"]) from e
    return get(conn, new_id)


# A reply shares the target of the annotation it answers (it moves with it on re-ingest).
_SHARED_TARGET = ("document_sha256", "document_id", "target_kind", "exact", "prefix", "suffix",
                  "start", "end", "passage_id", "end_passage_id", "footnote_id", "claim_id",
                  "source_id", "anchor", "anchor_score")


def reply(db, ident, *, body: str, author: str) -> Annotation:
    """Answer an annotation: a new annotation (motivation ``replying``) on the same target,
    ``in_reply_to`` its uuid, with its own history. Replies are listed under the annotation
    they answer (:func:`replies`), not in the queue or the counts."""
    conn = conn_of(db)
    body = (body or "").strip()
    check_length("reply", body, BODY_MAX)
    if not body:
        raise AnnotationError("a reply needs a text")
    if not author:
        raise AnnotationError("an author is needed")
    where, params = _where_ident(ident)
    rows = _rows(conn, f"select * from annotations where {where}", params) \
        if annotation_tables_exist(conn) else []
    if not rows:
        raise NotFoundError(f"no annotation {ident}")
    parent = rows[0]
    at = now()
    row = {**{k: parent[k] for k in _SHARED_TARGET}, "uuid": str(uuidlib.uuid4()), "body": body,
           "motivation": "replying", "tags": "[]", "author": author, "assignee": None,
           "state": "open", "created": at, "modified": at, "in_reply_to": parent["uuid"]}
    changes = {k: [None, row[k]] for k in ("body", "motivation", "author", "state",
                                           "in_reply_to")}
    return _insert(conn, row, changes, "the reply was NOT saved")


def replies(db, parents) -> dict[str, list[Annotation]]:
    """uuid of each annotation in ``parents`` -> its replies (not deleted), oldest first."""
    conn = conn_of(db)
    uuids = sorted({a.uuid for a in parents})
    if not uuids or not annotation_tables_exist(conn) or not _has_replies(conn):
        return {}
    out: dict[str, list[Annotation]] = {}
    for r in _rows(conn, f"select * from annotations where in_reply_to in "
                         f"({', '.join('?' for _ in uuids)}) and state != 'deleted' "
                         f"order by created, id", uuids):
        out.setdefault(r["in_reply_to"], []).append(from_row(r))
    return out


def _has_replies(conn) -> bool:
    """False for a database from before replies (read-only: not upgraded)."""
    return any(r[1] == "in_reply_to" for r in conn.execute("pragma table_info(annotations)"))


def _change(db, ident, actor: str, action: str, compute) -> Annotation:
    conn = conn_of(db)
    if not actor:
        raise AnnotationError("an actor is needed")
    with transaction(conn):
        # Read inside the write transaction: concurrent reviewers see each other's changes.
        current = get(conn, ident)
        new = compute(current)
        changes = {k: [getattr(current, k) if k != "tags" else current.tags, v]
                   for k, v in new.items()
                   if (getattr(current, k) if k != "tags" else current.tags) != v}
        if not changes:
            return current
        at = now()
        values = {k: (json.dumps(v[1]) if k == "tags" else v[1]) for k, v in changes.items()}
        values["modified"] = at
        sets = ", ".join(f'"{k}" = ?' for k in values)
        conn.execute(f"update annotations set {sets} where id = ?",
                     [*values.values(), current.id])
        _history(conn, current.id, current.uuid, at, actor, action, changes)
    return get(conn, current.id)


def set_state(db, ident, state: str, actor: str, assignee=_UNSET) -> Annotation:
    """Move through the workflow (:data:`annotations.model.TRANSITIONS`)."""
    if state not in STATES:
        raise AnnotationError(f"unknown state {state!r} (one of {', '.join(STATES)})")

    def compute(a: Annotation) -> dict:
        if a.state != state and not allowed(a.state, state):
            raise AnnotationError(f"cannot go from {a.state} to {state}")
        new = {"state": state}
        if assignee is not _UNSET:
            new["assignee"] = assignee or None
        return new

    return _change(db, ident, actor, "state", compute)


def assign(db, ident, assignee: str | None, actor: str) -> Annotation:
    return _change(db, ident, actor, "assign", lambda a: {"assignee": assignee or None})


def update(db, ident, actor: str, *, body=None, tags=None, motivation=None) -> Annotation:
    check_length("comment", body, BODY_MAX)

    def compute(a: Annotation) -> dict:
        new = {}
        if body is not None:
            new["body"] = body
        m = motivation or a.motivation
        checked = check_vocabulary(m, a.tags if tags is None else tags)
        if motivation is not None:
            new["motivation"] = m
        if tags is not None:
            new["tags"] = checked
        return new

    try:
        return _change(db, ident, actor, "update", compute)
    except NotSaved as e:
        raise e.not_saved("the edit was NOT saved", body) from e


# --- reads ------------------------------------------------------------------------------


def _where_ident(ident) -> tuple[str, list]:
    text = str(ident).strip()
    if text.startswith("urn:uuid:"):
        text = text[len("urn:uuid:"):]
    if text.isascii() and text.isdigit():  # ASCII: '²'.isdigit() too
        # int() of 4,300+ digits raises, SQLite's integers stop at 19: no id is that long
        return ("id = ?", [int(text)]) if len(text) <= 18 else ("0", [])
    return "uuid = ?", [text.lower()]


def get(db, ident) -> Annotation:
    conn = conn_of(db)
    where, params = _where_ident(ident)
    if not annotation_tables_exist(conn):
        raise NotFoundError(f"no annotation {ident}")
    rows = _rows(conn, f"select * from annotations where {where}", params)
    if not rows:
        raise NotFoundError(f"no annotation {ident}")
    return from_row(rows[0])


@dataclass
class Filters:
    document: str | int | None = None  # id or sha256 (prefix)
    state: str | None = None  # a state, or None: every state but deleted
    tag: str | None = None
    author: str | None = None
    assignee: str | None = None
    anchor: str | None = None  # exact | fuzzy | orphaned
    include_deleted: bool = False
    include_replies: bool = False  # replies are listed under their annotation (replies())


def list_annotations(db, filters: Filters | None = None, limit: int | None = None) -> list[Annotation]:
    conn = conn_of(db)
    f = filters or Filters()
    if not annotation_tables_exist(conn):
        return []
    where, params = [], []
    if f.document not in (None, ""):
        doc = _document(conn, f.document)
        where.append("document_sha256 = ?")
        params.append(doc["sha256"])
    if f.state:
        where.append("state = ?")
        params.append(f.state)
    elif not f.include_deleted:
        where.append("state != 'deleted'")
    if f.tag:
        where.append("exists (select 1 from json_each(annotations.tags) where value = ?)")
        params.append(f.tag)
    for col in ("author", "assignee", "anchor"):
        if getattr(f, col):
            where.append(f"{col} = ?")
            params.append(getattr(f, col))
    if not f.include_replies and _has_replies(conn):
        where.append("in_reply_to is null")
    sql = "select * from annotations"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by document_id, anchor = 'orphaned', passage_id is null, passage_id, footnote_id, start, id"
    if limit:
        sql += f" limit {int(limit)}"
    return [from_row(r) for r in _rows(conn, sql, params)]


def history(db, ident) -> list[HistoryEntry]:
    conn = conn_of(db)
    a = get(conn, ident)
    return [HistoryEntry(r["id"], r["annotation_id"], r["annotation_uuid"], r["at"], r["actor"],
                         r["action"], json.loads(r["changes"]))
            for r in _rows(conn, "select * from annotation_history where annotation_id = ? "
                                 "order by id", [a.id])]


def counts_by_state(db, document_sha256: str | None = None) -> dict[str, int]:
    conn = conn_of(db)
    if not annotation_tables_exist(conn):
        return {}
    where, params = [], []
    if document_sha256:
        where.append("document_sha256 = ?")
        params.append(document_sha256)
    if _has_replies(conn):
        where.append("in_reply_to is null")  # a reply is part of its annotation's thread
    sql = "select state, count(*) from annotations" + (" where " + " and ".join(where)
                                                        if where else "")
    return dict(conn.execute(sql + " group by state", params).fetchall())
