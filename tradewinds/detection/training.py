"""Training one model version for an administration from its recorded outcomes.

Time-ordered throughout: the latest share of the labelled declarations is held out, a model trained
on the earlier part is measured on it (the version's metrics), then the model that is saved is
trained on the whole window. The engine itself picks its boosting rounds and calibration on a
time-later slice of what it is given (or uses fixed rounds when the history is small)."""

from __future__ import annotations

import datetime as dt
import shutil
import zoneinfo
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tradewinds.core import audit
from tradewinds.core.models import Administration, User
from tradewinds.risk.engine.detection import FeatureConfig, TrainConfig, TrainedModel, train
from tradewinds.risk.engine.detection.model import time_split

from . import dataset
from .evaluation import evaluate
from .models import MODELS_DIR, ModelVersion
from .scores import per_declaration

EVALUATION_SHARE = 0.2  # latest share of the labelled declarations kept for the metrics
MIN_DECLARATIONS = 40
MIN_FRAUDS = 5
LARGE_HISTORY = 5000  # item rows from which the engine's own defaults (holdout search) are used
FLOW_DAYS = 90  # recent flow the exploration band is measured on
SAMPLE_SIZE = 2000
Progress = Callable[[int, str, dict[str, Any]], None]


class TrainingError(Exception):
    """Training cannot go on; ``code`` and ``params`` say why, in words the page translates."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class TrainingRequest:
    administration: Administration
    start: dt.date
    end: dt.date
    actor: User | None = None
    config: TrainConfig | None = None  # None: chosen from the size of the history


def config_for(rows: int) -> TrainConfig:
    """The engine's defaults for a real history; for a small one, small trees, fixed rounds and
    less smoothing, because a holdout of a few dozen rows cannot choose rounds or calibrate."""
    if rows >= LARGE_HISTORY:
        return TrainConfig(num_threads=2)
    return TrainConfig(
        num_leaves=7,
        min_data_in_leaf=5,
        learning_rate=0.05,
        fixed_rounds=80,
        feature_fraction=0.8,
        num_threads=2,
        features=FeatureConfig(smoothing=5.0),
    )


def train_version(request: TrainingRequest, progress: Progress) -> ModelVersion:
    """Train, evaluate, save and register a new (inactive) version."""
    progress(5, "loading", {})
    frame = dataset.labelled_frame(request.administration, request.start, request.end)
    _check_history(frame)
    config = request.config or config_for(frame.height)
    progress(15, "loaded", _counts(frame))
    early, late = time_split(frame, EVALUATION_SHARE)
    progress(
        25, "evaluating", {"start": str(late["declaration_date"].min()), "end": str(late["declaration_date"].max())}
    )
    metrics, curve = evaluate(per_declaration(late, train(early, config).score(late)))
    progress(55, "training", {"rows": frame.height})
    model = train(frame, config)
    progress(80, "sampling", {"days": FLOW_DAYS})
    sample = score_sample(model, request)
    progress(90, "saving", {})
    version = _register(request, frame, model, metrics, curve, sample, config)
    progress(100, "done", {"version": version.number})
    return version


def _check_history(frame: pl.DataFrame) -> None:
    counts = _counts(frame)
    if counts["declarations"] < MIN_DECLARATIONS:
        raise TrainingError("too_few_declarations", found=counts["declarations"], needed=MIN_DECLARATIONS)
    if counts["frauds"] < MIN_FRAUDS:
        raise TrainingError("too_few_frauds", found=counts["frauds"], needed=MIN_FRAUDS)
    if frame["declaration_date"].n_unique() < 2:
        raise TrainingError("one_day")


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    heads = frame.unique("declaration_id")
    return {
        "rows": frame.height,
        "declarations": heads.height,
        "frauds": int(heads["fraud"].sum() or 0),
        "critical": int((heads["critical"] == dataset.CRITICAL_LABEL).sum() or 0),
    }


def score_sample(model: TrainedModel, request: TrainingRequest) -> list[float]:
    """Fraud probabilities of the recent flow (inspected or not), as at most SAMPLE_SIZE quantiles."""
    flow = dataset.flow_frame(request.administration, request.end - dt.timedelta(FLOW_DAYS), request.end)
    if flow.is_empty():
        return []
    probabilities = np.sort(per_declaration(flow, model.score(flow))["fraud_score"].to_numpy())
    if len(probabilities) > SAMPLE_SIZE:
        probabilities = np.quantile(probabilities, np.linspace(0.0, 1.0, SAMPLE_SIZE))
    return [round(float(p), 5) for p in probabilities]


def _register(
    request: TrainingRequest,
    frame: pl.DataFrame,
    model: TrainedModel,
    metrics: dict[str, Any],
    curve: list[list[float]],
    sample: list[float],
    config: TrainConfig,
) -> ModelVersion:
    counts = _counts(frame)
    evaluation = metrics["evaluation"]
    administration = request.administration
    with transaction.atomic():
        latest = ModelVersion.objects.filter(administration=administration).aggregate(n=Max("number"))["n"] or 0
        version = ModelVersion.objects.create(
            administration=administration,
            number=latest + 1,
            training_start=frame["declaration_date"].min(),
            training_end=frame["declaration_date"].max(),
            evaluation_start=dt.date.fromisoformat(evaluation["start"]),
            evaluation_end=dt.date.fromisoformat(evaluation["end"]),
            rows=counts["rows"],
            declarations=counts["declarations"],
            fraud_positives=counts["frauds"],
            critical_positives=counts["critical"],
            features=list(model.state.names),
            metrics=metrics,
            curve=curve,
            score_sample=sample,
            config={k: v for k, v in asdict(config).items() if k != "features"},
            metadata=model.metadata,
            created_by=request.actor,
        )
        version.files = str(Path(MODELS_DIR) / administration.code / str(version.pk))
        version.save(update_fields=["files"])
        _save_files(model, version.directory)
        audit.record(
            "detection.model_trained",
            actor=request.actor,
            obj=version,
            after={
                "version": version.number,
                "window": [str(version.training_start), str(version.training_end)],
                "declarations": version.declarations,
                "auc": metrics.get("auc"),
            },
        )
    return version


def _save_files(model: TrainedModel, directory: Path) -> None:
    """LightGBM text and JSON only; a directory left by an earlier database of the same id goes first."""
    if directory.exists():
        shutil.rmtree(directory)
    model.save(directory)


def default_window(administration: Administration, days: int) -> tuple[dt.date, dt.date]:
    """The last ``days`` days up to today, in the administration's own dates."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(dataset.time_zone(administration)))
    return today - dt.timedelta(days=days), today
