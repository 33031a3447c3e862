"""Selection metrics at an inspection rate: what an administration actually experiences.

"Precision at 5 %" = share of offences among the 5 % of declarations ranked riskiest (the hit rate
officers would see); "recall" = share of all offences caught there; "revenue" = share of the duty
at stake on fraudulent declarations (customs value x duty rate / 100) that those inspections catch.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

RATES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10)


def top_k_mask(ranking: np.ndarray, rate: float) -> np.ndarray:
    """Boolean mask of the ``rate`` share of rows with the highest ranking value (ties: first rows)."""
    n = int(round(len(ranking) * rate))
    order = np.argsort(-np.asarray(ranking, dtype=np.float64), kind="stable")
    mask = np.zeros(len(ranking), dtype=bool)
    mask[order[:n]] = True
    return mask


def precision_at(label: np.ndarray, ranking: np.ndarray, rate: float) -> float:
    mask = top_k_mask(ranking, rate)
    return float(label[mask].mean()) if mask.any() else 0.0


def recall_at(label: np.ndarray, ranking: np.ndarray, rate: float) -> float:
    total = label.sum()
    return float(label[top_k_mask(ranking, rate)].sum() / total) if total else 0.0


def revenue_at(label: np.ndarray, ranking: np.ndarray, duty: np.ndarray, rate: float) -> float:
    """Share of the duty at stake on all offences that the top ``rate`` inspections catch."""
    at_stake = label * duty
    total = at_stake.sum()
    return float(at_stake[top_k_mask(ranking, rate)].sum() / total) if total else 0.0


def auc(label: np.ndarray, score: np.ndarray) -> float:
    return float(roc_auc_score(label, score)) if 0 < label.sum() < len(label) else float("nan")


def brier(label: np.ndarray, score: np.ndarray) -> float:
    """Mean squared error of the probability: low only if scores are calibrated *and* sharp."""
    return float(np.mean((np.asarray(score) - label) ** 2))


def selection_report(
    label: np.ndarray, ranking: np.ndarray, duty: np.ndarray, rates: tuple[float, ...] = RATES
) -> dict[str, dict[str, float]]:
    """Precision, recall and revenue share at each inspection rate, keyed by ``"5%"`` etc."""
    return {
        f"{rate:.0%}": {
            "precision": precision_at(label, ranking, rate),
            "recall": recall_at(label, ranking, rate),
            "revenue": revenue_at(label, ranking, duty, rate),
        }
        for rate in rates
    }


def precision_curve(label: np.ndarray, ranking: np.ndarray, points: int = 20) -> list[tuple[float, float]]:
    """(inspection rate, precision) pairs from 1 % to 100 %: the chart on the model page."""
    rates = np.linspace(0.01, 1.0, points)
    return [(float(r), precision_at(label, ranking, float(r))) for r in rates]
