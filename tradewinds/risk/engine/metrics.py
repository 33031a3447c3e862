"""Performance of rules and lanes, measured on inspection outcomes.

The functions take a *decisions frame*, one row per declaration, with the columns:

``declaration_number`` (str), ``declaration_date`` (date), ``lane`` (str), ``inspected`` (bool),
``hit`` (bool: the inspection found a discrepancy), ``random_selected`` (bool: the draw fell under
the random floor) and ``rule_ids`` (list[str]: the rules that fired). Missing booleans count as false;
a hit is only counted on an inspected declaration.

Why ``random_selected`` and not "decided by random": a declaration the draw picked may also have
been sent to control by a rule; dropping it would bias the random sample towards the compliant.
The hit rate over *all* draw-selected, inspected declarations estimates non-compliance in the flow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import polars as pl


@dataclass(frozen=True)
class Proportion:
    successes: int
    trials: int
    rate: float | None  # None when there were no trials
    low: float | None
    high: float | None


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion; behaves at 0 and at small samples, unlike
    the normal approximation. None when there are no trials."""
    if trials <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # At 0 and at n successes the bound is exactly 0 or 1; rounding would leave 1e-17 crumbs.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def proportion(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    interval = wilson_interval(successes, trials, confidence)
    if interval is None:
        return Proportion(successes, trials, None, None, None)
    return Proportion(successes, trials, successes / trials, *interval)


def _outcomes(decisions: pl.DataFrame) -> pl.DataFrame:
    inspected = pl.col("inspected").fill_null(False)
    return decisions.with_columns(inspected.alias("inspected"),
                                  (pl.col("hit").fill_null(False) & inspected).alias("hit"))


def _rates(frame: pl.DataFrame, confidence: float) -> pl.DataFrame:
    """Adds hit_rate and its Wilson bounds to a frame with ``inspected`` and ``hits`` counts."""
    bounds = [wilson_interval(h, n, confidence) or (None, None)
              for h, n in zip(frame["hits"].to_list(), frame["inspected"].to_list(), strict=True)]
    return frame.with_columns(
        pl.when(pl.col("inspected") > 0).then(pl.col("hits") / pl.col("inspected")).alias("hit_rate"),
        pl.Series("hit_rate_low", [b[0] for b in bounds], dtype=pl.Float64),
        pl.Series("hit_rate_high", [b[1] for b in bounds], dtype=pl.Float64),
    )


def rule_metrics(decisions: pl.DataFrame, confidence: float = 0.95) -> pl.DataFrame:
    """Per rule: declarations fired, of those inspected, hits, hit rate with a Wilson interval."""
    exploded = _outcomes(decisions).select("rule_ids", "inspected", "hit").explode("rule_ids")
    counts = (exploded.filter(pl.col("rule_ids").is_not_null())
              .group_by(pl.col("rule_ids").alias("rule_id"))
              .agg(pl.len().alias("fired"), pl.col("inspected").sum().alias("inspected"),
                   pl.col("hit").sum().alias("hits"))
              .sort("rule_id"))
    return _rates(counts, confidence)


def lane_metrics(decisions: pl.DataFrame, confidence: float = 0.95) -> pl.DataFrame:
    """Per lane: declarations, share of the flow, inspected, hits, hit rate."""
    total = max(decisions.height, 1)
    counts = (_outcomes(decisions).group_by("lane")
              .agg(pl.len().alias("declarations"), pl.col("inspected").sum().alias("inspected"),
                   pl.col("hit").sum().alias("hits"))
              .with_columns((pl.col("declarations") / total).alias("share"))
              .sort("lane"))
    return _rates(counts, confidence)


def period_metrics(decisions: pl.DataFrame, every: str = "1mo", confidence: float = 0.95) -> pl.DataFrame:
    """Inspection rate and hit rate per period (``every``: Polars duration, "1w" or "1mo")."""
    counts = (_outcomes(decisions).filter(pl.col("declaration_date").is_not_null())
              .with_columns(pl.col("declaration_date").cast(pl.Date).dt.truncate(every).alias("period"))
              .group_by("period")
              .agg(pl.len().alias("declarations"), pl.col("inspected").sum().alias("inspected"),
                   pl.col("hit").sum().alias("hits"))
              .with_columns((pl.col("inspected") / pl.col("declarations")).alias("inspection_rate"))
              .sort("period"))
    return _rates(counts, confidence)


def random_compliance_estimate(decisions: pl.DataFrame, confidence: float = 0.95) -> Proportion:
    """Hit rate of the draw-selected declarations that were inspected: the estimate of
    non-compliance in the whole flow, with a Wilson interval."""
    sample = _outcomes(decisions).filter(pl.col("random_selected").fill_null(False) & pl.col("inspected"))
    return proportion(int(sample["hit"].sum()), sample.height, confidence)
