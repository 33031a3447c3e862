"""The applicant's compliance profile, computed from Tradewinds' own records: what it declared,
which lanes it got, how often it amended, how fast it was released, and (when the risk app records
inspection outcomes) discrepancies and seizures. The officer sees facts, not a questionnaire claim."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from tradewinds.core.models import Company
from tradewinds.declarations.models import Declaration, LifecycleEvent
from tradewinds.risk.models import InspectionOutcome

PROFILE_YEARS = 3
INSPECTED_LANES = (Declaration.Lane.RED, Declaration.Lane.YELLOW)


def declarations_of(company: Company, since: date, until: date):
    """Declarations the company lodged or imported under, matched by FK or by its tax ID as code."""
    party = (
        Q(importer=company) | Q(declarant=company) | Q(importer_code=company.tax_id) | Q(declarant_code=company.tax_id)
    )
    return Declaration.objects.filter(
        party, administration_id=company.administration_id, lodged_at__date__gte=since, lodged_at__date__lte=until
    )


def release_hours(declaration_ids) -> list[float]:
    """Hours from lodgement to release, per released declaration (the Time Release Study measure).
    `declaration_ids` may be a list or a values("pk") queryset (then it runs as one subquery)."""
    events = LifecycleEvent.objects.filter(
        declaration_id__in=declaration_ids, kind__in=[LifecycleEvent.Kind.LODGED, LifecycleEvent.Kind.RELEASED]
    ).values_list("declaration_id", "kind", "at")
    lodged: dict[int, Any] = {}
    released: dict[int, Any] = {}
    for declaration_id, kind, at in events:
        target = lodged if kind == LifecycleEvent.Kind.LODGED else released
        target.setdefault(declaration_id, at)
    return [
        (released[d] - lodged[d]).total_seconds() / 3600 for d in released if d in lodged and released[d] >= lodged[d]
    ]


def outcome_figures(declaration_ids) -> dict[str, int]:
    """What examinations of these declarations found (the risk app's recorded outcomes)."""
    outcomes = InspectionOutcome.objects.filter(declaration_id__in=declaration_ids)
    counts = outcomes.aggregate(
        outcomes=Count("pk"),
        discrepancies=Count("pk", filter=Q(result=InspectionOutcome.Result.DISCREPANCY)),
        seizures=Count("pk", filter=Q(seizure=True)),
    )
    return {name: value or 0 for name, value in counts.items()}


def compute(company: Company, until: date) -> dict[str, Any]:
    since = until - timedelta(days=365 * PROFILE_YEARS)
    declarations = declarations_of(company, since, until)
    ids = list(declarations.values_list("pk", flat=True))
    lanes = dict(declarations.values_list("lane").annotate(n=Count("pk")).order_by())
    inspected = sum(lanes.get(lane, 0) for lane in INSPECTED_LANES)
    hours = release_hours(ids)
    overrides = LifecycleEvent.objects.filter(declaration_id__in=ids, kind=LifecycleEvent.Kind.LANE_OVERRIDDEN)
    figures: dict[str, Any] = {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "declarations": len(ids),
        "lanes": {lane: lanes.get(lane, 0) for lane in Declaration.Lane.values},
        "inspected": inspected,
        "inspection_rate": round(inspected / len(ids), 3) if ids else None,
        "amended": declarations.filter(version__gt=1).count(),
        "lane_overrides": overrides.count(),
        "released": len(hours),
        "median_release_hours": round(statistics.median(hours), 1) if hours else None,
        "outcomes": outcome_figures(ids),
    }
    figures["flags"] = flags(figures)
    return figures


def flags(figures: dict[str, Any]) -> list[str]:
    """Plain-language pointers for the validation visit (codes, translated in the template)."""
    found = []
    if figures["declarations"] == 0:
        found.append("no_history")
    if figures["declarations"] and figures["amended"] / figures["declarations"] > 0.1:
        found.append("many_amendments")
    outcomes = figures.get("outcomes") or {}
    if outcomes.get("seizures"):
        found.append("seizures")
    if outcomes.get("outcomes") and outcomes.get("discrepancies", 0) / outcomes["outcomes"] > 0.2:
        found.append("high_discrepancy_rate")
    return found
