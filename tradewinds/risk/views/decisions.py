"""A declaration's lane decision (the panel as a page of its own), override, outcome, performance."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tradewinds.core.permissions import role_required
from tradewinds.declarations.models import Declaration
from tradewinds.errors import TradewindsError

from .. import performance, services
from ..decisions import EXAMINERS, OVERRIDERS
from ..forms import OutcomeForm, OverrideForm
from ..messages import lane_name
from ..panels import declaration_panel
from .common import DECISION_READERS, RULE_READERS, period_from


def _declaration(request: HttpRequest, declaration_id: int, *, own: bool = False) -> Declaration:
    declarations = Declaration.objects.owned_by(request.user) if own else Declaration.objects.for_user(request.user)
    declaration = declarations.filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    return declaration


def _back(request: HttpRequest, declaration: Declaration):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    try:
        return redirect(reverse("declarations:detail", kwargs={"declaration_id": declaration.pk}))
    except NoReverseMatch:
        return redirect("risk:decision", declaration_id=declaration.pk)


@require_GET
@role_required(*DECISION_READERS)
def decision(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id)
    panel = declaration_panel(request, declaration)
    if panel is None:
        raise Http404
    return render(request, "risk/decision.html", {"declaration": declaration, "panel": panel, **panel["context"]})


@require_POST
@role_required(*OVERRIDERS)
def override(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id, own=True)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a lane."))
        return _back(request, declaration)
    try:
        services.override_lane(request.user, declaration, form.cleaned_data["lane"], form.cleaned_data["reason"])
    except TradewindsError as error:
        messages.error(request, "; ".join(item["msg"] for item in error.errors) or error.detail)
    else:
        messages.success(request, _("Lane changed to %(lane)s.") % {"lane": lane_name(form.cleaned_data["lane"])})
    return _back(request, declaration)


@require_POST
@role_required(*EXAMINERS)
def outcome(request: HttpRequest, declaration_id: int) -> HttpResponse:
    declaration = _declaration(request, declaration_id, own=True)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The outcome is not valid: %(errors)s")
            % {"errors": "; ".join(str(m) for errors in form.errors.values() for m in errors)},
        )
        return _back(request, declaration)
    try:
        services.record_outcome(request.user, declaration, form.cleaned_data)
    except TradewindsError as error:
        messages.error(request, "; ".join(item["msg"] for item in error.errors) or error.detail)
    else:
        messages.success(request, _("Inspection outcome recorded."))
    return _back(request, declaration)


@require_GET
@role_required(*RULE_READERS)
def performance_page(request: HttpRequest) -> HttpResponse:
    period = period_from(request, default_days=365)
    figures = performance.figures(request.user.administration, period)
    lanes = [{**row, "name": lane_name(row["lane"])} for row in figures["lanes"]]
    chart = {
        "periods": [row["period"] for row in figures["periods"]],
        "inspection_rate": [row["inspection_rate"] for row in figures["periods"]],
        "hit_rate": [row["hit_rate"] for row in figures["periods"]],
        "labels": {"inspection_rate": _("Inspection rate"), "hit_rate": _("Hit rate")},
    }
    return render(
        request,
        "risk/performance.html",
        {
            "figures": figures,
            "lanes": lanes,
            "period": period,
            "chart": json.loads(json.dumps(chart, default=str)),
        },
    )
