"""Explanations: LightGBM's own per-feature contributions, grouped into factors an officer knows.

A model with 70 features would explain itself as "importer_hs_fraud_rate +0.41". Officers need
"this importer's past hit rate on these goods 40 %". So contributions (``pred_contrib=True``, in
log-odds) are summed per *factor* (all features about the importer, all about the unit value, ...)
and the strongest factors that pushed the score *up* are rendered from the feature values.

Phrases are format strings with named placeholders (``TEMPLATES``), filled with already-formatted
strings, so a translator can reorder words without touching numbers.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from tradewinds.risk.engine.detection.model import TrainedModel

TEMPLATES: dict[str, str] = {
    "party_history": "{party}'s past {offence} rate {rate} ({hits} of {count} declarations)",
    "party_new": "first-time {party} (not seen in the training window)",
    "party_missing": "no {party} declared",
    "pair_history": "{subject}: past {offence} rate {rate} ({hits} of {count} declarations)",
    "pair_new": "{subject}: never seen together before",
    "repeat_consignment": "same declared {what} as {count} past declarations, {hits} of them {offence}s",
    "new_consignment": "declared {what} never seen before",
    "unit_value_below": "unit value {times}× below the HS {hs} median",
    "unit_value_above": "unit value {times}× above the HS {hs} median",
    "duty": "duty at stake {duty} (duty rate {rate})",
    "size": "declared value {value}, net mass {mass} kg",
    "route_mismatch": "shipped from {departure} but of {origin} origin",
    "codes": "declaration type (import {import_type}, use {import_use}, payment {payment_type}, "
    "transport {transport_mode})",
}
# Factors that moved the log-odds by less than this are noise, not a reason worth reading.
MIN_CONTRIBUTION = 0.05
RAW_COLUMNS: tuple[str, ...] = (
    "hs_code",
    "hs4",
    "hs2",
    "origin_country",
    "departure_country",
    "office_code",
    "tax_type",
    "importer_id",
    "declarant_id",
    "seller_id",
    "courier_id",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
)
OFFENCE_WORDS: dict[str, str] = {"fraud": "hit", "critical": "public-safety offence"}
PARTIES: dict[str, str] = {"importer": "importer", "declarant": "declarant", "seller": "seller", "courier": "courier"}
PAIRS: dict[str, str] = {
    "importer_hs": "this importer with HS {hs}",
    "declarant_hs": "this declarant with HS {hs}",
    "seller_importer": "this seller with this importer",
    "origin_hs": "HS {hs} from {origin}",
    "office_hs": "HS {hs} at office {office}",
    "hs6": "goods HS {hs}",
    "hs4": "goods HS {hs4}",
    "hs2": "goods in chapter {hs2}",
    "route": "goods of {origin} origin shipped from {departure}",
    "office": "office {office}",
    "tax_type": "tax type {tax_type}",
}
FACTOR_OF_PREFIX: tuple[tuple[str, str], ...] = (
    ("value_mass_", "repeat"),
    ("value_", "repeat"),
    ("mass_", "repeat"),
    ("unit_value", "unit_value"),
    ("log_unit_value", "unit_value"),
    ("duty_rate", "duty"),
    ("log_duty_at_stake", "duty"),
    ("log_customs_value", "size"),
    ("log_net_mass", "size"),
    ("route_mismatch", "route"),
    ("code_departure_country", "route"),
    ("code_origin_country", "route"),
    ("code_office_code", "office"),
    ("code_tax_type", "tax_type"),
    ("code_", "codes"),
)


def factor_of(feature: str, keys: tuple[str, ...]) -> str:
    """The human factor a feature belongs to (longest identifier key first: importer_hs before hs6)."""
    for prefix, factor in FACTOR_OF_PREFIX:
        if feature.startswith(prefix):
            return factor
    for key in sorted(keys, key=len, reverse=True):
        if feature.startswith(f"{key}_"):
            return key
    raise KeyError(f"feature {feature!r} has no explanation factor")


def explain_rows(
    model: TrainedModel, frame: pl.DataFrame, top_k: int = 3, matrix: np.ndarray | None = None
) -> list[dict[str, list[dict]]]:
    """For each row, ``{"fraud": [reason, ...], "critical": [...]}`` strongest first.

    A reason is ``{"factor", "template", "values", "text", "contribution"}``; ``contribution`` is in
    log-odds (how far this factor moved the score up). ``matrix``: the rows' features, if computed.
    """
    matrix = model.features(frame) if matrix is None else matrix
    # Python lists once: per-cell Series access would dominate the cost of explaining.
    return explain_columns(model, {c: frame[c].to_list() for c in RAW_COLUMNS if c in frame.columns}, matrix, top_k)


def explain_columns(
    model: TrainedModel, columns: dict[str, list[Any]], matrix: np.ndarray, top_k: int = 3
) -> list[dict[str, list[dict]]]:
    """:func:`explain_rows` given the rows' raw columns as lists (``hs_code`` at least) and features."""
    names = model.state.names
    factors, grouping = _factor_grouping(tuple(names), tuple(model.state.config.keys))
    context = _Context(columns, matrix, model)
    out: list[dict[str, list[dict]]] = [{} for _ in range(len(matrix))]
    for target, booster in model.boosters.items():
        contrib = booster.predict(matrix, pred_contrib=True, num_threads=model.threads_for(len(matrix)))
        by_factor = np.asarray(contrib)[:, : len(names)] @ grouping
        top = np.argsort(-by_factor, axis=1)[:, :top_k]
        for row in range(len(matrix)):
            out[row][target] = [
                _reason(factors[j], float(by_factor[row, j]), target, context, row)
                for j in top[row]
                if by_factor[row, j] > MIN_CONTRIBUTION
            ]
    return out


