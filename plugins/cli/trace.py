"""``citetrace trace``: each claim's chain (marker -> note -> citations -> source) for a
terminal, or as JSON. The chains come from :func:`citetrace.db.trace.load_trace`."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from citetrace.plugins.cli.terminal import printable_all
from citetrace.db.trace import CitationLink, ClaimTrace, Trace, load_trace
from citetrace.ingest.urls import find_urls


@click.command("trace")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="citetrace database")
@click.option("--document", default=None, help="one document: its id or file name")
@click.option("--search", default=None,
              help="only claims whose text, note, cited title, authors or URL contain TEXT")
@click.option("--json", "as_json", is_flag=True, help="print the trace as JSON")
def trace_command(db_path, document, search, as_json):
    """Trace each claim: kind, support, sentence, marker -> note -> citations -> source.

    Check-worthy claims with no support of their own are listed apart, as needing a source.
    """
    result = load_trace(db_path, document=document, search=search)
    if document is not None and not result.documents:
        raise click.ClickException(f"no document {document!r} in {db_path}")
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    render(result, Console())


def render(trace: Trace, console) -> None:
    """Print a trace for a terminal: a tree per cited claim, then tables of uncited claims.

    Prose wraps at the console width; URLs are never wrapped or cut (they stay clickable and
    copyable), whatever the width.
    """
    trace = printable_all(trace)  # PDF text may carry ESC / BEL: never sent to the terminal
    if not trace.documents:
        console.print("no such document", style="red")
        return
    by_doc: dict[int, list[ClaimTrace]] = {}
    for c in trace.claims:
        by_doc.setdefault(c.document_id, []).append(c)
    for d in trace.documents:
        claims = by_doc.get(d["id"], [])
        console.print(Text(f"{d['title'] or d['filename']}  (document {d['id']}, {d['filename']})",
                           style="bold underline"), soft_wrap=False)
        if not claims:
            console.print(Text("  no supported claims", style="dim"))
        for c in claims:
            _render_claim(console, c)
        console.print()

    for title, claims in (("Claims needing a source", trace.needs_source),):
        if not claims:
            continue
        table = Table(title=f"{title}: {len(claims)}", title_justify="left", show_lines=False,
                      expand=False)
        table.add_column("claim", justify="right", no_wrap=True)
        if len(trace.documents) > 1:
            table.add_column("doc", justify="right", no_wrap=True)
        table.add_column("page", justify="right", no_wrap=True)
        table.add_column("kind", no_wrap=True)
        table.add_column("sentence", overflow="fold")
        table.add_column("why check-worthy", overflow="fold")
        for c in claims:
            cells = [str(c.id)] + ([str(c.document_id)] if len(trace.documents) > 1 else [])
            note = "; ".join(c.reasons)
            if c.support_scope == "paragraph":
                note += "; its paragraph's last sentence carries a note (not counted)"
            elif c.support_scope == "next sentence":
                note += "; the citation sentence after it gives its authority (not counted)"
            table.add_row(*cells, str(c.page or ""), c.kind, _sentence_text(c), Text(note, style="dim"))
        console.print(table)
    if trace.other:
        console.print(Text(f"{len(trace.other)} other claims cite nothing and need no source; "
                           "--json lists them under \"other\".", style="dim"))


_KIND_STYLE = {"legal": "cyan", "quantitative": "magenta", "attributed": "yellow", "factual": "green",
               "event": "green", "evaluative": "blue"}


def _sentence_text(c: ClaimTrace):
    """The sentence, the claim itself in bold when it is only a clause of it."""
    text = Text(c.sentence)
    at = c.sentence.find(c.text)
    if c.text != c.sentence and at >= 0:
        text.stylize("bold", at, at + len(c.text))
    return text


def _render_claim(console, c: ClaimTrace) -> None:
    head = Text()
    head.append(f"claim {c.id}", style="bold")
    head.append("  ")
    head.append(c.kind, style=_KIND_STYLE.get(c.kind, ""))
    head.append(f"  page {c.page}  support {c.support}")
    if c.zone != "body":
        head.append(f"  ({c.zone})", style="dim")
    _emit(console, "", "", head)
    _emit(console, "  ", "  ", _sentence_text(c))
    for i, ic in enumerate(c.inline):
        last = i == len(c.inline) - 1 and not c.notes
        branch, cont = ("  └─ ", "     ") if last else ("  ├─ ", "  │  ")
        label = Text()
        label.append(f"inline → {ic.text}", style="bold")
        label.append(f" ({ic.rule}{', ' + ic.date if ic.date else ''})", style="dim")
        _emit(console, branch, cont, label, urls_whole=True)
        if ic.source:
            text = Text("source ", style="bold")
            text.append(f"{ic.source.id}", style="bold")
            text.append(f"  {ic.source.key}")
            _emit(console, cont + "└─ ", cont + "   ", text, wrap=False)
    for i, n in enumerate(c.notes):
        last_note = i == len(c.notes) - 1
        branch, cont = ("  └─ ", "     ") if last_note else ("  ├─ ", "  │  ")
        label = Text()
        label.append(f"marker {n.marker} → " if n.marker else "no marker → ", style="bold")
        label.append(f"note {n.label}", style="bold")
        label.append(f" (page {n.page})", style="dim")
        _emit(console, branch, cont, label)
        _emit(console, cont + "  ", cont + "  ", Text(n.text, style="italic"), urls_whole=True)
        for j, cite in enumerate(n.citations):
            last = j == len(n.citations) - 1
            cb, cc = (cont + "└─ ", cont + "   ") if last else (cont + "├─ ", cont + "│  ")
            _render_citation(console, cb, cc, cite)


def _render_citation(console, branch: str, cont: str, cite: CitationLink) -> None:
    head = Text()
    head.append(f"citation {cite.seq + 1}", style="bold")
    for part in (cite.kind, cite.date):
        if part:
            head.append(f" · {part}")
    if cite.short_form:
        head.append(f" · {cite.short_form}", style="yellow")
        if cite.refers_to_note:
            head.append(f" → note {cite.refers_to_note}", style="yellow")
    _emit(console, branch, cont, head)
    fields = [("title", cite.title), ("authors", cite.authors), ("in", cite.container),
              ("publisher", cite.publisher), ("pages", cite.pages), ("doi", cite.doi)]
    for name, value in fields:
        if value:
            _emit(console, cont + "  ", cont + "  " + " " * 11, Text(f"{name:<10} ", style="dim") + Text(value))
    if cite.url:
        _emit(console, cont + "  ", cont + "  ", Text("url        ", style="dim") + Text(cite.url, style="blue"),
              wrap=False)
    s = cite.source
    if s:
        text = Text("source ", style="bold")
        text.append(f"{s.id}", style="bold")
        text.append(f"  {s.key}")
        text.append(f"  (cited {s.citations}× in {s.documents} document{'s' if s.documents != 1 else ''})",
                    style="dim")
        _emit(console, cont + "└─ ", cont + "   ", text, wrap=False)


def _emit(console, first: str, rest: str, text, wrap: bool = True, urls_whole: bool = False) -> None:
    """Print ``text`` after a tree prefix, wrapped at the console width under the prefix.

    ``wrap=False`` prints it on one line whatever its length; ``urls_whole`` wraps prose but
    puts every URL on a line of its own, never broken.
    """
    if not wrap:
        console.print(Text(first, style="dim") + text, soft_wrap=True, highlight=False)
        return
    pieces = _split_urls(text) if urls_whole else [(text, False)]
    prefix = first
    width = max(20, console.width - len(rest))
    for piece, is_url in pieces:
        lines = [piece] if is_url else list(piece.wrap(console, width))
        for line in lines:
            line.rstrip()
            if not line.plain:
                continue
            console.print(Text(prefix, style="dim") + line, soft_wrap=True, highlight=False)
            prefix = rest


def _split_urls(text):
    """Cut a Text into prose and URL pieces (URLs as found by ingest.urls)."""
    out, pos, plain = [], 0, text.plain
    for start, end, _url in find_urls(plain):
        # The URL's line takes the punctuation glued to it: "(https://…)." stays one piece.
        while start > pos and not plain[start - 1].isspace():
            start -= 1
        while end < len(plain) and not plain[end].isspace():
            end += 1
        if text.plain[pos:start].strip():
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if text.plain[pos:].strip():
        out.append((text[pos:], False))
    return out
