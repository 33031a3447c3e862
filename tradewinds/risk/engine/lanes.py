"""ASYCUDA-style lane allocation: mandatory rules, weighted score, random floor, trusted traders.

For each declaration the engine computes three candidate lanes and keeps the most severe:

1. **mandatory**: the strongest ``lane`` among the rules that fired;
2. **score**: ``(rule points + model_weight × model probability) × trader factor`` against the
   lane thresholds (red first, then yellow, then blue);
3. **random**: the reproducible draw ``u`` in [0, 1) against the minimum random rates, laid end to
   end: ``u < red`` → red, ``u < red + yellow`` → yellow, ``u < red + yellow + blue`` → blue;
4. **exploration**: the lane the model's score source asks for when the model is unsure
   (``ModelScore.exploration_lane``), so the model keeps learning from what it would not select.

The trusted-trader (AEO) factor only scales the score: it never touches mandatory lanes or the
random floor. Every decision carries its reasons as (code, params) data; :data:`REASON_MESSAGES`
gives the English templates the UI translates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from .evaluate import BatchResult, RuleHit
from .random_draw import DRAW_SCHEME, DrawKey, draw_value, draw_values
from .scoring import ModelScore
from .selectivity import SelectivitySettings
from .vocabulary import CONTROL_LANES, LANES_BY_SEVERITY, Lane

#: What decided the lane, most authoritative first (ties go to the earlier source).
DECIDED_BY: tuple[str, ...] = ("mandatory_rule", "score", "random", "exploration", "none")

REASON_MESSAGES: Mapping[str, str] = {
    "risk.rule_fired": "Rule “{rule_name}” (version {rule_version}) fired: {weight} points.",
    "risk.rule_mandatory_lane": "Rule “{rule_name}” (version {rule_version}) requires the {lane} lane "
                                "({weight} points).",
    "risk.model_score": "Model {source} {version}: probability {probability:.2f}, {points:.1f} points.",
    "risk.model_factor": "Model factor {feature} = {value} ({contribution:+.3f}).",
    "risk.model_exploration": "Exploration: the model is unsure (probability {probability:.2f}); "
                              "at least the {lane} lane.",
    "risk.trusted_trader": "Trusted trader: score multiplied by {factor}.",
    "risk.score": "Score {score:.1f} (threshold for {lane}: {threshold}).",
    "risk.random_selected": "Random selection for the {lane} lane: draw {draw:.6f} below {cut:.6f}.",
    "risk.random_not_selected": "Not selected at random: draw {draw:.6f}, floor {cut:.6f}.",
    "risk.lane": "Lane {lane}, decided by {decided_by}.",
}


@dataclass(frozen=True)
class LaneInputs:
    """What one declaration brings to lane allocation."""

    declaration_number: str
    hits: Sequence[RuleHit] = ()
    model: ModelScore | None = None
    trader_factor: float = 1.0  # < 1 for AEO traders; scales the score only


@dataclass(frozen=True)
class Reason:
    """One reason for a decision: a message code, its parameters (JSON-serialisable) and the lane
    this reason pushes towards, if any."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    lane: Lane | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "lane": self.lane.value if self.lane else None}


@dataclass(frozen=True)
class LaneDecision:
    declaration_number: str
    lane: Lane
    decided_by: str  # one of DECIDED_BY
    score: float
    rule_points: int
    model_probability: float | None
    trader_factor: float
    draw: float
    random_selected: bool  # the draw fell under the random floor, whatever else decided the lane
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"declaration_number": self.declaration_number, "lane": self.lane.value,
                "decided_by": self.decided_by, "score": self.score, "rule_points": self.rule_points,
                "model_probability": self.model_probability, "trader_factor": self.trader_factor,
                "draw": self.draw, "random_selected": self.random_selected,
                "reasons": [reason.as_dict() for reason in self.reasons]}


# --- one declaration -----------------------------------------------------------------------------

