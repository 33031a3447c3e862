"""The slot where a learned model plugs into selectivity.

Lane allocation never calls a model itself: it takes a :class:`ModelScore` (one declaration) or an
array of probabilities (a batch) as data, so it stays pure and testable. Anything implementing
:class:`ScoreSource` — the detection model in ``profiles.py`` later — produces those.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import polars as pl


@dataclass(frozen=True)
class ModelFactor:
    """One reason the model gives: a feature, its value (JSON-serialisable) and its push on the score
    (positive raises the risk), e.g. ``ModelFactor("unit_value_vs_hs6", 0.21, 0.8)``."""

    feature: str
    value: Any
    contribution: float


@dataclass(frozen=True)
class ModelScore:
    """A model's view of one declaration: a probability in [0, 1] and its main factors."""

    probability: float
    source: str = "model"
    version: str = ""
    factors: tuple[ModelFactor, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("a model probability lies in [0, 1]")


@runtime_checkable
class ScoreSource(Protocol):
    """What a learned model offers the selectivity engine."""

    name: str
    version: str

    def score_declaration(self, items: Sequence[Mapping[str, Any]]) -> ModelScore:
        """Score one declaration given as its items (canonical field names)."""
        ...

    def score_batch(self, frame: pl.DataFrame, declaration_numbers: pl.Series) -> np.ndarray:
        """Probabilities (float64, NaN = no score) aligned with ``declaration_numbers``."""
        ...
