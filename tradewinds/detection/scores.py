"""Per-declaration scores from the engine's per-item scores (pure: Polars and the engine only).

A declaration with several items takes its riskiest item's probabilities and the sum of its items'
expected revenue, as the file-level CLI does; its reasons come from the item with the highest
fraud score, the one an officer would open first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from tradewinds.risk.engine.detection import TrainedModel
from tradewinds.risk.engine.detection import features as feat
from tradewinds.risk.engine.detection.explain import explain_columns

SCORE_COLUMNS = ("fraud_score", "critical_score", "expected_revenue")


@dataclass(frozen=True)
class DeclarationScores:
    """The three scores of one declaration and, if asked for, the reasons behind them."""

    fraud: float
    critical: float
    expected_revenue: float
    reasons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # "fraud"/"critical" -> reasons


def score_items(model: TrainedModel, frame: pl.DataFrame, *, top_k: int = 3) -> DeclarationScores | None:
    """Scores and reasons of one declaration given as its item rows (None for no rows)."""
    if frame.is_empty():
        return None
    matrix = model.features(frame)  # once, for the scores and the explanation
    scores = model.score(frame, matrix)
    riskiest = int(scores["fraud_score"].arg_max() or 0)
    one = slice(riskiest, riskiest + 1)
    reasons = model.explain(frame.slice(riskiest, 1), top_k, matrix[one])[0] if top_k else {}
    return DeclarationScores(
        fraud=float(scores["fraud_score"].max()),
        critical=float(scores["critical_score"].max()),
        expected_revenue=float(scores["expected_revenue"].sum()),
        reasons=reasons,
    )


def score_rows(model: TrainedModel, rows: Sequence[Mapping[str, Any]], *, top_k: int = 3) -> DeclarationScores | None:
    """:func:`score_items` for a few item rows given as canonical dicts (one declaration on the API
    path: ``feat.canonical_rows`` and at most ``feat.SMALL_ROWS``), the same figures without a frame:
    building frames cost more than the trees. Other rows: :func:`score_items`."""
    if not rows:
        return None
    matrix = feat.transform_rows(rows, model.state)
    probabilities = model.probabilities(matrix)
    fraud, critical = probabilities["fraud"], probabilities["critical"]
    riskiest = int(np.argmax(fraud))  # the first of equals, as Polars' arg_max
    columns = {column: [rows[riskiest].get(column)] for column in rows[riskiest]}
    explain = explain_columns(model, columns, matrix[riskiest : riskiest + 1], top_k)[0] if top_k else {}
    return DeclarationScores(
        fraud=float(fraud.max()),
        critical=float(critical.max()),
        expected_revenue=float((fraud * feat.row_duties(rows)).sum()),
        reasons=explain,
    )


def per_declaration(frame: pl.DataFrame, item_scores: pl.DataFrame) -> pl.DataFrame:
    """One row per declaration: scores, duty at stake and (when the frame has them) labels."""
    labels = [c for c in ("fraud", "critical") if c in frame.columns]
    rows = pl.concat(
        [frame.select("declaration_id", "declaration_date", *labels, feat.duty_at_stake()), item_scores],
        how="horizontal",
    )
    aggregations = [
        pl.col("declaration_date").first(),
        pl.col("duty_at_stake").sum(),
        pl.col("fraud_score").max(),
        pl.col("critical_score").max(),
        pl.col("expected_revenue").sum(),
    ]
    aggregations += [pl.col(label).max() for label in labels]
    return rows.group_by("declaration_id", maintain_order=True).agg(aggregations)
