"""Review annotations in Datasette: margin in the reader, review queue, write endpoints.

URLs:

* ``GET  /<db>/-/citetrace/review``                       review queue (filters: document,
  state, tag, author, assignee, anchor)
* ``GET  /<db>/-/citetrace/annotations.jsonld``           W3C AnnotationCollection (same filters)
* ``POST /<db>/-/citetrace/annotations``                  create (the reader's annotate form)
* ``POST /<db>/-/citetrace/annotations/<id>/state``       change state and/or assignee
* ``POST /<db>/-/citetrace/annotations/<id>/edit``        change the comment and verdicts
  (the previous ones stay in ``annotation_history``)
* ``POST /<db>/-/citetrace/annotations/<id>/reply``       answer it (a reply, with history)

Writes are POSTs behind Datasette's CSRF protection (forms carry ``csrftoken()``) and need
the ``citetrace-annotate`` permission: root has it (``datasette --root``); other actors get it
from an allow block in plugin config (``plugins.citetrace.annotate``, e.g. for
datasette-auth-passwords users). Anonymous visitors read only: 403 on every write.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlencode

from datasette.utils import actor_matches_allow
from datasette.utils.asgi import Forbidden, NotFound, Response
from markupsafe import Markup

from citetrace.annotations import api
from citetrace.annotations.exchange import export_jsonld
from citetrace.annotations.model import (
    ACTIONS,
    BODY_MAX,
    MOTIVATIONS,
    STATES,
    TAGS,
    TRANSITIONS,
    AnnotationError,
    NotSaved,
    check_length,
)
from citetrace.annotations.render import body_html
from citetrace.db.migrate import ensure_schema
from citetrace.plugins import web

PERMISSION = "citetrace-annotate"
PLUGIN_NAME = "citetrace"
FILTERS = ("document", "state", "tag", "author", "assignee", "anchor")
# The tables each page reads (403 when one is not viewable; the reader leaves its margin out).
MARGIN_TABLES = ("documents", "annotations")
QUEUE_TABLES = MARGIN_TABLES
# The export is the complete record (history included): all of it, or a refusal.
EXPORT_TABLES = (*MARGIN_TABLES, "annotation_history")
FLAG_FORM_TABLES = ("documents", "footnotes", "citations", "sources")
WRITE_TABLES = (*EXPORT_TABLES, "passages", "footnotes", "claims")
# The one-click verdicts of the trace page and the reader's note popup (tag, button label).
VERDICTS = (("verified", "Verified"), ("disputed", "Disputed"),
            ("needs-source", "Needs source"), ("misquoted", "Misquoted"))
# Bounds on what a reviewer may send (README, Security model): the comment (BODY_MAX, the
# annotations' own limit), and the whole form (the quote, tags and fields besides;
# URL-encoding takes up to 9 bytes per character).
MAX_FORM_BYTES = 512 * 1024


# --- permission -------------------------------------------------------------------------


def permission_allowed(datasette, actor, action, resource):
    """``citetrace-annotate``: root, or an actor matching ``plugins.citetrace.annotate``."""
    if action != PERMISSION:
        return None
    if not actor:
        return None  # anonymous: the default (False) applies
    if actor.get("id") == "root":
        return True
    allow = (datasette.plugin_config(PLUGIN_NAME) or {}).get("annotate")
    if allow is not None and actor_matches_allow(actor, allow):
        return True
    return None


async def can_annotate(datasette, actor, database: str) -> bool:
    return bool(await datasette.permission_allowed(actor, PERMISSION, resource=database,
                                                   default=False))


def actor_name(actor) -> str:
    return str(actor.get("id") or actor.get("username") or actor.get("name") or "actor")


# --- shared helpers ---------------------------------------------------------------------


class ReviewLinks:
    """URL builder for the review pages of one database (templates get it as ``rv``)."""

    def __init__(self, datasette, database: str):
        self.ct = web.Links(datasette, database)
        self._base = f"{self.ct.db()}/{web.PREFIX}"

    def queue(self, **params) -> str:
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{self._base}/review" + ("?" + urlencode(params) if params else "")

    def create(self) -> str:
        return f"{self._base}/annotations"

    def state(self, annotation_id) -> str:
        return f"{self._base}/annotations/{int(annotation_id)}/state"

    def edit(self, annotation_id) -> str:
        return f"{self._base}/annotations/{int(annotation_id)}/edit"

    def reply(self, annotation_id) -> str:
        return f"{self._base}/annotations/{int(annotation_id)}/reply"

    def export(self, **params) -> str:
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return f"{self._base}/annotations.jsonld" + ("?" + urlencode(params) if params else "")

    def target(self, a) -> str | None:
        t = a.target
        if a.orphaned or t.document_id is None:
            return self.ct.document(t.document_id) if t.document_id else None
        anchor = f"annotation-{a.id}"
        return self.ct.document(t.document_id, anchor)


def view(a) -> dict:
    """What templates and the reader's script need of an annotation."""
    t = a.target
    return {
        "id": a.id, "uuid": a.uuid, "state": a.state, "tags": a.tags,
        "motivation": a.motivation, "author": a.author, "assignee": a.assignee,
        "anchor": a.anchor, "kind": t.kind, "exact": t.exact, "prefix": t.prefix,
        "suffix": t.suffix, "passage_id": t.passage_id, "end_passage_id": t.end_passage_id,
        "footnote_id": t.footnote_id, "claim_id": t.claim_id, "source_id": t.source_id,
        "document_id": t.document_id, "start": t.start, "end": t.end, "created": a.created,
        "modified": a.modified, "body": a.body, "body_html": _shown_body(a.body),
        "in_reply_to": a.in_reply_to,
        "next_states": [(s, ACTIONS[s]) for s in TRANSITIONS.get(a.state, ())],
        "target": a,
    }


