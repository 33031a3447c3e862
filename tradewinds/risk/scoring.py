"""Where a learned model plugs into lane allocation.

A :class:`ModelScoreSource` scores a declaration (its canonical items) and returns the probability of
a discrepancy with its reasons, or None when it has nothing to say (no model trained for this
administration, a kind of declaration it does not know). With no source registered, lanes come from
the rules alone. The detection issue registers its source here (e.g. in its AppConfig.ready()).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from tradewinds.risk.engine.scoring import ModelFactor, ModelScore

ModelReason = Mapping[str, Any]  # {"feature": str, "value": JSON, "contribution": float}


@runtime_checkable
class ModelScoreSource(Protocol):
    name: str
    version: str

    def score(
        self, administration_id: int, items: Sequence[Mapping[str, Any]]
    ) -> tuple[float, list[ModelReason]] | None:
        """(probability in [0, 1], reasons) for one declaration, or None."""
        ...


_sources: list[ModelScoreSource] = []


def register(source: ModelScoreSource) -> None:
    """Make ``source`` the model consulted first (the latest registration wins)."""
    unregister(source)
    _sources.insert(0, source)


def unregister(source: ModelScoreSource) -> None:
    if source in _sources:
        _sources.remove(source)


def registered() -> tuple[ModelScoreSource, ...]:
    return tuple(_sources)


def model_score(administration_id: int, items: Sequence[Mapping[str, Any]]) -> ModelScore | None:
    """The first registered source's score of a declaration, in the engine's form; None = rules only."""
    for source in _sources:
        answer = source.score(administration_id, items)
        if answer is None:
            continue
        probability, reasons = answer
        factors = tuple(
            ModelFactor(str(reason["feature"]), reason.get("value"), float(reason.get("contribution", 0.0)))
            for reason in reasons
        )
        return ModelScore(float(probability), source=source.name, version=source.version, factors=factors)
    return None
