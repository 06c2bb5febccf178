"""The stage-timing hook (ingest.stages): exclusive nested stages, no effect outside a
timing() block, and the real extract() reporting its stages on the sample report."""

from __future__ import annotations

import time

import pytest

from citetrace.ingest.extract import extract
from citetrace.ingest.stages import StageClock, timed, timing


def _busy(seconds: float) -> None:
    # CPU time, not sleep: the clock records process time too
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@timed("inner")
def inner(x: int) -> int:
    _busy(0.05)
    return x + 1


@timed("outer")
def outer(x: int) -> int:
    _busy(0.05)
    return inner(x) * 2


def test_outside_a_timing_block_nothing_is_recorded():
    clock = StageClock()
    assert outer(1) == 4
    assert clock.wall == {} and clock.cpu == {}
    assert outer.__name__ == "outer" and outer.__wrapped__(1) == 4


def test_nested_stages_count_only_for_themselves():
    with timing() as clock:
        assert outer(1) == 4
    assert set(clock.cpu) == {"outer", "inner"}
    # each did ~0.05 s of its own work; the outer's time excludes the inner's
    assert 0.04 <= clock.cpu["inner"] < 0.09
    assert 0.04 <= clock.cpu["outer"] < 0.09
    assert clock.wall["outer"] >= clock.cpu["outer"] * 0.9


def test_a_failing_stage_is_timed_and_the_error_propagates():
    @timed("boom")
    def boom():
        _busy(0.02)
        raise ValueError("bad page")

    with timing() as clock, pytest.raises(ValueError, match="bad page"):
        boom()
    assert clock.cpu["boom"] >= 0.015
    # the block is closed: later calls are not recorded
    inner(0)
    assert "inner" not in clock.cpu


def test_timing_blocks_nest_and_restore_the_outer_clock():
    with timing() as first:
        with timing() as second:
            inner(0)
        inner(0)
    assert set(second.cpu) == {"inner"} and set(first.cpu) == {"inner"}


def test_extract_reports_its_stages(sample):
    pdf, _gold = sample
    with timing() as clock:
        doc = extract(pdf)
    assert doc.page_count >= 5 and doc.footnotes
    stages = {"pdf open", "pdf parsing", "layout", "checks", "notes/markers", "passages/markers",
              "other extraction"}
    assert stages <= set(clock.cpu), sorted(clock.cpu)
    assert all(clock.wall[s] > 0 for s in stages)
    # pdfminer's parse of every page dominates the layout work done on it
    assert clock.cpu["pdf parsing"] > clock.cpu["checks"]
