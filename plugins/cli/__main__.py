"""``python -m citetrace.plugins.cli``: the console script without its installed wrapper."""

from . import cli

cli()
