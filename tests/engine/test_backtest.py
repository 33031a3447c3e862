"""Backtest of a draft rule against history with outcomes, next to the active rules."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tradewinds.risk.engine.backtest import backtest_rule
from tradewinds.risk.engine.evaluate import EvaluationContext
from tradewinds.risk.engine.rules import compile_rule

CONTEXT = EvaluationContext(lists={"watch": ["IMP-1"]}, as_of=dt.date(2020, 1, 1))
DRAFT = compile_rule({"id": "draft", "name": "Chapter 61", "weight": 20, "valid_from": "2030-01-01",
                      "condition": {"field": "hs_code", "operator": "hs_prefix", "value": "61"}}, [])
ACTIVE = compile_rule({"id": "watch", "version": 4, "name": "Watched importers", "weight": 50,
                       "condition": {"field": "importer_id", "operator": "in_list", "value": {"list": "watch"}}},
                      ["watch"])
LATE = compile_rule({"id": "late", "name": "From March", "weight": 5, "valid_from": "2025-03-01",
                     "condition": {"field": "hs_code", "operator": "is_empty"}}, [])


def history() -> pl.DataFrame:
    rows = [  # number, date, hs, importer, inspected, hit
        ("D1", "2025-01-05", "610910", "IMP-1", True, True),
        ("D1", "2025-01-05", "870323", "IMP-1", True, True),  # second item of D1
        ("D2", "2025-01-06", "610910", "IMP-2", True, False),
        ("D3", "2025-01-07", "620342", "IMP-2", False, False),
        ("D4", "2025-02-01", "611020", "IMP-3", True, True),
        ("D5", "2025-02-02", "870323", "IMP-1", False, True),  # a "hit" never inspected does not count
        ("D6", "2025-04-01", None, "IMP-3", True, False),
    ]
    frame = pl.DataFrame(rows, schema=["declaration_number", "declaration_date", "hs_code", "importer_id",
                                       "inspected", "hit"], orient="row")
    return frame.with_columns(pl.col("declaration_date").str.to_date())


def test_counts_for_the_draft_and_the_active_rules():
    report = backtest_rule(DRAFT, history(), CONTEXT, [ACTIVE, LATE])
    assert (report.declarations, report.inspected, report.hits) == (6, 4, 2)
    assert report.base_hit_rate.rate == 0.5
    draft = report.draft  # fires on D1 D2 D4 despite valid_from in 2030: a draft ignores validity
    assert (draft.fired, draft.inspected, draft.hits, draft.hit_rate.rate) == (3, 3, 2, pytest.approx(2 / 3))
    assert draft.hit_rate.low < 2 / 3 < draft.hit_rate.high
    assert (report.draft_only.fired, report.draft_only.hits) == (2, 1)  # D2, D4: D1 was already watched
    watch, late = report.active
    assert (watch.rule_id, watch.rule_version, watch.fired, watch.inspected, watch.hits) == ("watch", 4, 2, 1, 1)
    assert (late.fired, late.inspected, late.hits) == (1, 1, 0)  # D6 only: active rules replay their validity
    assert report.active_any.fired == 3


def test_period_filter_and_no_inspections():
    report = backtest_rule(DRAFT, history(), CONTEXT, period=(dt.date(2025, 1, 6), dt.date(2025, 1, 7)))
    assert (report.declarations, report.draft.fired, report.draft.inspected, report.draft.hits) == (2, 1, 1, 0)
    assert report.draft.hit_rate.rate == 0.0 and report.active == ()
    quiet = backtest_rule(DRAFT, history(), CONTEXT, period=(dt.date(2025, 1, 7), dt.date(2025, 1, 7)))
    assert (quiet.declarations, quiet.draft.fired, quiet.draft.hit_rate.rate) == (1, 0, None)


def test_outcome_columns_are_required():
    with pytest.raises(ValueError, match="inspected"):
        backtest_rule(DRAFT, history().drop("inspected"), CONTEXT)
