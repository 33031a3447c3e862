"""The canonical declaration fields a rule may test, and how raw values are normalised.

Single and batch evaluation must agree bit for bit, so both paths normalise values here the same
way: strings stay strings (anything else is ``str()``-ed), numbers become ``float`` (NaN counts as
missing), dates become :class:`datetime.date`. ``unit_value`` is always re-derived, never trusted
from the input, so a sender cannot make it disagree with value and mass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

import polars as pl


class FieldType(StrEnum):
    STRING = "string"
    HS_CODE = "hs_code"  # a string of 6 digits; leading zeros are significant
    NUMBER = "number"
    DATE = "date"


DECLARATION_KEY = "declaration_number"

_STRING_FIELDS = (
    "declaration_number", "declaration_type", "office_code", "process_type", "import_type",
    "import_use", "payment_type", "transport_mode", "declarant_id", "importer_id", "seller_id",
    "courier_id", "departure_country", "origin_country", "tax_type", "origin_indicator", "currency",
    "port_of_loading", "port_of_discharge",
)
_NUMBER_FIELDS = (
    "duty_rate", "net_mass_kg", "gross_mass_kg", "quantity", "customs_value", "duty_amount", "unit_value",
)

#: Every field a rule may name, with its type. Agreed team-wide; the Django models map onto it.
CANONICAL_FIELDS: Mapping[str, FieldType] = {
    **{name: FieldType.STRING for name in _STRING_FIELDS},
    "hs_code": FieldType.HS_CODE,
    "declaration_date": FieldType.DATE,
    **{name: FieldType.NUMBER for name in _NUMBER_FIELDS},
}

#: Fields computed by the engine from other fields (never read from the input).
DERIVED_FIELDS: frozenset[str] = frozenset({"unit_value"})

_POLARS_TYPES = {
    FieldType.STRING: pl.String, FieldType.HS_CODE: pl.String,
    FieldType.NUMBER: pl.Float64, FieldType.DATE: pl.Date,
}


def polars_type(field_type: FieldType) -> type[pl.DataType]:
    return _POLARS_TYPES[field_type]


def is_string_type(field_type: FieldType) -> bool:
    return field_type in (FieldType.STRING, FieldType.HS_CODE)


# --- single declarations -------------------------------------------------------------------------

def normalise_value(value: Any, field_type: FieldType) -> Any:
    """One raw value as the engine sees it; ``None`` when missing or unusable."""
    if value is None:
        return None
    if is_string_type(field_type):
        return value if isinstance(value, str) else str(value)
    if field_type is FieldType.NUMBER:
        return _to_float(value)
    return _to_date(value)


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):  # a bool is an int in Python but never a measurement
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
        return None if math.isnan(number) else number
    return None


def _to_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def unit_value(customs_value: float | None, net_mass_kg: float | None) -> float | None:
    """Customs value per kg; missing when either side is missing or the mass is zero."""
    if customs_value is None or net_mass_kg is None or net_mass_kg == 0:
        return None
    return customs_value / net_mass_kg


def normalise_item(item: Mapping[str, Any] | Any, fields: Iterable[str]) -> dict[str, Any]:
    """A dict of the requested canonical fields from a mapping or a dataclass item."""
    raw = _as_mapping(item)
    out = {name: normalise_value(raw.get(name), CANONICAL_FIELDS[name])
           for name in fields if name not in DERIVED_FIELDS}
    if "unit_value" in fields:
        out["unit_value"] = unit_value(
            normalise_value(raw.get("customs_value"), FieldType.NUMBER),
            normalise_value(raw.get("net_mass_kg"), FieldType.NUMBER),
        )
    return out


def _as_mapping(item: Mapping[str, Any] | Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        return item
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    raise TypeError(f"a declaration item must be a mapping or a dataclass, not {type(item).__name__}")


# --- batches ---------------------------------------------------------------------------------------

def prepare_frame(frame: pl.DataFrame, fields: Iterable[str]) -> pl.DataFrame:
    """The frame reduced to the requested fields, typed and normalised like :func:`normalise_item`.

    Missing columns become all-null columns, exactly as a missing key in a single item does.
    """
    wanted = set(fields) | {DECLARATION_KEY}
    if "unit_value" in wanted:
        wanted |= {"customs_value", "net_mass_kg"}
    exprs = [_column_expr(frame, name) for name in sorted(wanted - DERIVED_FIELDS)]
    prepared = frame.select(exprs)
    if "unit_value" in wanted:
        cv, mass = pl.col("customs_value"), pl.col("net_mass_kg")
        prepared = prepared.with_columns(
            pl.when(mass != 0).then(cv / mass).otherwise(None).alias("unit_value"))
    return prepared


def _column_expr(frame: pl.DataFrame, name: str) -> pl.Expr:
    field_type = CANONICAL_FIELDS[name]
    target = _POLARS_TYPES[field_type]
    if name not in frame.columns:
        return pl.lit(None, dtype=target).alias(name)
    dtype = frame.schema[name]
    col = pl.col(name)
    if field_type is FieldType.NUMBER:
        if dtype == pl.Boolean or not (dtype.is_numeric() or dtype == pl.Null):
            return pl.lit(None, dtype=pl.Float64).alias(name)
        return col.cast(pl.Float64).fill_nan(None).alias(name)
    if field_type is FieldType.DATE:
        if dtype == pl.String:
            return col.str.to_date("%Y-%m-%d", strict=False).alias(name)
        return col.cast(pl.Date).alias(name)
    if field_type is FieldType.STRING and name != DECLARATION_KEY:
        # Codes repeat a lot (countries, offices, traders): as categoricals, equality and list
        # membership compare small integers, about a fifth faster over a batch than strings.
        return col.cast(pl.String).cast(pl.Categorical).alias(name)
    return col.cast(pl.String).alias(name)
