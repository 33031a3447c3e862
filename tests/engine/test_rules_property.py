"""Single == batch: on random rules and random declarations, evaluate_declaration and
evaluate_batch fire exactly the same rules on every declaration."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.risk.engine.evaluate import evaluate_batch, evaluate_declaration
from tradewinds.risk.engine.rules import validate_rule

from .test_rules_strategies import CONTEXTS, LISTS, compiled_rule_sets, declarations, items_of, rule_dicts

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rules=compiled_rule_sets(), frame=declarations(), context=st.sampled_from(CONTEXTS))
def test_single_equals_batch(rules, frame, context):
    batch = evaluate_batch(frame, rules, context)
    numbers = batch.declaration_numbers.to_list()
    assert sorted(numbers) == sorted(set(frame["declaration_number"].to_list()))
    for index, number in enumerate(numbers):
        single = evaluate_declaration(items_of(frame, number), rules, context)
        assert single == batch.hits(index), number


@settings(max_examples=60, deadline=None)
@given(rule=rule_dicts())
def test_generated_rules_are_valid_and_json(rule):
    assert validate_rule(json.loads(json.dumps(rule)), sorted(LISTS)) == []
