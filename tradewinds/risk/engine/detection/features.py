"""Features for the detection model, computed the same way at training and at scoring.

High-cardinality identifiers (importer, declarant, seller, courier, HS code and their combinations)
are not fed to LightGBM as raw codes: a tree cannot generalise from 12,000 importer codes, and new
importers appear every week. Each identifier becomes *statistics learnt on the training window
only*: how often it was seen, and its smoothed fraud and critical-offence rates. On the training
rows these rates are computed out-of-fold, otherwise the model would learn that an importer's rate
"predicts" the very labels it was computed from, and would trust it far too much on new data.

Everything learnt here lives in a :class:`FeatureState`, which is plain JSON-serialisable data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

# Identifier keys that get target statistics: name -> canonical columns joined into one key.
# Combinations catch what neither part shows alone (an importer honest on most goods but not on one HS).
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "importer": ("importer_id",),
    "declarant": ("declarant_id",),
    "seller": ("seller_id",),
    "courier": ("courier_id",),
    "hs6": ("hs_code",),
    "hs4": ("hs4",),
    "hs2": ("hs2",),
    "importer_hs": ("importer_id", "hs_code"),
    "declarant_hs": ("declarant_id", "hs_code"),
    "seller_importer": ("seller_id", "importer_id"),
    "origin_hs": ("origin_country", "hs_code"),
    "office_hs": ("office_code", "hs_code"),
    "route": ("departure_country", "origin_country"),
    "office": ("office_code",),
    "tax_type": ("tax_type",),
    # Repeat consignments: the exact declared value / mass of past offences (identical invoices).
    "value": ("customs_value",),
    "mass": ("net_mass_kg",),
    "value_mass": ("customs_value", "net_mass_kg"),
}
# Low-cardinality codes given to the trees directly (as stable integer codes).
CODE_COLUMNS: tuple[str, ...] = (
    "office_code",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
    "tax_type",
    "origin_indicator",
    "departure_country",
    "origin_country",
)
NUMERIC_FEATURES: tuple[str, ...] = (
    "duty_rate",
    "log_customs_value",
    "log_net_mass",
    "log_unit_value",
    "unit_value_vs_hs6",
    "unit_value_vs_hs6_origin",
    "log_duty_at_stake",
    "route_mismatch",
)
LABELS: tuple[str, ...] = ("fraud", "critical_offence")


@dataclass
class FeatureConfig:
    smoothing: float = 20.0  # pseudo-count pulling rare identifiers towards the overall rate
    folds: int = 5  # out-of-fold target statistics on training rows
    seed: int = 7
    keys: tuple[str, ...] = tuple(KEY_COLUMNS)


@dataclass
class FeatureState:
    """Everything learnt from the training window that features need at scoring time."""

    config: FeatureConfig
    priors: dict[str, float]
    key_stats: dict[str, pl.DataFrame]  # key name -> [key, n, fraud, critical_offence]
    unit_value_medians: dict[str, pl.DataFrame]  # "hs6"/"hs6_origin" -> [key, median log unit value]
    global_unit_value: float
    codes: dict[str, list[str]]  # code column -> known values (index = integer code)
    names: list[str] = field(default_factory=list)
    # key name -> {key: (n, fraud, critical)}, built on first use by the small-frame path.
    _lookups: dict[str, dict[str, tuple[float, float, float]]] = field(default_factory=dict, repr=False, compare=False)
    _median_lookups: dict[str, dict[str, float | None]] = field(default_factory=dict, repr=False, compare=False)
    _code_lookups: dict[str, dict[str, int]] = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, key: str) -> dict[str, tuple[float, float, float]]:
        found = self._lookups.get(key)
        if found is None:
            table = self.key_stats[key]
            rows = zip(*(table[c].to_list() for c in ("n", *LABELS)), strict=True)
            found = dict(zip(table["key"].to_list(), rows, strict=True))
            self._lookups[key] = found
        return found

    def medians(self, name: str) -> dict[str, float | None]:
        """``unit_value_medians[name]`` as a dictionary (the small-input path), built on first use."""
        found = self._median_lookups.get(name)
        if found is None:
            table = self.unit_value_medians[name]
            found = dict(zip(table["key"].to_list(), table["median"].to_list(), strict=True))
            self._median_lookups[name] = found
        return found

    def code_index(self, column: str) -> dict[str, int]:
        """``codes[column]`` value -> integer code (the small-input path), built on first use."""
        found = self._code_lookups.get(column)
        if found is None:
            found = {value: index for index, value in enumerate(self.codes[column])}
            self._code_lookups[column] = found
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "config": {**self.config.__dict__, "keys": list(self.config.keys)},
            "priors": self.priors,
            "key_stats": {k: _table_to_json(v) for k, v in self.key_stats.items()},
            "unit_value_medians": {k: _table_to_json(v) for k, v in self.unit_value_medians.items()},
            "global_unit_value": self.global_unit_value,
            "codes": self.codes,
            "names": self.names,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FeatureState:
        config = FeatureConfig(**{**raw["config"], "keys": tuple(raw["config"]["keys"])})
        return cls(
            config=config,
            priors=raw["priors"],
            key_stats={k: _table_from_json(v) for k, v in raw["key_stats"].items()},
            unit_value_medians={k: _table_from_json(v) for k, v in raw["unit_value_medians"].items()},
            global_unit_value=raw["global_unit_value"],
            codes=raw["codes"],
            names=raw["names"],
        )


def _table_to_json(table: pl.DataFrame) -> dict[str, list[Any]]:
    return {c: table[c].to_list() for c in table.columns}


def _table_from_json(raw: dict[str, list[Any]]) -> pl.DataFrame:
    key = pl.Series("key", raw["key"], dtype=pl.String)
    return pl.DataFrame([key] + [pl.Series(c, v, dtype=pl.Float64) for c, v in raw.items() if c != "key"])


def prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """Derived columns shared by every step: HS prefixes, unit value, duty at stake, key strings."""
    value = pl.col("customs_value").fill_null(0.0).clip(0.0)
    mass = pl.col("net_mass_kg").fill_null(0.0).clip(0.0)
    base = frame.with_columns(
        pl.col("hs_code").str.slice(0, 4).alias("hs4"),
        pl.col("hs_code").str.slice(0, 2).alias("hs2"),
        # +1 keeps zero masses and values finite; unit values are compared in log space.
        ((value + 1.0).log() - (mass + 0.001).log()).alias("log_unit_value"),
        duty_at_stake(),
    )
    keys = [_key_expr(name, cols).alias(f"key_{name}") for name, cols in KEY_COLUMNS.items()]
    keys.append(_key_expr("hs6_origin", ("hs_code", "origin_country")).alias("key_hs6_origin"))
    return base.with_columns(keys)


def duty_at_stake() -> pl.Expr:
    """Revenue at risk if the declaration is fraudulent: customs value x duty rate / 100."""
    value = pl.col("customs_value").fill_null(0.0).clip(0.0)
    return (value * pl.col("duty_rate").fill_null(0.0) / 100.0).alias("duty_at_stake")


def _key_expr(name: str, cols: tuple[str, ...]) -> pl.Expr:
    del name
    if len(cols) == 1:
        return pl.col(cols[0]).cast(pl.String)
    # concat_str gives null when any part is null: an unknown seller makes the pair unknown too.
    return pl.concat_str([pl.col(c).cast(pl.String) for c in cols], separator="|")


def label_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The two targets as 0/1 floats: any fraud, and public-safety offences (critical == 2)."""
    return frame.select(
        pl.col("fraud").cast(pl.Float64).fill_null(0.0).alias("fraud"),
        (pl.col("critical") == 2).cast(pl.Float64).fill_null(0.0).alias("critical_offence"),
    )


