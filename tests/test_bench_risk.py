"""The risk benchmark's report and the machine-speed probe its API figures travel with."""

import time

from tradewinds.bench.risk import markdown, reference_work
from tradewinds.bench.speed import cpu_ms, speed_between, speed_probe


def a_result() -> dict:
    step = {"rate_per_s": 150, "sent": 1500, "ok": 1500, "errors": 0, "p50_ms": 8.4, "p99_ms": 29.0, "max_ms": 45.3}
    return {
        "machine": {"arch": "x86_64", "nproc": 2, "python": "3.11.7", "date": "2026-12-02"},
        "batch_declarations_per_s": 751215,
        "numpy_ratio": 1.093,
        "api_database": "PostgreSQL",
        "api_server": "Granian, 3 processes x 1 thread(s) each",
        "api_p50_ms": 8.2,
        "api_p99_ms": 13.5,
        "api_max_sustained_per_s": 200,
        "api_server_cpu_ms_per_request": 6.2,
        "api_server_cpu_per_reference": 0.84,
        "api_machine_cpu_ms_per_request": 9.1,
        "api_cpu_steal_share": 0.0,
        "api_steps": [
            {**step, "achieved_per_s": 149.9, "reference_ms": 7.4},
            {**step, "rate_per_s": 200, "achieved_per_s": 199.9, "reference_ms": None},
        ],
        "reference_ms": 7.4,
    }


def test_the_report_shows_each_target_with_its_figure_and_the_machine_speed():
    lines = markdown(a_result(), "tradewinds bench risk").splitlines()
    assert "| batch rules + lane allocation, declarations/s | 751,215 | ≥ 200,000 |" in lines
    assert "| API at 50/s: p99 ms | 13.5 | ≤ 50 |" in lines
    assert "| API: highest sustained rate with p99 < 100 ms, per s | 200 | ≥ 150 |" in lines
    assert any(line.startswith("| the machine's speed") and "| 7.4 |" in line for line in lines)
    assert any("over the reference work" in line and "| 0.84 |" in line for line in lines)
    assert "| 150 | 1500 | 0 | 8.4 | 29.0 | 150 | 7.4 |" in lines
    # A step too short for the probe to time the machine in it says so with an empty cell.
    assert "| 200 | 1500 | 0 | 8.4 | 29.0 | 200 |  |" in lines


def test_the_probe_times_the_work_in_its_own_process_while_the_block_runs():
    started = time.monotonic()
    with speed_probe(reference_work, interval_s=0.3, rounds=1) as timings:
        time.sleep(1.5)
    ended = time.monotonic()
    assert len(timings) >= 2  # a timing every 0.3 s, the first after 0.3 s
    assert all(started <= at <= ended and ms > 0 for at, ms in timings)
    # The same work timed here costs the same order of CPU (this machine's speed moves, not 10x).
    here = cpu_ms(reference_work, rounds=1)
    assert all(here / 10 < ms < here * 10 for _at, ms in timings)


def test_speed_between_takes_the_median_of_the_timings_that_started_in_the_window():
    timings = [(10.0, 7.0), (12.0, 9.0), (14.0, 30.0), (16.0, 8.0), (30.0, 99.0)]
    assert speed_between(timings, 11.0, 17.0) == 9.0
    assert speed_between(timings, 10.0, 10.0) == 7.0
    assert speed_between(timings, 20.0, 25.0) is None
