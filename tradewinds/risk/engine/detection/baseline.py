"""The plain LightGBM reference: raw columns, default parameters, no feature engineering.

The benchmark trains it in the same run as the product's model, so every claim is "better than
what an analyst gets in ten minutes with the same library", not "better than a number in a paper".
"""

from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import polars as pl

from tradewinds.risk.engine.detection.features import label_frame
from tradewinds.risk.engine.profiles import CANONICAL_COLUMNS

NUMERIC_RAW: tuple[str, ...] = ("duty_rate", "net_mass_kg", "customs_value")
CODE_RAW: tuple[str, ...] = tuple(
    c for c in CANONICAL_COLUMNS if c not in NUMERIC_RAW and c not in ("declaration_number", "declaration_date")
)


@dataclass
class ReferenceModel:
    """One default LightGBM per target on raw columns, text codes as integer codes."""

    codes: dict[str, dict[str, int]]
    boosters: dict[str, lgb.Booster]

    def matrix(self, frame: pl.DataFrame) -> np.ndarray:
        coded = [
            frame[c].replace_strict(self.codes[c], default=None, return_dtype=pl.Float64).to_numpy() for c in CODE_RAW
        ]
        numeric = [frame[c].cast(pl.Float64).to_numpy() for c in NUMERIC_RAW]
        return np.column_stack(coded + numeric).astype(np.float64)

    def score(self, frame: pl.DataFrame) -> dict[str, np.ndarray]:
        x = self.matrix(frame)
        return {name: np.asarray(b.predict(x, num_threads=2)) for name, b in self.boosters.items()}


def train_reference(frame: pl.DataFrame, rounds: int = 100, num_threads: int = 2) -> ReferenceModel:
    """LightGBM defaults (100 rounds, 31 leaves, learning rate 0.1) on the raw columns."""
    codes = {c: {v: i for i, v in enumerate(sorted(frame[c].drop_nulls().unique().to_list()))} for c in CODE_RAW}
    model = ReferenceModel(codes, {})
    x = model.matrix(frame)
    labels = label_frame(frame)
    params = {"objective": "binary", "num_threads": num_threads, "verbose": -1, "seed": 1}
    for name, label in (("fraud", "fraud"), ("critical", "critical_offence")):
        model.boosters[name] = lgb.train(params, lgb.Dataset(x, labels[label].to_numpy()), rounds)
    return model