def threaded(conn, annotations) -> list[dict]:
    """Each annotation's :func:`view`, with ``replies`` (their views, oldest first)."""
    thread = api.replies(conn, annotations)
    return [{**view(a), "replies": [view(r) for r in thread.get(a.uuid, ())]}
            for a in annotations]


def thread_forms(rv: ReviewLinks) -> dict:
    """What citetrace_thread.html's edit and reply forms need (``th``)."""
    return {"rv": rv, "tags": TAGS, "max_body": BODY_MAX}


def _shown_body(body: str | None) -> Markup:
    """The comment as HTML, its first :data:`BODY_MAX` characters only: one stored before
    the limit must not make every page that lists it megabytes long."""
    if not body or len(body) <= BODY_MAX:
        return body_html(body)
    return body_html(body[:BODY_MAX]) + Markup(
        '<p class="ct-small ct-dim">… shortened here: {:,} characters in all '
        "(the JSON-LD export has every one).</p>").format(len(body))


# A path on this site: "/" then printable ASCII, no second "/" or "\\". Browsers drop tabs
# and newlines from URLs ("/<tab>/evil.example" is "//evil.example"), and a newline cannot go
# in a header.
_LOCAL_PATH = re.compile(r"/(?![/\\])[!-\[\]-~]*")


def _local_next(value: str | None, default: str | None) -> str | None:
    """The form's ``next`` when it is a path on this site, else ``default``: decided before
    anything is written, so a bad one can neither redirect off the site nor fail after the
    annotation was stored."""
    return value if value and _LOCAL_PATH.fullmatch(value) else default


class FormTooLarge(Exception):
    pass


async def _form(request) -> dict[str, list[str]]:
    """The POSTed form, read up to :data:`MAX_FORM_BYTES` (:class:`FormTooLarge` past it)."""
    length = request.headers.get("content-length") or ""
    if len(length) > 12 or (length.isdigit() and int(length) > MAX_FORM_BYTES):
        raise FormTooLarge
    body = bytearray()
    while True:
        message = await request.receive()
        if message["type"] != "http.request":  # the client went away
            break
        body += message.get("body", b"")
        if len(body) > MAX_FORM_BYTES:
            raise FormTooLarge
        if not message.get("more_body"):
            break
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def _too_large(request):
    return _error(request, f"the form is over {MAX_FORM_BYTES // 1024} KiB (a comment may "
                  f"have at most {BODY_MAX:,} characters): nothing was saved", 413)


