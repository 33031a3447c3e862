"""Hypothesis strategies shared by the single == batch property tests: random rules (as JSON dicts,
compiled) and random declarations, drawn from small pools so that rules actually fire, with the
awkward values (None, NaN, -0.0, zero mass, empty strings, short codes) mixed in."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
from hypothesis import strategies as st

from tradewinds.risk.engine.evaluate import EvaluationContext
from tradewinds.risk.engine.fields import CANONICAL_FIELDS, FieldType
from tradewinds.risk.engine.rules import compile_rule

NAN = math.nan
POOLS: dict[str, list[Any]] = {
    "origin_country": ["CN", "US", "VN", "", None],
    "importer_id": ["I1", "I2", "I3", None],
    "transport_mode": ["1", "4", None],
    "hs_code": ["610910", "620342", "010121", "870323", "61", None],
    "customs_value": [0.0, 1.0, 10.5, 100.0, -0.0, 1e6, None, NAN],
    "net_mass_kg": [0.0, 0.5, 2.0, 10.0, -0.0, None, NAN],
    "duty_rate": [0.0, 5.0, 20.0, None],
    "declaration_date": [dt.date(2024, 1, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1), None],
}
RULE_FIELDS = [*POOLS, "unit_value"]
LISTS = {"watch": ["I1", "CN", "610910", ""], "chapters": ["61", "8703"], "empty": []}
REFERENCES = {"med": {"610910": 10.0, "010121": 0.5, "620342": 0.0, "CN": 5.0, "": 1.0}}
CONTEXTS = [
    EvaluationContext(lists=LISTS, references=REFERENCES),
    EvaluationContext(lists=LISTS, references=REFERENCES, as_of=dt.date(2024, 6, 1)),
    EvaluationContext(lists=LISTS, references=REFERENCES, check_validity=False),
]
NUMBERS = [0.0, 0.5, 1.0, 5.0, 10.0, 20.0, 100.0, -1.0]
DATES = ["2024-01-01", "2024-06-01", "2025-01-01"]
STRINGS = ["CN", "US", "", "I1", "I3", "4"]
HS = ["610910", "620342", "010121", "999999"]
SCHEMA = {**{name: pl.String for name in POOLS if CANONICAL_FIELDS[name] in (FieldType.STRING, FieldType.HS_CODE)},
          "customs_value": pl.Float64, "net_mass_kg": pl.Float64, "duty_rate": pl.Float64,
          "declaration_date": pl.Date, "declaration_number": pl.String}


def _scalar(field: str) -> st.SearchStrategy[Any]:
    kind = CANONICAL_FIELDS[field]
    if kind is FieldType.NUMBER:
        return st.sampled_from(NUMBERS)
    if kind is FieldType.DATE:
        return st.sampled_from(DATES)
    return st.sampled_from(HS if kind is FieldType.HS_CODE else STRINGS)


@st.composite
def criteria(draw: st.DrawFn) -> dict[str, Any]:
    field = draw(st.sampled_from(RULE_FIELDS))
    kind = CANONICAL_FIELDS[field]
    operators = ["equals", "not_equals", "in_list", "not_in_list", "is_empty"]
    if kind in (FieldType.NUMBER, FieldType.DATE):
        operators += ["range", "greater_than", "less_than"]
    if kind is FieldType.NUMBER:
        operators.append("compare_reference")
    if kind is FieldType.HS_CODE:
        operators.append("hs_prefix")
    operator = draw(st.sampled_from(operators))
    return {"field": field, "operator": operator, **_value(draw, field, kind, operator)}


def _value(draw: st.DrawFn, field: str, kind: FieldType, operator: str) -> dict[str, Any]:
    if operator == "is_empty":
        return {}
    if operator in ("in_list", "not_in_list"):
        if kind in (FieldType.STRING, FieldType.HS_CODE) and draw(st.booleans()):
            return {"value": {"list": draw(st.sampled_from(sorted(LISTS)))}}
        return {"value": draw(st.lists(_scalar(field), min_size=1, max_size=3))}
    if operator == "hs_prefix":
        if draw(st.booleans()):
            return {"value": {"list": "chapters"}}
        return {"value": draw(st.lists(st.sampled_from(["0", "01", "61", "6109", "620342", "87"]),
                                       min_size=1, max_size=3))}
    if operator == "range":
        low, high = sorted(draw(st.lists(_scalar(field), min_size=2, max_size=2)))
        bounds = draw(st.sampled_from([{"min": low, "max": high}, {"min": low}, {"max": high}]))
        return {"value": bounds}
    if operator == "compare_reference":
        return {"value": {"reference": "med", "comparison": draw(st.sampled_from(["less_than", "greater_than"])),
                          "key_field": draw(st.sampled_from(["hs_code", "origin_country"])),
                          "factor": draw(st.sampled_from([0.5, 1.0, 2.0]))}}
    return {"value": draw(_scalar(field))}


conditions = st.recursive(
    criteria(),
    lambda children: st.builds(lambda logic, kids: {"group": logic, "children": kids},
                               st.sampled_from(["and", "or"]), st.lists(children, min_size=1, max_size=3)),
    max_leaves=6,
)


@st.composite
def rule_dicts(draw: st.DrawFn, rule_id: str = "r") -> dict[str, Any]:
    lane = draw(st.sampled_from([None, None, "red", "yellow", "blue"]))
    weight = draw(st.integers(-50, 100).filter(lambda w: w != 0 or lane is not None))
    valid_from = draw(st.sampled_from([None, "2024-03-01"]))
    valid_to = draw(st.sampled_from([None, "2024-12-31"]))
    return {"id": rule_id, "version": draw(st.integers(1, 3)), "name": f"Rule {rule_id}", "weight": weight,
            "lane": lane, "valid_from": valid_from, "valid_to": valid_to, "condition": draw(conditions)}


@st.composite
def compiled_rule_sets(draw: st.DrawFn, max_rules: int = 5) -> list:
    count = draw(st.integers(1, max_rules))
    return [compile_rule(draw(rule_dicts(f"r{i}")), sorted(LISTS)) for i in range(count)]


@st.composite
def declarations(draw: st.DrawFn, max_declarations: int = 6) -> pl.DataFrame:
    """Items of several declarations; declaration-level fields repeated on every item."""
    rows = []
    for number in range(draw(st.integers(1, max_declarations))):
        header = {name: draw(st.sampled_from(POOLS[name]))
                  for name in ("origin_country", "importer_id", "transport_mode", "declaration_date")}
        for _ in range(draw(st.integers(1, 3))):
            item = {name: draw(st.sampled_from(POOLS[name])) for name in ("hs_code", "customs_value",
                                                                          "net_mass_kg", "duty_rate")}
            rows.append({"declaration_number": f"D{number:04d}", **header, **item})
    shuffled = draw(st.permutations(rows))  # items of a declaration need not be contiguous
    return pl.DataFrame(shuffled, schema=SCHEMA)


def items_of(frame: pl.DataFrame, number: str) -> list[dict[str, Any]]:
    return frame.filter(pl.col("declaration_number") == number).to_dicts()
