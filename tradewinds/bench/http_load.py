"""An open-loop HTTP load generator for benchmarks (standard library only).

Open loop: requests leave on a fixed schedule whatever the server does, and each latency is
measured from the request's *scheduled* time, so a slow server cannot hide its queueing delay
(coordinated omission)."""

from __future__ import annotations

import http.client
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np


@dataclass
class LoadResult:
    rate_per_s: float
    sent: int
    ok: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    achieved_per_s: float

    def sustained(self, p99_limit_ms: float) -> bool:
        return self.errors == 0 and self.p99_ms <= p99_limit_ms and self.achieved_per_s >= 0.95 * self.rate_per_s


def run_open_loop(
    base_url: str,
    make_request: Callable[[int], tuple[str, str, bytes, dict[str, str]]],
    rate_per_s: float,
    duration_s: float,
    connections: int = 32,
) -> LoadResult:
    """Send `rate_per_s` requests a second for `duration_s`; `make_request(i)` gives (method, path, body, headers)."""
    parts = urlsplit(base_url)
    total = int(rate_per_s * duration_s)
    start = time.perf_counter() + 0.2
    jobs: queue.Queue = queue.Queue()
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while (job := jobs.get()) is not None:
            index, scheduled = job
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body, headers = make_request(index)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - scheduled
            with lock:
                (latencies if ok else failures).append(elapsed if ok else index)
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for index in range(total):
        jobs.put((index, start + index / rate_per_s))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    finished = time.perf_counter()
    values = np.array(latencies) * 1000 if latencies else np.array([float("inf")])
    return LoadResult(
        rate_per_s=rate_per_s,
        sent=total,
        ok=len(latencies),
        errors=len(failures),
        p50_ms=float(np.percentile(values, 50)),
        p99_ms=float(np.percentile(values, 99)),
        max_ms=float(values.max()),
        achieved_per_s=len(latencies) / max(finished - start, 1e-9),
    )


def highest_sustained_rate(
    base_url: str,
    make_request: Callable[[int], tuple[str, str, bytes, dict[str, str]]],
    rates: list[float],
    duration_s: float,
    p99_limit_ms: float = 100.0,
) -> tuple[float, list[LoadResult]]:
    """Step up through `rates`; the answer is the highest rate held with p99 under the limit."""
    best, results = 0.0, []
    offset = 0
    for rate in rates:
        result = run_open_loop(base_url, lambda i, o=offset: make_request(o + i), rate, duration_s)
        offset += result.sent
        results.append(result)
        if not result.sustained(p99_limit_ms):
            break
        best = rate
    return best, results
