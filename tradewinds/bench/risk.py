"""`tradewinds bench risk`: batch rules + lane allocation, and single declarations through the HTTP API.

Batch: >= 1,000,000 synthetic declarations against 50 active rules, with a bare NumPy pass over the
same columns in the same run, so the ratio survives a noisy machine. API: the production server
(`tradewinds serve`, Granian) on PostgreSQL, declarations sent one by one at a steady open-loop
rate of 50/s, then stepped up to find the highest rate whose p99 stays under 100 ms."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tradewinds.bench.http_load import Request, highest_sustained_rate, run_open_loop
from tradewinds.bench.report import machine, replace_section
from tradewinds.bench.served import (
    busy_seconds,
    cpu_by_process,
    cpu_seconds_between,
    postgres_reachable,
    served_product,
    steal_seconds,
    throwaway_postgres,
    vacuum_analyze,
)
from tradewinds.bench.speed import speed_between, speed_probe
from tradewinds.cli import server_processes, server_threads

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
DEMO_KEY = "tw_demo_lca_partner_key"
IDLE_S = 3.0  # the idle machine is measured this long before the steady run
REFERENCE_DECLARATIONS = 300  # the reference work builds, encodes and decodes this many payloads
HS_CODES = ["851713", "847130", "220300", "220830", "240220", "870323", "300490", "940360", "610910", "392690"]
ORIGINS = ["US", "CN", "GB", "TT", "BR", "CO", "PA", "DE", "JP", "MX"]


def declaration_payload(index: int, run_id: str) -> dict[str, Any]:
    rng = random.Random(index)
    items = []
    for _line in range(rng.randint(1, 3)):
        mass = round(rng.uniform(5, 2000), 1)
        items.append(
            {
                "hs_code": rng.choice(HS_CODES),
                "description": "benchmark goods",
                "origin_country": rng.choice(ORIGINS),
                "quantity": rng.randint(1, 500),
                "net_mass_kg": mass,
                "gross_mass_kg": round(mass * 1.1, 1),
                "customs_value": round(rng.uniform(100, 90000), 2),
                "duty_rate": rng.choice([0, 5, 10, 20, 35]),
            }
        )
    return {
        "number": f"B{run_id}-{index:07d}",
        "kind": "cargo",
        "declaration_type": "import",
        "office_code": "LCCAS",
        "lodged_at": datetime.now(UTC).isoformat(),
        "importer_code": f"IMP{rng.randint(1, 400):04d}",
        "declarant_code": f"DCL{rng.randint(1, 40):03d}",
        "seller_code": f"SEL{rng.randint(1, 900):04d}",
        "transport_mode": "sea",
        "port_of_loading": "USMIA",
        "port_of_discharge": "LCCAS",
        "departure_country": "US",
        "currency": "XCD",
        "items": items,
    }


def reference_work() -> None:
    """A fixed piece of Python like a lodging's: building, encoding and decoding declarations. Its
    CPU time, taken next to the API figures, says how fast the machine was when they were measured."""
    for index in range(REFERENCE_DECLARATIONS):
        json.loads(json.dumps(declaration_payload(index, "reference")))


def api_leg(database_url: str | None, quick: bool) -> dict[str, Any]:
    run_id = datetime.now(UTC).strftime("%H%M%S")
    headers = {"Authorization": f"Bearer {DEMO_KEY}", "Content-Type": "application/json"}

    def make_request(index: int) -> Request:
        return "POST", "/api/v1/declarations", json.dumps(declaration_payload(index, run_id)).encode(), headers

    steady_s, step_s = (6, 4) if quick else (30, 10)
    with served_product(database_url, workers=None) as base:  # as deployed: the default processes
        if database_url:
            vacuum_analyze(database_url)  # the demo region was just loaded
        run_open_loop(base, make_request, 20, 3)  # warm-up: connections, caches, first requests
        server = ("tradewinds.wsgi", f"--port {urlsplit(base).port} ")
        with speed_probe(reference_work) as speed:
            idle_busy = busy_seconds()
            time.sleep(IDLE_S)
            background = (busy_seconds() - idle_busy) / IDLE_S  # the machine's own services, per second
            before = cpu_by_process(*server), busy_seconds()
            stolen, started = steal_seconds(), time.monotonic()
            steady = run_open_loop(base, lambda i: make_request(100_000 + i), 50, steady_s)
            after = cpu_by_process(*server), busy_seconds()
            elapsed = max(time.monotonic() - started, 1e-9)
            steal_share = (steal_seconds() - stolen) / ((os.cpu_count() or 1) * elapsed)
            # From below 50/s, so a server that misses the 50/s mark still shows the rate it holds.
            rates = [20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 300, 400]
            best, steps = highest_sustained_rate(base, lambda i: make_request(200_000 + i), rates, step_s)
    server_ms = _ms_each(cpu_seconds_between(before[0], after[0]), steady.ok)
    steady_speed = speed_between(speed, steady.started, steady.finished)
    return {
        "api_p50_ms": round(steady.p50_ms, 1),
        "api_p99_ms": round(steady.p99_ms, 1),
        "api_errors_at_50_per_s": steady.errors,
        # Where a lodging's time goes: CPU of the web server's processes, and of the whole machine
        # (the server, the database, the load generator, the kernel) less what it used idle. Not
        # the database's backends alone: the server reconnects every minute, and a backend that
        # ended takes its CPU along.
        "api_server_cpu_ms_per_request": server_ms,
        # The same over the reference work's CPU in the same seconds: a ratio, like the batch leg's,
        # that moves less with the machine's speed than the milliseconds do.
        "api_server_cpu_per_reference": round(server_ms / steady_speed, 2) if steady_speed else None,
        "api_machine_cpu_ms_per_request": _ms_each(after[1] - before[1] - background * elapsed, steady.ok),
        # Share of the cores' time the hypervisor gave elsewhere during the steady run.
        "api_cpu_steal_share": round(steal_share, 3),
        "api_max_sustained_per_s": best,
        "api_server": f"Granian, {server_processes()} processes x {server_threads()} thread(s) each",
        "api_steps": [
            {**vars(step), "reference_ms": speed_between(speed, step.started, step.finished)} for step in steps
        ],
        # The machine's speed during the steady run: the reference work's CPU ms (lower is faster).
        "reference_ms": steady_speed,
    }


def _ms_each(seconds: float, requests: int) -> float:
    return round(seconds / max(requests, 1) * 1000, 1)


def batch_leg(quick: bool) -> dict[str, Any]:
    from tradewinds.bench.risk_batch import run_batch_benchmark

    return run_batch_benchmark(n_declarations=200_000 if quick else 1_000_000, n_rules=50, seed=7)


def _figure(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"  # None: no reference timing in that window


def markdown(result: dict[str, Any], command: str) -> str:
    m = result["machine"]
    lines = [
        f"Run on {m['date']} on {m['arch']}, {m['nproc']} cores, Python {m['python']}: `{command}`; "
        f"API on {result['api_database']}, production server with {result['api_server']}.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| batch rules + lane allocation, declarations/s | {result['batch_declarations_per_s']:,.0f} | ≥ 200,000 |",
        f"| ratio to a bare NumPy pass over the same columns | {result['numpy_ratio']:.2f} | |",
        f"| API, one declaration per request at 50/s: p50 ms | {result['api_p50_ms']} | |",
        f"| API at 50/s: p99 ms | {result['api_p99_ms']} | ≤ 50 |",
        f"| API: highest sustained rate with p99 < 100 ms, per s | {result['api_max_sustained_per_s']:.0f} | ≥ 150 |",
        f"| API at 50/s: web server CPU per lodging, ms | {result['api_server_cpu_ms_per_request']} | |",
        "| API at 50/s: web server CPU per lodging over the reference work's CPU in the same seconds | "
        f"{_figure(result['api_server_cpu_per_reference'], 2)} | |",
        f"| API at 50/s: CPU of the whole machine per lodging, ms | {result['api_machine_cpu_ms_per_request']} | |",
        f"| API at 50/s: CPU time stolen by the hypervisor | {result['api_cpu_steal_share']:.1%} | |",
        "| the machine's speed at 50/s: CPU ms of the reference work (lower is faster) | "
        f"{_figure(result['reference_ms'])} | |",
        "",
        "A lodging validates the declaration, assesses it (rules, the detection model with its explanations, the "
        "trusted-trader factor, the random draw), writes it once with its lane, items, version and events, writes "
        "the lane decision and appends two audit entries, in one transaction. The CPU lines say what one "
        "lodging costs the web server, and the whole machine (with the database, the kernel's network stack and "
        "the load generator, about 0.3 ms a request, which runs on the same machine), less what the idle machine "
        "used in the seconds before. Neither is fixed: stolen CPU time and the other guests' load on the host move "
        "every figure, and on this machine the same code has measured 5.5 to 12 ms of web server CPU per lodging "
        "within one hour, so compare figures of one run. The reference work is a fixed piece of Python like a "
        f"lodging's ({REFERENCE_DECLARATIONS} declarations built, JSON-encoded and decoded), timed every 2 s in a "
        "process of its own during the API measurements (best of two, about 1 % of a core): when it takes long, "
        "the machine was slow and every API figure with it; the steps show it per rate.",
        "",
        "API steps (open loop, latency from the scheduled send time):",
        "",
        "| rate/s | sent | errors | p50 ms | p99 ms | achieved/s | reference work, CPU ms |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {s['rate_per_s']:.0f} | {s['sent']} | {s['errors']} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | "
        f"{s['achieved_per_s']:.0f} | {_figure(s['reference_ms'])} |"
        for s in result["api_steps"]
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tradewinds bench risk", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smaller run, under a minute")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--postgres", default=DEFAULT_PG, help="server for the API leg (a throw-away database)")
    args = parser.parse_args(argv)

    result: dict[str, Any] = {"machine": machine()}
    batch = batch_leg(args.quick)
    result.update({key: batch[key] for key in ("batch_declarations_per_s", "numpy_ratio")})
    result["batch"] = batch
    with ExitStack() as stack:
        if postgres_reachable(args.postgres):
            database_url = stack.enter_context(throwaway_postgres(args.postgres))
            result["api_database"] = "PostgreSQL"
        else:
            print("PostgreSQL not reachable: the API leg runs on SQLite.", file=sys.stderr)
            database_url, result["api_database"] = None, "SQLite (PostgreSQL not reachable)"
        result.update(api_leg(database_url, args.quick))
    command = "tradewinds bench risk" + (" --quick" if args.quick else "")
    if args.write_docs:
        replace_section("## Risk rules and selectivity", markdown(result, command))
    print(json.dumps(result, default=str) if args.json else markdown(result, command))
    return 0
