"""The model registry: trained versions per administration, training runs with their progress, and
each administration's exploration settings."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tradewinds.core.tenancy import TenantOwned

MODELS_DIR = "models"


class ModelVersion(TenantOwned):
    """One trained detection model. Its files (LightGBM text + JSON) live in ``directory``; its
    metrics come from a time-later evaluation slice the model did not train on."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Was active")

    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.READY)
    training_start = models.DateField(_("training window from"))
    training_end = models.DateField(_("training window to"))
    evaluation_start = models.DateField(_("evaluated from"), null=True, blank=True)
    evaluation_end = models.DateField(_("evaluated to"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("item rows"), default=0)
    declarations = models.PositiveIntegerField(_("labelled declarations"), default=0)
    fraud_positives = models.PositiveIntegerField(_("frauds"), default=0)
    critical_positives = models.PositiveIntegerField(_("critical offences"), default=0)
    features = models.JSONField(_("features"), default=list)
    metrics = models.JSONField(_("metrics"), default=dict)
    curve = models.JSONField(_("precision at inspection rate"), default=list, help_text="[[rate, precision], ...]")
    # Fraud probabilities of recent declarations (inspected or not): the flow exploration is
    # measured against, so the exploration share can be turned into a band around 0.5.
    score_sample = models.JSONField(default=list)
    config = models.JSONField(default=dict)
    metadata = models.JSONField(default=dict)
    files = models.CharField(max_length=200, help_text="Directory of the model files, relative to the data directory.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "number"], name="model_version_unique"),
            models.UniqueConstraint(
                fields=["administration"], condition=models.Q(status="active"), name="one_active_model"
            ),
        ]

    def __str__(self) -> str:
        return f"Model version {self.number}"

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def directory(self) -> Path:
        return Path(settings.DATA_DIR) / self.files

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def rate_metrics(self, ranking: str = "fraud") -> list[dict]:
        """Rows for the metrics table: one per inspection rate, in rate order."""
        report = (self.metrics or {}).get(ranking) or {}
        return [{"rate": rate, **values} for rate, values in report.items()]


class TrainingRun(TenantOwned):
    """One request to train a model, run by the task worker; progress is stored here for the page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(max_length=30, blank=True)
    window_days = models.PositiveIntegerField(_("training window (days)"), default=730)
    # [{"at": iso time, "code": message code, "params": {...}}], rendered in the reader's language.
    log = models.JSONField(default=list)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="training_runs"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Training run {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "Training run"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class DetectionSettings(TenantOwned):
    """How much of the inspection budget explores, and how.

    ``exploration_share`` of the inspections (the expected inspection rate of the selectivity
    settings) is kept for exploration; ``uncertain_share`` of that goes to the declarations the
    model is least sure about, the rest is random selection, which the risk app's random floor
    already provides."""

    exploration_share = models.FloatField(_("exploration share of the inspection budget"), default=0.10)
    uncertain_share = models.FloatField(_("share of exploration on uncertain declarations"), default=0.5)
    min_probability = models.FloatField(
        _("minimum probability to explore"),
        default=0.05,
        help_text=_("Declarations the model scores below this are never explored: it is sure enough about them."),
    )
    exploration_lane = models.CharField(
        _("exploration lane"),
        max_length=10,
        choices=[("yellow", _("Yellow (documents)")), ("red", _("Red (physical inspection)"))],
        default="yellow",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("detection settings")
        verbose_name_plural = _("detection settings")
        constraints = [models.UniqueConstraint(fields=["administration"], name="detection_settings_unique")]

    def __str__(self) -> str:
        return "Detection settings"

    def clean(self) -> None:
        errors = {}
        for name in ("exploration_share", "uncertain_share"):
            value = getattr(self, name)
            if value is None or not 0.0 <= value <= 1.0:
                errors[name] = _("A share lies between 0 and 1 (0.1 = 10 %).")
        if self.exploration_share is not None and self.exploration_share > 0.5:
            errors["exploration_share"] = _("Keep at least half of the inspections for the riskiest declarations.")
        if self.min_probability is None or not 0.0 <= self.min_probability < 0.5:
            errors["min_probability"] = _("A probability between 0 and 0.5.")
        if errors:
            raise ValidationError(errors)
