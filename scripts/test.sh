#!/usr/bin/env bash
# The whole test suite: static checks, then pytest on SQLite and again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
export TRADEWINDS_DATA_DIR=${TRADEWINDS_DATA_DIR:-$(mktemp -d)}

echo "== static checks"
$BIN/ruff check tradewinds tests
$BIN/lint-imports --no-cache
$BIN/tradewinds manage makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration: run 'tradewinds manage makemigrations'." >&2; exit 1; }
bash scripts/messages.sh --check

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/python -m pytest -q "$@"

PG_URL=${TRADEWINDS_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/tradewinds_ci}
pg_answers() {
  $BIN/python -c "import sys; from tradewinds.bench.served import postgres_reachable as r; sys.exit(0 if r(sys.argv[1]) else 1)" "$PG_URL"
}
if ! pg_answers && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  echo "PostgreSQL is not answering; trying to start the local cluster…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start 2>/dev/null || true
  sleep 2
fi
if pg_answers; then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/python -m pytest -q --create-db "$@"
else
  echo "== PostgreSQL leg SKIPPED: no server answers at $PG_URL (start one, or set TRADEWINDS_TEST_PG_URL)"
fi
