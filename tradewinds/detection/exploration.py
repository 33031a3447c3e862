"""Exploration on the single-declaration path: which declarations the model is unsure about.

A batch can rank its declarations and take the most uncertain share (``select_for_inspection``);
a declaration lodged through the API arrives alone. So the share is turned into a *band* of
probabilities around 0.5, measured on the recent flow the model scored when it was trained
(``ModelVersion.score_sample``): the band holds the wanted share of that flow. A declaration whose
fraud probability falls in it is explored. The decision depends only on the probability, the model
version and the settings, so a batch replay gives every declaration the same answer.

Only the uncertain part is decided here; the random part of the exploration share is the risk
app's random floor (minimum random rates), which every declaration is already exposed to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ExplorationPlan:
    """Shares of the flow: the inspection budget and what exploration takes of it."""

    inspection_rate: float  # expected share of declarations inspected (all control lanes)
    exploration_share: float  # of the inspection budget
    uncertain_share: float  # of the exploration
    min_probability: float

    @property
    def uncertain_rate(self) -> float:
        """Share of all declarations to explore because the model is unsure."""
        return self.inspection_rate * self.exploration_share * self.uncertain_share

    @property
    def random_rate(self) -> float:
        """Share of all declarations the random floor should select for exploration to be complete."""
        return self.inspection_rate * self.exploration_share * (1.0 - self.uncertain_share)


@dataclass(frozen=True)
class ExplorationBand:
    low: float
    high: float

    def contains(self, probability: float) -> bool:
        return self.low <= probability <= self.high


def band_for(sample: Sequence[float], plan: ExplorationPlan) -> ExplorationBand | None:
    """The band around 0.5 holding ``plan.uncertain_rate`` of the sampled flow (None: explore none).

    Probabilities below ``min_probability`` never count: the model is sure enough about those."""
    scores = np.asarray(sample, dtype=np.float64)
    wanted = int(round(plan.uncertain_rate * len(scores)))
    eligible = scores[scores >= plan.min_probability]
    if wanted <= 0 or eligible.size == 0:
        return None
    distance = np.sort(np.abs(eligible - 0.5))
    width = float(distance[min(wanted, eligible.size) - 1])
    return ExplorationBand(max(0.5 - width, plan.min_probability), min(0.5 + width, 1.0))


def share_in_band(scores: Sequence[float], band: ExplorationBand | None) -> float:
    """Share of ``scores`` the band explores: what the settings page shows as the realised share."""
    values = np.asarray(scores, dtype=np.float64)
    if band is None or values.size == 0:
        return 0.0
    return float(((values >= band.low) & (values <= band.high)).mean())
