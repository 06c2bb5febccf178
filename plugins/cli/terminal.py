"""Text bound for a terminal: nothing from a PDF or a server may drive the terminal.

A PDF's text or a server's answer can carry ESC sequences (recolour or rewrite the screen,
set the window title, on some terminals worse) or BEL. rich drops BEL, BS, VT, FF and CR but
passes ESC, and ``click.echo`` passes everything. Every control character (Unicode category
Cc: C0, DEL and C1, where 0x9b is CSI to 8-bit terminals) but tab and newline is dropped.
"""

from __future__ import annotations

import dataclasses

_CONTROLS = dict.fromkeys(c for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A))


def printable(text: str) -> str:
    return text.translate(_CONTROLS)


def printable_all(value):
    """``value`` with :func:`printable` applied to every string in it (dataclasses, lists,
    tuples and dicts walked; other values as they are)."""
    if isinstance(value, str):
        return printable(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: printable_all(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, (list, tuple)):
        return type(value)(printable_all(v) for v in value)
    if isinstance(value, dict):
        return {k: printable_all(v) for k, v in value.items()}
    return value