def _first(form: dict, key: str) -> str | None:
    values = form.get(key)
    return values[0] if values else None


def _int_or_none(value):
    if value in (None, ""):
        return None
    number = web.parse_id(value)
    if number is None:
        raise AnnotationError(f"not a whole number from 0 to {web.MAX_ID}: {value[:40]!r}")
    return number


async def _writer(datasette, request):
    """The database and actor of a write, or 403 / 405."""
    if request.method != "POST":
        raise Forbidden("Writes are POSTs")
    db = (await web.readable(datasette, request, WRITE_TABLES)).db
    if not request.actor or not await can_annotate(datasette, request.actor, db.name):
        raise Forbidden("You need the citetrace-annotate permission to write annotations "
                        "(sign in: datasette --root, or datasette-auth-passwords)")
    if not db.is_mutable:
        raise Forbidden(f"{db.name} is opened immutable: annotations cannot be written")
    return db, actor_name(request.actor)


def _wants_json(request) -> bool:
    return "application/json" in (request.headers.get("accept") or "")


def _error(request, message: str, status: int = 400):
    if _wants_json(request):
        return Response.json({"ok": False, "error": message}, status=status)
    return Response.text(f"Error: {message}", status=status)


# --- writes -----------------------------------------------------------------------------


async def _not_saved(datasette, request, db_name: str, reason: str, body: str | None,
                     back: str | None, status: int = 400):
    """A write refused (400: a comment too long) or not made (503: the database stayed
    locked, or the disk is full: :class:`NotSaved`) gives the reviewer's text back: JSON in
    ``body``, a form a page holding it."""
    headers = {"Retry-After": "5"} if status == 503 else {}
    if _wants_json(request):
        return Response.json({"ok": False, "saved": False, "error": f"not saved: {reason}",
                              "body": body}, status=status, headers=headers)
    response = await web.render(
        datasette, request, "citetrace_review_refused.html",
        {"database": db_name, "ct": web.Links(datasette, db_name),
         "message": f"Not saved: {reason}." + (" Your text is below." if body else ""),
         "body": body, "back": back},
        "citetrace-review-refused")
    response.status = status
    response.headers.update(headers)
    return response


async def _long_text(datasette, request, db_name: str, what: str, body: str, next_url):
    """The refusal page (or JSON) when a comment or reply is too long, else None."""
    try:
        check_length(what, body, BODY_MAX)
    except AnnotationError as e:
        return await _not_saved(datasette, request, db_name, str(e), body, next_url)
    return None


def _comment_shown(a) -> dict:
    """An annotation's comment as the pages render it: the page shows it without a reload."""
    return {"body": a.body, "body_html": str(_shown_body(a.body))}


