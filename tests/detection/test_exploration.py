"""Exploration: the declarations the model is least sure about, at the configured share of the
inspection budget, get at least the exploration lane with the reason "the model is unsure"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import numpy as np

from tradewinds.declarations.models import Declaration
from tradewinds.detection import services, source
from tradewinds.detection.exploration import ExplorationPlan, band_for, share_in_band
from tradewinds.detection.training import FLOW_DAYS
from tradewinds.risk import frames, scoring
from tradewinds.risk.engine.lanes import LaneInputs, allocate_lane
from tradewinds.risk.engine.random_draw import DrawKey
from tradewinds.risk.engine.selectivity import LaneRates, LaneThresholds, SelectivitySettings
from tradewinds.risk.engine.vocabulary import Lane


def test_the_band_holds_the_configured_share_of_a_constructed_flow():
    rng = np.random.default_rng(5)
    flow = rng.beta(0.6, 3.0, 20_000)  # most declarations look clean, a few look risky
    plan = ExplorationPlan(inspection_rate=0.2, exploration_share=0.1, uncertain_share=0.5, min_probability=0.05)
    band = band_for(flow[:10_000], plan)
    assert band is not None and band.low < 0.5 < band.high
    assert abs(share_in_band(flow[10_000:], band) - plan.uncertain_rate) < 0.003  # 1 % of the flow
    inside = flow[(flow >= band.low) & (flow <= band.high)]
    outside = flow[((flow < band.low) | (flow > band.high)) & (flow >= plan.min_probability)]
    assert np.abs(inside - 0.5).max() <= np.abs(outside - 0.5).min()  # the most uncertain, no others


def test_no_band_without_a_budget_and_never_below_the_minimum():
    flow = np.linspace(0.0, 0.04, 1000)
    assert band_for(flow, ExplorationPlan(0.2, 0.0, 0.5, 0.05)) is None
    assert band_for(flow, ExplorationPlan(0.2, 0.1, 0.5, 0.05)) is None  # all below the minimum


def test_exploration_selects_uncertain_declarations_at_the_configured_share(demo_user, lca, active_version):
    services.update_settings(demo_user("lca.risk"), {"exploration_share": 0.2, "uncertain_share": 1.0})
    plan, lane = source.plan_for(lca.pk)
    # The band was measured on the flow of the 90 days up to the day of training; on that flow it
    # holds the configured share. (Older declarations trained the model, which is surer of them, so
    # over the whole year the share depends on the model the demo's outcomes happened to give.)
    zone = zoneinfo.ZoneInfo(lca.time_zone)
    trained_on = active_version.created_at.astimezone(zone).date()
    start = dt.datetime.combine(trained_on - dt.timedelta(FLOW_DAYS), dt.time.min, zone)
    end = dt.datetime.combine(trained_on + dt.timedelta(1), dt.time.min, zone)
    declarations = list(
        Declaration.objects.filter(administration=lca, lodged_at__gte=start, lodged_at__lt=end).order_by("id")
    )
    scores = [scoring.model_score(lca.pk, frames.items_for(d, lca.time_zone)) for d in declarations]
    explored = [score for score in scores if score is not None and score.exploration_lane is not None]
    share = len(explored) / len(declarations)
    assert plan.uncertain_rate == 0.25 * 0.2 * 1.0  # the demo's expected inspection rate is 25 %
    assert len(declarations) > 200 and abs(share - plan.uncertain_rate) < 0.015, (share, plan.uncertain_rate)
    probabilities = np.array([score.probability for score in scores])
    chosen = np.array([score.exploration_lane is not None for score in scores])
    others = probabilities[(probabilities >= plan.min_probability) & ~chosen]
    assert others.size and np.abs(probabilities[chosen] - 0.5).max() <= np.abs(others - 0.5).min() + 1e-9
    assert {score.exploration_lane for score in explored} == {lane}

    # In lane allocation, a low score on its own stays green; exploration lifts it to the lane.
    quiet = SelectivitySettings(
        thresholds=LaneThresholds(200, 150, 120), random_rates=LaneRates(), expected_rates=LaneRates(0.1, 0.1, 0.05)
    )
    decision = allocate_lane(LaneInputs("LCA-X", (), explored[0]), quiet, DrawKey("k", b"sixteen bytes or more"))
    assert (decision.lane, decision.decided_by) == (Lane.YELLOW, "exploration")
    assert any(reason.code == "risk.model_exploration" for reason in decision.reasons)
