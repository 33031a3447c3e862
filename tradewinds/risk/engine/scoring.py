"""The slot where a learned model plugs into selectivity.

Lane allocation never calls a model itself: it takes a :class:`ModelScore` (one declaration) or an
array of probabilities (a batch) as data, so it stays pure and testable. Anything implementing
:class:`ScoreSource` (the detection app's score source) produces those.

Exploration is decided by the score source, not here: only it knows how its probabilities are
distributed over the flow, so only it can pick "the declarations the model is least sure about"
at a given share. It says so with ``exploration_lane``; lane allocation then sends the declaration
to at least that lane and records why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import polars as pl

from .vocabulary import CONTROL_LANES, Lane


@dataclass(frozen=True)
class ModelFactor:
    """One reason the model gives: a feature, its value (JSON-serialisable) and its push on the score
    (positive raises the risk), e.g. ``ModelFactor("unit_value_vs_hs6", 0.21, 0.8)``."""

    feature: str
    value: Any
    contribution: float
    # Optional phrase as data, so a UI can render it in the reader's language: a template key, its
    # already-formatted values, and which score it explains ("fraud", "critical").
    template: str = ""
    values: Mapping[str, Any] | None = None
    target: str = ""

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"feature": self.feature, "value": self.value, "contribution": self.contribution}
        if self.template:
            params.update(template=self.template, values=dict(self.values or {}), target=self.target)
        return params


@dataclass(frozen=True)
class ModelScore:
    """A model's view of one declaration: a probability in [0, 1] and its main factors."""

    probability: float
    source: str = "model"
    version: str = ""
    factors: tuple[ModelFactor, ...] = ()
    # Exploration: the source asks for at least this lane because the model is unsure about this
    # declaration (None = no exploration); ``exploration_reason`` says which kind ("uncertain").
    exploration_lane: Lane | None = None
    exploration_reason: str = "uncertain"

    def __post_init__(self) -> None:
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("a model probability lies in [0, 1]")
        if self.exploration_lane is not None and self.exploration_lane not in CONTROL_LANES:
            raise ValueError("an exploration lane is a control lane (red, yellow or blue)")


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