async def create_annotation(datasette, request):
    db, author = await _writer(datasette, request)
    try:
        form = await _form(request)
    except FormTooLarge:
        return _too_large(request)
    body = (_first(form, "body") or "").strip()
    next_url = _local_next(_first(form, "next"), None)  # the default needs the new id
    if refused := await _long_text(datasette, request, db.name, "comment", body, next_url):
        return refused
    try:
        spec = {
            "passage_id": _int_or_none(_first(form, "passage_id")),
            "end_passage_id": _int_or_none(_first(form, "end_passage_id")),
            "footnote_id": _int_or_none(_first(form, "footnote_id")),
            "claim_id": _int_or_none(_first(form, "claim_id")),
            "start": _int_or_none(_first(form, "start")),
            "end": _int_or_none(_first(form, "end")),
            "quote": _first(form, "exact") or None,
            "document": _first(form, "document") or None,
        }
        if spec["footnote_id"] is not None:
            spec["passage_id"] = spec["end_passage_id"] = None
        fields = {"body": body,
                  "motivation": _first(form, "motivation") or "commenting",
                  "tags": [t for t in form.get("tag", []) if t],
                  "assignee": (_first(form, "assignee") or "").strip() or None}

        def write(conn):
            # a database from an earlier release gets the annotation tables at its first one
            ensure_schema(conn)
            return api.add(conn, api.resolve_target(conn, **spec), author=author, **fields)

        a = await db.execute_write_fn(write, block=True)
    except NotSaved as e:  # a held lock or a full disk
        return await _not_saved(datasette, request, db.name, e.reason, e.text, next_url, 503)
    except AnnotationError as e:
        return _error(request, str(e))
    if _wants_json(request):
        from citetrace.annotations.exchange import to_w3c

        # the row id too: the trace page's undo changes the state of what it just wrote,
        # and its edit and reply forms post where the queue's do
        rv = ReviewLinks(datasette, db.name)
        return Response.json({**to_w3c(a), "citetrace:annotationId": a.id,
                              "citetrace:stateUrl": rv.state(a.id),
                              "citetrace:editUrl": rv.edit(a.id),
                              "citetrace:replyUrl": rv.reply(a.id)}, status=201)
    rv = ReviewLinks(datasette, db.name)
    default = rv.ct.document(a.target.document_id, f"annotation-{a.id}")
    return Response.redirect(next_url or default, status=303)


async def _on_one(datasette, request):
    """What a write on one annotation starts with: database, actor, the id from the URL,
    the form (:class:`FormTooLarge` past the limit) and where to go next (the queue)."""
    db, actor = await _writer(datasette, request)
    annotation_id = web.url_id(request)
    form = await _form(request)
    next_url = _local_next(_first(form, "next"), ReviewLinks(datasette, db.name).queue())
    return db, actor, annotation_id, form, next_url


async def _write_one(datasette, request, db, write, next_url: str, shown, status: int = 200):
    """``write`` on the write connection, then the answer: ``shown(annotation)`` as JSON to
    a script, a redirect to ``next_url`` to a form; or the error."""
    try:
        a = await db.execute_write_fn(write, block=True)
    except NotSaved as e:  # a held lock or a full disk
        return await _not_saved(datasette, request, db.name, e.reason, e.text, next_url, 503)
    except api.NotFoundError as e:
        return _error(request, str(e), 404)
    except AnnotationError as e:
        return _error(request, str(e), 409 if "cannot go" in str(e) else 400)
    if _wants_json(request):
        return Response.json({"ok": True, "id": a.id, **shown(a)}, status=status)
    return Response.redirect(next_url, status=303)


async def change_state(datasette, request):
    try:
        db, actor, annotation_id, form, next_url = await _on_one(datasette, request)
    except FormTooLarge:
        return _too_large(request)
    state = (_first(form, "state") or "").strip()
    assignee = _first(form, "assignee")

    def write(conn):
        if state:
            kwargs = {"assignee": assignee.strip()} if assignee and assignee.strip() else {}
            return api.set_state(conn, annotation_id, state, actor, **kwargs)
        if assignee is not None:
            return api.assign(conn, annotation_id, assignee.strip() or None, actor)
        raise AnnotationError("nothing to change: give a state or an assignee")

    return await _write_one(datasette, request, db, write, next_url,
                            lambda a: {"state": a.state, "assignee": a.assignee})


async def edit_annotation(datasette, request):
    """New comment and verdicts (``body``, ``tag``...; ``tags=1`` marks that the verdicts
    were sent, so unticking all of them removes them). ``api.update`` keeps the old ones in
    the history."""
    try:
        db, actor, annotation_id, form, next_url = await _on_one(datasette, request)
    except FormTooLarge:
        return _too_large(request)
    body = _first(form, "body")
    body = body.strip() if body is not None else None
    tags = [t for t in form.get("tag", []) if t] if _first(form, "tags") else None
    if body is not None and (refused := await _long_text(datasette, request, db.name, "comment",
                                                          body, next_url)):
        return refused

    def write(conn):
        return api.update(conn, annotation_id, actor, body=body, tags=tags)

    return await _write_one(datasette, request, db, write, next_url,
                            lambda a: {**_comment_shown(a), "tags": a.tags})


