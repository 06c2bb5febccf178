"""Stage timing: where ingestion spends its time, measured on the pipeline's own code.

The pipeline's functions declare their stage with ``@timed("stage")``. Outside a
:func:`timing` block they run as they are (one context-variable lookup per call); inside one,
their wall and CPU seconds are added to the block's :class:`StageClock`::

    with timing() as clock:
        doc = extract(path)
    clock.cpu  # {"pdf parsing": 1.2, "layout": 0.4, "notes/markers": 0.1, ...}

A stage run inside another counts only for itself: the outer stage's time excludes it, so the
stages add up to the total. ``tests/bench/stage_times.py`` is the user.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class StageClock:
    """Accumulates wall and CPU seconds per stage name (exclusive of nested stages)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._inner: list[list[float]] = []  # per running stage: [wall, cpu] of its inner stages

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def run(self, name: str, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Call ``fn`` and count its time, less that of the stages it runs, for ``name``."""
        w, c = time.perf_counter(), time.process_time()
        self._inner.append([0.0, 0.0])
        try:
            return fn(*args, **kwargs)
        finally:
            inner_w, inner_c = self._inner.pop()
            wall, cpu = time.perf_counter() - w, time.process_time() - c
            self.add(name, wall - inner_w, cpu - inner_c)
            if self._inner:
                self._inner[-1][0] += wall
                self._inner[-1][1] += cpu


# The clock of the innermost timing() block of this thread or task; None outside any.
_clock: ContextVar[StageClock | None] = ContextVar("citetrace_stage_clock", default=None)


@contextmanager
def timing(clock: StageClock | None = None) -> Iterator[StageClock]:
    """Time every ``@timed`` function called inside the block (into ``clock`` or a new one)."""
    clock = clock if clock is not None else StageClock()
    token = _clock.set(clock)
    try:
        yield clock
    finally:
        _clock.reset(token)


def timed(stage: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare that a function's time belongs to ``stage`` when a :func:`timing` block runs."""

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            clock = _clock.get()
            return fn(*args, **kwargs) if clock is None else clock.run(stage, fn, *args, **kwargs)

        return run

    return decorate
