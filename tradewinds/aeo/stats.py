"""Programme figures for the dashboard and the home-page cards, per administration."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.declarations.models import Declaration

from .models import BUSINESS_TYPES, AeoApplication, AeoCertificate, AeoFinding
from .profile import INSPECTED_LANES, release_hours

DURATION_BUCKETS = [(0, 30), (31, 60), (61, 90), (91, 180), (181, None)]


def applications_by_stage(administration_id: int) -> list[dict[str, Any]]:
    counts = dict(
        AeoApplication.objects.filter(administration_id=administration_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [{"label": str(label), "value": counts.get(value, 0)} for value, label in AeoApplication.Status.choices]


def decision_times(administration_id: int) -> dict[str, Any]:
    decided = AeoApplication.objects.filter(
        administration_id=administration_id, submitted_at__isnull=False, decided_at__isnull=False
    ).values_list("submitted_at", "decided_at")
    days = [max(0, (decided_at - submitted_at).days) for submitted_at, decided_at in decided]
    series = []
    for low, high in DURATION_BUCKETS:
        label = (
            _("%(low)s–%(high)s days") % {"low": low, "high": high}
            if high
            else _("over %(low)s days") % {"low": low - 1}
        )
        series.append({"label": label, "value": sum(1 for d in days if d >= low and (high is None or d <= high))})
    return {"median_days": statistics.median(days) if days else None, "count": len(days), "series": series}


def certified_by_type(administration_id: int) -> list[dict[str, Any]]:
    rows = (
        AeoCertificate.objects.filter(administration_id=administration_id, status=AeoCertificate.Status.VALID)
        .values_list("programme_type__name", "application__business_type")
        .annotate(n=Count("pk"))
        .order_by("programme_type__name")
    )
    labels = dict(BUSINESS_TYPES.choices)
    return [{"label": f"{_(name)} · {labels.get(kind, kind)}", "value": n} for name, kind, n in rows]


def aeo_party_filter(administration_id: int) -> Q:
    """Declarations whose importer or declarant holds a valid status today."""
    valid = AeoCertificate.objects.filter(
        administration_id=administration_id, status=AeoCertificate.Status.VALID, valid_until__gte=timezone.localdate()
    )
    company_ids = list(valid.values_list("company_id", flat=True))
    tax_ids = list(valid.values_list("company__tax_id", flat=True))
    return (
        Q(importer_id__in=company_ids)
        | Q(declarant_id__in=company_ids)
        | Q(importer_code__in=tax_ids)
        | Q(declarant_code__in=tax_ids)
    )


def aeo_comparison(administration_id: int, days: int = 365) -> dict[str, Any]:
    """AEO versus non-AEO: share of declarations, inspection rate and median release time."""
    since = timezone.now() - timedelta(days=days)
    recent = Declaration.objects.filter(administration_id=administration_id, lodged_at__gte=since)
    party = aeo_party_filter(administration_id)
    groups = {"aeo": recent.filter(party), "other": recent.exclude(party)}
    result: dict[str, Any] = {"total": recent.count()}
    for name, queryset in groups.items():
        assessed = queryset.exclude(lane="")
        inspected = assessed.filter(lane__in=INSPECTED_LANES).count()
        assessed_count = assessed.count()
        hours = release_hours(queryset.values("pk"))
        result[name] = {
            "declarations": queryset.count(),
            "inspection_rate": round(100 * inspected / assessed_count, 1) if assessed_count else None,
            "median_release_hours": round(statistics.median(hours), 1) if hours else None,
        }
    total = result["total"]
    result["aeo_share"] = round(100 * result["aeo"]["declarations"] / total, 1) if total else None
    return result


def frequent_findings(administration_id: int, limit: int = 8) -> list[dict[str, Any]]:
    rows = (
        AeoFinding.objects.filter(administration_id=administration_id, criterion__isnull=False)
        .values_list("criterion__area__name", "kind")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    by_area: dict[str, dict[str, int]] = {}
    for area, kind, n in rows:
        by_area.setdefault(area, {"requirement": 0, "recommendation": 0})[kind] = n
    ranked = sorted(by_area.items(), key=lambda item: -sum(item[1].values()))[:limit]
    return [{"label": _(area), **counts} for area, counts in ranked]
