"""`tradewinds bench detection`: the detection model against a plain LightGBM, on held-out 2021 Q1.

Trains on ``df_syn_train_eng.csv`` (2020), reports on ``df_syn_valid_eng.csv`` (2021 Q1). Both the
product's model and the references are trained in this run on this machine.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tradewinds.bench.report import DOCS, machine, replace_section
from tradewinds.risk.engine.detection import metrics
from tradewinds.risk.engine.detection.baseline import train_reference
from tradewinds.risk.engine.detection.features import FeatureConfig, duty_at_stake
from tradewinds.risk.engine.detection.model import TrainConfig, TrainedModel, train
from tradewinds.risk.engine.profiles import load_profile, read_declarations

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "customs-declarations"
# Paper (arXiv 2208.02484, Table 3), as quoted in the data folder's README: precision at 5 % / 10 %.
PUBLISHED: dict[str, tuple[float, float]] = {
    "LightGBM": (0.762, 0.641),
    "XGBoost": (0.675, 0.579),
    "CatBoost": (0.621, 0.520),
    "random forest": (0.364, 0.339),
    "logistic regression": (0.258, 0.248),
}
REPEAT_KEYS = ("value", "mass", "value_mass")


def load_split(data_dir: Path, split: str) -> pl.DataFrame:
    return read_declarations(data_dir / f"df_syn_{split}_eng.csv", load_profile("kcs-synthetic"), require_labels=True)


def evaluate(frame: pl.DataFrame, fraud: np.ndarray, critical: np.ndarray) -> dict[str, Any]:
    """Every figure of the benchmark for one model's two scores on labelled rows."""
    label = frame["fraud"].to_numpy().astype(np.float64)
    crit = (frame["critical"] == 2).to_numpy().astype(np.float64)
    duty = frame.select(duty_at_stake())["duty_at_stake"].to_numpy()
    return {
        "fraud_auc": metrics.auc(label, fraud),
        "fraud_brier": metrics.brier(label, fraud),
        "by_fraud_score": metrics.selection_report(label, fraud, duty),
        "by_expected_revenue": metrics.selection_report(label, fraud * duty, duty),
        "critical_auc": metrics.auc(crit, critical),
        "critical": {f"{r:.0%}": metrics.precision_at(crit, critical, r) for r in metrics.RATES},
    }


