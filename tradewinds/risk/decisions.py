"""What officers do with a lane decision: override it (with a reason) and record what the inspection
found. Both are audited and leave lifecycle events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tradewinds.core import audit
from tradewinds.core.models import User
from tradewinds.core.roles import Role
from tradewinds.core.validation import full_clean
from tradewinds.declarations.models import Declaration, LifecycleEvent
from tradewinds.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error

from .models import InspectionOutcome, Lane, LaneDecision

OVERRIDERS = (Role.RISK_OFFICER, Role.MANAGER)
EXAMINERS = (Role.EXAMINATION_OFFICER,)
# Outcomes are recorded where customs looked: physical and documentary checks before release, and
# post-clearance audits of the blue lane.
INSPECTED_LANES = (Lane.RED, Lane.YELLOW, Lane.BLUE)


def current_decision(declaration: Declaration) -> LaneDecision | None:
    return declaration.lane_decisions.filter(current=True).order_by("-decided_at", "-id").first()


def _own_declaration(actor: User, declaration: Declaration | int) -> Declaration:
    pk = declaration.pk if isinstance(declaration, Declaration) else declaration
    found = Declaration.objects.owned_by(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such declaration."))
    return found


def override_lane(actor: User, declaration: Declaration | int, lane: str, reason: str) -> LaneDecision:
    """An officer sends a declaration to another lane; the reason is required and audited."""
    if not actor.has_role(*OVERRIDERS):
        raise Forbidden(_("Your role does not allow this."))
    declaration = _own_declaration(actor, declaration)
    errors = []
    if lane not in Lane.values:
        errors.append(field_error("lane", _("Choose a lane.")))
    if not (reason or "").strip():
        errors.append(field_error("reason", _("Give the reason for the override.")))
    if errors:
        raise InvalidInput(_("The override is not valid."), errors=errors)
    decision = current_decision(declaration)
    if decision is None:
        raise Conflict(_("The declaration has not been assessed yet."))
    if declaration.status in (Declaration.Status.INSPECTED, Declaration.Status.RELEASED):
        raise Conflict(_("The declaration is already inspected or released."))
    before = {"lane": decision.lane}
    now = timezone.now()
    with transaction.atomic():
        decision.lane, decision.overridden_by, decision.overridden_at = lane, actor, now
        decision.override_reason = reason.strip()
        decision.save(update_fields=["lane", "overridden_by", "overridden_at", "override_reason"])
        Declaration.objects.filter(pk=declaration.pk).update(lane=lane)
        LifecycleEvent.objects.create(
            administration_id=declaration.administration_id,
            declaration=declaration,
            kind=LifecycleEvent.Kind.LANE_OVERRIDDEN,
            at=now,
            actor=actor,
            note=f"{before['lane']} → {lane}",
        )
        audit.record(
            "risk.lane_overridden",
            actor=actor,
            obj=declaration,
            before=before,
            after={"lane": lane, "reason": decision.override_reason},
        )
    return decision


def record_outcome(actor: User, declaration: Declaration | int, data: Mapping[str, Any]) -> InspectionOutcome:
    """The examination officer records the result: the label the detection model learns from.

    ``data``: result, discrepancy_types (list), extra_duty, seizure, notes, started_at (optional)."""
    if not actor.has_role(*EXAMINERS):
        raise Forbidden(_("Your role does not allow this."))
    declaration = _own_declaration(actor, declaration)
    decision = current_decision(declaration)
    if decision is None or decision.lane not in INSPECTED_LANES:
        raise Conflict(_("Outcomes are recorded for declarations in the red, yellow or blue lane."))
    if InspectionOutcome.objects.filter(declaration=declaration).exists():
        raise Conflict(_("An outcome is already recorded for this declaration."))
    now = timezone.now()
    outcome = _outcome(declaration, decision, actor, data, now)
    with transaction.atomic():
        outcome.save()
        started = data.get("started_at") or now
        _events(declaration, actor, started, now)
        if declaration.status in (
            Declaration.Status.ASSESSED,
            Declaration.Status.UNDER_INSPECTION,
            Declaration.Status.LODGED,
        ):
            Declaration.objects.filter(pk=declaration.pk).update(status=Declaration.Status.INSPECTED)
        audit.record(
            "risk.outcome_recorded",
            actor=actor,
            obj=declaration,
            after={
                "result": outcome.result,
                "discrepancy_types": outcome.discrepancy_types,
                "extra_duty": str(outcome.extra_duty),
                "seizure": outcome.seizure,
                "lane": decision.lane,
            },
        )
    return outcome


def _outcome(
    declaration: Declaration, decision: LaneDecision, actor: User, data: Mapping[str, Any], now: dt.datetime
) -> InspectionOutcome:
    try:
        extra = Decimal(str(data.get("extra_duty") or 0))
    except InvalidOperation:
        raise InvalidInput(
            _("The outcome is not valid."), errors=[field_error("extra_duty", _("Enter an amount."))]
        ) from None
    outcome = InspectionOutcome(
        administration_id=declaration.administration_id,
        declaration=declaration,
        decision=decision,
        examiner=actor,
        result=data.get("result") or "",
        discrepancy_types=list(data.get("discrepancy_types") or []),
        extra_duty=extra,
        seizure=bool(data.get("seizure")),
        notes=(data.get("notes") or "").strip(),
        started_at=data.get("started_at") or now,
        recorded_at=now,
    )
    full_clean(outcome, exclude=["administration", "declaration", "decision", "examiner"])
    return outcome


def _events(declaration: Declaration, actor: User | None, started: dt.datetime, finished: dt.datetime) -> None:
    common = {"administration_id": declaration.administration_id, "declaration": declaration, "actor": actor}
    already_started = declaration.events.filter(kind=LifecycleEvent.Kind.INSPECTION_STARTED).exists()
    events = (
        [] if already_started else [LifecycleEvent(kind=LifecycleEvent.Kind.INSPECTION_STARTED, at=started, **common)]
    )
    events.append(LifecycleEvent(kind=LifecycleEvent.Kind.INSPECTION_FINISHED, at=finished, **common))
    LifecycleEvent.objects.bulk_create(events)


def record_history_outcomes(declaration_ids: Iterable[int], labels: Mapping[Any, Any], actor: User | None) -> int:
    """Outcomes from a history file's labels (e.g. the public dataset's fraud flag): every labelled
    declaration was inspected; a truthy label (or {"fraud": 1}) is a discrepancy of unknown kind."""
    ids = list(declaration_ids)
    declarations = Declaration.objects.filter(pk__in=ids).exclude(outcome__isnull=False)
    current = {d.declaration_id: d for d in LaneDecision.objects.filter(declaration_id__in=ids, current=True)}
    made = []
    for declaration in declarations.only("pk", "number", "administration_id", "lodged_at"):
        label = labels.get(declaration.pk, labels.get(declaration.number))
        if label is None:
            continue
        hit = bool(label.get("fraud") or label.get("hit")) if isinstance(label, Mapping) else bool(label)
        critical = hit and isinstance(label, Mapping) and bool(label.get("critical"))
        made.append(
            InspectionOutcome(
                administration_id=declaration.administration_id,
                declaration=declaration,
                decision=current.get(declaration.pk),
                examiner=None,
                result=InspectionOutcome.Result.DISCREPANCY if hit else InspectionOutcome.Result.NO_DISCREPANCY,
                discrepancy_types=["other"] if hit else [],
                critical=critical,
                historical=True,
                notes=_("Imported with the history file."),
                started_at=declaration.lodged_at,
                recorded_at=declaration.lodged_at,
            )
        )
    with transaction.atomic():
        InspectionOutcome.objects.bulk_create(made, batch_size=1000)
        Declaration.objects.filter(pk__in=[o.declaration_id for o in made]).update(status=Declaration.Status.INSPECTED)
        if made:
            audit.record(
                "risk.history_outcomes_imported",
                actor=actor,
                administration=made[0].administration_id,
                after={"outcomes": len(made), "discrepancies": sum(o.is_hit for o in made)},
            )
    return len(made)
