"""An open-loop HTTP load generator for benchmarks (standard library only).

Open loop: requests leave on a fixed schedule whatever the server does, and each latency is
measured from the request's *scheduled* time, so a slow server cannot hide its queueing delay
(coordinated omission).

It runs on the machine it measures, so it spends as little CPU as it can: every request is encoded
before the clock starts, and responses are read off keep-alive sockets by a minimal HTTP/1.1 reader
(`http.client` cost about 0.8 ms of CPU a request, some 6% of two cores at 150 requests/s)."""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np

Request = tuple[str, str, bytes, dict[str, str]]  # method, path, body, headers


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
    started: float  # time.monotonic() of the first scheduled send, and after the last answer
    finished: float

    def sustained(self, p99_limit_ms: float) -> bool:
        return self.errors == 0 and self.p99_ms <= p99_limit_ms and self.achieved_per_s >= 0.95 * self.rate_per_s


class ResponseError(Exception):
    """The server closed the connection or answered something that is not HTTP/1.1."""


def encode(request: Request, host: str) -> bytes:
    method, path, body, headers = request
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Connection:
    """One keep-alive connection: send a request, read one whole response, return its status."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address
        self.sock: socket.socket | None = None
        self.buffer = b""

    def exchange(self, request: bytes) -> int:
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.sock.sendall(request)
        head = self._read_until(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ResponseError(status_line)
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while (size := int(self._read_until(b"\r\n").split(b";")[0], 16)) > 0:
                self._read_exactly(size + 2)
            self._read_until(b"\r\n")  # the empty trailer
        else:
            self._read_exactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return int(parts[1])

    def _fill(self) -> None:
        assert self.sock is not None
        data = self.sock.recv(65536)
        if not data:
            raise ResponseError("connection closed by the server")
        self.buffer += data

    def _read_until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._fill()
        head, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
        return head

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def run_open_loop(
    base_url: str,
    make_request: Callable[[int], Request],
    rate_per_s: float,
    duration_s: float,
    connections: int = 32,
) -> LoadResult:
    """Send `rate_per_s` requests a second for `duration_s`; `make_request(i)` gives request i."""
    parts = urlsplit(base_url)
    address, host = (parts.hostname or "127.0.0.1", parts.port or 80), parts.netloc
    total = int(rate_per_s * duration_s)
    encoded = [encode(make_request(index), host) for index in range(total)]
    jobs: queue.Queue = queue.Queue()
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        conn = _Connection(address)
        while (job := jobs.get()) is not None:
            index, scheduled = job
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                ok = conn.exchange(encoded[index]) < 400
            except (OSError, ValueError, ResponseError):
                conn.close()
                ok = False
            elapsed = time.perf_counter() - scheduled
            with lock:
                (latencies if ok else failures).append(elapsed if ok else index)
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    started = time.monotonic() + 0.2
    for index in range(total):
        jobs.put((index, start + index / rate_per_s))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join()
    finished = time.perf_counter()
    values = np.array(latencies) * 1000
    p50, p99, worst = (
        (np.percentile(values, 50), np.percentile(values, 99), values.max()) if latencies else [np.inf] * 3
    )
    return LoadResult(
        rate_per_s=rate_per_s,
        sent=total,
        ok=len(latencies),
        errors=len(failures),
        p50_ms=float(p50),
        p99_ms=float(p99),
        max_ms=float(worst),
        achieved_per_s=len(latencies) / max(finished - start, 1e-9),
        started=started,
        finished=time.monotonic(),
    )


def highest_sustained_rate(
    base_url: str,
    make_request: Callable[[int], Request],
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
