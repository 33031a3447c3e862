"""Home-page cards for risk officers, managers and examination officers."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core.dashboard import Card
from tradewinds.core.roles import Role

from .models import InspectionOutcome, LaneDecision, RiskRule

INSPECTED = ("red", "yellow", "blue")


def cards(user) -> list[Card]:
    if user.administration_id is None:
        return []
    own = {"administration_id": user.administration_id}
    if user.has_role(Role.EXAMINATION_OFFICER):
        awaiting = LaneDecision.objects.filter(current=True, lane__in=("red", "yellow"), **own).exclude(
            declaration__outcome__isnull=False
        )
        return [
            Card(
                _("Declarations awaiting an inspection outcome"),
                awaiting.count(),
                note=_("red and yellow lanes"),
                order=20,
            )
        ]
    if not user.has_role(Role.RISK_OFFICER, Role.MANAGER):
        return []
    month_start = timezone.localdate().replace(day=1)
    decided = LaneDecision.objects.filter(current=True, declaration__lodged_at__date__gte=month_start, **own)
    total = decided.count()
    inspected = decided.filter(lane__in=INSPECTED).count()
    outcomes = InspectionOutcome.objects.filter(recorded_at__date__gte=month_start, **own)
    recorded, hits = outcomes.count(), outcomes.filter(result=InspectionOutcome.Result.DISCREPANCY).count()
    performance_url = reverse("risk:performance")
    return [
        Card(
            _("Inspection rate this month"),
            f"{inspected / total:.1%}" if total else "—",
            note=_("%(n)s of %(total)s declarations") % {"n": inspected, "total": total},
            url=performance_url,
            order=20,
        ),
        Card(
            _("Hit rate this month"),
            f"{hits / recorded:.1%}" if recorded else "—",
            note=_("%(n)s discrepancies in %(total)s inspections") % {"n": hits, "total": recorded},
            url=performance_url,
            order=21,
        ),
        Card(
            _("Active risk rules"),
            RiskRule.objects.filter(status=RiskRule.Status.ACTIVE, **own).count(),
            url=reverse("risk:rule_list"),
            order=22,
        ),
    ]
