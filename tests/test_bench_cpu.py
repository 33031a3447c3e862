"""The benchmark's CPU accounting: it finds processes by their command line and a process that
ends between two snapshots does not make the figure negative."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from tradewinds.bench.served import cpu_by_process, cpu_seconds_between

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux /proc")


def test_a_busy_process_is_found_by_its_command_line_and_its_cpu_counted():
    marker = f"tw-cpu-{uuid.uuid4().hex}"
    # Spins for about half a second of CPU, then waits to be read.
    busy = (
        "import time, sys\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass\n"
        f"print('{marker}', flush=True); sys.stdin.read()"
    )
    before = cpu_by_process(marker)
    process = subprocess.Popen([sys.executable, "-c", busy], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == marker
        after = cpu_by_process(marker)
        assert list(after) == [process.pid]
        assert 0.4 <= cpu_seconds_between(before, after) <= 5
    finally:
        process.communicate("")


def test_a_process_that_ended_takes_nothing_off_the_sum():
    before = {101: 3.0, 102: 5.0}
    after = {101: 3.5, 103: 0.25}  # 102 ended, 103 started
    assert cpu_seconds_between(before, after) == pytest.approx(0.75)