async def reply_annotation(datasette, request):
    """A reply to the annotation (``body``); the form's text comes back if it is refused."""
    try:
        db, author, annotation_id, form, next_url = await _on_one(datasette, request)
    except FormTooLarge:
        return _too_large(request)
    body = (_first(form, "body") or "").strip()
    if refused := await _long_text(datasette, request, db.name, "reply", body, next_url):
        return refused

    def write(conn):
        ensure_schema(conn)  # a database from before replies gets the column at the first one
        return api.reply(conn, annotation_id, body=body, author=author)

    return await _write_one(datasette, request, db, write, next_url,
                            lambda a: {"in_reply_to": a.in_reply_to, **_comment_shown(a),
                                       "author": a.author, "created": a.created}, 201)


# --- reads ------------------------------------------------------------------------------


def _filters(request) -> api.Filters:
    args = request.args
    state = args.get("state") or None
    return api.Filters(
        document=args.get("document") or None,
        state=state if state in STATES else None,
        tag=args.get("tag") or None,
        author=args.get("author") or None,
        assignee=args.get("assignee") or None,
        anchor=args.get("anchor") or None,
    )


def _queue_data(conn, filters: api.Filters) -> dict:
    try:
        found = api.list_annotations(conn, filters)
    except api.NotFoundError:
        found = []
    docs = {r[0]: {"id": r[0], "title": r[1], "filename": r[2], "sha256": r[3]}
            for r in conn.execute("select id, title, filename, sha256 from documents order by id")}
    by_sha = {d["sha256"]: d for d in docs.values()}
    authors = sorted({r[0] for r in conn.execute(
        "select distinct author from annotations where author is not null")}) \
        if api.annotation_tables_exist(conn) else []
    items = threaded(conn, found)
    for item, a in zip(items, found):
        item["document"] = by_sha.get(a.target.document_sha256)
    return {"annotations": items,
            "documents": list(docs.values()), "authors": authors,
            "counts": api.counts_by_state(conn),
            "orphaned": sum(1 for a in found if a.orphaned)}


async def queue(datasette, request):
    page = await web.readable(datasette, request, QUEUE_TABLES)
    db = page.db
    filters = _filters(request)
    data = await page.read(_queue_data, filters=filters)
    rv = ReviewLinks(datasette, db.name)
    return await web.render(
        datasette, request, "citetrace_review.html",
        {"database": db.name, "ct": rv.ct, "rv": rv, **data,
         "filters": {k: getattr(filters, k) or "" for k in FILTERS},
         "states": STATES, "tags": TAGS, "motivations": MOTIVATIONS, "th": thread_forms(rv),
         "can_write": db.is_mutable and await can_annotate(datasette, request.actor, db.name),
         "review_css_url": web.static_url(datasette, "citetrace-review.css"),
         "verdicts_js_url": web.static_url(datasette, "citetrace-verdicts.js"),
         "here": request.full_path},
        "citetrace-review",
    )


async def export(datasette, request):
    page = await web.readable(datasette, request, EXPORT_TABLES)
    filters = _filters(request)
    filters.include_deleted = filters.state is None
    try:
        data = await page.read(_export_data, filters=filters)
    except api.NotFoundError as e:
        raise NotFound(str(e)) from None
    return Response(json.dumps(data, indent=2, ensure_ascii=False), status=200,
                    content_type="application/ld+json; charset=utf-8")


def _export_data(conn, filters):
    if api.annotation_tables_exist(conn):
        return export_jsonld(conn, filters)
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
            "total": 0, "first": {"type": "AnnotationPage", "startIndex": 0, "items": []}}


# --- the reader's margin ----------------------------------------------------------------


