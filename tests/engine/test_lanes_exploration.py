"""Exploration in lane allocation: a score source that is unsure asks for at least a lane; the
decision says it was exploration, and the reason is recorded as data."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tradewinds.risk.engine.evaluate import BatchResult
from tradewinds.risk.engine.lanes import REASON_MESSAGES, LaneInputs, allocate_batch, allocate_lane
from tradewinds.risk.engine.random_draw import DrawKey, draw_value
from tradewinds.risk.engine.scoring import ModelFactor, ModelScore
from tradewinds.risk.engine.selectivity import LaneRates, LaneThresholds, SelectivitySettings
from tradewinds.risk.engine.vocabulary import Lane

KEY = DrawKey("k-2025", b"0123456789abcdef-secret")
# No random floor, so only exploration can lift a low score out of the green lane.
SETTINGS = SelectivitySettings(
    thresholds=LaneThresholds(red=80, yellow=60, blue=55),
    random_rates=LaneRates(0.0, 0.0, 0.0),
    expected_rates=LaneRates(0.1, 0.1, 0.1),
)


def test_an_unsure_model_sends_a_low_score_to_the_exploration_lane_with_its_reason():
    model = ModelScore(0.48, source="detection", version="v2", exploration_lane=Lane.YELLOW)
    decision = allocate_lane(LaneInputs("D1", (), model), SETTINGS, KEY)
    assert (decision.lane, decision.decided_by) == (Lane.YELLOW, "exploration")
    reason = next(r for r in decision.reasons if r.code == "risk.model_exploration")
    assert reason.params == {"probability": 0.48, "lane": "yellow", "reason": "uncertain"}
    assert REASON_MESSAGES[reason.code].format(**reason.params).startswith("Exploration: the model is unsure")


def test_exploration_never_lowers_a_lane_and_loses_ties_to_the_score():
    model = ModelScore(0.9, exploration_lane=Lane.BLUE)
    decision = allocate_lane(LaneInputs("D1", (), model), SETTINGS, KEY)
    assert (decision.lane, decision.decided_by) == (Lane.RED, "score")
    tie = allocate_lane(LaneInputs("D1", (), ModelScore(0.6, exploration_lane=Lane.YELLOW)), SETTINGS, KEY)
    assert (tie.lane, tie.decided_by) == (Lane.YELLOW, "score")


def test_no_exploration_without_a_model_score_in_a_batch():
    numbers = pl.Series([f"D{i}" for i in range(4)])
    result = BatchResult(numbers, np.zeros((4, 0), dtype=bool), ())
    lanes = allocate_batch(
        result,
        SETTINGS,
        KEY,
        model_probability=np.array([np.nan, 0.5, 0.5, 0.1]),
        exploration_severity=np.array([2, 2, 0, 3], np.int8),
    )
    assert lanes.to_frame()["decided_by"].to_list() == ["none", "exploration", "none", "exploration"]


def test_factors_carry_their_phrase_as_data():
    factor = ModelFactor(
        "importer",
        "importer's past hit rate 40 %",
        0.41,
        template="party_history",
        values={"party": "importer", "rate": "40 %"},
        target="fraud",
    )
    decision = allocate_lane(LaneInputs("D1", (), ModelScore(0.2, factors=(factor,))), SETTINGS, KEY)
    params = next(r.params for r in decision.reasons if r.code == "risk.model_factor")
    assert params["template"] == "party_history" and params["values"]["rate"] == "40 %"
    assert params["target"] == "fraud" and params["value"] == "importer's past hit rate 40 %"
    assert draw_value(KEY, "D1") >= 0.0


def test_an_exploration_lane_is_a_control_lane():
    with pytest.raises(ValueError):
        ModelScore(0.5, exploration_lane=Lane.GREEN)
