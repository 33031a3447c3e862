"""The benchmark's load generator against a real HTTP/1.1 server: it counts what the server
answered, keeps connections alive, and survives a server that closes them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tradewinds.bench.http_load import run_open_loop


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the product's server
    connections: set[tuple[str, int]] = set()
    bodies: list[bytes] = []

    def do_POST(self) -> None:
        _Handler.connections.add(self.client_address)
        _Handler.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            return
        status = 500 if self.path == "/fail" else 200
        body = b'{"ok": true}'
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        if self.path == "/close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.connections.clear()
    _Handler.bodies.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _post(path: str):
    return lambda index: ("POST", path, f'{{"n": {index}}}'.encode(), {"Content-Type": "application/json"})


def test_every_request_is_sent_once_on_kept_alive_connections(server):
    result = run_open_loop(server, _post("/ok"), rate_per_s=100, duration_s=1, connections=4)
    assert (result.sent, result.ok, result.errors) == (100, 100, 0)
    assert sorted(_Handler.bodies) == sorted(f'{{"n": {i}}}'.encode() for i in range(100))
    assert len(_Handler.connections) <= 4
    assert 0 < result.p50_ms <= result.p99_ms <= result.max_ms


def test_error_statuses_are_counted_as_errors(server):
    result = run_open_loop(server, _post("/fail"), rate_per_s=50, duration_s=1, connections=2)
    assert (result.ok, result.errors) == (0, 50)
    assert not result.sustained(p99_limit_ms=100)


def test_chunked_answers_and_closed_connections_are_read_whole(server):
    chunked = run_open_loop(server, _post("/chunked"), rate_per_s=40, duration_s=0.5, connections=2)
    closing = run_open_loop(server, _post("/close"), rate_per_s=40, duration_s=0.5, connections=2)
    assert (chunked.ok, chunked.errors) == (20, 0)
    assert (closing.ok, closing.errors) == (20, 0)
    assert len(_Handler.connections) > 4  # each /close answer made the next request reconnect
