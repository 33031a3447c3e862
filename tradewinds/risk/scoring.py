"""Where a learned model plugs into lane allocation.

A :class:`ModelScoreSource` scores a declaration (its canonical items) and returns the probability of
a discrepancy with its reasons, or None when it has nothing to say (no model trained for this
administration, a kind of declaration it does not know). With no source registered, lanes come from
the rules alone. The detection app registers its source here (``DetectionConfig.ready()``).

A source may also answer with a full :class:`ModelScore`: that is how it names the model version
per administration and asks for an exploration lane when the model is unsure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from tradewinds.risk.engine.scoring import ModelFactor, ModelScore

# {"feature": str, "value": JSON, "contribution": float}, optionally "template", "values", "target"
ModelReason = Mapping[str, Any]


@runtime_checkable
class ModelScoreSource(Protocol):
    name: str
    version: str

    def score(
        self, administration_id: int, items: Sequence[Mapping[str, Any]]
    ) -> tuple[float, list[ModelReason]] | ModelScore | None:
        """(probability in [0, 1], reasons) or a ModelScore for one declaration, or None."""
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
        if isinstance(answer, ModelScore):
            return answer
        probability, reasons = answer
        factors = tuple(model_factor(reason) for reason in reasons)
        return ModelScore(float(probability), source=source.name, version=source.version, factors=factors)
    return None


def model_factor(reason: ModelReason) -> ModelFactor:
    """A reason given as a mapping, in the engine's form (the phrase fields are optional)."""
    return ModelFactor(
        str(reason["feature"]),
        reason.get("value"),
        float(reason.get("contribution", 0.0)),
        template=str(reason.get("template", "")),
        values=reason.get("values"),
        target=str(reason.get("target", "")),
    )