@functools.lru_cache(maxsize=32)
def _factor_grouping(names: tuple[str, ...], keys: tuple[str, ...]) -> tuple[list[str], np.ndarray]:
    """The factors and the feature -> factor summing matrix of a model's features. Kept per feature
    list: the API explains one declaration at a time, and building this cost more than explaining."""
    factors = sorted({factor_of(name, keys) for name in names})
    grouping = np.zeros((len(names), len(factors)))
    for i, name in enumerate(names):
        grouping[i, factors.index(factor_of(name, keys))] = 1.0
    grouping.setflags(write=False)
    return factors, grouping


def reasons_text(reasons: list[dict[str, Any]]) -> str:
    return "; ".join(r["text"] for r in reasons)


class _Context:
    """Row values needed by the phrases: raw codes from the frame, learnt statistics from features."""

    def __init__(self, columns: dict[str, list[Any]], matrix: np.ndarray, model: TrainedModel) -> None:
        self.columns = {c: values for c, values in columns.items() if c in RAW_COLUMNS}
        # The HS headings are cut in Python: a Polars expression costs more than a few rows' slices.
        codes = self.columns["hs_code"]
        for column, digits in (("hs4", 4), ("hs2", 2)):
            self.columns[column] = [None if code is None else code[:digits] for code in codes]
        self.matrix = matrix
        self.index = {n: i for i, n in enumerate(model.state.names)}
        self.priors = model.state.priors
        self.smoothing = model.state.config.smoothing

    def feature(self, row: int, name: str) -> float:
        return float(self.matrix[row, self.index[name]])

    def raw(self, row: int, column: str) -> str:
        value = self.columns[column][row] if column in self.columns else None
        return "?" if value is None else str(value)


def _reason(factor: str, contribution: float, target: str, ctx: _Context, row: int) -> dict[str, Any]:
    template, values = _RENDERERS.get(factor, _pair)(factor, target, ctx, row)
    return {
        "factor": factor,
        "template": template,
        "values": values,
        "text": TEMPLATES[template].format(**values),
        "contribution": round(contribution, 4),
    }


Rendered = tuple[str, dict[str, str]]


