"""The progress line of ``depeche index`` on a terminal, and its time estimate.

A run reads files (progress in bytes on disk, so one big JSON Lines file
moves too), then writes each batch: the writer processes analyse its
stories, then write their segments' postings (both counted by
:mod:`indexer.index.meter`). :class:`RunEstimate` times each of the three
kinds of work at the rate measured so far in this run and extrapolates the
stories still to come from the bytes still to read::

    reading  ━━━━━━━╸━━━━━━━━ 3.9/8.2 MB · 1/3 files · 1,183 stories · ~0:00:41 left
    writing  ━━━━━━━━━━╸━━━━━ analysing 1,720/2,365 stories · ~0:00:25 left
    writing  ━━━━━━━━━━━━━━╸━ segments 890,000/1,119,825 postings · ~0:00:06 left

(short enough for 80 columns).

Before a kind of work has been seen, its rate is guessed: writing a
segment is taken to cost as long as analysing its stories (measured on the
real stories, unloaded: 17 s and 17 s for 2,365 stories on two writers);
the estimate says ``~`` for that reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class _Rate:
    """Work done over the time spent on it (only while that work runs)."""

    seconds: float = 0.0
    done: float = 0.0

    #: Seconds of a kind of work before its rate counts (the first ones hold
    #: its start-up: forking writers, their first jobs).
    MIN_SECONDS = 3.0

    def per_second(self) -> float | None:
        return self.done / self.seconds if self.seconds >= self.MIN_SECONDS and self.done > 0 else None


@dataclass
class RunEstimate:
    """The time left of an index run, from its :class:`~indexer.index.build.Progress` reports."""

    clock: object = time.monotonic
    reading: _Rate = field(default_factory=_Rate)
    analysing: _Rate = field(default_factory=_Rate)
    postings: _Rate = field(default_factory=_Rate)
    postings_per_story: float | None = None
    _last: object = None
    _last_time: float | None = None

    def update(self, p) -> None:
        """Take a report: the work done since the last one is credited to
        the step the run was in."""
        now = self.clock()
        last, self._last, then, self._last_time = self._last, p, self._last_time, now
        if last is None or then is None:
            return
        dt = now - then
        if p.phase == "reading" and last.phase == "reading":
            self.reading.seconds += dt
            self.reading.done += max(0, p.bytes_done - last.bytes_done)
        elif p.phase == "writing" and last.phase == "writing" and p.batch == last.batch:
            if last.writers_writing == 0:
                self.analysing.seconds += dt
                self.analysing.done += max(0, p.analysed - last.analysed)
            else:
                self.postings.seconds += dt
                self.postings.done += max(0, p.postings_done - last.postings_done)
        if p.phase == "writing" and p.writers and p.writers_writing == p.writers and p.batch:
            self.postings_per_story = p.postings_total / p.batch

    def stories_expected(self, p) -> int:
        """The run's stories: those read, extrapolated over the bytes left."""
        if p.bytes_total and 0 < p.bytes_done < p.bytes_total:
            return max(p.stories, round(p.stories * p.bytes_total / p.bytes_done))
        return p.stories

    def seconds_left(self, p) -> float | None:
        """The time left, or None while nothing has been measured to tell."""
        read_rate = self.reading.per_second()
        analyse_rate = self.analysing.per_second()
        if analyse_rate is None:   # no story analysed yet: nothing tells how long writing takes
            return None
        left = 0.0
        if p.bytes_done < p.bytes_total:
            if read_rate is None:
                return None
            left += (p.bytes_total - p.bytes_done) / read_rate
        stories_left = self.stories_expected(p) - p.committed - (p.analysed if p.phase == "writing" else 0)
        left += max(0, stories_left) / analyse_rate
        per_story = self.postings_per_story
        postings_rate = self.postings.per_second()
        total_stories = self.stories_expected(p) - p.committed
        if postings_rate is None or per_story is None:
            # Not measured yet: a segment takes as long to write as its stories to analyse.
            done_share = (p.postings_done / p.postings_total) if p.postings_total else 0.0
            left += max(0.0, total_stories - done_share * p.batch) / analyse_rate
        else:
            postings_left = total_stories * per_story - (p.postings_done if p.phase == "writing" else 0)
            left += max(0.0, postings_left) / postings_rate
        return left


def describe(p, estimate: RunEstimate) -> tuple[str, float, str]:
    """(phase, fraction of the phase done, the counts) of a progress report."""
    if p.phase == "reading":
        counts = [f"{p.bytes_done / 1e6:,.1f}/{p.bytes_total / 1e6:,.1f} MB" if p.bytes_total else "",
                  f"{p.files_done:,}/{p.files_total:,} files", f"{p.stories:,} stories"]
        fraction = p.bytes_done / p.bytes_total if p.bytes_total else 0.0
        return "reading", fraction, " · ".join(c for c in counts if c)
    if p.writers_writing:
        total = p.postings_total
        if p.writers and p.writers_writing < p.writers:   # the other writers' postings are still to come
            total = round(total * p.writers / p.writers_writing)
        fraction = 0.5 + 0.5 * (p.postings_done / total if total else 0.0)
        return "writing", min(fraction, 1.0), f"segments {p.postings_done:,}/{total:,} postings"
    fraction = 0.5 * (p.analysed / p.batch if p.batch else 0.0)
    return "writing", fraction, f"analysing {p.analysed:,}/{p.batch:,} stories"


def format_left(seconds: float | None) -> str:
    """``~0:01:05 left`` (an estimate), or ``left: measuring`` when unknown.

    >>> format_left(65.2), format_left(None)
    ('~0:01:05 left', 'left: measuring')
    """
    if seconds is None:
        return "left: measuring"
    s = int(round(seconds))
    return f"~{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d} left"


class ProgressLine:
    """The rich progress line of a run on a terminal (``progress`` is the callback)."""

    def __init__(self, console):
        from rich.progress import BarColumn, Progress, TextColumn

        self.estimate = RunEstimate()
        self.bar = Progress(TextColumn("[bold]{task.description:<8}"), BarColumn(bar_width=16),
                            TextColumn("{task.fields[counts]}"),
                            TextColumn("· {task.fields[left]}"), console=console, transient=True)
        self.task = self.bar.add_task("reading", total=1000, counts="", left=format_left(None))

    def progress(self, p) -> None:
        self.estimate.update(p)
        phase, fraction, counts = describe(p, self.estimate)
        self.bar.update(self.task, description=phase, completed=round(1000 * fraction), counts=counts,
                        left=format_left(self.estimate.seconds_left(p)))

    def start(self) -> None:
        self.bar.start()

    def stop(self) -> None:
        self.bar.stop()

    @property
    def console(self):
        return self.bar.console


__all__ = ["ProgressLine", "RunEstimate", "describe", "format_left"]
