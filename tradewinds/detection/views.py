"""Pages of the model registry: versions, training with progress, a version's metrics, comparison of
two versions, and the exploration settings. For risk officers and managers of the administration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewinds.core.permissions import role_required
from tradewinds.core.views import apply_service_error
from tradewinds.errors import NotFound, TradewindsError
from tradewinds.risk.messages import lane_name
from tradewinds.risk.models import SelectivitySettings

from . import services
from .exploration import share_in_band
from .forms import DetectionSettingsForm
from .models import ModelVersion, TrainingRun
from .phrases import log_lines
from .source import band_for, plan_for

RATES = ("1%", "2%", "5%", "10%")


def _version(request: HttpRequest, modelversion_id: int | str | None) -> ModelVersion:
    version = ModelVersion.objects.for_user(request.user).filter(pk=modelversion_id).first()
    if version is None:
        raise Http404
    return version


def _own_versions(request: HttpRequest):
    return ModelVersion.objects.owned_by(request.user).order_by("-number")


@role_required(*services.READERS)
def model_list(request: HttpRequest) -> HttpResponse:
    runs = list(TrainingRun.objects.owned_by(request.user).select_related("model_version")[:5])
    running = next((run for run in runs if not run.is_finished), None)
    return render(
        request,
        "detection/model_list.html",
        {
            "rows": [_summary(version) for version in _own_versions(request).select_related("created_by")],
            "runs": [{"run": run, "last": (log_lines(run) or [{"text": ""}])[-1]["text"]} for run in runs],
            "running": running,
            "running_lines": log_lines(running) if running else [],
            "can_train": request.user.has_role(*services.TRAINERS) and request.user.administration_id is not None,
            "can_activate": request.user.has_role(*services.ACTIVATORS),
            "rates": RATES,
        },
    )


def _summary(version: ModelVersion) -> dict[str, Any]:
    five = (version.metrics or {}).get("fraud", {}).get("5%", {})
    return {"version": version, "precision": five.get("precision"), "revenue": five.get("revenue")}


@require_POST
@role_required(*services.TRAINERS)
def train(request: HttpRequest) -> HttpResponse:
    try:
        run = services.start_training(request.user)
    except TradewindsError as error:
        messages.error(request, error.detail)
        return redirect("detection:model_list")
    if request.headers.get("HX-Request"):
        return render(request, "detection/_run.html", {"run": run, "lines": log_lines(run)})
    messages.success(request, _("Training started."))
    return redirect("detection:model_list")


@require_GET
@role_required(*services.READERS)
def run_progress(request: HttpRequest, trainingrun_id: int) -> HttpResponse:
    run = TrainingRun.objects.owned_by(request.user).filter(pk=trainingrun_id).select_related("model_version").first()
    if run is None:
        raise Http404
    return render(request, "detection/_run.html", {"run": run, "lines": log_lines(run)})


@require_GET
@role_required(*services.READERS)
def model_detail(request: HttpRequest, modelversion_id: int) -> HttpResponse:
    version = _version(request, modelversion_id)
    run = version.training_runs.order_by("-created_at").first()
    return render(
        request,
        "detection/model_detail.html",
        {
            "version": version,
            "rows": _metric_rows(version),
            "chart": _chart([version]),
            "features": version.features,
            "lines": log_lines(run) if run else [],
            "can_activate": request.user.has_role(*services.ACTIVATORS) and not version.is_active,
            "others": _own_versions(request).exclude(pk=version.pk)[:20],
        },
    )


@require_POST
@role_required(*services.ACTIVATORS)
def model_activate(request: HttpRequest, modelversion_id: int) -> HttpResponse:
    try:
        version = services.activate_version(request.user, modelversion_id)
    except NotFound as error:
        raise Http404 from error
    except TradewindsError as error:
        messages.error(request, error.detail)
        return redirect("detection:model_list")
    messages.success(request, _("Version %(number)s is now active.") % {"number": version.number})
    return redirect("detection:model_detail", modelversion_id=version.pk)


@require_GET
@role_required(*services.READERS)
def model_compare(request: HttpRequest) -> HttpResponse:
    versions = list(_own_versions(request)[:50])
    chosen = [_pick(versions, request.GET.get(name)) for name in ("a", "b")]
    if chosen[0] is None and versions:
        chosen[0] = versions[min(1, len(versions) - 1)]
    if chosen[1] is None and versions:
        chosen[1] = versions[0]
    pair = [version for version in chosen if version is not None]
    return render(
        request,
        "detection/compare.html",
        {
            "versions": versions,
            "pair": pair,
            "rows": _compare_rows(pair) if len(pair) == 2 else [],
            "features": _feature_diff(pair) if len(pair) == 2 else {},
            "chart": _chart(pair),
        },
    )


def _pick(versions: list[ModelVersion], raw: str | None) -> ModelVersion | None:
    return next((version for version in versions if str(version.pk) == (raw or "")), None)


def _metric_rows(version: ModelVersion) -> list[dict[str, Any]]:
    fraud, revenue = (version.metrics or {}).get("fraud", {}), (version.metrics or {}).get("revenue", {})
    critical = (version.metrics or {}).get("critical_precision", {})
    return [
        {
            "rate": rate,
            "selected": fraud.get(rate, {}).get("selected"),
            "precision": fraud.get(rate, {}).get("precision"),
            "recall": fraud.get(rate, {}).get("recall"),
            "revenue": fraud.get(rate, {}).get("revenue"),
            "revenue_ranked": revenue.get(rate, {}).get("revenue"),
            "critical": critical.get(rate),
        }
        for rate in RATES
    ]


def _compare_rows(pair: list[ModelVersion]) -> list[dict[str, Any]]:
    a, b = (_metric_rows(version) for version in pair)
    rows = []
    for left, right in zip(a, b, strict=True):
        for key, label in (("precision", _("precision")), ("revenue", _("revenue")), ("critical", _("critical"))):
            rows.append({"rate": left["rate"], "label": label, "a": left[key], "b": right[key]})
    for key, label in (("auc", _("AUC, fraud")), ("critical_auc", _("AUC, critical"))):
        rows.append({"rate": "", "label": label, "a": pair[0].metrics.get(key), "b": pair[1].metrics.get(key)})
    return rows


def _feature_diff(pair: list[ModelVersion]) -> dict[str, list[str]]:
    left, right = set(pair[0].features), set(pair[1].features)
    return {"only_a": sorted(left - right), "only_b": sorted(right - left), "common": len(left & right)}


def _chart(versions: list[ModelVersion]) -> dict[str, Any]:
    return {
        "x_label": _("Share of inspected declarations selected"),
        "y_label": _("Precision (hit rate)"),
        "series": [
            {"label": _("Version %(number)s") % {"number": v.number}, "points": v.curve} for v in versions if v.curve
        ],
    }


@role_required(*services.READERS)
def detection_settings(request: HttpRequest) -> HttpResponse:
    administration = request.user.administration
    if administration is None or administration.is_regional:
        raise Http404
    current = services.settings_for(administration)
    form = DetectionSettingsForm(request.POST or None, instance=current)
    if request.method == "POST":
        if not request.user.has_role(*services.SETTINGS_EDITORS):
            raise Http404
        if form.is_valid():
            try:
                services.update_settings(request.user, form.cleaned_data)
            except TradewindsError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("detection:settings")
    return render(request, "detection/settings.html", {"form": form, **_exploration_figures(administration.pk)})


def _exploration_figures(administration_id: int) -> dict[str, Any]:
    plan, lane = plan_for(administration_id)
    active = _active_sample(administration_id)
    band = band_for(active, plan) if active else None
    selectivity = SelectivitySettings.objects.filter(administration_id=administration_id).first()
    selectivity = selectivity or SelectivitySettings()
    random_floor = selectivity.random_red + selectivity.random_yellow + selectivity.random_blue
    return {
        "plan": plan,
        "band": band,
        "realised": share_in_band(active, band) if active else None,
        "lane": lane_name(lane.value),
        "random_floor": random_floor,
        "random_short": random_floor + 1e-9 < plan.random_rate,
        "has_model": bool(active),
    }


def _active_sample(administration_id: int) -> list[float]:
    sample = (
        ModelVersion.objects.filter(administration_id=administration_id, status=ModelVersion.Status.ACTIVE)
        .values_list("score_sample", flat=True)
        .first()
    )
    return list(sample or [])