def fit_state(frame: pl.DataFrame, config: FeatureConfig | None = None) -> FeatureState:
    """Learn identifier statistics, unit-value medians and code lists from labelled training rows."""
    config = config or FeatureConfig()
    prepared = prepare(frame).with_columns(label_frame(frame))
    priors = {label: float(prepared[label].mean() or 0.0) for label in LABELS}
    key_stats = {name: _group_stats(prepared, f"key_{name}") for name in config.keys}
    medians = {
        name: prepared.group_by(f"key_{name}")
        .agg(pl.col("log_unit_value").median().alias("median"))
        .rename({f"key_{name}": "key"})
        .drop_nulls("key")
        for name in ("hs6", "hs6_origin")
    }
    codes = {c: sorted(v for v in frame[c].drop_nulls().unique().to_list()) for c in CODE_COLUMNS}
    state = FeatureState(config, priors, key_stats, medians, float(prepared["log_unit_value"].median() or 0.0), codes)
    state.names = feature_names(state)
    return state


def _group_stats(prepared: pl.DataFrame, key: str) -> pl.DataFrame:
    return (
        prepared.filter(pl.col(key).is_not_null())
        .group_by(key)
        .agg(pl.len().cast(pl.Float64).alias("n"), *[pl.col(lab).sum().alias(lab) for lab in LABELS])
        .rename({key: "key"})
    )


