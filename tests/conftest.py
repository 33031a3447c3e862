"""Shared fixtures. The demo region is loaded once into the test database, so every test sees
three member administrations and the regional office with a user for every role."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tradewinds.core.demo import load_demo

        load_demo()


@pytest.fixture
def demo_user(db):
    from tradewinds.core.models import User

    def get(username: str) -> User:
        return User.objects.select_related("administration").get(username=username)

    return get


@pytest.fixture
def client_as(db, demo_user):
    """A Django test client logged in as a demo user (skips the password hash for speed)."""
    from django.test import Client

    def make(username: str, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(demo_user(username))
        return client

    return make


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _throwaway_database_url() -> tuple[str | None, callable]:
    """On the PostgreSQL leg the served demo gets its own fresh database, dropped afterwards."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None, lambda: None
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"tw_served_{uuid.uuid4().hex[:8]}"
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

    def drop() -> None:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + "/" + name, drop


@pytest.fixture(scope="session")
def served_demo():
    """The real product: `tradewinds serve --demo` (gunicorn + task worker) on a free port, on a
    throw-away SQLite file or PostgreSQL database. Yields the base URL."""
    port = _free_port()
    data_dir = tempfile.mkdtemp(prefix="tw-served-")
    database_url, drop_database = _throwaway_database_url()
    env = {**os.environ, "TRADEWINDS_DATA_DIR": data_dir, "TRADEWINDS_LOGIN_THROTTLING": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = open(Path(data_dir) / "serve.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tradewinds.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, Path(data_dir) / "serve.log")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        drop_database()


def _wait_healthy(base: str, process: subprocess.Popen, log_path: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("tradewinds serve exited:\n" + log_path.read_text()[-3000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("tradewinds serve did not become healthy:\n" + log_path.read_text()[-3000:])
