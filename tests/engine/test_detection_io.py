"""Import profiles, the file CLI, inspection selection, metrics and the benchmark's docs writer."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.engine.test_detection_data import make_frame
from tradewinds.bench.report import replace_section
from tradewinds.risk.engine.detection import metrics
from tradewinds.risk.engine.detection.cli import score_main, train_main
from tradewinds.risk.engine.detection.exploration import select_for_inspection
from tradewinds.risk.engine.profiles import ProfileError, load_profile, read_declarations

PROFILE = load_profile("kcs-synthetic")


def write_source_csv(frame: pl.DataFrame, path: Path, drop: tuple[str, ...] = ()) -> Path:
    """Write a canonical frame back with the profile's source headers, as an administration's file."""
    to_source = {dst: src for src, dst in PROFILE.columns.items()}
    out = frame.drop(*drop).rename({c: to_source[c] for c in frame.columns if c not in drop})
    out.write_csv(path)
    return path


def test_shipped_profile_maps_every_source_header():
    assert PROFILE.name == "kcs-synthetic"
    assert PROFILE.columns["HS6 Code"] == "hs_code"
    assert "MIT" in PROFILE.source


def test_read_keeps_hs_leading_zeros_and_types(tmp_path: Path):
    frame = make_frame(20, seed=5).with_columns(pl.Series("hs_code", ["10121"] + ["030211"] * 19))
    loaded = read_declarations(write_source_csv(frame, tmp_path / "x.csv"), PROFILE)
    assert loaded["hs_code"][0] == "010121"
    assert loaded.schema["declaration_date"] == pl.Date
    assert loaded.schema["customs_value"] == pl.Float64
    assert loaded.height == 20


def test_missing_column_error_names_it(tmp_path: Path):
    path = write_source_csv(make_frame(10, seed=5), tmp_path / "x.csv", drop=("importer_id",))
    with pytest.raises(ProfileError) as error:
        read_declarations(path, PROFILE)
    assert "importer_id" in str(error.value) and "Importer ID" in str(error.value)
    assert error.value.errors[0]["field"] == "importer_id"


def test_labels_required_only_for_training(tmp_path: Path):
    path = write_source_csv(make_frame(10, seed=5), tmp_path / "x.csv", drop=("fraud", "critical"))
    assert "fraud" not in read_declarations(path, PROFILE).columns
    with pytest.raises(ProfileError, match="fraud"):
        read_declarations(path, PROFILE, require_labels=True)


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ProfileError, match="kcs-synthetic"):
        load_profile("no-such-profile")


def test_cli_train_then_score_one_row_per_declaration(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    train_a = write_source_csv(make_frame(1500, seed=11), tmp_path / "a.csv")
    train_b = write_source_csv(make_frame(1500, seed=12), tmp_path / "b.csv")
    new = write_source_csv(make_frame(300, seed=13), tmp_path / "new.csv", drop=("fraud", "critical"))
    model_dir = tmp_path / "model"
    assert (
        train_main(
            [
                "--profile",
                "kcs-synthetic",
                "--input",
                str(train_a),
                "--input",
                str(train_b),
                "--model-out",
                str(model_dir),
            ]
        )
        == 0
    )
    assert "Trained on 3,000 declarations" in capsys.readouterr().out
    out = tmp_path / "scores.csv"
    assert (
        score_main(["--model", str(model_dir), "--profile", "kcs-synthetic", "--input", str(new), "--output", str(out)])
        == 0
    )
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["declaration_id", "fraud_score", "critical_score", "expected_revenue"]
    assert len(rows) == 300
    assert all(0.0 <= float(r["fraud_score"]) <= 1.0 for r in rows)
    explained = tmp_path / "explained.csv"
    assert (
        score_main(
            [
                "--model",
                str(model_dir),
                "--profile",
                "kcs-synthetic",
                "--input",
                str(new),
                "--output",
                str(explained),
                "--explain",
            ]
        )
        == 0
    )
    reasons = pl.read_csv(explained)["reasons"]
    assert reasons.len() == 300 and reasons.str.contains("fraud: ").any()


def test_cli_reports_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = write_source_csv(make_frame(50, seed=5), tmp_path / "bad.csv", drop=("hs_code",))
    code = train_main(["--profile", "kcs-synthetic", "--input", str(bad), "--model-out", str(tmp_path / "m")])
    assert code == 2
    assert "hs_code" in capsys.readouterr().err


def test_selection_exploits_the_top_and_explores_the_rest():
    scores = np.linspace(0, 1, 1000)
    chosen = select_for_inspection(scores, rate=0.1, exploration_share=0.2, seed=1)
    assert chosen.selected.sum() == 100
    reasons = dict(zip(*np.unique(chosen.reason[chosen.selected], return_counts=True), strict=True))
    assert reasons == {"risk": 80, "random": 10, "uncertain": 10}
    assert chosen.selected[-80:].all()  # the 80 riskiest are exploited
    uncertain = scores[chosen.reason == "uncertain"]
    assert np.all(np.abs(uncertain - 0.5) < 0.01)


def test_selection_is_reproducible_and_pure_exploitation_without_share():
    scores = np.random.default_rng(0).random(500)
    a = select_for_inspection(scores, 0.1, 0.1, seed=3)
    assert np.array_equal(a.selected, select_for_inspection(scores, 0.1, 0.1, seed=3).selected)
    greedy = select_for_inspection(scores, 0.1, 0.0)
    assert set(greedy.indices) == set(np.argsort(-scores)[:50])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 400), rate=st.floats(0, 1), share=st.floats(0, 1), seed=st.integers(0, 10))
def test_selection_never_exceeds_the_budget(n: int, rate: float, share: float, seed: int):
    scores = np.random.default_rng(seed).random(n)
    chosen = select_for_inspection(scores, rate, share, seed=seed)
    assert chosen.selected.sum() == min(n, int(round(n * rate)))
    assert set(chosen.reason[~chosen.selected]) <= {""}


def test_metrics_on_a_hand_checked_example():
    label = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1], dtype=float)
    ranking = np.arange(10, 0, -1, dtype=float)  # row 0 riskiest
    duty = np.array([10, 0, 30, 0, 0, 0, 0, 0, 0, 60], dtype=float)
    assert metrics.precision_at(label, ranking, 0.2) == 0.5
    assert metrics.recall_at(label, ranking, 0.3) == pytest.approx(2 / 3)
    assert metrics.revenue_at(label, ranking, duty, 0.3) == pytest.approx(0.4)


def test_docs_writer_replaces_only_its_own_section(tmp_path: Path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Name matching\n\nkeep me\n\n## Detection model\n\nold\n\n## Other\n\nme too\n")
    replace_section("## Detection model", "new figures", path=doc)
    text = doc.read_text()
    assert "keep me" in text and "me too" in text and "new figures" in text and "old" not in text
    replace_section("## Human-in-the-loop simulation", "chart", path=doc)
    assert doc.read_text().rstrip().endswith("chart")


def test_simulation_replays_weeks_and_draws_a_chart(tmp_path: Path):
    from datetime import date

    from tradewinds.bench.simulate import SimulationConfig, line_chart, markdown, run

    write_source_csv(make_frame(1500, seed=21, days=60), tmp_path / "df_syn_train_eng.csv")
    write_source_csv(make_frame(300, seed=22, start=date(2020, 3, 2), days=14), tmp_path / "df_syn_valid_eng.csv")
    config = SimulationConfig(shares=(0.0, 0.2), warmup_weeks=4, rounds=5, max_weeks=3)
    result = run(tmp_path, config)
    assert list(result["strategies"]) == ["exploration 0%", "exploration 20%", "all labels"]
    assert all(len(weeks) == 3 for weeks in result["strategies"].values())
    week = result["strategies"]["exploration 20%"][0]
    assert 0.0 <= week["precision"] <= 1.0 and 0.0 <= week["revenue"] <= 1.0
    svg = line_chart(result)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2 * 3
    assert "| exploration 20% |" in markdown(result, "tradewinds bench simulate", None)