def feature_names(state: FeatureState) -> list[str]:
    names = list(NUMERIC_FEATURES) + [f"code_{c}" for c in CODE_COLUMNS]
    for key in state.config.keys:
        names += [f"{key}_count", f"{key}_fraud_rate", f"{key}_critical_rate"]
    return names


def transform(frame: pl.DataFrame, state: FeatureState) -> np.ndarray:
    """Feature matrix for new declarations, using statistics from the whole training window."""
    if frame.height <= SMALL_ROWS and _rows_path_applies(frame):
        return transform_rows(frame.to_dicts(), state)
    prepared = prepare(frame)
    stats = [_join_stats(prepared, state, key) for key in state.config.keys]
    return _assemble(prepared, state, stats)


def transform_training(frame: pl.DataFrame, state: FeatureState) -> np.ndarray:
    """Feature matrix for the training rows themselves, with out-of-fold identifier statistics."""
    k = state.config.folds
    prepared = prepare(frame).with_columns(label_frame(frame))
    folds = np.random.default_rng(state.config.seed).integers(0, k, prepared.height)
    prepared = prepared.with_columns(pl.Series("fold", folds, dtype=pl.Int32))
    stats = [_oof_stats(prepared, state, key) for key in state.config.keys]
    return _assemble(prepared, state, stats)


# Up to this many rows (one declaration on the API path), identifier statistics are looked up in
# dictionaries: a Polars join costs about a millisecond whatever the size, and there are 18 of them.
SMALL_FRAME = 64


def _join_stats(prepared: pl.DataFrame, state: FeatureState, key: str) -> pl.DataFrame:
    if prepared.height <= SMALL_FRAME:
        return _lookup_stats(prepared, state, key)
    table = state.key_stats[key]
    joined = prepared.select(pl.col(f"key_{key}").alias("key")).join(table, on="key", how="left", maintain_order="left")
    return _rates(joined, state, key, count_scale=1.0)


def _lookup_stats(prepared: pl.DataFrame, state: FeatureState, key: str) -> pl.DataFrame:
    """The same numbers as the join in :func:`_rates` (same float operations in the same order)."""
    table, m = state.lookup(key), state.config.smoothing
    found = [table.get(k) if k is not None else None for k in prepared[f"key_{key}"].to_list()]
    n = [row[0] if row is not None else 0.0 for row in found]
    columns: dict[str, list[float]] = {f"{key}_count": [count * 1.0 for count in n]}
    for offset, (lab, short) in enumerate((("fraud", "fraud"), ("critical_offence", "critical")), start=1):
        prior = m * state.priors[lab]
        columns[f"{key}_{short}_rate"] = [
            ((row[offset] if row is not None else 0.0) + prior) / (count + m)
            for row, count in zip(found, n, strict=True)
        ]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Float64))


def _oof_stats(prepared: pl.DataFrame, state: FeatureState, key: str) -> pl.DataFrame:
    col = f"key_{key}"
    sums = [pl.col(lab).sum().alias(lab) for lab in LABELS]
    per_fold = prepared.group_by(col, "fold").agg(pl.len().cast(pl.Float64).alias("n"), *sums)
    totals = state.key_stats[key].rename({"n": "tn", **{lab: f"t_{lab}" for lab in LABELS}})
    oof = per_fold.join(totals, left_on=col, right_on="key", how="left").select(
        col,
        "fold",
        (pl.col("tn") - pl.col("n")).alias("n"),
        *[(pl.col(f"t_{lab}") - pl.col(lab)).alias(lab) for lab in LABELS],
    )
    joined = prepared.select(col, "fold").join(oof, on=[col, "fold"], how="left", maintain_order="left")
    joined = joined.with_columns(pl.when(pl.col(col).is_null()).then(None).otherwise(pl.col("n")).alias("n"))
    # Other folds hold (k-1)/k of the history: scale counts so they match what scoring will see.
    k = state.config.folds
    return _rates(joined, state, key, count_scale=k / (k - 1))


def _rates(joined: pl.DataFrame, state: FeatureState, key: str, count_scale: float) -> pl.DataFrame:
    m = state.config.smoothing
    n = pl.col("n").fill_null(0.0)
    out = [(n * count_scale).alias(f"{key}_count")]
    for lab, short in (("fraud", "fraud"), ("critical_offence", "critical")):
        prior = state.priors[lab]
        rate = (pl.col(lab).fill_null(0.0) + m * prior) / (n + m)
        out.append(rate.alias(f"{key}_{short}_rate"))
    return joined.select(out)


