"""The programme dashboard (charts drawn by the vendored Chart.js from JSON in the page)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tradewinds.core.permissions import role_required

from .. import stats
from ._helpers import STAFF


@role_required(*STAFF)
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    administration_id = request.user.administration_id
    comparison = stats.aeo_comparison(administration_id)
    decision_times = stats.decision_times(administration_id)
    charts = {
        "stages": stats.applications_by_stage(administration_id),
        "decision_times": decision_times["series"],
        "certified": stats.certified_by_type(administration_id),
        "findings": stats.frequent_findings(administration_id),
        "comparison": {
            "labels": [_("Inspection rate (%)"), _("Median release time (hours)")],
            "aeo": [comparison["aeo"]["inspection_rate"], comparison["aeo"]["median_release_hours"]],
            "other": [comparison["other"]["inspection_rate"], comparison["other"]["median_release_hours"]],
            "names": [_("AEOs"), _("Other traders")],
        },
        "share": {
            "labels": [_("Lodged by AEOs"), _("Lodged by others")],
            "values": [comparison["aeo"]["declarations"], comparison["other"]["declarations"]],
        },
        "labels": {
            "requirement": _("Requirements"),
            "recommendation": _("Recommendations"),
            "count": _("Applications"),
        },
    }
    return render(
        request,
        "aeo/dashboard.html",
        {"charts": charts, "comparison": comparison, "decision_times": decision_times},
    )
