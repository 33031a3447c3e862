"""Use cases of the detection model: start and run training, activate or roll back a version, change
the exploration settings. The pages, the API, the CLI and the demo all come through here."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import Administration, User
from tradewinds.core.roles import Role
from tradewinds.core.validation import full_clean
from tradewinds.errors import Conflict, Forbidden, NotFound
from tradewinds.risk.engine.detection import TrainConfig

from . import source
from .models import DetectionSettings, ModelVersion, TrainingRun
from .training import TrainingError, TrainingRequest, default_window, train_version

logger = logging.getLogger(__name__)
READERS = (Role.RISK_OFFICER, Role.MANAGER)
TRAINERS = (Role.RISK_OFFICER, Role.MANAGER)
ACTIVATORS = (Role.RISK_OFFICER, Role.MANAGER)
SETTINGS_EDITORS = (Role.RISK_OFFICER, Role.MANAGER)
SETTINGS_FIELDS = ["exploration_share", "uncertain_share", "min_probability", "exploration_lane"]
DEFAULT_WINDOW_DAYS = 730


def _require(actor: User | None, roles: tuple[str, ...]) -> None:
    """``None`` is the system (the CLI, the demo): it acts for the administration it is given."""
    if actor is not None and not actor.has_role(*roles):
        raise Forbidden(_("Your role does not allow this."))


def create_run(
    actor: User | None, administration: Administration | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> TrainingRun:
    """A queued training run; one at a time per administration."""
    _require(actor, TRAINERS)
    administration = administration or (actor.administration if actor is not None else None)
    if administration is None or administration.is_regional:
        raise Forbidden(_("Models are trained for a member administration."))
    busy = TrainingRun.objects.filter(
        administration=administration, status__in=[TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING]
    )
    with transaction.atomic():
        if busy.exists():
            raise Conflict(_("A training run is already under way for this administration."))
        run = TrainingRun.objects.create(administration=administration, requested_by=actor, window_days=window_days)
        audit.record("detection.training_requested", actor=actor, obj=run, after={"window_days": window_days})
    return run


def start_training(
    actor: User | None, administration: Administration | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> TrainingRun:
    """Queue a training run for the task worker (`tradewinds serve` runs one)."""
    run = create_run(actor, administration, window_days)
    from .tasks import train_model  # the task module imports this one

    result = train_model.enqueue(run.pk)
    TrainingRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()  # the immediate backend (tests) has already run it
    return run


def run_training(run_id: int, config: TrainConfig | None = None) -> int | None:
    """Carry out a queued run (the task body); returns the new version's id, or None on failure."""
    run = TrainingRun.objects.select_related("administration", "requested_by").get(pk=run_id)
    if run.status != TrainingRun.Status.QUEUED:
        return run.model_version_id
    TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.RUNNING, started_at=timezone.now())
    start, end = default_window(run.administration, run.window_days)
    request = TrainingRequest(run.administration, start, end, run.requested_by, config)
    try:
        version = train_version(request, _progress_writer(run))
    except TrainingError as error:
        _finish(run, TrainingRun.Status.FAILED, code=error.code, params=error.params)
        return None
    except Exception as error:  # recorded on the run for the page, and logged with its traceback
        logger.exception("training run %s failed", run.pk)
        _finish(run, TrainingRun.Status.FAILED, code="error", params={"error": str(error)[:300]})
        return None
    _finish(run, TrainingRun.Status.SUCCEEDED, version=version)
    return version.pk


def _progress_writer(run: TrainingRun):
    log: list[dict[str, Any]] = list(run.log)

    def progress(percent: int, code: str, params: dict[str, Any]) -> None:
        log.append({"at": timezone.now().isoformat(timespec="seconds"), "code": code, "params": params})
        TrainingRun.objects.filter(pk=run.pk).update(progress=percent, stage=code, log=list(log))

    return progress


def _finish(
    run: TrainingRun,
    status: str,
    *,
    version: ModelVersion | None = None,
    code: str = "",
    params: dict[str, Any] | None = None,
) -> None:
    run.refresh_from_db()
    run.status, run.finished_at, run.model_version = status, timezone.now(), version
    if code:
        run.log = [*run.log, {"at": run.finished_at.isoformat(timespec="seconds"), "code": code, "params": params}]
        run.error = code
    run.save(update_fields=["status", "finished_at", "model_version", "log", "error"])
    audit.record(
        "detection.training_finished",
        actor=run.requested_by,
        obj=run,
        after={"status": status, "version": version.number if version else None, "error": code or None},
    )


def activate_version(actor: User | None, version_id: int, administration: Administration | None = None) -> ModelVersion:
    """Make a version the one lane allocation uses; activating an older one is a roll-back."""
    _require(actor, ACTIVATORS)
    versions = ModelVersion.objects.owned_by(actor) if actor is not None else ModelVersion.objects.all()
    if administration is not None:
        versions = versions.filter(administration=administration)
    with transaction.atomic():
        version = versions.select_for_update().filter(pk=version_id).first()
        if version is None:
            raise NotFound(_("No such model version."))
        current = ModelVersion.objects.filter(
            administration_id=version.administration_id, status=ModelVersion.Status.ACTIVE
        ).first()
        if current is not None and current.pk == version.pk:
            return version
        if current is not None:
            current.status = ModelVersion.Status.RETIRED
            current.save(update_fields=["status"])
        version.status, version.activated_at, version.activated_by = ModelVersion.Status.ACTIVE, timezone.now(), actor
        version.save(update_fields=["status", "activated_at", "activated_by"])
        rolled_back = current is not None and version.number < current.number
        audit.record(
            "detection.model_rolled_back" if rolled_back else "detection.model_activated",
            actor=actor,
            obj=version,
            before={"active": current.number if current else None},
            after={"active": version.number},
        )
    source.forget_settings(version.administration_id)
    return version


def settings_for(administration: Administration) -> DetectionSettings:
    found, _created = DetectionSettings.objects.get_or_create(administration=administration)
    return found


def update_settings(actor: User, data: dict[str, Any]) -> DetectionSettings:
    _require(actor, SETTINGS_EDITORS)
    if actor.administration is None or actor.administration.is_regional:
        raise Forbidden(_("Settings belong to a member administration."))
    current = settings_for(actor.administration)
    before = audit.snapshot(current, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.updated_by = actor
    full_clean(current, exclude=["administration", "updated_by"])
    with transaction.atomic():
        current.save()
        audit.record(
            "detection.settings_changed",
            actor=actor,
            obj=current,
            before=before,
            after=audit.snapshot(current, SETTINGS_FIELDS),
        )
    source.forget_settings(current.administration_id)
    return current