def throughput(model: TrainedModel, frame: pl.DataFrame, minimum_rows: int = 100_000) -> float:
    """Declarations per second for ``score`` on at least ``minimum_rows`` rows (best of 3)."""
    big = pl.concat([frame] * max(1, -(-minimum_rows // frame.height)))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        model.score(big)
        best = min(best, time.perf_counter() - started)
    return big.height / best


def explain_throughput(model: TrainedModel, frame: pl.DataFrame, rows: int = 2000) -> float:
    sample = frame.head(rows)
    started = time.perf_counter()
    model.score(sample)
    model.explain(sample, top_k=3)
    return sample.height / (time.perf_counter() - started)


def run(data_dir: Path) -> dict[str, Any]:
    train_frame, valid = load_split(data_dir, "train"), load_split(data_dir, "valid")
    started = time.perf_counter()
    model = train(train_frame, TrainConfig())
    train_seconds = time.perf_counter() - started
    scores = model.score(valid)
    ours = evaluate(valid, scores["fraud_score"].to_numpy(), scores["critical_score"].to_numpy())
    ours.update(
        train_seconds=train_seconds,
        rounds=model.metadata["rounds"],
        score_per_second=throughput(model, valid),
        explain_per_second=explain_throughput(model, valid),
    )
    started = time.perf_counter()
    reference = train_reference(train_frame)
    ref_seconds = time.perf_counter() - started
    ref_scores = reference.score(valid)
    ref = evaluate(valid, ref_scores["fraud"], ref_scores["critical"])
    ref["train_seconds"] = ref_seconds
    # Ablation: how much rests on exact repeats of declared value/mass (see docs/detection-model.md).
    keys = tuple(k for k in FeatureConfig().keys if k not in REPEAT_KEYS)
    ablated_model = train(train_frame, TrainConfig(features=FeatureConfig(keys=keys)))
    ablated_scores = ablated_model.score(valid)
    ablated = evaluate(valid, ablated_scores["fraud_score"].to_numpy(), ablated_scores["critical_score"].to_numpy())
    return {
        "ours": ours,
        "reference": ref,
        "without_repeat_features": ablated,
        "rows": {"train": train_frame.height, "valid": valid.height},
        "machine": machine(),
        "date": date.today().isoformat(),
        "published": PUBLISHED,
    }


def _f(value: float) -> str:
    return f"{value:.3f}"


def markdown(result: dict[str, Any], command: str) -> str:
    ours, ref, abl = result["ours"], result["reference"], result["without_repeat_features"]
    m = result["machine"]
    lines = [
        f"Run on {result['date']} on {m['arch']}, {m['nproc']} cores, Python {m['python']}: `{command}`.",
        f"Trained on `train` (2020, {result['rows']['train']:,} rows), measured on `valid` "
        f"(2021 Q1, {result['rows']['valid']:,} rows). Revenue = share of the duty at stake on "
        "fraudulent declarations (Item Price × Tax Rate / 100) caught by the inspected share.",
        "",
        "| metric | Tradewinds | plain LightGBM (raw columns, defaults) | Tradewinds without repeat-value features |",
        "|---|---|---|---|",
    ]
    for rate in ("1%", "2%", "5%", "10%"):
        for kind in ("precision", "recall"):
            lines.append(
                _row(f"{kind} @ {rate} (ranked by fraud score)", ours, ref, abl, ("by_fraud_score", rate, kind))
            )
        lines.append(
            _row(
                f"revenue @ {rate} (ranked by expected revenue)",
                ours,
                ref,
                abl,
                ("by_expected_revenue", rate, "revenue"),
            )
        )
        lines.append(
            _row(f"revenue @ {rate} (ranked by fraud score)", ours, ref, abl, ("by_fraud_score", rate, "revenue"))
        )
    lines += [
        _row("fraud AUC", ours, ref, abl, ("fraud_auc",)),
        _row("fraud Brier score (lower is better)", ours, ref, abl, ("fraud_brier",)),
        _row("critical-offence precision @ 1 %", ours, ref, abl, ("critical", "1%")),
        _row("critical-offence precision @ 2 %", ours, ref, abl, ("critical", "2%")),
        _row("critical-offence AUC", ours, ref, abl, ("critical_auc",)),
        f"| training time (s) | {ours['train_seconds']:.1f} | {ref['train_seconds']:.1f} | |",
        f"| scoring, declarations/s (no explanations) | {ours['score_per_second']:,.0f} | | |",
        f"| scoring with explanations, declarations/s | {ours['explain_per_second']:,.0f} | | |",
        "",
        *targets(ours, ref),
        "",
        "Published figures for this dataset (paper, Table 3, precision @ 5 % / @ 10 %; the released "
        "files were revised since, so these are a floor): "
        + "; ".join(f"{k} {a:.3f} / {b:.3f}" for k, a, b in ((k, *v) for k, v in result["published"].items()))
        + ".",
    ]
    return "\n".join(lines)


def targets(ours: dict[str, Any], ref: dict[str, Any]) -> list[str]:
    """The issue's aims, checked against this run, including the one ranking where we lose."""
    p5 = ours["by_fraud_score"]["5%"]["precision"]
    rev5 = ours["by_expected_revenue"]["5%"]["revenue"]
    rev5_fraud = ours["by_fraud_score"]["5%"]["revenue"]
    crit = ours["critical"]["1%"]
    ref_rev5_fraud = ref["by_fraud_score"]["5%"]["revenue"]
    return [
        f"Aims: precision @ 5 % ≥ 0.95: **{p5:.3f}** {_tick(p5 >= 0.95)}; revenue @ 5 % ≥ 0.55 (ranked by "
        f"expected revenue): **{rev5:.3f}** {_tick(rev5 >= 0.55)}; critical precision @ 1 % ≥ 0.65: "
        f"**{crit:.3f}** {_tick(crit >= 0.65)}; training < 60 s: **{ours['train_seconds']:.1f} s**; scoring "
        f"≥ 100,000/s: **{ours['score_per_second']:,.0f}/s**.",
        f"Ranked by fraud score alone, the product's top 5 % recovers only {rev5_fraud:.3f} of the duty "
        f"(reference {ref_rev5_fraud:.3f}): the declarations it is surest about are small consignments. "
        "Rank by `expected_revenue` when revenue is the goal; the officer sees both scores.",
        "The last column drops the exact declared value/mass statistics, which the synthetic generator "
        "makes unusually predictive (see docs/detection-model.md).",
    ]


def _tick(ok: bool) -> str:
    return "(met)" if ok else "(**not met**)"


def _row(title: str, ours: dict, ref: dict, abl: dict, path: tuple[str, ...]) -> str:
    def get(d: dict) -> str:
        for key in path:
            d = d[key]
        return _f(float(d))  # type: ignore[arg-type]

    return f"| {title} | {get(ours)} | {get(ref)} | {get(abl)} |"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="tradewinds bench detection", description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--write-docs", action="store_true", help=f"update the section in {DOCS}")
    args = parser.parse_args(argv)
    result = run(args.data_dir)
    command = "tradewinds bench detection" + (" --write-docs" if args.write_docs else "")
    body = markdown(result, command)
    print(json.dumps(result, indent=2, default=float) if args.json else body)
    if args.write_docs:
        replace_section("## Detection model", body)
        print(f"Updated {DOCS}")
    return 0
