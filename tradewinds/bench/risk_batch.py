"""Batch leg of `tradewinds bench risk`: rules + lane allocation over synthetic declarations.

Generates ``n_declarations`` declarations (1 to 3 items each, canonical columns), 50 realistic
active rules (HS chapters × risky origins, undervaluation against the HS median, watched traders,
mandatory lanes for weapons and precursors, value and duty ranges…), then times
``evaluate_batch`` + ``allocate_batch`` (with trusted-trader factors and the keyed random draws).

In the same run a *bare NumPy pass* evaluates the very same compiled rules over the same columns
already encoded as integer codes and float arrays (look-up tables and masks, a reduce per
declaration, points and thresholds; no draws): ``numpy_ratio`` = engine throughput / NumPy
throughput, a figure that survives a noisy machine. The two passes must fire the same rules.

    python -m tradewinds.bench.risk_batch [--quick] [--json] [--write-docs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from typing import Any

import numpy as np
import polars as pl

from tradewinds.risk.engine.conditions import (
    Bounds,
    CompiledRule,
    Criterion,
    Group,
    Node,
    Operator,
    ReferenceComparison,
    ValueList,
)
from tradewinds.risk.engine.evaluate import EvaluationContext, evaluate_batch
from tradewinds.risk.engine.lanes import allocate_batch, trader_factors_for_batch
from tradewinds.risk.engine.random_draw import DrawKey
from tradewinds.risk.engine.rules import compile_rule
from tradewinds.risk.engine.selectivity import LaneRates, LaneThresholds, SelectivitySettings

COUNTRIES = ["CN", "US", "VN", "IN", "BR", "CO", "PA", "MX", "VE", "TR", "DE", "GB", "FR", "NL", "JP", "KR",
             "TH", "ID", "MY", "PK", "BD", "NG", "GH", "ZA", "AE", "HK", "SG", "CA", "DO", "JM", "TT", "BB"]
RISKY_ORIGINS = ["CN", "VN", "PA", "VE", "CO", "TR", "PK", "BD", "HK", "AE"]
CHAPTERS = ["61", "62", "64", "85", "84", "87", "22", "24", "30", "33", "39", "42", "71", "94", "95", "27"]
SETTINGS = SelectivitySettings(thresholds=LaneThresholds(red=90, yellow=55, blue=35),
                               random_rates=LaneRates(red=0.01, yellow=0.02, blue=0.02),
                               expected_rates=LaneRates(red=0.06, yellow=0.10, blue=0.08))
KEY = DrawKey("bench", b"benchmark-secret-not-for-production")


# --- synthetic declarations ------------------------------------------------------------------------

def _codes(prefix: str, count: int) -> pl.Series:
    return pl.Series([f"{prefix}{i:06d}" for i in range(count)])


def _pick(pool: pl.Series | list[str], index: np.ndarray) -> pl.Series:
    return pl.Series(pool).gather(index)


def synthetic_declarations(n: int, seed: int) -> pl.DataFrame:
    """Items of ``n`` declarations, sorted by declaration, declaration-level fields repeated."""
    rng = np.random.default_rng(seed)
    items_per = rng.choice([1, 2, 3], size=n, p=[0.7, 0.2, 0.1])
    decl = np.repeat(np.arange(n), items_per)
    m = len(decl)
    hs_pool = pl.Series([f"{c}{rng.integers(0, 10_000):04d}" for c in CHAPTERS for _ in range(150)]
                        + [f"{rng.integers(1, 98):02d}{rng.integers(0, 10_000):04d}" for _ in range(2600)])
    header = {
        "declaration_number": pl.Series([f"TW{i:010d}" for i in range(n)]),
        "declaration_type": _pick(["import", "import", "import", "export", "transit"], rng.integers(0, 5, n)),
        "declaration_date": pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 12, 31), eager=True)
        .gather(rng.integers(0, 366, n)),
        "office_code": _codes("OF", 20).gather(rng.integers(0, 20, n)),
        "transport_mode": _pick(["1", "2", "3", "4", "5", "8"], rng.integers(0, 6, n)),
        "declarant_id": _codes("DC", 2_000).gather(rng.zipf(1.6, n) % 2_000),
        "importer_id": _codes("IM", 20_000).gather(rng.zipf(1.4, n) % 20_000),
        "seller_id": _codes("SL", 30_000).gather(rng.integers(0, 30_000, n)),
        "courier_id": _codes("CR", 50).gather(rng.integers(0, 50, n)),
        "departure_country": _pick(COUNTRIES, rng.integers(0, len(COUNTRIES), n)),
        "currency": _pick(["USD", "EUR", "XCD", "GBP", "CNY"], rng.integers(0, 5, n)),
        "port_of_loading": _pick(["CNSHA", "USMIA", "PAONX", "NLRTM", "COCTG", "HKHKG"], rng.integers(0, 6, n)),
        "port_of_discharge": _pick(["TTPOS", "JMKIN", "BBBGI", "DOCAU"], rng.integers(0, 4, n)),
    }
    frame = pl.DataFrame(header).gather(decl)
    mass = np.round(rng.lognormal(3, 1.5, m), 1) * (rng.random(m) > 0.01)  # 1 % declared with zero mass
    value = np.round(mass * rng.lognormal(2, 1, m) * np.where(rng.random(m) < 0.05, 0.1, 1.0), 2)
    duty_rate = _pick(["0", "5", "10", "20", "35"], rng.integers(0, 5, m)).cast(pl.Float64)
    items = pl.DataFrame({
        "hs_code": hs_pool.gather(rng.integers(0, len(hs_pool), m)),
        "origin_country": _pick(COUNTRIES, rng.integers(0, len(COUNTRIES), m)),
        "duty_rate": duty_rate, "net_mass_kg": mass, "gross_mass_kg": mass * 1.08,
        "quantity": rng.integers(1, 500, m).astype(np.float64), "customs_value": value,
        "duty_amount": value * duty_rate.to_numpy() / 100,
        "tax_type": _pick(["A", "B", "C"], rng.integers(0, 3, m)),
        "origin_indicator": _pick(["Y", "N"], rng.integers(0, 2, m)),
    })
    return pl.concat([frame, items], how="horizontal")


def bench_context(frame: pl.DataFrame, seed: int) -> EvaluationContext:
    medians = (frame.filter(pl.col("net_mass_kg") > 0)
               .group_by("hs_code").agg((pl.col("customs_value") / pl.col("net_mass_kg")).median()))
    importers = frame["importer_id"].unique().sort()
    sellers = frame["seller_id"].unique().sort()
    lists = {"risky-origins": RISKY_ORIGINS,
             "watched-importers": importers.sample(200, seed=seed).to_list(),
             "watched-sellers": sellers.sample(300, seed=seed).to_list(),
             "sensitive-chapters": ["22", "24", "30", "33", "93", "2903", "9504"],
             "aeo-traders": importers.sample(500, seed=seed + 2).to_list()}
    return EvaluationContext(lists=lists, references={"hs6_median_unit_value": dict(medians.iter_rows())},
                             as_of=dt.date(2025, 1, 1))


# --- 50 realistic rules ----------------------------------------------------------------------------

def _c(field: str, operator: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "operator": operator, **({} if value is None else {"value": value})}


def _rule(i: int, name: str, condition: dict[str, Any], weight: int = 0, lane: str | None = None) -> dict[str, Any]:
    return {"id": f"bench-{i:02d}", "version": 1, "name": name, "weight": weight, "lane": lane,
            "condition": condition}


def bench_rules(n_rules: int, seed: int) -> list[CompiledRule]:
    """``n_rules`` rules cycling through the families an administration actually writes."""
    rng = np.random.default_rng(seed)
    families = [_origin_rule, _undervalued_rule, _watched_rule, _mandatory_rule, _value_rule, _trader_rule,
                _route_rule, _empty_rule]
    raw = [families[i % len(families)](i, rng) for i in range(n_rules)]
    return [compile_rule(rule, ["risky-origins", "watched-importers", "watched-sellers", "sensitive-chapters"])
            for rule in raw]


def _origin_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    chapters = list(rng.choice(CHAPTERS, 2, replace=False))
    return _rule(i, f"Chapters {chapters} from risky origins", {"group": "and", "children": [
        _c("hs_code", "hs_prefix", chapters), _c("origin_country", "in_list", {"list": "risky-origins"})]},
        weight=int(rng.integers(15, 40)))


def _undervalued_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    chapter = str(rng.choice(CHAPTERS))
    return _rule(i, f"Undervalued chapter {chapter}", {"group": "and", "children": [
        _c("hs_code", "hs_prefix", chapter),
        _c("unit_value", "compare_reference", {"reference": "hs6_median_unit_value", "factor": 0.3})]},
        weight=int(rng.integers(30, 60)))


def _watched_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    return _rule(i, "Watched importer, high value", {"group": "and", "children": [
        _c("importer_id", "in_list", {"list": "watched-importers"}),
        _c("customs_value", "greater_than", float(rng.integers(500, 5000)))]}, weight=50)


def _mandatory_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    choices = [("Weapons and ammunition", ["93"], "red"), ("Precursor chemicals", ["2903", "2914"], "yellow"),
               ("Medicines from risky origins", ["3004"], "yellow"), ("Gaming machines", ["9504"], "blue")]
    name, prefixes, lane = choices[int(rng.integers(0, len(choices)))]
    condition = _c("hs_code", "hs_prefix", prefixes)
    if lane == "yellow":
        condition = {"group": "and", "children": [condition, _c("origin_country", "in_list",
                                                                  {"list": "risky-origins"})]}
    return _rule(i, name, condition, weight=10, lane=lane)


def _value_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    low = float(rng.integers(10_000, 50_000))
    return _rule(i, "High value, high duty, sea or air", {"group": "and", "children": [
        _c("customs_value", "range", {"min": low, "max": low * 10}), _c("duty_rate", "greater_than", 10),
        {"group": "or", "children": [_c("transport_mode", "equals", "1"), _c("transport_mode", "equals", "4")]}]},
        weight=int(rng.integers(10, 30)))


def _trader_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    return _rule(i, "Watched seller through a new courier", {"group": "and", "children": [
        _c("seller_id", "in_list", {"list": "watched-sellers"}),
        _c("courier_id", "in_list", [f"CR{int(k):06d}" for k in rng.integers(0, 50, 5)])]}, weight=35)


def _route_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    office = f"OF{int(rng.integers(0, 20)):06d}"
    return _rule(i, "Transhipment of sensitive goods", {"group": "and", "children": [
        _c("departure_country", "in_list", ["PA", "HK", "AE"]),
        _c("origin_country", "not_in_list", {"list": "risky-origins"}),
        _c("hs_code", "hs_prefix", {"list": "sensitive-chapters"}), _c("office_code", "not_equals", office)]},
        weight=25)


def _empty_rule(i: int, rng: np.random.Generator) -> dict[str, Any]:
    return _rule(i, "Missing mass on valuable goods", {"group": "or", "children": [
        {"group": "and", "children": [_c("net_mass_kg", "range", {"max": 0}),
                                      _c("customs_value", "greater_than", float(rng.integers(1000, 3000)))]},
        _c("seller_id", "is_empty")]}, weight=20)


# --- the bare NumPy pass ---------------------------------------------------------------------------

class NumpyColumns:
    """The same columns as plain arrays: codes (null = -1) with their categories, or float64 (null =
    NaN). Encoding is done before timing: it is what "a bare NumPy pass over the columns" is given."""

    def __init__(self, frame: pl.DataFrame, fields: set[str]):
        self.codes: dict[str, tuple[np.ndarray, list[str]]] = {}
        self.numbers: dict[str, np.ndarray] = {}
        for name in sorted(fields):
            if name == "unit_value":
                continue
            column = frame[name]
            if column.dtype == pl.String:
                categories = column.unique().drop_nulls().sort()
                codes = column.replace_strict(categories, pl.int_range(len(categories), eager=True),
                                              default=-1, return_dtype=pl.Int32)
                self.codes[name] = (codes.to_numpy(), categories.to_list())
            else:
                self.numbers[name] = column.cast(pl.Float64).fill_null(np.nan).to_numpy()
        if "unit_value" in fields:
            mass, value = frame["net_mass_kg"].to_numpy(), frame["customs_value"].to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                self.numbers["unit_value"] = np.where(mass != 0, value / mass, np.nan)


def numpy_masks(node: Node, cols: NumpyColumns, context: EvaluationContext) -> np.ndarray:
    if isinstance(node, Group):
        masks = [numpy_masks(child, cols, context) for child in node.children]
        return np.logical_and.reduce(masks) if node.logic == "and" else np.logical_or.reduce(masks)
    if node.field in cols.codes:
        return _code_mask(node, *cols.codes[node.field], context)
    return _number_mask(node, cols.numbers[node.field], cols, context)


def _code_mask(node: Criterion, codes: np.ndarray, categories: list[str], context: EvaluationContext) -> np.ndarray:
    # A look-up table over the categories (last slot = null), then one gather per row.
    lut = np.zeros(len(categories) + 1, dtype=bool)
    op, operand = node.operator, node.operand
    if op is Operator.IS_EMPTY:
        lut[:-1] = [c == "" for c in categories]
        lut[-1] = True
    elif op in (Operator.EQUALS, Operator.NOT_EQUALS):
        lut[:-1] = [(c == operand) == (op is Operator.EQUALS) for c in categories]
    else:
        assert isinstance(operand, ValueList)
        values = context.lists[operand.list_name] if operand.list_name else operand.values or frozenset()
        if op is Operator.HS_PREFIX:
            lut[:-1] = [any(c.startswith(p) for p in values) for c in categories]
        else:
            lut[:-1] = [(c in values) == (op is Operator.IN_LIST) for c in categories]
    return lut[codes]


def _number_mask(node: Criterion, x: np.ndarray, cols: NumpyColumns, context: EvaluationContext) -> np.ndarray:
    op, operand = node.operator, node.operand
    if op is Operator.IS_EMPTY:
        return np.isnan(x)
    if op is Operator.GREATER_THAN:
        return x > operand
    if op is Operator.LESS_THAN:
        return x < operand
    if op is Operator.EQUALS:
        return x == operand
    if op is Operator.NOT_EQUALS:
        return (x != operand) & ~np.isnan(x)
    if isinstance(operand, Bounds):
        mask = ~np.isnan(x)
        if operand.low is not None:
            mask &= x >= operand.low
        if operand.high is not None:
            mask &= x <= operand.high
        return mask
    assert isinstance(operand, ReferenceComparison)
    codes, categories = cols.codes[operand.key_field]
    table = context.references[operand.reference]
    lut = np.array([table.get(c, np.nan) for c in categories] + [np.nan])
    threshold = operand.factor * lut[codes]
    return x < threshold if operand.comparison == "less_than" else x > threshold


def numpy_pass(cols: NumpyColumns, starts: np.ndarray, rules: list[CompiledRule],
               context: EvaluationContext) -> tuple[np.ndarray, np.ndarray]:
    """Fired matrix per declaration and lane severity by score, rules as NumPy masks."""
    fired = np.empty((len(starts), len(rules)), dtype=bool)
    for j, rule in enumerate(rules):
        fired[:, j] = np.logical_or.reduceat(numpy_masks(rule.condition, cols, context), starts)
    points = fired.astype(np.int64) @ np.array([rule.weight for rule in rules], dtype=np.int64)
    severity = np.zeros(len(starts), np.int8)
    for level, threshold in ((1, SETTINGS.thresholds.blue), (2, SETTINGS.thresholds.yellow),
                             (3, SETTINGS.thresholds.red)):
        severity[points >= threshold] = level
    return fired, severity


# --- the run ---------------------------------------------------------------------------------------

def run_batch_benchmark(n_declarations: int = 1_000_000, n_rules: int = 50, seed: int = 7,
                        repeats: int = 3) -> dict[str, Any]:
    """Time rules + lanes over ``n_declarations`` synthetic declarations, and a bare NumPy pass over
    the same columns; returns the figures (``batch_declarations_per_s``, ``numpy_ratio``, …)."""
    frame = synthetic_declarations(n_declarations, seed)
    context = bench_context(frame, seed)
    rules = bench_rules(n_rules, seed)
    factors = {trader: 0.5 for trader in context.lists["aeo-traders"]}
    evaluate_batch(frame.head(10_000), rules, context)  # warm-up: thread pool, string caches

    def engine() -> Any:
        result = evaluate_batch(frame, rules, context)
        trader = trader_factors_for_batch(frame, result, factors)
        return result, allocate_batch(result, SETTINGS, KEY, trader_factor=trader)

    cols = NumpyColumns(frame, set().union(*(rule.fields for rule in rules)))
    decl = frame["declaration_number"].to_numpy()
    starts = np.flatnonzero(np.r_[True, decl[1:] != decl[:-1]])
    # Interleaved, best of each: a burst of load from a neighbour hits both legs alike.
    engine_s = numpy_s = float("inf")
    for _ in range(max(1, repeats)):
        seconds, (result, lanes) = _timed(engine)
        engine_s = min(engine_s, seconds)
        seconds, (fired, _) = _timed(lambda: numpy_pass(cols, starts, rules, context))
        numpy_s = min(numpy_s, seconds)
    shares = {lane: float((lanes.lane_severity == level).mean())
              for level, lane in enumerate(["green", "blue", "yellow", "red"])}
    return {
        "batch_declarations_per_s": round(n_declarations / engine_s),
        "numpy_declarations_per_s": round(n_declarations / numpy_s),
        "numpy_ratio": round(numpy_s / engine_s, 3),
        "seconds": round(engine_s, 3), "numpy_seconds": round(numpy_s, 3),
        "n_declarations": n_declarations, "n_items": frame.height, "n_rules": len(rules),
        "n_criteria": sum(_criteria(rule.condition) for rule in rules),
        "numpy_agrees": bool(np.array_equal(fired, result.fired)),
        "fired_per_declaration": round(float(result.fired.sum(axis=1).mean()), 3),
        "lane_shares": {lane: round(share, 4) for lane, share in shares.items()},
        "random_selected_share": round(float(lanes.random_selected.mean()), 4),
        "polars": pl.__version__, "numpy": np.__version__,
    }


def _timed(run: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def _criteria(node: Node) -> int:
    return sum(_criteria(child) for child in node.children) if isinstance(node, Group) else 1


def markdown(result: dict[str, Any], command: str) -> str:
    from tradewinds.bench.report import machine

    m = machine()
    shares = " / ".join(f"{result['lane_shares'][lane]:.1%}" for lane in ("red", "yellow", "blue", "green"))
    return "\n".join([
        f"Run on {m['date']} on {m['arch']}, {m['nproc']} cores, Python {m['python']}, Polars {result['polars']}, "
        f"NumPy {result['numpy']}: `{command}`.",
        "",
        f"{result['n_declarations']:,} synthetic declarations ({result['n_items']:,} items), {result['n_rules']} "
        f"active rules ({result['n_criteria']} criteria), trusted-trader factors and keyed random draws.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| rules + lane allocation, declarations/s | {result['batch_declarations_per_s']:,} | ≥ 200,000 |",
        f"| bare NumPy pass over the same columns, declarations/s | {result['numpy_declarations_per_s']:,} | |",
        f"| ratio engine / bare NumPy | {result['numpy_ratio']:.2f} | |",
        f"| NumPy pass fires the same rules | {'yes' if result['numpy_agrees'] else 'NO'} | yes |",
        f"| lanes red / yellow / blue / green | {shares} | |",
        "",
        "The engine leg takes raw string columns and includes the keyed BLAKE2b draw of every declaration "
        "(about 0.8 s per million); the NumPy leg is handed the columns already encoded as integer codes "
        "and floats, runs on one thread and draws nothing. Best of 3, interleaved; on a shared machine "
        "both figures move, their ratio less so.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tradewinds.bench.risk_batch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200,000 declarations instead of 1,000,000")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--write-docs", action="store_true", help="update the section in docs/benchmarks.md")
    parser.add_argument("--declarations", type=int, help="number of declarations (overrides --quick)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    n = args.declarations or (200_000 if args.quick else 1_000_000)
    result = run_batch_benchmark(n, 50, args.seed)
    command = "python -m tradewinds.bench.risk_batch" + (" --quick" if args.quick else "")
    if args.write_docs:
        from tradewinds.bench.report import replace_section

        replace_section("## Risk rules — batch", markdown(result, command))
    print(json.dumps(result) if args.json else markdown(result, command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