def allocate_lane(inputs: LaneInputs, settings: SelectivitySettings, key: DrawKey) -> LaneDecision:
    """The lane for one declaration, with its reasons."""
    _check_factor(inputs.trader_factor)
    rule_points = sum(hit.weight for hit in inputs.hits)
    probability = inputs.model.probability if inputs.model is not None else None
    score = combined_score(rule_points, probability, inputs.trader_factor, settings.model_weight)
    mandatory = max((hit.lane for hit in inputs.hits if hit.lane), key=lambda lane: lane.severity,
                    default=Lane.GREEN)
    by_score, draw = score_lane(score, settings), draw_value(key, inputs.declaration_number)
    by_draw = random_lane(draw, settings)
    explore = inputs.model.exploration_lane if inputs.model is not None else None
    candidates = (mandatory, by_score, by_draw, explore or Lane.GREEN, Lane.GREEN)
    lane = max(candidates, key=lambda candidate: candidate.severity)  # max keeps the first on ties
    decided_by = DECIDED_BY[candidates.index(lane)] if lane is not Lane.GREEN else "none"
    reasons = _rule_reasons(inputs.hits) + _model_reasons(inputs.model, settings.model_weight)
    if inputs.trader_factor != 1.0:
        reasons.append(Reason("risk.trusted_trader", {"factor": inputs.trader_factor}))
    reasons += [_score_reason(score, by_score, settings), _draw_reason(draw, key, settings),
                Reason("risk.lane", {"lane": lane.value, "decided_by": decided_by}, lane)]
    return LaneDecision(inputs.declaration_number, lane, decided_by, score, rule_points, probability,
                        inputs.trader_factor, draw, by_draw is not Lane.GREEN, tuple(reasons))


def combined_score(rule_points: int, probability: float | None, trader_factor: float,
                   model_weight: float) -> float:
    """``(rule points + model_weight × probability) × trader factor``, in the batch's float order."""
    raw = float(rule_points)
    if probability is not None:
        raw = raw + model_weight * probability
    return raw * trader_factor


def score_lane(score: float, settings: SelectivitySettings) -> Lane:
    for lane in CONTROL_LANES:
        threshold = settings.thresholds.of(lane)
        if threshold is not None and score >= threshold:
            return lane
    return Lane.GREEN


def random_lane(draw: float, settings: SelectivitySettings) -> Lane:
    for lane, cut in zip(CONTROL_LANES, settings.random_cuts(), strict=True):
        if draw < cut:
            return lane
    return Lane.GREEN


def _check_factor(factor: float) -> None:
    if not (math.isfinite(factor) and factor > 0):
        raise ValueError("a trader factor is a positive number (below 1 for trusted traders)")


def _rule_reasons(hits: Sequence[RuleHit]) -> list[Reason]:
    reasons = []
    for hit in hits:
        params = {"rule_id": hit.rule_id, "rule_version": hit.rule_version, "rule_name": hit.rule_name,
                  "weight": hit.weight, "lane": hit.lane.value if hit.lane else None}
        code = "risk.rule_mandatory_lane" if hit.lane else "risk.rule_fired"
        reasons.append(Reason(code, params, hit.lane))
    return reasons


def _model_reasons(model: ModelScore | None, model_weight: float) -> list[Reason]:
    if model is None:
        return []
    reasons = [Reason("risk.model_score", {"source": model.source, "version": model.version,
                                           "probability": model.probability,
                                           "points": model_weight * model.probability})]
    reasons += [Reason("risk.model_factor", factor.params()) for factor in model.factors]
    if model.exploration_lane is not None:
        reasons.append(Reason("risk.model_exploration", {"probability": model.probability,
                                                         "lane": model.exploration_lane.value,
                                                         "reason": model.exploration_reason},
                              model.exploration_lane))
    return reasons


def _score_reason(score: float, lane: Lane, settings: SelectivitySettings) -> Reason:
    threshold = settings.thresholds.of(lane)
    return Reason("risk.score", {"score": score, "lane": lane.value, "threshold": threshold},
                  lane if lane is not Lane.GREEN else None)


def _draw_reason(draw: float, key: DrawKey, settings: SelectivitySettings) -> Reason:
    lane = random_lane(draw, settings)
    cuts = dict(zip((lane.value for lane in CONTROL_LANES), settings.random_cuts(), strict=True))
    params = {"draw": draw, "scheme": DRAW_SCHEME, "key_id": key.key_id, "cuts": cuts,
              "lane": lane.value, "cut": cuts.get(lane.value, cuts["blue"])}
    code = "risk.random_selected" if lane is not Lane.GREEN else "risk.random_not_selected"
    return Reason(code, params, lane if lane is not Lane.GREEN else None)


def trader_factor_for(items: Sequence[Mapping[str, Any]], factors: Mapping[str, float],
                      field_name: str = "importer_id") -> float:
    """The trusted-trader factor of a declaration: its first item's trader in ``factors``, else 1."""
    trader = items[0].get(field_name) if items else None
    return float(factors.get(trader, 1.0)) if trader is not None else 1.0


