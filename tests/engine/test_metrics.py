"""Performance metrics: per rule, per lane, per period, and the random-selection estimate."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tradewinds.risk.engine.metrics import (
    lane_metrics,
    period_metrics,
    random_compliance_estimate,
    rule_metrics,
    wilson_interval,
)


def decisions() -> pl.DataFrame:
    return pl.DataFrame({
        "declaration_number": ["D1", "D2", "D3", "D4", "D5", "D6"],
        "declaration_date": [dt.date(2025, 1, 6), dt.date(2025, 1, 7), dt.date(2025, 1, 20),
                             dt.date(2025, 2, 3), dt.date(2025, 2, 4), dt.date(2025, 2, 5)],
        "lane": ["red", "red", "yellow", "green", "red", "green"],
        "inspected": [True, True, True, False, True, None],
        "hit": [True, False, True, True, False, None],
        "random_selected": [True, False, False, False, True, False],
        "rule_ids": [["a", "b"], ["a"], [], [], ["b"], []],
    })


def test_wilson_interval_known_values():
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(0.2775, abs=1e-4)
    low, high = wilson_interval(5, 10)
    assert (low, high) == (pytest.approx(0.2366, abs=1e-4), pytest.approx(0.7634, abs=1e-4))
    assert wilson_interval(0, 0) is None


def test_rule_metrics():
    table = rule_metrics(decisions())
    assert table.select("rule_id", "fired", "inspected", "hits", "hit_rate").rows() == [
        ("a", 2, 2, 1, 0.5), ("b", 2, 2, 1, 0.5)]
    assert table["hit_rate_low"][0] < 0.5 < table["hit_rate_high"][0]


def test_lane_metrics():
    rows = {row["lane"]: row for row in lane_metrics(decisions()).to_dicts()}
    assert (rows["red"]["declarations"], rows["red"]["inspected"], rows["red"]["hits"]) == (3, 3, 1)
    assert rows["green"]["hit_rate"] is None and rows["red"]["share"] == 0.5


def test_period_metrics_by_month_and_week():
    months = period_metrics(decisions(), "1mo")
    assert months.select("period", "declarations", "inspected", "hits").rows() == [
        (dt.date(2025, 1, 1), 3, 3, 2), (dt.date(2025, 2, 1), 3, 1, 0)]
    assert months["inspection_rate"].to_list() == [1.0, pytest.approx(1 / 3)]
    assert period_metrics(decisions(), "1w").height == 3


def test_random_selections_estimate_non_compliance():
    estimate = random_compliance_estimate(decisions())
    assert (estimate.successes, estimate.trials, estimate.rate) == (1, 2, 0.5)
    assert 0 < estimate.low < 0.5 < estimate.high < 1
