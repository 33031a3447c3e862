"""The model registry over HTTP: list versions, read one, start training, follow a run, activate."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from tradewinds.core.permissions import require_role
from tradewinds.errors import NotFound

from . import services
from .models import ModelVersion, TrainingRun
from .phrases import log_lines

PREFIX = "/v1/detection"
router = Router(tags=["detection"])


class TrainIn(Schema):
    window_days: int = services.DEFAULT_WINDOW_DAYS


def version_json(version: ModelVersion, *, full: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": version.pk,
        "version": version.number,
        "status": version.status,
        "training_window": [version.training_start, version.training_end],
        "evaluation_window": [version.evaluation_start, version.evaluation_end],
        "declarations": version.declarations,
        "rows": version.rows,
        "positives": {"fraud": version.fraud_positives, "critical": version.critical_positives},
        "auc": (version.metrics or {}).get("auc"),
        "created_at": version.created_at,
        "created_by": version.created_by.username if version.created_by else None,
        "activated_at": version.activated_at,
    }
    if full:
        data.update(metrics=version.metrics, curve=version.curve, features=version.features, config=version.config)
    return data


def run_json(run: TrainingRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "progress": run.progress,
        "stage": run.stage,
        "window_days": run.window_days,
        "log": log_lines(run),
        "model_version": run.model_version_id,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


@router.get("models", summary="Model versions of the administration, newest first")
def list_versions(request: HttpRequest) -> list[dict[str, Any]]:
    require_role(request, *services.READERS)
    versions = ModelVersion.objects.for_user(request.auth).select_related("created_by").order_by("-created_at")
    return [version_json(version) for version in versions[:200]]


@router.get("models/{modelversion_id}", summary="One model version with its metrics, curve and features")
def get_version(request: HttpRequest, modelversion_id: int) -> dict[str, Any]:
    require_role(request, *services.READERS)
    version = ModelVersion.objects.for_user(request.auth).filter(pk=modelversion_id).first()
    if version is None:
        raise NotFound("No such model version.")
    return version_json(version, full=True)


@router.post("models/{modelversion_id}/activate", summary="Make a version active (an older one: roll back)")
def activate(request: HttpRequest, modelversion_id: int) -> dict[str, Any]:
    return version_json(services.activate_version(request.auth, modelversion_id), full=False)


@router.post("training", response={202: dict}, summary="Start training a new version in the background")
def start_training(request: HttpRequest, payload: TrainIn) -> Status:
    days = max(30, min(payload.window_days, 3650))
    return Status(202, run_json(services.start_training(request.auth, window_days=days)))


@router.get("training/{trainingrun_id}", summary="A training run's progress and log")
def get_run(request: HttpRequest, trainingrun_id: int) -> dict[str, Any]:
    require_role(request, *services.READERS)
    run = TrainingRun.objects.owned_by(request.auth).filter(pk=trainingrun_id).first()
    if run is None:
        raise NotFound("No such training run.")
    return run_json(run)
