"""Small shared types: lanes, field errors and the engine's exceptions.

They live apart from the modules that use them so that rules, evaluation and lanes can all import
them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Lane(StrEnum):
    """ASYCUDA selectivity lanes."""

    GREEN = "green"  # released without control
    BLUE = "blue"  # released, documents audited after clearance
    YELLOW = "yellow"  # documentary check before release
    RED = "red"  # physical examination

    @property
    def severity(self) -> int:
        """Order used to combine lanes: the most severe lane wins."""
        return LANE_SEVERITY[self]


LANE_SEVERITY: dict[Lane, int] = {Lane.GREEN: 0, Lane.BLUE: 1, Lane.YELLOW: 2, Lane.RED: 3}
#: Lanes from the most to the least severe, excluding green; the order thresholds are checked in.
CONTROL_LANES: tuple[Lane, ...] = (Lane.RED, Lane.YELLOW, Lane.BLUE)
LANES_BY_SEVERITY: tuple[Lane, ...] = (Lane.GREEN, Lane.BLUE, Lane.YELLOW, Lane.RED)


@dataclass(frozen=True)
class FieldError:
    """One problem in submitted data, located by a dotted path such as
    ``condition.children[1].value``. ``code`` and ``params`` let the UI translate the message;
    ``message`` is the English fallback."""

    path: str
    message: str
    code: str = "invalid"
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The project's field-error shape (see ``tradewinds.errors.field_error``), plus the code."""
        parts = [part for part in self.path.replace("[", ".").replace("]", "").split(".") if part]
        loc = [int(part) if part.isdigit() else part for part in parts]  # list indexes as numbers
        return {"loc": loc, "field": self.path,
                "msg": self.message, "code": self.code, "params": dict(self.params)}


class EngineError(Exception):
    """Base of the engine's exceptions; the Django side maps them onto ``TradewindsError``."""


class RuleValidationError(EngineError):
    """A rule could not be compiled; ``errors`` says where and why."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors


class MissingContextError(EngineError):
    """A compiled rule names a list or reference table the evaluation context does not provide."""
