"""The risk panel of a declaration's detail page: lane, reasons, and the forms the reader's role may use.

The declarations app includes it (``declaration_panel(request, declaration)``) without knowing how
risk works; the panel renders the stored reasons in the reader's language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tradewinds.core.roles import Role
from tradewinds.declarations.models import Declaration

from .decisions import EXAMINERS, INSPECTED_LANES, OVERRIDERS, current_decision
from .forms import OutcomeForm, OverrideForm
from .messages import DECIDED_BY, render_reason
from .models import InspectionOutcome, RiskRuleVersion

READERS = (Role.RISK_OFFICER, Role.MANAGER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER)


def declaration_panel(request: HttpRequest, declaration: Declaration) -> dict[str, Any] | None:
    user = request.user
    if not user.has_role(*READERS):
        return None
    decision = current_decision(declaration)
    outcome = InspectionOutcome.objects.filter(declaration=declaration).select_related("examiner").first()
    own = declaration.administration_id == user.administration_id
    can_override = (
        bool(decision)
        and own
        and user.has_role(*OVERRIDERS)
        and declaration.status not in (Declaration.Status.INSPECTED, Declaration.Status.RELEASED)
    )
    can_record = (
        bool(decision) and own and outcome is None and user.has_role(*EXAMINERS) and decision.lane in INSPECTED_LANES
    )
    return {
        "template": "risk/panel.html",
        "context": {
            "declaration": declaration,
            "decision": decision,
            "outcome": outcome,
            "reasons": [render_reason(reason) for reason in decision.reasons] if decision else [],
            "decided_by": DECIDED_BY.get(decision.decided_by, decision.decided_by) if decision else "",
            "versions": _versions(decision),
            "override_form": OverrideForm(initial={"lane": decision.lane}) if can_override else None,
            "outcome_form": OutcomeForm() if can_record else None,
            "discrepancy_labels": _labels(outcome),
            "perms_rules": user.has_role(Role.RISK_OFFICER, Role.MANAGER),
        },
    }


def _versions(decision: Any) -> list[RiskRuleVersion]:
    if decision is None:
        return []
    return list(decision.rule_versions.select_related("rule").order_by("rule__name"))


def _labels(outcome: InspectionOutcome | None) -> list[str]:
    if outcome is None:
        return []
    names = dict(InspectionOutcome.DiscrepancyType.choices)
    return [str(names.get(kind, kind)) for kind in outcome.discrepancy_types]


def render_panel(request: HttpRequest, declaration: Declaration) -> SafeString:
    """The panel as HTML, for a page that prefers a string to merging the context itself."""
    panel = declaration_panel(request, declaration)
    if panel is None:
        return mark_safe("")
    return mark_safe(render_to_string(panel["template"], panel["context"], request=request))
