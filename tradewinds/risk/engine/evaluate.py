"""Rule evaluation: one declaration in plain Python, or a batch as Polars expressions.

Both paths implement the same semantics, and a property test holds them to it:

* a criterion on a missing value (None, NaN) is false, whatever the operator, except ``is_empty``
  (true for a missing value or the empty string);
* a rule fires on an item when its condition holds on that item's fields (declaration-level fields
  are repeated on every item), and on a declaration when it fires on any of its items;
* a rule counts only on items whose date is within its validity: ``context.as_of`` when given,
  else the item's ``declaration_date`` (an item without a date is not filtered out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from .conditions import Bounds, CompiledRule, Criterion, Group, Node, Operator, ReferenceComparison, ValueList
from .fields import CANONICAL_FIELDS, DECLARATION_KEY, is_string_type, normalise_item, polars_type, prepare_frame
from .vocabulary import EngineError, Lane, MissingContextError


@dataclass(frozen=True, eq=False)
class EvaluationContext:
    """What rules read besides the declaration.

    ``lists``: named lists by name (trader ids, country codes, HS codes or prefixes).
    ``references``: reference tables by name, each mapping a key (e.g. an HS code) to a number
    (e.g. ``{"hs6_median_unit_value": {"610910": 4.2}}``).
    ``as_of``: the assessment date for rule validity; None = each declaration's own date (replay).
    ``check_validity``: False ignores validity dates (backtesting a draft rule).
    """

    lists: Mapping[str, Collection[str]] = field(default_factory=dict)
    references: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    as_of: dt.date | None = None
    check_validity: bool = True

    def __post_init__(self) -> None:
        # Freeze once so a single evaluation does set look-ups, not list scans.
        object.__setattr__(self, "lists", {k: frozenset(v) for k, v in self.lists.items()})
        object.__setattr__(self, "references", {
            name: {str(k): float(v) for k, v in table.items() if v is not None and v == v}
            for name, table in self.references.items()})

    def named_list(self, name: str) -> frozenset[str]:
        if name not in self.lists:
            raise MissingContextError(f"named list {name!r} is not in the evaluation context")
        return self.lists[name]  # type: ignore[return-value]

    def reference(self, name: str) -> Mapping[str, float]:
        if name not in self.references:
            raise MissingContextError(f"reference table {name!r} is not in the evaluation context")
        return self.references[name]


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired on a declaration: the version is what a lane decision points at."""

    rule_id: str
    rule_version: int
    rule_name: str
    weight: int
    lane: Lane | None

    @classmethod
    def of(cls, rule: CompiledRule) -> RuleHit:
        return cls(rule.id, rule.version, rule.name, rule.weight, rule.lane)


def needed_fields(rules: Iterable[CompiledRule], context: EvaluationContext) -> set[str]:
    """Columns the rules read, plus the date when validity is judged per declaration."""
    fields: set[str] = set()
    for rule in rules:
        fields |= rule.fields
    if context.check_validity and context.as_of is None:
        fields.add("declaration_date")
    return fields


# --- one declaration -----------------------------------------------------------------------------

def evaluate_declaration(items: Sequence[Mapping[str, Any] | Any], rules: Sequence[CompiledRule],
                         context: EvaluationContext) -> list[RuleHit]:
    """The rules (in the given order) that fire on a declaration given as its items (dicts or
    dataclasses with canonical field names)."""
    rows = [normalise_item(item, needed_fields(rules, context)) for item in items]
    return [RuleHit.of(rule) for rule in rules if any(_fires_on_item(rule, row, context) for row in rows)]


def matching_items(items: Sequence[Mapping[str, Any] | Any], rule: CompiledRule,
                   context: EvaluationContext) -> list[int]:
    """Positions (0-based) of the items a rule fires on, to point the officer at them."""
    rows = [normalise_item(item, needed_fields([rule], context)) for item in items]
    return [i for i, row in enumerate(rows) if _fires_on_item(rule, row, context)]


def _fires_on_item(rule: CompiledRule, row: Mapping[str, Any], context: EvaluationContext) -> bool:
    if context.check_validity:
        day = context.as_of or row.get("declaration_date")
        if day is not None and not rule.is_valid_on(day):
            return False
    return _holds(rule.condition, row, context)


