"""The `tradewinds` command, run as a user would run it."""

import os
import subprocess
import sys

import pytest

from tradewinds.cli import DELEGATED


def tradewinds(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tradewinds.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


@pytest.mark.parametrize("verb", [[], ["serve"], ["demo"], ["createadmin"], ["audit"], ["audit", "verify"], ["manage"]])
def test_every_verb_has_help(verb):
    result = tradewinds(*verb, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


@pytest.mark.parametrize("verb", sorted(DELEGATED))
def test_delegated_verbs_have_help(verb):
    result = tradewinds(*verb, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower()


def test_createadmin_refuses_a_weak_password_and_accepts_a_strong_one(tmp_path):
    env = {"TRADEWINDS_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    weak = tradewinds("createadmin", "--username", "root", env={**env, "TRADEWINDS_ADMIN_PASSWORD": "123"})
    assert weak.returncode == 1 and "Not created" in weak.stderr
    strong = tradewinds(
        "createadmin", "--username", "root", env={**env, "TRADEWINDS_ADMIN_PASSWORD": "a-long harbour passphrase"}
    )
    assert strong.returncode == 0, strong.stderr
    assert tradewinds("audit", "verify", env=env).returncode == 0


def test_demo_refuses_a_database_that_already_has_data(tmp_path):
    env = {"TRADEWINDS_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    assert (
        tradewinds("createadmin", env={**env, "TRADEWINDS_ADMIN_PASSWORD": "a-long harbour passphrase"}).returncode == 0
    )
    again = tradewinds("demo", env=env)
    assert again.returncode == 1 and "empty database" in again.stderr
