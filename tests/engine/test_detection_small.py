"""The detection features' small-input path (plain Python, one declaration on the API path) gives
exactly the matrix and scores of the Polars path, missing values and unseen codes included."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from tests.engine.test_detection_data import make_frame
from tradewinds.risk.engine.detection import features as feat
from tradewinds.risk.engine.detection.model import TrainConfig, TrainedModel, train

TEXT = ["office_code", "import_type", "payment_type", "declarant_id", "importer_id", "seller_id", "courier_id",
        "hs_code", "departure_country", "origin_country", "tax_type", "origin_indicator"]  # fmt: skip
NUMBERS = ["duty_rate", "net_mass_kg", "customs_value"]


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    return train(make_frame(3000, seed=11), TrainConfig(fixed_rounds=40))


def messy(n: int, seed: int) -> pl.DataFrame:
    """New declarations with missing values, unseen codes, odd numbers (zero, negative, tiny, huge)."""
    rng = np.random.default_rng(seed)
    frame = make_frame(n, seed=seed, start=date(2021, 1, 4), days=7).drop("fraud", "critical")
    columns: dict[str, list] = {}
    for column in TEXT:
        values = frame[column].to_list()
        for i in range(n):
            draw = rng.random()
            if draw < 0.1:
                values[i] = None
            elif draw < 0.2:
                values[i] = f"NEW{rng.integers(0, 5)}"  # unseen code, sometimes shared by several rows
            elif draw < 0.23 and column == "hs_code":
                values[i] = "93"  # shorter than an HS4
        columns[column] = values
    odd = [0.0, -5.0, 1e-5, 2.5e-7, 1e20, 3e16, 0.1, 1234.5678]
    for column in NUMBERS:
        values = frame[column].to_list()
        for i in range(n):
            draw = rng.random()
            if draw < 0.1:
                values[i] = None
            elif draw < 0.2:
                values[i] = float(rng.choice(odd))
        columns[column] = values
    return frame.with_columns(
        *[pl.Series(c, v, dtype=pl.String) for c, v in columns.items() if c in TEXT],
        *[pl.Series(c, v, dtype=pl.Float64) for c, v in columns.items() if c in NUMBERS],
    )


def test_small_inputs_take_the_row_path_and_match_the_batch(model: TrainedModel):
    batch = messy(400, seed=5)
    assert batch.height > feat.SMALL_FRAME  # the batch takes the Polars joins
    matrix = model.features(batch)
    scores = model.score(batch, matrix)
    for start in range(0, batch.height, 7):
        size = 1 + start % feat.SMALL_ROWS
        part = batch.slice(start, size)
        assert feat._rows_path_applies(part)
        small = model.features(part)
        np.testing.assert_array_equal(small, matrix[start : start + part.height])
        assert model.score(part, small).rows() == scores.slice(start, part.height).rows()


def test_row_path_equals_the_frame_path_on_the_same_rows(model: TrainedModel):
    # Without the dispatch: the Polars path on a small frame (dictionary look-ups) and the dicts.
    part = messy(60, seed=9)
    prepared = feat.prepare(part)
    stats = [feat._join_stats(prepared, model.state, key) for key in model.state.config.keys]
    polars_matrix = feat._assemble(prepared, model.state, stats)
    np.testing.assert_array_equal(feat.transform_rows(part.to_dicts(), model.state), polars_matrix)


def test_an_all_missing_column_and_other_types_are_handled(model: TrainedModel):
    part = messy(3, seed=3).with_columns(pl.lit(None).alias("courier_id"), pl.lit(None).alias("duty_rate"))
    assert feat._rows_path_applies(part)
    big = pl.concat([part] * 30)  # same rows, Polars path
    np.testing.assert_array_equal(model.features(part), model.features(big)[:3])
    integers = messy(2, seed=4).with_columns(pl.col("customs_value").cast(pl.Int64))
    assert not feat._rows_path_applies(integers)  # keys of integer values are written differently
    nan = messy(2, seed=4).with_columns(pl.lit(float("nan")).alias("net_mass_kg"))
    assert not feat._rows_path_applies(nan)


def test_a_declaration_scored_from_its_rows_gets_the_frame_paths_scores_and_reasons(model: TrainedModel):
    from tradewinds.detection.scores import score_items, score_rows

    batch = messy(120, seed=21)
    for start in range(0, batch.height, 5):
        part = batch.slice(start, 1 + start % 4)
        rows = part.to_dicts()
        assert feat.canonical_rows(rows)
        from_rows, from_frame = score_rows(model, rows), score_items(model, part)
        assert from_rows == from_frame
        assert from_rows.reasons["fraud"] or from_rows.reasons["critical"]  # reasons compared, not empty
    assert score_rows(model, []) is None
    assert not feat.canonical_rows([{"customs_value": 10}])  # an int: the frame path writes it otherwise
    assert not feat.canonical_rows([{"net_mass_kg": float("inf")}])
