"""Single == batch for lane allocation: same lane, source, score, draw and random flag, on random
rules, declarations, settings, model probabilities, trader factors and exploration lanes."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.risk.engine.evaluate import evaluate_batch, evaluate_declaration
from tradewinds.risk.engine.lanes import LaneInputs, allocate_batch, allocate_lane
from tradewinds.risk.engine.random_draw import DrawKey
from tradewinds.risk.engine.scoring import ModelScore
from tradewinds.risk.engine.selectivity import LaneRates, LaneThresholds, SelectivitySettings
from tradewinds.risk.engine.vocabulary import Lane

from .test_rules_strategies import CONTEXTS, compiled_rule_sets, declarations, items_of

KEY = DrawKey("test-2025", b"a per-administration secret")


@st.composite
def selectivity_settings(draw: st.DrawFn) -> SelectivitySettings:
    thresholds = sorted(draw(st.lists(st.sampled_from([None, 10.0, 25.5, 40.0, 80.0]), min_size=3, max_size=3)),
                        key=lambda value: -math.inf if value is None else value)
    red, yellow, blue = reversed(thresholds)
    rates = draw(st.lists(st.sampled_from([0.0, 0.05, 0.2, 0.3]), min_size=3, max_size=3))
    return SelectivitySettings(thresholds=LaneThresholds(red, yellow, blue), random_rates=LaneRates(*rates),
                               expected_rates=LaneRates(0.4, 0.4, 0.2),
                               model_weight=draw(st.sampled_from([0.0, 50.0, 100.0, 33.3])))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=compiled_rule_sets(), frame=declarations(), context=st.sampled_from(CONTEXTS),
       selectivity=selectivity_settings(), data=st.data())
def test_single_allocation_equals_batch(rules, frame, context, selectivity, data):
    result = evaluate_batch(frame, rules, context)
    n = len(result)
    probability = np.array(data.draw(st.lists(st.sampled_from([math.nan, 0.0, 0.123, 0.5, 0.97, 1.0]),
                                              min_size=n, max_size=n)))
    factor = np.array(data.draw(st.lists(st.sampled_from([1.0, 0.5, 0.3, 1.2]), min_size=n, max_size=n)))
    explore = data.draw(st.lists(st.sampled_from([None, None, Lane.YELLOW, Lane.RED, Lane.BLUE]), min_size=n,
                                 max_size=n))
    severity = np.array([lane.severity if lane else 0 for lane in explore], np.int8)
    lanes = allocate_batch(result, selectivity, KEY, model_probability=probability, trader_factor=factor,
                           exploration_severity=severity)
    table = lanes.to_frame()
    for i, number in enumerate(result.declaration_numbers.to_list()):
        model = None if math.isnan(probability[i]) else ModelScore(float(probability[i]), exploration_lane=explore[i])
        hits = evaluate_declaration(items_of(frame, number), rules, context)
        single = allocate_lane(LaneInputs(number, hits, model, float(factor[i])), selectivity, KEY)
        row = table.row(i, named=True)
        assert (single.lane.value, single.decided_by, single.score, single.rule_points, single.draw,
                single.random_selected) == (row["lane"], row["decided_by"], row["score"], row["rule_points"],
                                            row["draw"], row["random_selected"])