def _reader_data(conn, document_id: int) -> list:
    doc = conn.execute("select sha256 from documents where id = ?", [document_id]).fetchone()
    if not doc:
        return []
    return threaded(conn, api.list_annotations(conn, api.Filters(document=doc[0])))


async def margin(datasette, request, page: web.Readable, doc_id: int) -> dict | None:
    """The reader's annotations and annotate form (``ct_review``); None when the actor may
    not view the annotations."""
    if not page.can(MARGIN_TABLES):
        return None
    items = await page.read(_reader_data, document_id=doc_id)
    rv = ReviewLinks(datasette, page.name)
    script = [{k: v for k, v in item.items() if k in (
        "id", "state", "anchor", "kind", "exact", "passage_id", "end_passage_id",
        "footnote_id", "start", "end", "claim_id", "tags")} for item in items]
    return {
        "annotations": items,
        "script_data": script,
        "can_write": page.db.is_mutable and await can_annotate(datasette, request.actor,
                                                               page.name),
        "rv": rv,
        "th": thread_forms(rv),
        "tags": TAGS,
        "motivations": MOTIVATIONS,
        "next": rv.ct.document(doc_id),
        "js_url": web.static_url(datasette, "citetrace-review.js"),
        "verdicts": VERDICTS,
        "verdicts_js_url": web.static_url(datasette, "citetrace-verdicts.js"),
        "css_url": web.static_url(datasette, "citetrace-review.css"),
        "orphaned": sum(1 for i in items if i["anchor"] == "orphaned"),
        "max_body": BODY_MAX,
    }


def _citing_notes(conn, source_id: int) -> dict:
    src = conn.execute("select id, url, title, key from sources where id = ?", [source_id]).fetchone()
    if src is None:
        raise NotFound(f"No source {source_id}")
    notes = conn.execute(
        "select f.id, f.label, d.title, d.filename from citations c "
        "join footnotes f on f.id = c.footnote_id join documents d on d.id = f.document_id "
        "where c.source_id = ? group by f.id order by d.id, f.seq", [source_id]).fetchall()
    return {"source": dict(zip(("id", "url", "title", "key"), src)),
            "notes": [dict(zip(("id", "label", "title", "filename"), n)) for n in notes]}


async def new_annotation(datasette, request):
    """The prefilled form behind a "flag" link: an annotation on a note that cites a source
    (``?source_id=N&tag=source-unavailable``). Submitting it is an ordinary POST."""
    page = await web.readable(datasette, request, FLAG_FORM_TABLES)
    db = page.db
    source_id = web.parse_id(request.args.get("source_id"))
    if source_id is None:
        raise NotFound("Give a source_id (a row id of sources)")
    data = await page.read(_citing_notes, source_id=source_id)
    tag = request.args.get("tag") or "source-unavailable"
    rv = ReviewLinks(datasette, db.name)
    return await web.render(
        datasette, request, "citetrace_review_new.html",
        {"database": db.name, "ct": rv.ct, "rv": rv, **data,
         "tag": tag if tag in TAGS else "source-unavailable", "max_body": BODY_MAX,
         "can_write": db.is_mutable and await can_annotate(datasette, request.actor, db.name),
         "review_css_url": web.static_url(datasette, "citetrace-review.css")},
        "citetrace-review-new",
    )


def routes():
    return [
        (r"^/(?P<database>[^/]+)/-/citetrace/review/?$", queue),
        (r"^/(?P<database>[^/]+)/-/citetrace/review/new/?$", new_annotation),
        (r"^/(?P<database>[^/]+)/-/citetrace/annotations\.jsonld$", export),
        (r"^/(?P<database>[^/]+)/-/citetrace/annotations/?$", create_annotation),
        (r"^/(?P<database>[^/]+)/-/citetrace/annotations/(?P<id>\d+)/state/?$", change_state),
        (r"^/(?P<database>[^/]+)/-/citetrace/annotations/(?P<id>\d+)/edit/?$", edit_annotation),
        (r"^/(?P<database>[^/]+)/-/citetrace/annotations/(?P<id>\d+)/reply/?$", reply_annotation),
    ]
