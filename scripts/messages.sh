#!/usr/bin/env bash
# Translation catalogues. Without arguments: extract strings, then compile (.mo are committed so a
# fresh install needs no gettext). With --check: fail when a compiled catalogue is out of date or a
# language lacks translations.
set -euo pipefail
cd "$(dirname "$0")/../tradewinds"
BIN=../${VENV:-.venv}/bin
if [ "${1:-}" = "--check" ]; then
  exec $BIN/python ../scripts/check_messages.py
fi
$BIN/tradewinds manage makemessages -l es -l fr -l nl --no-obsolete --no-location --ignore "bench/*" --ignore "*/engine/*"
$BIN/python ../scripts/check_messages.py --compile
