"""Run the real product for a benchmark or a test: `tradewinds serve --demo` (Granian + task
worker) on a free port, on a throw-away database, stopped and dropped afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_reachable(url: str) -> bool:
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    try:
        psycopg.connect(
            host=cfg["HOST"],
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            password=cfg["PASSWORD"] or None,
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


@contextmanager
def throwaway_postgres(url: str) -> Iterator[str]:
    """A fresh database on the server of `url`, dropped on exit; yields its URL."""
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"tw_throwaway_{uuid.uuid4().hex[:8]}"
    params = {
        "host": cfg["HOST"],
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"],
        "password": cfg["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def vacuum_analyze(url: str) -> None:
    """VACUUM ANALYZE a database just loaded, as pgbench does before it measures: otherwise the
    autovacuum daemon visits the new rows a minute later, in the middle of the measurement."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


@contextmanager
def served_product(
    database_url: str | None = None, extra_env: dict[str, str] | None = None, workers: int | None = 2
) -> Iterator[str]:
    """Yields the base URL of a served demo; `database_url` None means SQLite in a temporary dir;
    `workers` None keeps the product's default number of server processes."""
    port = free_port()
    data_dir = tempfile.mkdtemp(prefix="tw-served-")
    env = {
        **os.environ,
        "TRADEWINDS_DATA_DIR": data_dir,
        "TRADEWINDS_LOGIN_THROTTLING": "0",
        **({"TRADEWINDS_WORKERS": str(workers)} if workers else {}),
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log_path = Path(data_dir) / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tradewinds.cli", "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process.poll, log_path)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_until_healthy(base: str, exited: Callable[[], int | None], log_path: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if exited() is not None:
            raise RuntimeError("tradewinds serve exited:\n" + log_path.read_text()[-3000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("tradewinds serve did not become healthy:\n" + log_path.read_text()[-3000:])


# Clock ticks a second, the unit of /proc's CPU times.
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _all_cores_seconds(*columns: int) -> float:
    """The sum of some columns of /proc/stat's all-cores line, in seconds so far (0.0 off Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return 0.0
    return sum(int(fields[column]) for column in columns if column < len(fields)) / _TICKS


def steal_seconds() -> float:
    """CPU time the hypervisor gave other guests while this machine wanted it, all cores, so far:
    a benchmark reports it because it inflates every figure."""
    return _all_cores_seconds(8)


def busy_seconds() -> float:
    """CPU time all cores spent running anything (user, nice, system, interrupts), so far: every
    process's share, including those that ended meanwhile."""
    return _all_cores_seconds(1, 2, 3, 6, 7)


def cpu_by_process(*cmdline_parts: str) -> dict[int, float]:
    """CPU time (user + system) used so far by each process whose command line contains all the
    parts, e.g. the product's web server processes on one port, or one database's server backends,
    by process id. Linux /proc; empty elsewhere."""
    used = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not all(part in command for part in cmdline_parts):
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
    return used


def cpu_seconds_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU time the processes used between two `cpu_by_process` snapshots. Per process, so one
    that ended meanwhile (the database's autovacuum worker matches its command line) does not
    take its whole lifetime off the sum; the time it used before it ended is lost, not negative."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