def _holds(node: Node, row: Mapping[str, Any], context: EvaluationContext) -> bool:
    if isinstance(node, Group):
        results = (_holds(child, row, context) for child in node.children)
        return all(results) if node.logic == "and" else any(results)
    return _criterion_holds(node, row, context)


def _criterion_holds(criterion: Criterion, row: Mapping[str, Any], context: EvaluationContext) -> bool:
    value, op, operand = row.get(criterion.field), criterion.operator, criterion.operand
    if op is Operator.IS_EMPTY:
        return value is None or value == ""
    if value is None:
        return False
    if op is Operator.EQUALS:
        return bool(value == operand)
    if op is Operator.NOT_EQUALS:
        return bool(value != operand)
    if op is Operator.GREATER_THAN:
        return bool(value > operand)
    if op is Operator.LESS_THAN:
        return bool(value < operand)
    if op is Operator.RANGE:
        assert isinstance(operand, Bounds)
        return (operand.low is None or value >= operand.low) and (operand.high is None or value <= operand.high)
    if op is Operator.COMPARE_REFERENCE:
        assert isinstance(operand, ReferenceComparison)
        return _reference_holds(value, operand, row, context)
    assert isinstance(operand, ValueList)
    values = _list_values(operand, context)
    if op is Operator.HS_PREFIX:
        return any(value.startswith(prefix) for prefix in values)
    return (value in values) == (op is Operator.IN_LIST)


def _reference_holds(value: float, operand: ReferenceComparison, row: Mapping[str, Any],
                     context: EvaluationContext) -> bool:
    key = row.get(operand.key_field)
    reference = None if key is None else context.reference(operand.reference).get(key)
    if reference is None:
        return False  # no reference for this code: the comparison cannot say anything
    threshold = operand.factor * reference
    return value < threshold if operand.comparison == "less_than" else value > threshold


def _list_values(operand: ValueList, context: EvaluationContext) -> frozenset[Any]:
    if operand.list_name is not None:
        return context.named_list(operand.list_name)
    return operand.values or frozenset()


# --- batches -------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class BatchResult:
    """Rule results for a batch, one row per declaration in order of first appearance.

    ``fired[i, j]`` says whether ``rules[j]`` fired on declaration ``declaration_numbers[i]``;
    ``first_rows[i]`` is the row of the input frame holding that declaration's first item (to read
    declaration-level fields such as the importer without another group-by).
    """

    declaration_numbers: pl.Series
    fired: np.ndarray
    rules: tuple[CompiledRule, ...]
    first_rows: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.declaration_numbers)

    @property
    def rule_points(self) -> np.ndarray:
        """Sum of the weights of the rules fired, per declaration (int64, exact)."""
        points = np.zeros(len(self), dtype=np.int64)
        for j, rule in enumerate(self.rules):
            if rule.weight:
                points += np.int64(rule.weight) * self.fired[:, j]
        return points

    @property
    def mandatory_severity(self) -> np.ndarray:
        """Severity (see :class:`Lane`) of the strongest mandatory lane fired, 0 when none."""
        severity = np.zeros(len(self), dtype=np.int8)
        for j, rule in enumerate(self.rules):
            if rule.lane is not None:
                np.maximum(severity, np.where(self.fired[:, j], rule.lane.severity, 0), out=severity)
        return severity

    def hits(self, index: int) -> list[RuleHit]:
        """The hits of one declaration, as :func:`evaluate_declaration` returns them."""
        return [RuleHit.of(rule) for j, rule in enumerate(self.rules) if self.fired[index, j]]

    def index_of(self) -> dict[str, int]:
        return {number: i for i, number in enumerate(self.declaration_numbers.to_list())}


def evaluate_batch(frame: pl.DataFrame, rules: Sequence[CompiledRule],
                   context: EvaluationContext) -> BatchResult:
    """Evaluate ``rules`` over a frame of items (one row per item, canonical column names)."""
    rules = tuple(rules)
    prepared = prepare_frame(frame, needed_fields(rules, context))
    if prepared[DECLARATION_KEY].null_count():
        raise EngineError("every item needs a declaration_number")
    names = [f"_r{j}" for j in range(len(rules))]
    exprs = [_rule_expr(rule, context).alias(name) for rule, name in zip(rules, names, strict=True)]
    per_declaration = (
        prepared.lazy()
        .with_row_index("_row")
        .with_columns(exprs)
        .group_by(DECLARATION_KEY, maintain_order=True)
        .agg(pl.col("_row").first(), *[pl.col(name).any() for name in names])
        .collect()
    )
    fired = (per_declaration.select(names).to_numpy().astype(bool, copy=False) if names
             else np.zeros((per_declaration.height, 0), dtype=bool))
    return BatchResult(per_declaration[DECLARATION_KEY], fired, rules, per_declaration["_row"].to_numpy())