def _history(key: str, target: str, ctx: _Context, row: int) -> tuple[dict[str, str], float]:
    """Observed offences behind a smoothed rate: officers must see 2 of 2, not a smoothed 29 %."""
    count = ctx.feature(row, f"{key}_count")
    smoothed = ctx.feature(row, f"{key}_{target}_rate")
    prior = ctx.priors["critical_offence" if target == "critical" else "fraud"]
    hits = max(0.0, smoothed * (count + ctx.smoothing) - ctx.smoothing * prior)
    rate = hits / count if count >= 0.5 else 0.0
    values = {"rate": percent(rate), "hits": f"{hits:,.0f}", "count": f"{count:,.0f}", "offence": OFFENCE_WORDS[target]}
    return values, count


def _party(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    party = PARTIES[factor]
    if ctx.raw(row, f"{factor}_id") == "?":
        return "party_missing", {"party": party}
    values, n = _history(factor, target, ctx, row)
    if n < 0.5:
        return "party_new", {"party": party}
    return "party_history", {"party": party, **values}


def _pair(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    codes = {
        "hs": ctx.raw(row, "hs_code"),
        "hs4": ctx.raw(row, "hs4"),
        "hs2": ctx.raw(row, "hs2"),
        "origin": ctx.raw(row, "origin_country"),
        "departure": ctx.raw(row, "departure_country"),
        "office": ctx.raw(row, "office_code"),
        "tax_type": ctx.raw(row, "tax_type"),
    }
    subject = PAIRS[factor].format(**codes)
    # The subject's key and codes travel with the phrase, so a UI can word the subject itself.
    parts = {"subject_key": factor, **{k: v for k, v in codes.items() if "{" + k + "}" in PAIRS[factor]}}
    values, n = _history(factor, target, ctx, row)
    if factor == "route" and ctx.feature(row, "route_mismatch") > 0 and n < 0.5:
        return "route_mismatch", {"departure": codes["departure"], "origin": codes["origin"]}
    if n < 0.5:
        return "pair_new", {"subject": subject, **parts}
    return "pair_history", {"subject": subject, **parts, **values}


def _repeat(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    for key, what in (("value_mass", "value and mass"), ("value", "value"), ("mass", "mass")):
        values, n = _history(key, target, ctx, row)
        if n >= 0.5:
            return "repeat_consignment", {
                "what": what,
                "count": values["count"],
                "hits": values["hits"],
                "offence": values["offence"],
            }
    return "new_consignment", {"what": "value and mass"}


def _unit_value(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    log_ratio = ctx.feature(row, "unit_value_vs_hs6")
    times = times_text(math.exp(abs(log_ratio)))
    template = "unit_value_below" if log_ratio < 0 else "unit_value_above"
    return template, {"times": times, "hs": ctx.raw(row, "hs_code")}


def _duty(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    duty = math.expm1(ctx.feature(row, "log_duty_at_stake"))
    return "duty", {"duty": f"{duty:,.0f}", "rate": f"{ctx.feature(row, 'duty_rate'):g} %"}


def _size(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    value = math.expm1(ctx.feature(row, "log_customs_value"))
    mass = math.expm1(ctx.feature(row, "log_net_mass"))
    return "size", {"value": f"{value:,.0f}", "mass": f"{mass:,.1f}"}


def _codes(factor: str, target: str, ctx: _Context, row: int) -> Rendered:
    cols = ("import_type", "import_use", "payment_type", "transport_mode")
    return "codes", {c: ctx.raw(row, c) for c in cols}


def percent(rate: float) -> str:
    return f"{rate * 100:.0f} %"


def times_text(ratio: float) -> str:
    """8.04 -> '8', 2.46 -> '2.5': precise enough for an officer, not falsely exact."""
    return f"{ratio:.0f}" if ratio >= 10 else f"{ratio:.1f}".rstrip("0").rstrip(".")


_RENDERERS: dict[str, Callable[[str, str, _Context, int], Rendered]] = {
    **{party: _party for party in PARTIES},
    "repeat": _repeat,
    "unit_value": _unit_value,
    "duty": _duty,
    "size": _size,
    "codes": _codes,
}
