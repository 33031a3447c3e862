"""Rule validation (field-level errors with paths), compilation, and the semantics of each operator."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from tradewinds.risk.engine.evaluate import (
    EvaluationContext,
    evaluate_batch,
    evaluate_declaration,
    matching_items,
)
from tradewinds.risk.engine.rules import compile_rule, validate_rule
from tradewinds.risk.engine.vocabulary import Lane, MissingContextError, RuleValidationError

UNDERVALUED = {
    "id": "textiles-undervalued", "version": 3, "name": "Undervalued textiles", "weight": 40, "lane": None,
    "valid_from": "2025-01-01", "valid_to": None, "rationale": "kept by the Django side, ignored here",
    "condition": {"group": "and", "children": [
        {"field": "hs_code", "operator": "hs_prefix", "value": ["61", "62"]},
        {"field": "origin_country", "operator": "in_list", "value": {"list": "high-risk-origins"}},
        {"field": "unit_value", "operator": "compare_reference",
         "value": {"reference": "hs6_median_unit_value", "key_field": "hs_code", "comparison": "less_than",
                   "factor": 0.5}},
    ]},
}
CONTEXT = EvaluationContext(lists={"high-risk-origins": ["CN", "VN"], "watch": ["IMP-9"]},
                            references={"hs6_median_unit_value": {"610910": 10.0}},
                            as_of=dt.date(2025, 6, 1))


def rule(condition, **meta):
    return {"id": "r1", "version": 1, "name": "R", "weight": 10, **meta, "condition": condition}


def paths(errors):
    return [error.path for error in errors]


def fires(condition, item, context=CONTEXT, **meta) -> bool:
    compiled = compile_rule(rule(condition, **meta), sorted(context.lists))
    return bool(evaluate_declaration([item], [compiled], context))


# --- validation --------------------------------------------------------------------------------------

def test_the_documented_example_is_valid_and_round_trips_through_json():
    assert validate_rule(json.loads(json.dumps(UNDERVALUED)), ["high-risk-origins"]) == []


def test_errors_point_at_the_offending_field():
    bad = rule({"group": "and", "children": [
        {"field": "hs_code", "operator": "equals", "value": "61091"},
        {"field": "customs_value", "operator": "greater_than", "value": "1000"},
        {"field": "origin_country", "operator": "in_list", "value": {"list": "nope"}},
        {"field": "customs_value", "operator": "range", "value": {"min": 10, "max": 1}},
    ]})
    errors = validate_rule(bad, ["watch"])
    assert paths(errors) == ["condition.children[0].value", "condition.children[1].value",
                             "condition.children[2].value.list", "condition.children[3].value.max"]
    assert [e.code for e in errors] == ["hs_code", "type", "unknown_list", "range_order"]
    assert all(e.message for e in errors)
    assert errors[2].as_dict()["loc"] == ["condition", "children", 2, "value", "list"]


@pytest.mark.parametrize(("criterion", "path", "code"), [
    ({"field": "__class__", "operator": "equals", "value": "x"}, "condition.field", "unknown_field"),
    ({"field": "hs_code", "operator": "eval", "value": "x"}, "condition.operator", "unknown_operator"),
    ({"field": "origin_country", "operator": "greater_than", "value": "CN"}, "condition.operator", "operator_type"),
    ({"field": "customs_value", "operator": "hs_prefix", "value": "61"}, "condition.operator", "operator_type"),
    ({"field": "hs_code", "operator": "hs_prefix", "value": ["61", "6a"]}, "condition.value[1]", "hs_prefix"),
    ({"field": "customs_value", "operator": "in_list", "value": {"list": "watch"}}, "condition.value", "list_type"),
    ({"field": "customs_value", "operator": "equals", "value": True}, "condition.value", "type"),
    ({"field": "customs_value", "operator": "equals", "value": float("nan")}, "condition.value", "type"),
    ({"field": "declaration_date", "operator": "less_than", "value": "01/02/2025"}, "condition.value", "date"),
    ({"field": "customs_value", "operator": "range", "value": {}}, "condition.value", "range"),
    ({"field": "origin_country", "operator": "in_list", "value": []}, "condition.value", "required"),
    ({"field": "origin_country", "operator": "is_empty", "value": "x"}, "condition.value", "not_allowed"),
    ({"field": "origin_country", "operator": "equals", "value": "CN", "extra": 1}, "condition.extra", "unknown_key"),
    ({"field": "unit_value", "operator": "compare_reference", "value": {"reference": "r", "factor": -1}},
     "condition.value.factor", "out_of_range"),
    ({"field": "unit_value", "operator": "compare_reference", "value": {"reference": "r", "key_field": "quantity"}},
     "condition.value.key_field", "unknown_field"),
    ({"group": "xor", "children": [{"field": "hs_code", "operator": "is_empty"}]}, "condition.group", "choice"),
    ({"group": "and", "children": []}, "condition.children", "required"),
    ("hs_code == '61'", "condition", "type"),
])
def test_bad_criteria_are_field_errors(criterion, path, code):
    errors = validate_rule(rule(criterion), ["watch"])
    assert (path, code) in [(e.path, e.code) for e in errors], errors


@pytest.mark.parametrize(("meta", "path", "code"), [
    ({"weight": 0, "lane": None}, "weight", "no_effect"),
    ({"weight": 2.5}, "weight", "type"),
    ({"weight": 5000}, "weight", "out_of_range"),
    ({"lane": "green"}, "lane", "choice"),
    ({"valid_from": "2025-02-01", "valid_to": "2025-01-01"}, "valid_to", "date_order"),
    ({"name": " "}, "name", "required"),
    ({"version": 0}, "version", "out_of_range"),
])
def test_bad_metadata_is_a_field_error(meta, path, code):
    errors = validate_rule(rule({"field": "hs_code", "operator": "is_empty"}, **meta), [])
    assert (path, code) in [(e.path, e.code) for e in errors], errors


def test_unknown_reference_is_checked_when_references_are_given():
    criterion = {"field": "unit_value", "operator": "compare_reference", "value": {"reference": "nope"}}
    assert validate_rule(rule(criterion), [], known_references=None) == []
    assert paths(validate_rule(rule(criterion), [], known_references=["median"])) == ["condition.value.reference"]


def test_too_deep_trees_are_refused():
    node = {"field": "hs_code", "operator": "is_empty"}
    for _ in range(10):
        node = {"group": "or", "children": [node]}
    assert "too_deep" in [e.code for e in validate_rule(rule(node), [])]


def test_compile_raises_with_all_errors():
    with pytest.raises(RuleValidationError) as caught:
        compile_rule(rule({"field": "nope", "operator": "equals", "value": 1}, lane="purple"), [])
    assert sorted(paths(caught.value.errors)) == ["condition.field", "lane"]


def test_not_a_rule():
    assert paths(validate_rule(["not", "a", "rule"], [])) == [""]


# --- semantics -----------------------------------------------------------------------------------------

ITEM = {"declaration_number": "D1", "hs_code": "610910", "origin_country": "CN", "customs_value": 40.0,
        "net_mass_kg": 10.0, "importer_id": "IMP-9", "declaration_date": dt.date(2025, 5, 1)}


def test_documented_example_fires_on_undervalued_textiles():
    compiled = compile_rule(UNDERVALUED, ["high-risk-origins"])
    hits = evaluate_declaration([ITEM, {**ITEM, "customs_value": 400.0}], [compiled], CONTEXT)
    assert [(h.rule_id, h.rule_version, h.weight, h.lane) for h in hits] == [("textiles-undervalued", 3, 40, None)]
    assert matching_items([ITEM, {**ITEM, "customs_value": 400.0}], compiled, CONTEXT) == [0]


@pytest.mark.parametrize(("criterion", "item", "expected"), [
    ({"field": "origin_country", "operator": "not_equals", "value": "US"}, {}, True),
    ({"field": "origin_country", "operator": "not_equals", "value": "US"}, {"origin_country": None}, False),
    ({"field": "origin_country", "operator": "not_in_list", "value": ["US"]}, {"origin_country": None}, False),
    ({"field": "origin_country", "operator": "is_empty"}, {"origin_country": ""}, True),
    ({"field": "origin_country", "operator": "is_empty"}, {"origin_country": None}, True),
    ({"field": "customs_value", "operator": "is_empty"}, {"customs_value": float("nan")}, True),
    ({"field": "importer_id", "operator": "in_list", "value": {"list": "watch"}}, {}, True),
    ({"field": "hs_code", "operator": "hs_prefix", "value": "6109"}, {}, True),
    ({"field": "hs_code", "operator": "hs_prefix", "value": ["01", "62"]}, {}, False),
    ({"field": "customs_value", "operator": "range", "value": {"min": 40}}, {}, True),
    ({"field": "customs_value", "operator": "range", "value": {"min": 10, "max": 40}}, {}, True),
    ({"field": "customs_value", "operator": "range", "value": {"max": 39.99}}, {}, False),
    ({"field": "customs_value", "operator": "greater_than", "value": 40}, {}, False),
    ({"field": "customs_value", "operator": "equals", "value": 40}, {"customs_value": 40}, True),
    ({"field": "unit_value", "operator": "less_than", "value": 1}, {"net_mass_kg": 0}, False),
    ({"field": "unit_value", "operator": "is_empty"}, {"net_mass_kg": 0}, True),
    ({"field": "unit_value", "operator": "compare_reference", "value": {"reference": "hs6_median_unit_value"}},
     {"hs_code": "999999"}, False),  # no reference for this HS code: the comparison says nothing
    ({"field": "declaration_date", "operator": "range", "value": {"min": "2025-01-01", "max": "2025-12-31"}},
     {"declaration_date": "2025-05-01"}, True),
])
def test_operator_semantics(criterion, item, expected):
    row = {**ITEM, **item}
    assert fires(criterion, row) is expected
    compiled = compile_rule(rule(criterion), sorted(CONTEXT.lists))
    assert bool(evaluate_batch(pl.DataFrame([row]), [compiled], CONTEXT).fired[0, 0]) is expected


def test_or_group_and_any_item():
    condition = {"group": "or", "children": [{"field": "hs_code", "operator": "equals", "value": "870323"},
                                             {"field": "origin_country", "operator": "equals", "value": "US"}]}
    assert not fires(condition, ITEM)
    compiled = compile_rule(rule(condition), [])
    assert evaluate_declaration([ITEM, {**ITEM, "hs_code": "870323"}], [compiled], CONTEXT)


def test_validity_dates_use_as_of_or_the_declaration_date():
    condition = {"field": "hs_code", "operator": "is_empty"}
    item = {**ITEM, "hs_code": None}
    meta = {"valid_from": "2025-06-01", "valid_to": "2025-06-30"}
    assert fires(condition, item, **meta)  # CONTEXT.as_of = 2025-06-01
    replay = EvaluationContext(lists=CONTEXT.lists, references=CONTEXT.references)
    assert not fires(condition, item, replay, **meta)  # declared on 2025-05-01
    assert fires(condition, {**item, "declaration_date": None}, replay, **meta)
    assert fires(condition, item, EvaluationContext(check_validity=False), **meta)


def test_mandatory_lane_and_dataclass_items():
    from dataclasses import dataclass

    @dataclass
    class Item:
        declaration_number: str
        hs_code: str

    compiled = compile_rule(rule({"field": "hs_code", "operator": "hs_prefix", "value": "93"}, lane="red"), [])
    [hit] = evaluate_declaration([Item("D1", "930200")], [compiled], CONTEXT)
    assert hit.lane is Lane.RED


def test_missing_list_or_reference_in_the_context_is_an_error():
    compiled = compile_rule(UNDERVALUED, ["high-risk-origins"])
    with pytest.raises(MissingContextError):
        evaluate_declaration([ITEM], [compiled], EvaluationContext())
    with pytest.raises(MissingContextError):
        evaluate_batch(pl.DataFrame([ITEM]), [compiled], EvaluationContext())


def test_batch_keeps_first_appearance_order_and_reads_string_hs_codes_only():
    compiled = compile_rule(rule({"field": "hs_code", "operator": "hs_prefix", "value": "01"}), [])
    frame = pl.DataFrame({"declaration_number": ["B", "A", "B"], "hs_code": ["010121", "610910", "999999"]})
    result = evaluate_batch(frame, [compiled], CONTEXT)
    assert result.declaration_numbers.to_list() == ["B", "A"]
    assert result.fired[:, 0].tolist() == [True, False]
    assert result.rule_points.tolist() == [10, 0]
