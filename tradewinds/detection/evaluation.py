"""Metrics of a model on a time-later slice it did not train on, per declaration.

They are measured on *inspected* declarations only (the only ones with an outcome), so "precision
at 5 %" is the hit rate among the 5 % of inspected declarations the model ranks riskiest. That is
what an officer will see, but it is not the rate over the whole flow; the page says so."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl

from tradewinds.risk.engine.detection.metrics import RATES, auc, precision_at, precision_curve, selection_report

from .dataset import CRITICAL_LABEL

CURVE_POINTS = 20


def evaluate(declarations: pl.DataFrame) -> tuple[dict[str, Any], list[list[float]]]:
    """(metrics, precision-at-inspection-rate curve) from per-declaration scores and labels."""
    fraud = declarations["fraud"].to_numpy().astype(np.float64)
    critical = (declarations["critical"].to_numpy() == CRITICAL_LABEL).astype(np.float64)
    duty = declarations["duty_at_stake"].to_numpy()
    ranking = declarations["fraud_score"].to_numpy()
    revenue_ranking = declarations["expected_revenue"].to_numpy()
    critical_ranking = declarations["critical_score"].to_numpy()
    n = declarations.height
    metrics: dict[str, Any] = {
        "fraud": _with_counts(selection_report(fraud, ranking, duty), n),
        "revenue": _with_counts(selection_report(fraud, revenue_ranking, duty), n),
        "auc": _number(auc(fraud, ranking)),
        "critical_auc": _number(auc(critical, critical_ranking)),
        "critical_precision": {
            f"{rate:.0%}": _number(precision_at(critical, critical_ranking, rate)) if _count(n, rate) else None
            for rate in RATES
        },
        "evaluation": {
            "declarations": n,
            "frauds": int(fraud.sum()),
            "critical": int(critical.sum()),
            "start": str(declarations["declaration_date"].min()),
            "end": str(declarations["declaration_date"].max()),
        },
    }
    # A rate that selects no declaration has no precision (the engine reports 0): leave it out.
    points = precision_curve(fraud, ranking, CURVE_POINTS) if n else []
    curve = [[round(rate, 4), round(p, 4)] for rate, p in points if _count(n, rate) >= 1]
    return metrics, curve


def _with_counts(report: dict[str, dict[str, float]], n: int) -> dict[str, dict[str, Any]]:
    """Each rate with how many declarations it selects; figures over no declaration are None."""
    out = {}
    for rate, (key, values) in zip(RATES, report.items(), strict=True):
        selected = _count(n, rate)
        out[key] = {"selected": selected, **{k: _number(v) if selected else None for k, v in values.items()}}
    return out


def _count(n: int, rate: float) -> int:
    return int(round(n * rate))


def _number(value: float) -> float | None:
    """JSON-safe (PostgreSQL's jsonb refuses NaN): None when undefined, else 4 decimals."""
    return None if value is None or math.isnan(value) else round(float(value), 4)
