"""The `citetrace` command line, assembled here from one module per command group.

A new command: a click command in its own module of this package (library code returns
dataclasses; the module renders them), then add it to the tuple below.
"""

from __future__ import annotations

import sys

import click

from citetrace.db.errors import StoreError

from .annotate import annotate
from .evaluate import eval_
from .ingest import ingest
from .pipes import silence_closed
from .links import check_links
from .remove import remove
from .sample import demo, sample
from .serve import serve
from .sources import sources
from .trace import trace_command
from .upgrade import upgrade


class _Group(click.Group):
    def invoke(self, ctx):
        # any command may meet a database it cannot use (not SQLite, another program's, a newer
        # release's, a full disk, a read-only file): one line naming the file, not a traceback
        try:
            return super().invoke(ctx)
        except StoreError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(1)
        except BrokenPipeError:  # `citetrace trace | head -1`: the reader has what it wanted
            silence_closed()
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(package_name="citetrace")
def cli():
    """citetrace: trace every claim of a PDF report to its footnote and source."""


for command in (ingest, serve, sample, demo, eval_, annotate, trace_command, check_links,
                upgrade, sources, remove):
    cli.add_command(command)
