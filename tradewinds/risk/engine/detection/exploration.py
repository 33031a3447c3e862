"""Choose declarations for inspection: mostly the riskiest, plus an exploration share.

A model only learns from inspected declarations. If it only ever inspects what it already
believes is risky, it never sees the outcomes of the rest, its statistics on new importers, goods
and routes stay empty, and new fraud patterns stay invisible: it goes blind (DATE, KDD 2020; WCO
BACUDA). So part of the inspection budget explores: half of it at random (an unbiased sample that
also measures the true offence rate), half on the declarations the model is least sure about
(probability nearest 0.5: where one label teaches the most).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EXPLOIT = "risk"
EXPLORE_RANDOM = "random"
EXPLORE_UNCERTAIN = "uncertain"
NOT_SELECTED = ""


@dataclass(frozen=True)
class Selection:
    """Which rows to inspect and why (one reason per row; empty string = not selected)."""

    selected: np.ndarray  # bool, one per row
    reason: np.ndarray  # str, one per row

    @property
    def indices(self) -> np.ndarray:
        return np.flatnonzero(self.selected)


def select_for_inspection(
    scores: np.ndarray,
    rate: float,
    exploration_share: float = 0.1,
    seed: int | None = 0,
    uncertain_share: float = 0.5,
) -> Selection:
    """Select ``round(rate * n)`` rows: ``exploration_share`` of them explore, the rest exploit.

    ``scores`` is the ranking (a probability, or expected revenue). "Uncertain" means nearest 0.5
    for probabilities (or nearest the cut-off if that is lower), and nearest the cut-off for other
    rankings such as expected revenue, which are not probabilities.
    """
    scores = np.asarray(scores, dtype=np.float64)
    n = len(scores)
    budget = min(n, int(round(n * rate)))
    n_explore = int(round(budget * exploration_share))
    n_uncertain = int(round(n_explore * uncertain_share))
    n_random = n_explore - n_uncertain
    selected = np.zeros(n, dtype=bool)
    reason = np.full(n, NOT_SELECTED, dtype=object)
    order = np.argsort(-scores, kind="stable")
    exploit = order[: budget - n_explore]
    selected[exploit] = True
    reason[exploit] = EXPLOIT
    uncertain = _most_uncertain(scores, selected, n_uncertain, order, budget)
    selected[uncertain] = True
    reason[uncertain] = EXPLORE_UNCERTAIN
    pool = np.flatnonzero(~selected)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(pool, size=min(n_random, len(pool)), replace=False) if n_random else pool[:0]
    selected[chosen] = True
    reason[chosen] = EXPLORE_RANDOM
    return Selection(selected, reason.astype(str))


def _most_uncertain(scores: np.ndarray, selected: np.ndarray, count: int, order: np.ndarray, budget: int) -> np.ndarray:
    """Unselected rows whose score sits nearest the pure-exploitation cut-off (just below the line)."""
    if count <= 0:
        return np.array([], dtype=np.int64)
    candidates = np.flatnonzero(~selected)
    threshold = scores[order[max(budget - 1, 0)]]
    if 0.0 <= scores.min() and scores.max() <= 1.0:
        # Probabilities: the model is least sure near 0.5, unless the cut-off is far from it.
        threshold = min(threshold, 0.5)
    distance = np.abs(scores[candidates] - threshold)
    return candidates[np.argsort(distance, kind="stable")[:count]]