def _assemble(prepared: pl.DataFrame, state: FeatureState, stats: list[pl.DataFrame]) -> np.ndarray:
    numeric = prepared.select(_numeric_exprs(state, prepared))
    codes = prepared.select(
        pl.col(c)
        .replace_strict(state.codes[c], list(range(len(state.codes[c]))), default=None, return_dtype=pl.Float64)
        .alias(f"code_{c}")
        for c in CODE_COLUMNS
    )
    matrix = pl.concat([numeric, codes, *stats], how="horizontal")
    return matrix.select(state.names).to_numpy().astype(np.float32, copy=False)


def _numeric_exprs(state: FeatureState, prepared: pl.DataFrame) -> list[pl.Expr]:
    med = {
        name: prepared.select(pl.col(f"key_{name}").alias("key")).join(
            state.unit_value_medians[name], on="key", how="left", maintain_order="left"
        )["median"]
        for name in ("hs6", "hs6_origin")
    }
    hs6_median = med["hs6"].fill_null(state.global_unit_value)
    return [
        pl.col("duty_rate"),
        pl.col("customs_value").clip(0.0).log1p().alias("log_customs_value"),
        pl.col("net_mass_kg").clip(0.0).log1p().alias("log_net_mass"),
        pl.col("log_unit_value"),
        # Log ratio to the HS6 median: -2.08 means the declared unit value is 8x below the median.
        (pl.col("log_unit_value") - pl.lit(hs6_median)).alias("unit_value_vs_hs6"),
        (pl.col("log_unit_value") - pl.lit(med["hs6_origin"].fill_null(hs6_median))).alias("unit_value_vs_hs6_origin"),
        pl.col("duty_at_stake").log1p().alias("log_duty_at_stake"),
        (pl.col("departure_country") != pl.col("origin_country")).cast(pl.Float64).alias("route_mismatch"),
    ]


# -- small inputs (one declaration on the API path) ---------------------------------------------
# Up to this many rows the feature matrix is computed in plain Python from the state's dictionaries:
# building Polars expressions and frames costs ~10 ms whatever the size. Same float operations in the
# same order as the frame path (libm log / log1p on float64, then float32), so the matrices are equal;
# tests/engine/test_detection_small.py proves it.
SMALL_ROWS = 16
_DERIVED_OR_NUMBER = {"hs4", "hs2", "customs_value", "net_mass_kg"}
_TEXT_INPUTS = tuple(sorted({c for cols in KEY_COLUMNS.values() for c in cols} - _DERIVED_OR_NUMBER))
_NUMBER_INPUTS = ("customs_value", "net_mass_kg", "duty_rate")


def _rows_path_applies(frame: pl.DataFrame) -> bool:
    """The row path reproduces the frame path for the canonical types (text as String, numbers as
    Float64, an all-missing column as Null) and finite numbers; anything else takes the frame path."""
    schema = frame.schema
    for column in (*_TEXT_INPUTS, *CODE_COLUMNS):
        if schema.get(column) not in (pl.String, pl.Null):
            return False
    for column in _NUMBER_INPUTS:
        dtype = schema.get(column)
        if dtype == pl.Null:
            continue
        if dtype != pl.Float64:
            return False
        if any(value is not None and not math.isfinite(value) for value in frame[column].to_list()):
            return False
    return True


def canonical_rows(rows: Sequence[Mapping[str, Any]]) -> bool:
    """:func:`_rows_path_applies` for rows given as dicts: text as str, numbers as finite floats (or
    None), so :func:`transform_rows` gives what the frame path would."""
    for row in rows:
        for column in (*_TEXT_INPUTS, *CODE_COLUMNS):
            value = row.get(column)
            if value is not None and not isinstance(value, str):
                return False
        for column in _NUMBER_INPUTS:
            value = row.get(column)
            if value is not None and not (isinstance(value, float) and math.isfinite(value)):
                return False
    return True


def transform_rows(rows: Sequence[Mapping[str, Any]], state: FeatureState) -> np.ndarray:
    """:func:`transform` for a few rows given as canonical dicts (finite numbers or None)."""
    names = state.names
    matrix = np.empty((len(rows), len(names)), dtype=np.float64)
    for i, row in enumerate(rows):
        features = _row_features(row, state)
        matrix[i] = [np.nan if (value := features[name]) is None else value for name in names]
    return matrix.astype(np.float32, copy=False)


