"""Checks of the values inside a rule: operator/field-type compatibility and operand shapes.

Every check reports through one callback ``error(path, code, message, **params)`` and returns the
normalised value (numbers as float, dates as ``date``), so the compiled rule compares like with like
on both evaluation paths.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from .conditions import Bounds, Operand, Operator, ReferenceComparison, Scalar, ValueList
from .fields import FieldType, is_string_type

MAX_LIST_VALUES = 10_000
MAX_TEXT = 200
_HS6 = re.compile(r"[0-9]{6}")
_HS_PREFIX = re.compile(r"[0-9]{1,6}")

_SCALAR_OPERATORS = {Operator.EQUALS, Operator.NOT_EQUALS, Operator.IN_LIST, Operator.NOT_IN_LIST,
                     Operator.IS_EMPTY}
_ORDERED_OPERATORS = {Operator.RANGE, Operator.GREATER_THAN, Operator.LESS_THAN}
#: Which operators apply to which field type.
OPERATORS_BY_TYPE: Mapping[FieldType, frozenset[Operator]] = {
    FieldType.STRING: frozenset(_SCALAR_OPERATORS),
    FieldType.HS_CODE: frozenset(_SCALAR_OPERATORS | {Operator.HS_PREFIX}),
    FieldType.NUMBER: frozenset(_SCALAR_OPERATORS | _ORDERED_OPERATORS | {Operator.COMPARE_REFERENCE}),
    FieldType.DATE: frozenset(_SCALAR_OPERATORS | _ORDERED_OPERATORS),
}

ErrorSink = Callable[..., None]


class ValueChecker:
    def __init__(self, error: ErrorSink, known_lists: set[str], known_references: Collection[str] | None,
                 fields: Mapping[str, FieldType]):
        self.error = error
        self.known_lists = known_lists
        self.known_references = None if known_references is None else set(known_references)
        self.fields = fields
        self.failures = 0

    def _fail(self, path: str, code: str, message: str, **params: Any) -> None:
        self.failures += 1
        self.error(path, code, message, **params)

    # --- metadata ----------------------------------------------------------------------------------

    def text(self, value: Any, path: str, max_length: int = MAX_TEXT) -> str:
        if not isinstance(value, str) or not value.strip():
            self._fail(path, "required", "This field is required.")
            return ""
        if len(value) > max_length:
            self._fail(path, "too_long", f"At most {max_length} characters.", limit=max_length)
        return value

    def integer(self, value: Any, path: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self._fail(path, "type", "A whole number is required.")
            return 0
        if not low <= value <= high:
            self._fail(path, "out_of_range", f"Must be between {low} and {high}.", min=low, max=high)
        return value

    def optional_date(self, value: Any, path: str) -> dt.date | None:
        return None if value is None else self.scalar(value, FieldType.DATE, path)  # type: ignore[return-value]

    # --- operands ----------------------------------------------------------------------------------

    def operand(self, op: Operator, field: str, value: Any, path: str, op_path: str) -> tuple[bool, Operand]:
        """(ok, normalised operand) for ``field op value``."""
        field_type = self.fields[field]
        if op not in OPERATORS_BY_TYPE[field_type]:
            self._fail(op_path, "operator_type", f"'{op.value}' does not apply to a {field_type.value} field.",
                       operator=op.value, field_type=field_type.value)
            return False, None
        before = self.failures
        operand = self._operand(op, field_type, value, path)
        return self.failures == before, operand

    def _operand(self, op: Operator, field_type: FieldType, value: Any, path: str) -> Operand:
        if op in (Operator.EQUALS, Operator.NOT_EQUALS, Operator.GREATER_THAN, Operator.LESS_THAN):
            return self.scalar(value, field_type, path)
        if op in (Operator.IN_LIST, Operator.NOT_IN_LIST):
            return self.value_list(value, field_type, path)
        if op is Operator.HS_PREFIX:
            return self.prefixes(value, path)
        if op is Operator.RANGE:
            return self.bounds(value, field_type, path)
        if op is Operator.COMPARE_REFERENCE:
            return self.reference(value, path)
        if value is not None:  # is_empty
            self._fail(path, "not_allowed", "'is_empty' takes no value.")
        return None

    def scalar(self, value: Any, field_type: FieldType, path: str) -> Scalar | None:
        if field_type is FieldType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
                self._fail(path, "type", "A number is required.", expected="number")
                return None
            return float(value)  # ints become floats here so both paths compare float with float
        if field_type is FieldType.DATE:
            return self._date(value, path)
        if not isinstance(value, str):
            self._fail(path, "type", "A text value is required.", expected="string")
            return None
        if field_type is FieldType.HS_CODE and not _HS6.fullmatch(value):
            self._fail(path, "hs_code", "An HS code has exactly 6 digits (keep leading zeros).")
        elif len(value) > MAX_TEXT:
            self._fail(path, "too_long", f"At most {MAX_TEXT} characters.", limit=MAX_TEXT)
        return value

    def _date(self, value: Any, path: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self._fail(path, "date", "A date is required (YYYY-MM-DD).", expected="date")
        return None

    def value_list(self, value: Any, field_type: FieldType, path: str) -> ValueList | None:
        if isinstance(value, Mapping):
            return self._named_list(value, field_type, path)
        if not isinstance(value, list) or not value:
            self._fail(path, "required", "Give at least one value, or a named list as {\"list\": name}.")
            return None
        if len(value) > MAX_LIST_VALUES:
            self._fail(path, "too_many", f"At most {MAX_LIST_VALUES} values; use a named list.",
                       limit=MAX_LIST_VALUES)
            return None
        items = [self.scalar(item, field_type, f"{path}[{i}]") for i, item in enumerate(value)]
        return ValueList(values=frozenset(items))  # type: ignore[arg-type]

    def _named_list(self, value: Mapping[str, Any], field_type: FieldType, path: str) -> ValueList | None:
        name = value.get("list")
        if set(value) != {"list"} or not isinstance(name, str):
            self._fail(path, "list_ref", "A named list is written {\"list\": \"name\"}.")
            return None
        if not is_string_type(field_type):
            self._fail(path, "list_type", "Named lists hold codes: use them on text fields only.")
            return None
        if name not in self.known_lists:
            self._fail(f"{path}.list", "unknown_list", f"There is no list named {name!r}.", list=name)
            return None
        return ValueList(list_name=name)

    def prefixes(self, value: Any, path: str) -> ValueList | None:
        if isinstance(value, Mapping):
            return self._named_list(value, FieldType.HS_CODE, path)
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            self._fail(path, "required", "Give one or more HS prefixes (1 to 6 digits).")
            return None
        for i, prefix in enumerate(values):
            if not isinstance(prefix, str) or not _HS_PREFIX.fullmatch(prefix):
                where = path if isinstance(value, str) else f"{path}[{i}]"
                self._fail(where, "hs_prefix", "An HS prefix is 1 to 6 digits, e.g. \"61\" or \"8703\".")
        return ValueList(values=frozenset(p for p in values if isinstance(p, str)))

    def bounds(self, value: Any, field_type: FieldType, path: str) -> Bounds | None:
        if not isinstance(value, Mapping) or not set(value) <= {"min", "max"}:
            self._fail(path, "range", "A range is written {\"min\": …, \"max\": …} (either may be left out).")
            return None
        low = None if value.get("min") is None else self.scalar(value["min"], field_type, f"{path}.min")
        high = None if value.get("max") is None else self.scalar(value["max"], field_type, f"{path}.max")
        if value.get("min") is None and value.get("max") is None:
            self._fail(path, "range", "Give a minimum, a maximum, or both.")
        elif low is not None and high is not None and low > high:  # type: ignore[operator]
            self._fail(f"{path}.max", "range_order", "The maximum is below the minimum.")
        return Bounds(low, high)  # type: ignore[arg-type]

    def reference(self, value: Any, path: str) -> ReferenceComparison | None:
        allowed = {"reference", "key_field", "comparison", "factor"}
        if not isinstance(value, Mapping) or not set(value) <= allowed:
            self._fail(path, "reference", "Write {\"reference\", \"key_field\", \"comparison\", \"factor\"}.")
            return None
        reference, key_field = value.get("reference"), value.get("key_field", "hs_code")
        comparison, factor = value.get("comparison", "less_than"), value.get("factor", 1.0)
        if not isinstance(reference, str) or not reference:
            self._fail(f"{path}.reference", "required", "Name the reference table.")
        elif self.known_references is not None and reference not in self.known_references:
            self._fail(f"{path}.reference", "unknown_reference", f"There is no reference {reference!r}.",
                       reference=reference)
        if key_field not in self.fields or not is_string_type(self.fields[key_field]):
            self._fail(f"{path}.key_field", "unknown_field", "The key must be a code field, e.g. hs_code.")
        if comparison not in ("less_than", "greater_than"):
            self._fail(f"{path}.comparison", "choice", "Compare with 'less_than' or 'greater_than'.",
                       choices=["less_than", "greater_than"])
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 < factor < 1e6:
            self._fail(f"{path}.factor", "out_of_range", "The factor is a positive number, e.g. 0.5.")
            factor = 1.0
        return ReferenceComparison(str(reference), str(key_field), comparison, float(factor))


def _finite(value: int | float) -> bool:
    # Integers too large for a float would overflow math.isfinite; no customs figure is that big.
    return abs(value) < 1e300 if isinstance(value, int) else math.isfinite(value)
