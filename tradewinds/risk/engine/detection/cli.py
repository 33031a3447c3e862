"""File-level commands (no database): ``tradewinds risk train`` and ``tradewinds risk score``.

The ``tradewinds`` command dispatches here with the remaining arguments; each function returns a
process exit code so it can be tested without spawning a process.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

from tradewinds.errors import TradewindsError
from tradewinds.risk.engine.detection.explain import reasons_text
from tradewinds.risk.engine.detection.model import TrainConfig, TrainedModel, train
from tradewinds.risk.engine.profiles import load_profile, read_declarations

OUTPUT_COLUMNS: tuple[str, ...] = ("declaration_id", "fraud_score", "critical_score", "expected_revenue")


def train_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tradewinds risk train", description="Train the detection model from labelled declaration files."
    )
    parser.add_argument("--profile", required=True, help="import profile name or JSON path")
    parser.add_argument("--input", action="append", required=True, help="labelled file (repeatable)")
    parser.add_argument("--model-out", required=True, help="directory for the model files")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    try:
        frame = read_declarations(args.input, load_profile(args.profile), require_labels=True)
        started = time.perf_counter()
        model = train(frame, TrainConfig(num_threads=args.threads))
        model.metadata["profile"] = args.profile
        model.metadata["inputs"] = [Path(p).name for p in args.input]
        out = model.save(args.model_out)
    except (TradewindsError, ValueError, OSError) as exc:
        return _fail(exc)
    meta = model.metadata
    print(
        f"Trained on {meta['rows']:,} declarations ({meta['training_window'][0]} to "
        f"{meta['training_window'][1]}) in {time.perf_counter() - started:.1f} s; "
        f"{meta['positives']['fraud']:,} frauds, {meta['positives']['critical']:,} critical. Saved to {out}"
    )
    return 0


def score_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="tradewinds risk score", description="Score declarations with a trained detection model."
    )
    parser.add_argument("--model", required=True, help="model directory written by `risk train`")
    parser.add_argument("--profile", required=True, help="import profile name or JSON path")
    parser.add_argument("--input", action="append", required=True, help="declaration file (repeatable)")
    parser.add_argument("--output", required=True, help="CSV to write, one row per declaration")
    parser.add_argument("--explain", action="store_true", help="add a reasons column (slower)")
    parser.add_argument("--top-k", type=int, default=3, help="reasons per score with --explain")
    args = parser.parse_args(argv)
    try:
        model = TrainedModel.load(args.model)
        frame = read_declarations(args.input, load_profile(args.profile))
        started = time.perf_counter()
        result = score_declarations(model, frame, explain=args.explain, top_k=args.top_k)
        result.write_csv(args.output)
    except (TradewindsError, ValueError, OSError) as exc:
        return _fail(exc)
    seconds = time.perf_counter() - started
    print(f"Scored {result.height:,} declarations in {seconds:.2f} s; wrote {args.output}")
    return 0


def score_declarations(
    model: TrainedModel, frame: pl.DataFrame, *, explain: bool = False, top_k: int = 3
) -> pl.DataFrame:
    """Scores per declaration: a declaration with several items takes its riskiest item's
    probabilities and the sum of its items' expected revenue."""
    scores = model.score(frame).with_columns(frame["declaration_number"].alias("declaration_id"))
    if explain:
        reasons = model.explain(frame, top_k)
        scores = scores.with_columns(pl.Series("reasons", [_reason_line(r) for r in reasons], pl.String))
    if scores["declaration_id"].n_unique() == scores.height:
        return scores.select(*OUTPUT_COLUMNS, *(["reasons"] if explain else []))
    # Reasons come from the item with the highest fraud score, the one an officer would open first.
    ordered = scores.with_row_index("_row").sort("fraud_score", descending=True)
    extra = [pl.col("reasons").first()] if explain else []
    grouped = ordered.group_by("declaration_id").agg(
        pl.col("_row").min(),
        pl.col("fraud_score").max(),
        pl.col("critical_score").max(),
        pl.col("expected_revenue").sum(),
        *extra,
    )
    return grouped.sort("_row").drop("_row").select(*OUTPUT_COLUMNS, *(["reasons"] if explain else []))


def _reason_line(reasons: dict[str, list[dict]]) -> str:
    fraud = reasons_text(reasons.get("fraud", []))
    critical = reasons_text(reasons.get("critical", []))
    parts = [f"fraud: {fraud}" if fraud else "", f"critical: {critical}" if critical else ""]
    return " | ".join(p for p in parts if p)


def _fail(exc: Exception) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover - convenience for analysts
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    runner = {"train": train_main, "score": score_main}.get(command)
    sys.exit(runner(sys.argv[2:]) if runner else _fail(ValueError("usage: cli.py train|score ...")))
