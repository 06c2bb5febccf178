"""``citetrace annotate``: add, list, show, status, export, import review annotations."""

from __future__ import annotations

import getpass
import json
import os
import sys

import click

from citetrace.annotations import api
from citetrace.annotations.model import ACTIONS, MOTIVATIONS, STATES, TAGS, TRANSITIONS, AnnotationError
from citetrace.annotations.model import NotSaved
from citetrace.db.errors import SchemaError, StoreError, explained
from citetrace.db.store import open_existing, open_readonly
from citetrace.plugins.cli.terminal import printable

db_option = click.option("--db", "db_path", required=True,
                         type=click.Path(exists=True, dir_okay=False), help="citetrace database")


def _me() -> str:
    # Who writes: --author / --by, else $CITETRACE_USER, else the login name.
    return os.environ.get("CITETRACE_USER") or getpass.getuser()


def _short(text: str, n: int = 60) -> str:
    # Quotes come from PDFs, bodies and authors from anyone: no ESC / BEL to the terminal.
    text = " ".join(printable(text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _where(a) -> str:
    t = a.target
    if a.orphaned:
        return "orphaned"
    if t.kind == "note":
        return f"note {t.footnote_id}"
    where = f"passage {t.passage_id}"
    if t.end_passage_id not in (None, t.passage_id):
        where += f"-{t.end_passage_id}"
    return where + (f" claim {t.claim_id}" if t.claim_id else "")


def _fail(e: Exception, db_path: str | None = None):
    # a write lost to a lock or a full disk is about the file: name it
    where = f"{db_path}: " if db_path and isinstance(e, NotSaved) else ""
    click.echo(printable(f"error: {where}{e}"), err=True)
    sys.exit(1)


@click.group()
def annotate():
    """Review annotations: comments and verdicts on passages, notes and claims."""


@annotate.command("add")
@db_option
@click.option("--passage", "passage_id", type=int, help="passage id")
@click.option("--note", "footnote_id", type=int, help="note (footnotes.id)")
@click.option("--claim", "claim_id", type=int, help="claim id (targets the claim's sentence)")
@click.option("--quote", help="text to annotate (inside the passage/note, or anywhere in --document)")
@click.option("--document", help="document id or sha256 (with --quote alone)")
@click.option("--start", type=int, help="start offset in the passage/note text")
@click.option("--end", type=int, help="end offset (exclusive)")
@click.option("--body", "-m", default="", help="comment (Markdown)")
@click.option("--tag", "-t", "tags", multiple=True, type=click.Choice(TAGS), help="verdict, repeatable")
@click.option("--motivation", type=click.Choice(MOTIVATIONS), default="commenting", show_default=True)
@click.option("--author", default=None, help="default: $CITETRACE_USER or your login")
@click.option("--assignee", default=None)
def add(db_path, passage_id, footnote_id, claim_id, quote, document, start, end, body, tags,
        motivation, author, assignee):
    """Annotate a passage, note or claim by id, or text by quoting it."""
    try:
        with explained(db_path, "the annotation was NOT saved"):
            conn = open_existing(db_path)
            target = api.resolve_target(conn, document=document, passage_id=passage_id,
                                        footnote_id=footnote_id, claim_id=claim_id, start=start,
                                        end=end, quote=quote)
            a = api.add(conn, target, body=body, motivation=motivation, tags=tags,
                        author=author or _me(), assignee=assignee)
    except AnnotationError as e:
        _fail(e, db_path)
    except SchemaError:  # not a database to write into: refused before anything was typed in
        raise
    except StoreError as e:  # a full disk, a read-only file: the reviewer's text back, as for a lock
        _fail(f"{e}; its text: {json.dumps(body, ensure_ascii=False)}")
    click.echo(f"annotation {a.id} {a.uuid} on {_where(a)} [{a.target.start}:{a.target.end}]: "
               f"“{_short(a.target.exact)}”")


@annotate.command("list")
@db_option
@click.option("--document", help="document id or sha256")
@click.option("--state", type=click.Choice(STATES))
@click.option("--tag", type=click.Choice(TAGS))
@click.option("--author")
@click.option("--assignee")
@click.option("--orphaned", is_flag=True, help="only annotations whose text was not found again")
@click.option("--all", "include_deleted", is_flag=True, help="include deleted ones")
@click.option("--json", "as_json", is_flag=True, help="one JSON object per line")
def list_(db_path, document, state, tag, author, assignee, orphaned, include_deleted, as_json):
    """List annotations (not deleted ones unless --all or --state deleted)."""
    conn = open_readonly(db_path)  # reads only: never upgrades or writes the file
    try:
        with explained(db_path, ""):
            found = api.list_annotations(conn, api.Filters(
                document=document, state=state, tag=tag, author=author, assignee=assignee,
                anchor="orphaned" if orphaned else None, include_deleted=include_deleted))
    except AnnotationError as e:
        _fail(e)
    for a in found:
        if as_json:
            from citetrace.annotations.exchange import to_w3c

            click.echo(json.dumps(to_w3c(a), ensure_ascii=False))
            continue
        verdict = ",".join(a.tags) or a.motivation
        click.echo(printable(f"{a.id:>4}  {a.state:<9}  {verdict:<20}  {a.author:<8}  "
                             f"{_where(a):<22}  “{_short(a.target.exact, 40)}”"))
    if not as_json:
        click.echo(f"{len(found)} annotation{'s' if len(found) != 1 else ''}")


@annotate.command("show")
@db_option
@click.argument("ident")
def show(db_path, ident):
    """One annotation (id or uuid), with its history."""
    conn = open_readonly(db_path)  # reads only: never upgrades or writes the file
    try:
        with explained(db_path, ""):
            a = api.get(conn, ident)
            hist = api.history(conn, ident)
    except AnnotationError as e:
        _fail(e)
    t = a.target
    click.echo(f"annotation {a.id}  urn:uuid:{a.uuid}")
    click.echo(f"  document  {t.document_id} (sha256 {t.document_sha256[:12]})")
    click.echo(f"  target    {_where(a)} [{t.start}:{t.end}] anchor {a.anchor}"
               + (f" ({a.anchor_score:g})" if a.anchor_score is not None else ""))
    before, after = _short(t.prefix, 10**6)[-24:], _short(t.suffix, 10**6)[:24]
    click.echo(f"  quote     …{before}[{_short(t.exact, 80)}]{after}…")
    click.echo(f"  body      {printable(a.body)}")
    click.echo(f"  tags      {', '.join(a.tags) or '-'}   motivation {a.motivation}")
    click.echo(printable(f"  state     {a.state}   assignee {a.assignee or '-'}   author {a.author}"))
    click.echo(f"  created   {a.created}   modified {a.modified}")
    for r in api.replies(conn, [a]).get(a.uuid, ()):
        click.echo(printable(f"  reply {r.id}  {r.author}  {r.created}: {_short(r.body, 200)}"))
    click.echo("history:")
    for h in hist:
        what = ", ".join(
            f"{k} {_short(json.dumps(v[0], ensure_ascii=False), 20)} -> "
            f"{_short(json.dumps(v[1], ensure_ascii=False), 30)}"
            for k, v in h.changes.items() if k in ("state", "assignee", "body", "tags",
                                                   "passage_id", "footnote_id", "anchor"))
        click.echo(printable(f"  {h.at}  {h.actor or '-':<18} {h.action:<8} {what}"))


@annotate.command("status")
@db_option
@click.argument("ident")
@click.argument("state", type=click.Choice(STATES))
@click.option("--assignee", default=None, help="assign at the same time ('' to unassign)")
@click.option("--by", "actor", default=None, help="who (default: $CITETRACE_USER or your login)")
def status(db_path, ident, state, assignee, actor):
    """Move an annotation through the workflow: open -> in_review -> resolved | rejected;
    resolved/rejected -> open (reopen); any -> deleted; deleted -> open (restore)."""
    conn = open_existing(db_path)
    try:
        before = api.get(conn, ident).state
    except AnnotationError as e:
        _fail(e)
    kwargs = {} if assignee is None else {"assignee": assignee}
    try:
        a = api.set_state(conn, ident, state, actor or _me(), **kwargs)
    except NotSaved as e:
        _fail(e, db_path)
    except AnnotationError as e:
        _fail(f"{e} (from {before}: {', '.join(TRANSITIONS[before])})")
    click.echo(f"annotation {a.id}: {before} -> {a.state} ({ACTIONS.get(a.state, a.state)})"
               + (f", assigned to {a.assignee}" if a.assignee else ""))


@annotate.command("edit")
@db_option
@click.argument("ident")
@click.option("--body", "-m", default=None, help="the new comment (Markdown)")
@click.option("--tag", "-t", "tags", multiple=True, type=click.Choice(TAGS),
              help="the new verdicts, repeatable (replaces them all)")
@click.option("--no-tags", is_flag=True, help="remove every verdict")
@click.option("--by", "actor", default=None, help="who (default: $CITETRACE_USER or your login)")
def edit(db_path, ident, body, tags, no_tags, actor):
    """Change an annotation's comment and/or verdicts; the previous text stays in its history
    (`annotate show`)."""
    if body is None and not tags and not no_tags:
        _fail("nothing to change: give --body, --tag or --no-tags")
    conn = open_existing(db_path)
    try:
        a = api.update(conn, ident, actor or _me(), body=body,
                       tags=[] if no_tags else (list(tags) or None))
    except AnnotationError as e:
        _fail(e)
    click.echo(printable(f"annotation {a.id}: {', '.join(a.tags) or a.motivation}, "
                         f"“{_short(a.body)}”"))


@annotate.command("reply")
@db_option
@click.argument("ident")
@click.option("--body", "-m", required=True, help="the reply (Markdown)")
@click.option("--author", default=None, help="default: $CITETRACE_USER or your login")
def reply(db_path, ident, body, author):
    """Answer an annotation; replies are shown under it (`annotate show`, the review queue)."""
    conn = open_existing(db_path)
    try:
        a = api.reply(conn, ident, body=body, author=author or _me())
    except AnnotationError as e:
        _fail(e)
    click.echo(printable(f"reply {a.id} to annotation {ident}: “{_short(a.body)}”"))


@annotate.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonld", "csv", "markdown"]), default="jsonld",
              show_default=True)
@click.option("--document", help="document id or sha256 (required for markdown)")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-")
def export(db_path, fmt, document, output):
    """Export: W3C JSON-LD AnnotationCollection (everything, with history), CSV, or a
    Markdown review report of one document."""
    from citetrace.annotations import exchange

    conn = open_readonly(db_path)  # reads only: never upgrades or writes the file
    try:
        with explained(db_path, ""):
            if fmt == "markdown":
                if not document:
                    raise AnnotationError("--document is needed for a markdown report")
                output.write(exchange.markdown_report(conn, document))
            elif fmt == "csv":
                output.write(exchange.export_csv(conn, api.Filters(document=document, include_deleted=True)))
            else:
                data = exchange.export_jsonld(conn, api.Filters(document=document, include_deleted=True))
                output.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except AnnotationError as e:
        _fail(e)


@annotate.command("import")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--by", "actor", default=None, help="who imports (history of foreign annotations)")
def import_(db_path, file, actor):
    """Import a W3C JSON-LD annotation file (ids already present are skipped). A file that is
    not one (bad JSON, wrong shapes, values out of range) is refused in one line, all of it:
    nothing is imported."""
    from citetrace.annotations import exchange

    with click.open_file(file, "rb") as f:
        raw = f.read()
    try:
        items = exchange.parse_jsonld(raw, "stdin" if file == "-" else file)
    except AnnotationError as e:
        _fail(e)
    conn = open_existing(db_path)
    try:
        with explained(db_path):
            counts = exchange.import_jsonld(conn, items, actor or _me())
            orphaned = len(api.list_annotations(
                conn, api.Filters(anchor="orphaned", include_deleted=True)))
    except AnnotationError as e:
        _fail(e, db_path)
    click.echo(f"{counts['imported']} imported, {counts['skipped']} already present; "
               f"{counts['documents']} document(s) re-anchored, {orphaned} orphaned in the database")
