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
if $BIN/python - "$PG_URL" <<'PY' 2>/dev/null
import sys, psycopg, dj_database_url
cfg = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
                dbname="postgres", connect_timeout=3).close()
PY
then
  echo "== tests on PostgreSQL ($PG_URL)"
  DATABASE_URL=$PG_URL $BIN/python -m pytest -q --create-db "$@"
else
  echo "== PostgreSQL leg SKIPPED: no server answers at $PG_URL (start one, or set TRADEWINDS_TEST_PG_URL)"
fi