def _rule_expr(rule: CompiledRule, context: EvaluationContext) -> pl.Expr:
    condition = _node_expr(rule.condition, context)
    if not context.check_validity:
        return condition
    if context.as_of is not None:
        return condition if rule.is_valid_on(context.as_of) else pl.lit(False)
    day = pl.col("declaration_date")
    valid = pl.lit(True)
    if rule.valid_from is not None:
        valid = valid & (day >= rule.valid_from)
    if rule.valid_to is not None:
        valid = valid & (day <= rule.valid_to)
    return condition & (day.is_null() | valid.fill_null(False))


def _node_expr(node: Node, context: EvaluationContext) -> pl.Expr:
    if isinstance(node, Group):
        children = [_node_expr(child, context) for child in node.children]
        return pl.all_horizontal(children) if node.logic == "and" else pl.any_horizontal(children)
    # Nulls become False per criterion, so groups never see SQL's three-valued logic.
    return _criterion_expr(node, context).fill_null(False)


def _criterion_expr(criterion: Criterion, context: EvaluationContext) -> pl.Expr:
    col, op, operand = pl.col(criterion.field), criterion.operator, criterion.operand
    if op is Operator.IS_EMPTY:
        is_text = is_string_type(CANONICAL_FIELDS[criterion.field])
        return (col.is_null() | (col == "")) if is_text else col.is_null()
    if op is Operator.EQUALS:
        return col == pl.lit(operand)
    if op is Operator.NOT_EQUALS:
        return col != pl.lit(operand)
    if op is Operator.GREATER_THAN:
        return col > pl.lit(operand)
    if op is Operator.LESS_THAN:
        return col < pl.lit(operand)
    if op is Operator.RANGE:
        return _range_expr(col, operand)  # type: ignore[arg-type]
    if op is Operator.COMPARE_REFERENCE:
        return _reference_expr(col, operand, context)  # type: ignore[arg-type]
    assert isinstance(operand, ValueList)
    values = _list_values(operand, context)
    if op is Operator.HS_PREFIX:
        return _prefix_expr(col, values)
    member = col.is_in(_series(values, criterion.field).implode())
    return member if op is Operator.IN_LIST else ~member


def _range_expr(col: pl.Expr, bounds: Bounds) -> pl.Expr:
    expr = pl.lit(True)
    if bounds.low is not None:
        expr = expr & (col >= pl.lit(bounds.low))
    if bounds.high is not None:
        expr = expr & (col <= pl.lit(bounds.high))
    return expr


def _prefix_expr(col: pl.Expr, prefixes: frozenset[str]) -> pl.Expr:
    # One is_in per prefix length instead of one starts_with per prefix: a list of 300 chapters
    # costs two hash look-ups per row, not 300 string scans.
    by_length: dict[int, list[str]] = {}
    for prefix in prefixes:
        by_length.setdefault(len(prefix), []).append(prefix)
    parts = [col.str.slice(0, length).is_in(pl.Series(values, dtype=pl.String).implode())
             for length, values in sorted(by_length.items())]
    return pl.any_horizontal(parts) if parts else pl.lit(False)


def _reference_expr(col: pl.Expr, operand: ReferenceComparison, context: EvaluationContext) -> pl.Expr:
    table = context.reference(operand.reference)
    reference = pl.col(operand.key_field).cast(pl.String).replace_strict(
        pl.Series(list(table.keys()), dtype=pl.String), pl.Series(list(table.values()), dtype=pl.Float64),
        default=None, return_dtype=pl.Float64)
    threshold = pl.lit(operand.factor, dtype=pl.Float64) * reference
    return col < threshold if operand.comparison == "less_than" else col > threshold


def _series(values: frozenset[Any], field_name: str) -> pl.Series:
    return pl.Series(sorted(values), dtype=polars_type(CANONICAL_FIELDS[field_name]))
