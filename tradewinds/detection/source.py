"""The detection model in lane allocation: a ``ModelScoreSource`` over each administration's active
model version.

Scoring one declaration on the API path must stay fast, so loaded models are kept in the process,
keyed by version id (a version's files never change); one cheap query per call finds the active
version, so activating or rolling back takes effect at once in every process. The exploration band
depends on settings that change rarely and is kept for a few seconds."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tradewinds.core.statements import Lookup
from tradewinds.risk.engine.detection import TrainedModel
from tradewinds.risk.engine.detection import features as feat
from tradewinds.risk.engine.scoring import ModelFactor, ModelScore
from tradewinds.risk.engine.vocabulary import Lane

from . import dataset
from .exploration import ExplorationBand, ExplorationPlan, band_for
from .models import DetectionSettings, ModelVersion
from .scores import DeclarationScores, score_items, score_rows

logger = logging.getLogger(__name__)
SOURCE_NAME = "detection"
TOP_K = 3
BAND_TTL_S = 10.0


@dataclass(frozen=True)
class LoadedModel:
    version_id: int
    number: int
    model: TrainedModel
    sample: tuple[float, ...]

    @property
    def label(self) -> str:
        return f"v{self.number}"


_lock = threading.Lock()
_models: dict[int, LoadedModel] = {}
_bands: dict[int, tuple[float, int, ExplorationBand | None, Lane]] = {}


_active_version = Lookup(
    lambda administration_id: (
        ModelVersion.objects.filter(administration_id=administration_id, status=ModelVersion.Status.ACTIVE)
        .order_by("-number")
        .values_list("pk")[:1]
    ),
    int,
)


def active_model(administration_id: int) -> LoadedModel | None:
    """The administration's active model, loaded once per process (None: no active model)."""
    row = _active_version.first(administration_id)
    return loaded(row[0]) if row is not None else None


def loaded(version_id: int) -> LoadedModel | None:
    found = _models.get(version_id)
    if found is not None:
        return found
    with _lock:
        if version_id not in _models:
            version = ModelVersion.objects.filter(pk=version_id).first()
            if version is None:
                return None
            try:
                model = TrainedModel.load(version.directory)
            except (OSError, ValueError):
                # Files missing or from another format: lanes fall back to the rules, not to an error.
                logger.exception("detection model %s cannot be loaded from %s", version_id, version.directory)
                return None
            _models[version_id] = LoadedModel(version_id, version.number, model, tuple(version.score_sample))
        return _models[version_id]


def plan_for(administration_id: int) -> tuple[ExplorationPlan, Lane]:
    """The administration's exploration plan: its detection settings over its inspection budget."""
    from tradewinds.risk.models import SelectivitySettings

    chosen = DetectionSettings.objects.filter(administration_id=administration_id).first() or DetectionSettings()
    selectivity = SelectivitySettings.objects.filter(administration_id=administration_id).first()
    selectivity = selectivity or SelectivitySettings()
    rate = selectivity.expected_red + selectivity.expected_yellow + selectivity.expected_blue
    plan = ExplorationPlan(rate, chosen.exploration_share, chosen.uncertain_share, chosen.min_probability)
    return plan, Lane(chosen.exploration_lane)


def exploration_band(administration_id: int, model: LoadedModel) -> tuple[ExplorationBand | None, Lane]:
    cached = _bands.get(administration_id)
    if cached is not None and cached[1] == model.version_id and time.monotonic() - cached[0] < BAND_TTL_S:
        return cached[2], cached[3]
    plan, lane = plan_for(administration_id)
    band = band_for(model.sample, plan)
    _bands[administration_id] = (time.monotonic(), model.version_id, band, lane)
    return band, lane


def forget_settings(administration_id: int) -> None:
    """Settings changed in this process: take them into account at the next declaration."""
    _bands.pop(administration_id, None)


def clear_caches() -> None:
    _models.clear()
    _bands.clear()


def declaration_scores(
    administration_id: int, items: Sequence[Mapping[str, Any]], *, top_k: int = TOP_K
) -> tuple[LoadedModel, DeclarationScores] | None:
    """The active model's three scores (and reasons) for one declaration's items."""
    model = active_model(administration_id)
    if model is None or not items:
        return None
    if len(items) <= feat.SMALL_ROWS and feat.canonical_rows(items):
        scores = score_rows(model.model, items, top_k=top_k)
    else:
        scores = score_items(model.model, dataset.items_frame(items), top_k=top_k)
    return (model, scores) if scores is not None else None


class DetectionScoreSource:
    """Registered with ``tradewinds.risk.scoring``: the fraud probability drives the lane score."""

    name = SOURCE_NAME
    version = ""  # per administration: each answer names its own version

    def score(self, administration_id: int, items: Sequence[Mapping[str, Any]]) -> ModelScore | None:
        try:
            found = declaration_scores(administration_id, items)
        except Exception:
            # A model failure must never stop a declaration from being lodged and assessed by the rules.
            logger.exception("detection scoring failed for administration %s", administration_id)
            return None
        if found is None:
            return None
        model, scores = found
        probability = min(max(scores.fraud, 0.0), 1.0)
        band, lane = exploration_band(administration_id, model)
        explore = lane if band is not None and band.contains(probability) else None
        factors = tuple(_factor(reason, "fraud") for reason in scores.reasons.get("fraud", []))
        return ModelScore(probability, SOURCE_NAME, model.label, factors, exploration_lane=explore)


def _factor(reason: Mapping[str, Any], target: str) -> ModelFactor:
    return ModelFactor(
        reason["factor"],
        reason["text"],
        float(reason["contribution"]),
        template=reason["template"],
        values=dict(reason["values"]),
        target=target,
    )


SOURCE = DetectionScoreSource()