# --- batches -------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BatchLanes:
    """Lane allocation for a batch, aligned with ``BatchResult.declaration_numbers``. Lanes and
    sources are small integer codes (severity, index in :data:`DECIDED_BY`) for speed;
    :meth:`to_frame` spells them out."""

    declaration_numbers: pl.Series
    lane_severity: np.ndarray  # int8
    decided_by: np.ndarray  # int8, index into DECIDED_BY
    score: np.ndarray
    rule_points: np.ndarray
    model_probability: np.ndarray  # NaN where no model score
    trader_factor: np.ndarray
    draw: np.ndarray
    random_selected: np.ndarray  # bool: the draw fell under the random floor

    def lane(self, index: int) -> Lane:
        return LANES_BY_SEVERITY[int(self.lane_severity[index])]

    def to_frame(self) -> pl.DataFrame:
        lanes = pl.Series([lane.value for lane in LANES_BY_SEVERITY])
        sources = pl.Series(list(DECIDED_BY))
        return pl.DataFrame({
            "declaration_number": self.declaration_numbers, "lane": lanes.gather(self.lane_severity),
            "decided_by": sources.gather(self.decided_by), "score": self.score,
            "rule_points": self.rule_points, "model_probability": self.model_probability,
            "trader_factor": self.trader_factor, "draw": self.draw, "random_selected": self.random_selected,
        }).with_columns(pl.col("model_probability").fill_nan(None))


def allocate_batch(result: BatchResult, settings: SelectivitySettings, key: DrawKey, *,
                   model_probability: np.ndarray | None = None,
                   trader_factor: np.ndarray | None = None,
                   exploration_severity: np.ndarray | None = None) -> BatchLanes:
    """Lanes for every declaration of a batch; equal, declaration by declaration, to
    :func:`allocate_lane` (``model_probability`` NaN = no model score; ``trader_factor`` default 1;
    ``exploration_severity`` the severity of ``ModelScore.exploration_lane``, 0 = not exploring)."""
    n = len(result)
    probability = np.full(n, np.nan) if model_probability is None else np.asarray(model_probability, np.float64)
    factor = np.ones(n) if trader_factor is None else np.asarray(trader_factor, np.float64)
    explore = np.zeros(n, np.int8) if exploration_severity is None else np.asarray(exploration_severity, np.int8)
    if probability.shape != (n,) or factor.shape != (n,) or explore.shape != (n,):
        raise ValueError("model_probability, trader_factor and exploration_severity need one value per declaration")
    if not (np.isfinite(factor).all() and (factor > 0).all()):
        raise ValueError("a trader factor is a positive number (below 1 for trusted traders)")
    points = result.rule_points
    raw = points.astype(np.float64)
    has_model = ~np.isnan(probability)
    raw[has_model] = raw[has_model] + settings.model_weight * probability[has_model]
    score = raw * factor
    draw = draw_values(key, result.declaration_numbers.to_list())
    by_draw = _random_severity(draw, settings)
    # Exploration needs a model score, as in the single path (no ModelScore, no exploration lane).
    explore = np.where(has_model, explore, 0).astype(np.int8)
    candidates = np.stack([result.mandatory_severity, _score_severity(score, settings), by_draw, explore,
                           np.zeros(n, np.int8)])
    decided = np.argmax(candidates, axis=0).astype(np.int8)  # argmax keeps the first on ties
    severity = np.take_along_axis(candidates, decided[None, :], axis=0)[0]
    decided[severity == 0] = DECIDED_BY.index("none")
    return BatchLanes(result.declaration_numbers, severity, decided, score, points, probability, factor, draw,
                      by_draw > 0)


def _score_severity(score: np.ndarray, settings: SelectivitySettings) -> np.ndarray:
    severity = np.zeros(score.shape, np.int8)
    for lane in reversed(CONTROL_LANES):  # least severe first, so more severe lanes overwrite
        threshold = settings.thresholds.of(lane)
        if threshold is not None:
            severity[score >= threshold] = lane.severity
    return severity


def _random_severity(draw: np.ndarray, settings: SelectivitySettings) -> np.ndarray:
    severity = np.zeros(draw.shape, np.int8)
    for lane, cut in reversed(list(zip(CONTROL_LANES, settings.random_cuts(), strict=True))):
        severity[draw < cut] = lane.severity
    return severity


def trader_factors_for_batch(frame: pl.DataFrame, result: BatchResult, factors: Mapping[str, float],
                             field_name: str = "importer_id") -> np.ndarray:
    """Per-declaration trusted-trader factors (first item's trader, as :func:`trader_factor_for`),
    aligned with ``result.declaration_numbers``; ``frame`` is the frame ``result`` was evaluated on."""
    if not factors or field_name not in frame.columns or result.first_rows is None:
        return np.ones(len(result))
    table_keys = pl.Series(list(factors.keys()), dtype=pl.String)
    table_values = pl.Series([float(value) for value in factors.values()], dtype=pl.Float64)
    per_row = frame[field_name].cast(pl.String).replace_strict(table_keys, table_values, default=1.0,
                                                               return_dtype=pl.Float64)
    return per_row.gather(result.first_rows).to_numpy()
