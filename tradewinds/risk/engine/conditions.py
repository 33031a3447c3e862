"""The compiled form of a rule: a tree of frozen dataclasses, interpreted by :mod:`evaluate`.

Field names come from a fixed catalogue and operators from a closed enum, so a compiled rule can
only ever compare columns with constants: there is nothing to execute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from .vocabulary import Lane


class Operator(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN_LIST = "in_list"
    NOT_IN_LIST = "not_in_list"
    HS_PREFIX = "hs_prefix"
    RANGE = "range"
    GREATER_THAN = "greater_than"
    LESS_THAN = "less_than"
    COMPARE_REFERENCE = "compare_reference"
    IS_EMPTY = "is_empty"


Scalar = str | float | dt.date


@dataclass(frozen=True)
class ValueList:
    """Literal values, or the name of a list resolved from the context at evaluation time (so
    editing a list takes effect without a new rule version)."""

    values: frozenset[Scalar] | None = None
    list_name: str | None = None


@dataclass(frozen=True)
class Bounds:
    low: float | dt.date | None = None  # inclusive
    high: float | dt.date | None = None  # inclusive


@dataclass(frozen=True)
class ReferenceComparison:
    """``field <comparison> factor × references[reference][item[key_field]]``."""

    reference: str
    key_field: str
    comparison: Literal["less_than", "greater_than"]
    factor: float


Operand = Scalar | ValueList | Bounds | ReferenceComparison | None


@dataclass(frozen=True)
class Criterion:
    field: str
    operator: Operator
    operand: Operand


@dataclass(frozen=True)
class Group:
    logic: Literal["and", "or"]
    children: tuple[Criterion | Group, ...]


Node = Criterion | Group


@dataclass(frozen=True)
class CompiledRule:
    """A validated rule, ready for :mod:`evaluate`. Hashable and immutable."""

    id: str
    version: int
    name: str
    weight: int
    lane: Lane | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    condition: Node
    fields: frozenset[str]  # every field the condition reads (for column pruning)
    lists: frozenset[str]
    references: frozenset[str]

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)