def _row_features(row: Mapping[str, Any], state: FeatureState) -> dict[str, float | None]:
    value_in, mass_in, rate_in = row.get("customs_value"), row.get("net_mass_kg"), row.get("duty_rate")
    value = _clip0(0.0 if value_in is None else value_in)
    mass = _clip0(0.0 if mass_in is None else mass_in)
    log_unit_value = math.log(value + 1.0) - math.log(mass + 0.001)
    duty = value * (0.0 if rate_in is None else rate_in) * 0.01  # Polars turns "/ 100.0" into "* 0.01"
    hs = row.get("hs_code")
    texts = {c: row.get(c) for c in _TEXT_INPUTS}
    texts["hs4"] = None if hs is None else hs[:4]
    texts["hs2"] = None if hs is None else hs[:2]
    texts["customs_value"] = _float_text(value_in)
    texts["net_mass_kg"] = _float_text(mass_in)

    medians = {name: state.medians(name).get(_key(cols, texts)) for name, cols in _MEDIAN_KEYS.items()}
    hs6_median = state.global_unit_value if medians["hs6"] is None else medians["hs6"]
    origin_median = hs6_median if medians["hs6_origin"] is None else medians["hs6_origin"]
    departure, origin = row.get("departure_country"), row.get("origin_country")
    out: dict[str, float | None] = {
        "duty_rate": rate_in,
        "log_customs_value": None if value_in is None else math.log1p(_clip0(value_in)),
        "log_net_mass": None if mass_in is None else math.log1p(_clip0(mass_in)),
        "log_unit_value": log_unit_value,
        "unit_value_vs_hs6": log_unit_value - hs6_median,
        "unit_value_vs_hs6_origin": log_unit_value - origin_median,
        "log_duty_at_stake": _log1p(duty),
        "route_mismatch": None if departure is None or origin is None else float(departure != origin),
    }
    for column in CODE_COLUMNS:
        code = row.get(column)
        index = None if code is None else state.code_index(column).get(code)
        out[f"code_{column}"] = None if index is None else float(index)
    m = state.config.smoothing
    fraud_prior, critical_prior = m * state.priors["fraud"], m * state.priors["critical_offence"]
    for key in state.config.keys:
        key_text = _key(KEY_COLUMNS[key], texts)
        found = state.lookup(key).get(key_text) if key_text is not None else None
        n = found[0] if found is not None else 0.0
        out[f"{key}_count"] = n * 1.0
        out[f"{key}_fraud_rate"] = ((found[1] if found is not None else 0.0) + fraud_prior) / (n + m)
        out[f"{key}_critical_rate"] = ((found[2] if found is not None else 0.0) + critical_prior) / (n + m)
    return out


_MEDIAN_KEYS = {"hs6": KEY_COLUMNS["hs6"], "hs6_origin": ("hs_code", "origin_country")}


def _key(cols: tuple[str, ...], texts: Mapping[str, str | None]) -> str | None:
    """The frame path's key string: one column as is, several joined by '|' (None when any is None)."""
    parts = [texts[c] for c in cols]
    if any(part is None for part in parts):
        return None
    return parts[0] if len(parts) == 1 else "|".join(parts)  # type: ignore[arg-type]


def _log1p(value: float) -> float:
    """log1p without Python's domain errors: -inf at -1 and NaN below, as libm (and Polars) give."""
    if value > -1.0 or math.isnan(value):
        return math.log1p(value)
    return -math.inf if value == -1.0 else math.nan


def _clip0(value: float) -> float:
    return value if value > 0.0 else (value if value == 0.0 else 0.0)


def _float_text(value: float | None) -> str | None:
    """A Float64 cast to String as Polars writes it (Python's repr, except for exponents)."""
    if value is None:
        return None
    text = repr(float(value))
    if "e" in text:
        return pl.Series([value], dtype=pl.Float64).cast(pl.String).item()
    return text


def duty_values(frame: pl.DataFrame) -> np.ndarray | None:
    """:func:`duty_at_stake` of a few rows without a Polars expression (None: take the frame path)."""
    if not _rows_path_applies(frame):
        return None
    if "customs_value" not in frame.columns or "duty_rate" not in frame.columns:
        return None
    return row_duties(frame.select("customs_value", "duty_rate").to_dicts())


def row_duties(rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """:func:`duty_at_stake` of canonical dict rows."""
    duty = [
        _clip0(0.0 if (value := row.get("customs_value")) is None else value)
        * (0.0 if (rate := row.get("duty_rate")) is None else rate)
        * 0.01  # as Polars computes it
        for row in rows
    ]
    return np.asarray(duty, dtype=np.float64)
