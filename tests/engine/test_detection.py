"""The detection engine on plain data: what an analyst or the Django side relies on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tests.engine.test_detection_data import BAD_IMPORTERS, WEAPONS_HS, make_frame
from tradewinds.risk.engine.detection import features as feat
from tradewinds.risk.engine.detection import metrics
from tradewinds.risk.engine.detection.cli import score_declarations
from tradewinds.risk.engine.detection.model import TrainConfig, TrainedModel, train

LABELS = ["fraud", "critical"]


@pytest.fixture(scope="module")
def history() -> pl.DataFrame:
    return make_frame(4000, seed=1)


@pytest.fixture(scope="module")
def model(history: pl.DataFrame) -> TrainedModel:
    return train(history, TrainConfig(max_rounds=120))


@pytest.fixture(scope="module")
def new_week() -> pl.DataFrame:
    from datetime import date

    return make_frame(600, seed=2, start=date(2021, 1, 4), days=7)


def test_scores_are_probabilities_and_revenue_is_non_negative(model: TrainedModel, new_week: pl.DataFrame):
    scores = model.score(new_week)
    assert scores.height == new_week.height
    assert scores.columns == ["fraud_score", "critical_score", "expected_revenue"]
    for column in ("fraud_score", "critical_score"):
        values = scores[column].to_numpy()
        assert np.all((values >= 0) & (values <= 1)), column
    assert (scores["expected_revenue"] >= 0).all()


def test_model_learns_the_planted_drivers(model: TrainedModel, new_week: pl.DataFrame):
    scores = model.score(new_week)
    label = new_week["fraud"].to_numpy()
    assert metrics.auc(label, scores["fraud_score"].to_numpy()) > 0.75
    crit = (new_week["critical"] == 2).to_numpy().astype(float)
    # Critical offences are weapons frauds: the critical score must rank them above the rest.
    assert metrics.auc(crit, scores["critical_score"].to_numpy()) > 0.8


def test_probabilities_are_roughly_calibrated(model: TrainedModel, new_week: pl.DataFrame):
    mean_score = float(model.score(new_week)["fraud_score"].mean())
    assert abs(mean_score - float(new_week["fraud"].mean())) < 0.06


def test_scoring_needs_no_label_columns(model: TrainedModel, new_week: pl.DataFrame):
    with_labels = model.score(new_week)
    without = model.score(new_week.drop(LABELS))
    assert without.equals(with_labels)


def test_saved_and_loaded_model_scores_identically(model: TrainedModel, new_week: pl.DataFrame, tmp_path: Path):
    model.save(tmp_path / "m")
    files = sorted(p.name for p in (tmp_path / "m").iterdir())
    assert files == ["critical.txt", "feature_state.json", "fraud.txt", "metadata.json"]  # no pickle
    loaded = TrainedModel.load(tmp_path / "m")
    assert loaded.score(new_week).equals(model.score(new_week))
    assert loaded.metadata["training_window"] == ["2020-01-01", str(model.metadata["training_window"][1])]


def test_unknown_identifiers_fall_back_to_the_prior(model: TrainedModel, new_week: pl.DataFrame):
    unseen = new_week.with_columns(pl.lit("NEVER-SEEN").alias("importer_id"))
    scores = model.score(unseen)
    assert scores.height == unseen.height
    assert np.isfinite(scores["fraud_score"].to_numpy()).all()


def test_training_statistics_are_out_of_fold():
    # Each importer appears once and is always a fraud: its own label must not leak into its feature.
    frame = make_frame(500, seed=3).with_columns(
        pl.format("UNIQUE{}", pl.int_range(pl.len())).alias("importer_id"),
        pl.lit(1).cast(pl.Int8).alias("fraud"),
    )
    state = feat.fit_state(frame)
    matrix = feat.transform_training(frame, state)
    rate = matrix[:, state.names.index("importer_fraud_rate")]
    assert np.allclose(rate, state.priors["fraud"])


def test_explanation_names_the_bad_importer(model: TrainedModel, new_week: pl.DataFrame):
    honest = new_week.filter(~pl.col("importer_id").is_in(BAD_IMPORTERS)).head(1)
    suspect = honest.with_columns(pl.lit(BAD_IMPORTERS[0]).alias("importer_id"))
    assert model.score(suspect)["fraud_score"][0] > model.score(honest)["fraud_score"][0] + 0.3
    reasons = model.explain(suspect, top_k=3)[0]["fraud"]
    assert reasons[0]["factor"] == "importer"
    assert reasons[0]["text"].startswith("importer's past hit rate")
    assert reasons[0]["template"] == "party_history" and "{rate}" in _template(reasons[0]["template"])


def test_explanation_names_undervaluation(model: TrainedModel, new_week: pl.DataFrame):
    honest = new_week.filter(~pl.col("importer_id").is_in(BAD_IMPORTERS)).head(1)
    cheap = honest.with_columns((pl.col("customs_value") / 8).alias("customs_value"))
    reasons = model.explain(cheap, top_k=3)[0]["fraud"]
    texts = [r["text"] for r in reasons]
    assert any("below the HS" in t for t in texts), texts


def test_explanation_for_critical_names_the_goods(model: TrainedModel, new_week: pl.DataFrame):
    weapons = new_week.filter((pl.col("hs_code") == WEAPONS_HS) & ~pl.col("importer_id").is_in(BAD_IMPORTERS))
    reasons = model.explain(weapons.head(1), top_k=3)[0]["critical"]
    goods_factors = {"hs6", "hs4", "hs2", "origin_hs", "office_hs", "importer_hs", "declarant_hs"}
    assert reasons and reasons[0]["factor"] in goods_factors, reasons


def test_declaration_with_several_items_gives_one_row(model: TrainedModel, new_week: pl.DataFrame):
    items = new_week.head(6).with_columns(pl.Series("declaration_number", ["A", "A", "B", "C", "C", "C"]))
    out = score_declarations(model, items, explain=True)
    assert out["declaration_id"].to_list() == ["A", "B", "C"]
    per_item = model.score(items)
    assert out["fraud_score"][0] == pytest.approx(max(per_item["fraud_score"][:2]))
    assert out["expected_revenue"][2] == pytest.approx(sum(per_item["expected_revenue"][3:]))
    assert out.columns[-1] == "reasons"


def test_fast_retraining_with_fixed_rounds(history: pl.DataFrame, new_week: pl.DataFrame):
    quick = train(history.head(800), TrainConfig(fixed_rounds=20))
    assert quick.metadata["rounds"] == {"fraud": 20, "critical": 20}
    assert quick.score(new_week).height == new_week.height


def _template(name: str) -> str:
    from tradewinds.risk.engine.detection.explain import TEMPLATES

    return TEMPLATES[name]


def test_one_declaration_gets_the_same_features_and_scores_as_in_a_batch(model: TrainedModel, new_week: pl.DataFrame):
    # Small frames (the API path) look statistics up in dictionaries instead of joining: same numbers.
    batch = new_week.head(300)
    assert batch.height > feat.SMALL_FRAME
    matrix = model.features(batch)
    for row in (0, 7, 123, 299):
        single = model.features(batch.slice(row, 1))
        np.testing.assert_array_equal(single[0], matrix[row])
    scores = model.score(batch)
    assert model.score(batch.slice(42, 1)).row(0) == scores.row(42)
