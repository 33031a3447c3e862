"""Risk rules as data: validation with field-level errors, and compilation to a safe tree.

A rule is a JSON-serialisable dict (see ``docs/risk-rules.md``)::

    {"id": "textiles-undervalued", "version": 3, "name": "Undervalued textiles",
     "weight": 40, "lane": null, "valid_from": "2025-01-01", "valid_to": null,
     "condition": {"group": "and", "children": [
         {"field": "hs_code", "operator": "hs_prefix", "value": ["61", "62"]},
         {"field": "origin_country", "operator": "in_list", "value": {"list": "high-risk-origins"}},
         {"field": "unit_value", "operator": "compare_reference",
          "value": {"reference": "hs6_median_unit_value", "key_field": "hs_code",
                    "comparison": "less_than", "factor": 0.5}}]}}

Compiling never evaluates text: the result is a tree of frozen dataclasses whose field names come
from a fixed catalogue and whose operators come from a closed enum, interpreted by ``evaluate``.
Keys of the rule dict the engine does not know (rationale, owner, status…) are left to the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .conditions import (
    CompiledRule,
    Criterion,
    Group,
    Node,
    Operator,
    ReferenceComparison,
    ValueList,
)
from .fields import CANONICAL_FIELDS, FieldType
from .rule_values import ValueChecker
from .vocabulary import FieldError, Lane, RuleValidationError

MAX_DEPTH = 8  # nested groups; deeper trees are unreadable for an officer anyway
MAX_CRITERIA = 200
MAX_WEIGHT = 1000  # weights are integers so sums are exact and single == batch to the last bit
MANDATORY_LANES = (Lane.RED, Lane.YELLOW, Lane.BLUE)


def validate_rule(
    rule: Mapping[str, Any],
    known_lists: Collection[str],
    fields: Mapping[str, FieldType] = CANONICAL_FIELDS,
    *,
    known_references: Collection[str] | None = None,
) -> list[FieldError]:
    """Every problem in ``rule``, each with a path such as ``condition.children[1].value``.

    ``known_references`` = None accepts any reference table name (checked at evaluation instead).
    An empty list means the rule is valid.
    """
    compiler = _Compiler(known_lists, fields, known_references)
    compiler.compile(rule)
    return compiler.errors


def compile_rule(
    rule: Mapping[str, Any],
    known_lists: Collection[str],
    fields: Mapping[str, FieldType] = CANONICAL_FIELDS,
    *,
    known_references: Collection[str] | None = None,
) -> CompiledRule:
    """The safe compiled form of ``rule``; raises :class:`RuleValidationError` if invalid."""
    compiler = _Compiler(known_lists, fields, known_references)
    compiled = compiler.compile(rule)
    if compiler.errors or compiled is None:
        raise RuleValidationError(compiler.errors)
    return compiled


class _Compiler:
    """Validates and builds in one walk, so the checks and the compiled form cannot drift apart."""

    def __init__(self, known_lists: Collection[str], fields: Mapping[str, FieldType],
                 known_references: Collection[str] | None):
        self.fields = fields
        self.values = ValueChecker(self._error, set(known_lists), known_references, fields)
        self.errors: list[FieldError] = []
        self.criteria = 0

    def _error(self, path: str, code: str, message: str, **params: Any) -> None:
        self.errors.append(FieldError(path, message, code, params))

    def compile(self, rule: Mapping[str, Any]) -> CompiledRule | None:
        if not isinstance(rule, Mapping):
            self._error("", "type", "A rule must be an object.")
            return None
        meta = self._metadata(rule)
        condition = self._node(rule.get("condition"), "condition", depth=1)
        if self.errors or condition is None or meta is None:
            return None
        used = _collect(condition)
        return CompiledRule(condition=condition, fields=used[0], lists=used[1], references=used[2], **meta)

    def _metadata(self, rule: Mapping[str, Any]) -> dict[str, Any] | None:
        check = self.values
        meta = {
            "id": check.text(rule.get("id"), "id", max_length=100),
            "version": check.integer(rule.get("version", 1), "version", low=1, high=2**31 - 1),
            "name": check.text(rule.get("name"), "name", max_length=200),
            "weight": check.integer(rule.get("weight", 0), "weight", low=-MAX_WEIGHT, high=MAX_WEIGHT),
            "lane": self._lane(rule.get("lane")),
            "valid_from": check.optional_date(rule.get("valid_from"), "valid_from"),
            "valid_to": check.optional_date(rule.get("valid_to"), "valid_to"),
        }
        if meta["valid_from"] and meta["valid_to"] and meta["valid_from"] > meta["valid_to"]:
            self._error("valid_to", "date_order", "The end of validity is before its start.")
        if meta["weight"] == 0 and meta["lane"] is None and "weight" not in _errors_at(self.errors):
            self._error("weight", "no_effect", "Give the rule a weight, a mandatory lane, or both.")
        return meta

    def _lane(self, value: Any) -> Lane | None:
        if value is None:
            return None
        if value not in {lane.value for lane in MANDATORY_LANES}:
            self._error("lane", "choice", "The mandatory lane must be red, yellow or blue.",
                        choices=[lane.value for lane in MANDATORY_LANES])
            return None
        return Lane(value)

    def _node(self, node: Any, path: str, depth: int) -> Node | None:
        if not isinstance(node, Mapping):
            self._error(path, "type", "A condition must be a group or a criterion (an object).")
            return None
        if "group" in node:
            return self._group(node, path, depth)
        return self._criterion(node, path)

    def _group(self, node: Mapping[str, Any], path: str, depth: int) -> Group | None:
        self._unknown_keys(node, {"group", "children"}, path)
        logic = node.get("group")
        if logic not in ("and", "or"):
            self._error(f"{path}.group", "choice", "A group is either 'and' or 'or'.", choices=["and", "or"])
        if depth > MAX_DEPTH:
            self._error(path, "too_deep", f"Groups may be nested at most {MAX_DEPTH} deep.", limit=MAX_DEPTH)
            return None
        children = node.get("children")
        if not isinstance(children, list) or not children:
            self._error(f"{path}.children", "required", "A group needs at least one condition.")
            return None
        built = [self._node(child, f"{path}.children[{i}]", depth + 1) for i, child in enumerate(children)]
        if logic not in ("and", "or") or any(child is None for child in built):
            return None
        return Group(logic, tuple(built))  # type: ignore[arg-type]

    def _criterion(self, node: Mapping[str, Any], path: str) -> Criterion | None:
        self._unknown_keys(node, {"field", "operator", "value"}, path)
        self.criteria += 1
        if self.criteria == MAX_CRITERIA + 1:
            self._error(path, "too_many", f"A rule may have at most {MAX_CRITERIA} criteria.",
                        limit=MAX_CRITERIA)
        field_name, operator = node.get("field"), node.get("operator")
        if not isinstance(field_name, str) or field_name not in self.fields:
            self._error(f"{path}.field", "unknown_field", f"Unknown field {field_name!r}.",
                        field=str(field_name))
            field_name = None
        if operator not in Operator.__members__.values():
            self._error(f"{path}.operator", "unknown_operator", f"Unknown operator {operator!r}.",
                        operator=str(operator), choices=[op.value for op in Operator])
            return None
        if field_name is None:
            return None
        op = Operator(operator)
        ok, operand = self.values.operand(op, field_name, node.get("value"), f"{path}.value", f"{path}.operator")
        return Criterion(field_name, op, operand) if ok else None

    def _unknown_keys(self, node: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for key in node:
            if key not in allowed:
                self._error(f"{path}.{key}", "unknown_key", f"Unknown key {key!r}.", key=str(key))


def _errors_at(errors: list[FieldError]) -> set[str]:
    return {error.path for error in errors}


def _collect(node: Node) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Fields, named lists and reference tables a condition needs."""
    fields: set[str] = set()
    lists: set[str] = set()
    references: set[str] = set()
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Group):
            stack.extend(current.children)
            continue
        fields.add(current.field)
        operand = current.operand
        if isinstance(operand, ValueList) and operand.list_name is not None:
            lists.add(operand.list_name)
        if isinstance(operand, ReferenceComparison):
            fields.add(operand.key_field)
            references.add(operand.reference)
    return frozenset(fields), frozenset(lists), frozenset(references)
