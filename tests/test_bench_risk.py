"""The risk benchmark's report: every figure the issue asks for, with the machine's speed next to it."""

from tradewinds.bench.risk import markdown, python_reference_ms


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
        "api_steps": [{**step, "achieved_per_s": 149.9}],
        "python_reference_ms": [7.4, 7.9],
    }


def test_the_report_shows_each_target_with_its_figure_and_the_machine_speed():
    lines = markdown(a_result(), "tradewinds bench risk").splitlines()
    assert "| batch rules + lane allocation, declarations/s | 751,215 | ≥ 200,000 |" in lines
    assert "| API at 50/s: p99 ms | 13.5 | ≤ 50 |" in lines
    assert "| API: highest sustained rate with p99 < 100 ms, per s | 200 | ≥ 150 |" in lines
    assert any(line.startswith("| the machine's speed") and "| 7.4 / 7.9 |" in line for line in lines)
    assert any("over the Python reference" in line and "| 0.84 |" in line for line in lines)
    assert "| 150 | 1500 | 0 | 8.4 | 29.0 | 150 |" in lines


def test_the_speed_reference_is_a_cpu_time_in_milliseconds():
    # Real work, not a constant: a handful of milliseconds of CPU on any machine that runs the suite.
    assert 0.5 < python_reference_ms(rounds=1) < 1000
