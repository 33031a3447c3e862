"""An administration's selectivity settings, their validation, and thresholds derived from rates."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .vocabulary import CONTROL_LANES, FieldError, Lane


@dataclass(frozen=True)
class LaneRates:
    """A share of declarations (0..1) per control lane."""

    red: float = 0.0
    yellow: float = 0.0
    blue: float = 0.0

    def of(self, lane: Lane) -> float:
        return 0.0 if lane is Lane.GREEN else float(getattr(self, lane.value))

    @property
    def total(self) -> float:
        return self.red + self.yellow + self.blue


@dataclass(frozen=True)
class LaneThresholds:
    """Minimum score for each control lane; None = the score alone never sends there."""

    red: float | None = None
    yellow: float | None = None
    blue: float | None = None

    def of(self, lane: Lane) -> float | None:
        return None if lane is Lane.GREEN else getattr(self, lane.value)


@dataclass(frozen=True)
class SelectivitySettings:
    """Per administration. ``random_rates`` are the minimum random rates (the floor every trader,
    AEO or not, is exposed to); ``expected_rates`` the targets thresholds are tuned to;
    ``model_weight`` the points a model probability of 1.0 adds to the rule points."""

    thresholds: LaneThresholds = field(default_factory=LaneThresholds)
    random_rates: LaneRates = field(default_factory=LaneRates)
    expected_rates: LaneRates = field(default_factory=LaneRates)
    model_weight: float = 100.0

    def random_cuts(self) -> tuple[float, float, float]:
        """Upper ends of the draw intervals [0, red) [red, +yellow) [.., +blue); computed once here so
        the single and batch paths add the same floats in the same order."""
        red = self.random_rates.red
        yellow = red + self.random_rates.yellow
        return red, yellow, yellow + self.random_rates.blue

    def validate(self) -> list[FieldError]:
        """Field errors (paths such as ``random_rates.red``); empty when the settings are usable."""
        errors = _rate_errors("random_rates", self.random_rates) + _rate_errors("expected_rates", self.expected_rates)
        for lane in CONTROL_LANES:
            if self.random_rates.of(lane) > self.expected_rates.of(lane):
                errors.append(FieldError(f"random_rates.{lane.value}", "The random rate exceeds the expected rate.",
                                         "above_expected", {"lane": lane.value}))
        errors += _threshold_errors(self.thresholds)
        if not (math.isfinite(self.model_weight) and self.model_weight >= 0):
            errors.append(FieldError("model_weight", "The model weight is a number of points, 0 or more.",
                                     "out_of_range"))
        return errors


def _rate_errors(prefix: str, rates: LaneRates) -> list[FieldError]:
    errors = [FieldError(f"{prefix}.{lane.value}", "A rate lies between 0 and 1.", "out_of_range",
                         {"min": 0, "max": 1})
              for lane in CONTROL_LANES if not 0.0 <= rates.of(lane) <= 1.0]
    if not errors and rates.total > 1.0:
        errors.append(FieldError(prefix, "The rates add up to more than 100 %.", "total_above_one"))
    return errors


def _threshold_errors(thresholds: LaneThresholds) -> list[FieldError]:
    errors: list[FieldError] = []
    previous: tuple[Lane, float] | None = None
    for lane in CONTROL_LANES:
        value = thresholds.of(lane)
        if value is None:
            continue
        if not (math.isfinite(value) and value > 0):
            # A threshold of 0 would send every declaration without any risk sign to control.
            errors.append(FieldError(f"thresholds.{lane.value}", "A threshold is a positive score.", "out_of_range"))
        elif previous is not None and value > previous[1]:
            errors.append(FieldError(f"thresholds.{lane.value}",
                                     f"Must not exceed the {previous[0].value} threshold.", "threshold_order",
                                     {"lane": lane.value, "above": previous[0].value}))
        else:
            previous = (lane, value)
    return errors


def thresholds_from_expected_rates(past_scores: np.ndarray, expected: LaneRates,
                                   random_rates: LaneRates | None = None) -> LaneThresholds:
    """Score thresholds that would have sent the expected share of past declarations to each lane.

    Lanes are cumulative from red down: the red threshold is the (1 - red) quantile, yellow the
    (1 - red - yellow) quantile, and so on. When ``random_rates`` is given, the random floor is
    taken out of each lane's share first (random picks already fill part of it). A threshold never
    falls to 0: if most past scores are 0, it becomes the smallest positive score, so declarations
    without any risk sign are not selected by score (the lane then gets less than expected).
    """
    scores = np.asarray(past_scores, dtype=np.float64)
    scores = scores[np.isfinite(scores)]
    positive = scores[scores > 0]
    cumulative = 0.0
    result: dict[str, float | None] = {}
    for lane in CONTROL_LANES:
        share = expected.of(lane) - (random_rates.of(lane) if random_rates else 0.0)
        if share <= 0 or positive.size == 0:
            result[lane.value] = None
            continue
        cumulative = min(1.0, cumulative + share)
        quantile = float(np.quantile(scores, 1.0 - cumulative, method="higher"))
        result[lane.value] = quantile if quantile > 0 else float(positive.min())
    return LaneThresholds(**result)
