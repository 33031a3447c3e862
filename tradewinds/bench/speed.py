"""The machine's speed while a benchmark runs. On this shared host the same code runs up to twice as
slow in some minutes as in others, with no stolen time the guest can see, so a figure means little
without the speed of the minute it was measured in. A child process times a fixed piece of work
every few seconds; the benchmark reads the timings that fall within each of its measurements."""

from __future__ import annotations

import multiprocessing
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

Timing = tuple[float, float]  # time.monotonic() when it started, CPU ms the work took


def cpu_ms(work: Callable[[], None], rounds: int) -> float:
    """CPU ms of `work`, best of `rounds`: the fastest round is the one least disturbed."""
    best = float("inf")
    for _round in range(rounds):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return round(best * 1000, 2)


@contextmanager
def speed_probe(work: Callable[[], None], interval_s: float = 2.0, rounds: int = 2) -> Iterator[list[Timing]]:
    """Time `work` in a child process every `interval_s` while the block runs; the list yielded holds
    the timings once the block has ended. The child costs about 1 % of a core: measure the idle
    machine inside the block, so its share is counted as background like the machine's own."""
    context = multiprocessing.get_context("fork")  # the child needs `work`, not an importable target
    receiver, sender = context.Pipe(duplex=False)
    stop = context.Event()
    child = context.Process(target=_probe, args=(work, interval_s, rounds, sender, stop), daemon=True)
    child.start()
    timings: list[Timing] = []
    try:
        yield timings
    finally:
        stop.set()
        child.join(timeout=60)
        while receiver.poll():
            timings.append(receiver.recv())


def _probe(work: Callable[[], None], interval_s: float, rounds: int, sender: Connection, stop: Event) -> None:
    while not stop.wait(interval_s):
        sender.send((time.monotonic(), cpu_ms(work, rounds)))


def speed_between(timings: list[Timing], start: float, end: float) -> float | None:
    """The median timing that started within [start, end] (time.monotonic()); None if none did."""
    inside = [ms for at, ms in timings if start <= at <= end]
    return round(statistics.median(inside), 1) if inside else None
