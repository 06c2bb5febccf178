"""Output to a reader that went away (``citetrace ingest ... | head -1``).

Once ``head`` has its line it closes the pipe, and the next write raises BrokenPipeError. The
work must not stop there (an ingest finishes its batch: the database is what the user asked
for) and no traceback may follow: the closed stream is pointed at /dev/null, the rest of the
output goes nowhere, and the other stream (errors on stderr, say) still works.
"""

from __future__ import annotations

import os
import select
import sys

import rich.console


def _closed(fd: int) -> bool:
    # the write end of a pipe whose reader has gone reports POLLERR
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _fd, events in poller.poll(0))


def silence_closed() -> None:
    """Point stdout and / or stderr, whichever lost its reader, at /dev/null."""
    for stream in (sys.stdout, sys.stderr):
        try:
            fd = stream.fileno()
        except (OSError, ValueError, AttributeError):  # not a file (a test's runner)
            continue
        if _closed(fd):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)


class Console(rich.console.Console):
    """A rich console that carries on when its reader has gone (rich's own exits the program,
    which would stop an ingest half way through its batch)."""

    def on_broken_pipe(self) -> None:
        silence_closed()
        self.quiet = True
