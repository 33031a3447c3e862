"""Performance figures measured on inspection outcomes: per rule, per lane, over time, and the hit rate
of random selections as the estimate of non-compliance in the whole flow (engine ``metrics``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from tradewinds.core.models import Administration
from tradewinds.risk.engine import metrics

from .models import LaneDecision, RiskRule

_SCHEMA = {
    "declaration_number": pl.String,
    "declaration_date": pl.Date,
    "lane": pl.String,
    "random_selected": pl.Boolean,
    "inspected": pl.Boolean,
    "hit": pl.Boolean,
    "rule_ids": pl.List(pl.String),
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def decisions_frame(administration: Administration, period: Period) -> pl.DataFrame:
    """One row per declaration lodged in the period with its current decision and outcome."""
    decisions = LaneDecision.objects.filter(
        administration=administration,
        current=True,
        declaration__lodged_at__date__gte=period.start - dt.timedelta(1),
        declaration__lodged_at__date__lte=period.end + dt.timedelta(1),
    )
    rows = list(
        decisions.values_list(
            "id",
            "declaration__number",
            "declaration__lodged_at",
            "lane",
            "random_selected",
            "declaration__outcome__result",
        )
    )
    if not rows:
        return pl.DataFrame(schema=_SCHEMA)
    through = LaneDecision.rule_versions.through
    rules: dict[int, list[str]] = {}
    for decision_id, rule_id in through.objects.filter(lanedecision__in=decisions).values_list(
        "lanedecision_id", "riskruleversion__rule_id"
    ):
        rules.setdefault(decision_id, []).append(str(rule_id))
    ids, numbers, lodged, lanes, random_selected, results = zip(*rows, strict=True)
    dates = (
        pl.Series(lodged, dtype=pl.Datetime("us", "UTC"))
        .dt.convert_time_zone(administration.time_zone or "UTC")
        .dt.date()
    )
    frame = pl.DataFrame(
        {
            "declaration_number": pl.Series(numbers, dtype=pl.String),
            "declaration_date": dates,
            "lane": pl.Series(lanes, dtype=pl.String),
            "random_selected": pl.Series(random_selected, dtype=pl.Boolean),
            "inspected": pl.Series([r is not None for r in results], dtype=pl.Boolean),
            "hit": pl.Series([r == "discrepancy" for r in results], dtype=pl.Boolean),
            "rule_ids": pl.Series([rules.get(i, []) for i in ids], dtype=pl.List(pl.String)),
        }
    )
    return frame.filter(pl.col("declaration_date").is_between(period.start, period.end))


def _proportion(value: metrics.Proportion) -> dict[str, Any]:
    return asdict(value)


def figures(administration: Administration, period: Period) -> dict[str, Any]:
    """Everything the performance page and the API show, as plain JSON-able data."""
    frame = decisions_frame(administration, period)
    total = frame.height
    inspected = int(frame["inspected"].sum()) if total else 0
    hits = int((frame["hit"] & frame["inspected"]).sum()) if total else 0
    names = dict(RiskRule.objects.filter(administration=administration).values_list("id", "name"))
    rule_rows = metrics.rule_metrics(frame).to_dicts() if total else []
    for row in rule_rows:
        row["name"] = names.get(int(row["rule_id"]), row["rule_id"])
    periods = (
        metrics.period_metrics(frame, "1w" if (period.end - period.start).days <= 120 else "1mo") if total else None
    )
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "declarations": total,
        "inspected": inspected,
        "hits": hits,
        "inspection_rate": inspected / total if total else None,
        "hit_rate": _proportion(metrics.proportion(hits, inspected)),
        "random_estimate": _proportion(metrics.random_compliance_estimate(frame))
        if total
        else _proportion(metrics.proportion(0, 0)),
        "rules": sorted(rule_rows, key=lambda row: -row["fired"]),
        "lanes": metrics.lane_metrics(frame).to_dicts() if total else [],
        "periods": [{**row, "period": row["period"].isoformat()} for row in periods.to_dicts()]
        if periods is not None
        else [],
    }


def rule_figures(administration: Administration, period: Period) -> dict[int, dict[str, Any]]:
    """Per rule id: fired, inspected, hits, hit rate (for the rule list)."""
    frame = decisions_frame(administration, period)
    if frame.is_empty():
        return {}
    return {int(row["rule_id"]): row for row in metrics.rule_metrics(frame).to_dicts()}


def last_year() -> Period:
    today = dt.date.today()
    return Period(today - dt.timedelta(days=365), today)
