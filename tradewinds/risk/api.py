"""Risk API: rules (list, create, update, activate, retire, backtest), named lists, a declaration's lane
decision, override, inspection outcome, performance figures."""

import datetime as dt
from dataclasses import asdict
from typing import Any, Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tradewinds.core.permissions import require_role
from tradewinds.core.roles import Role
from tradewinds.declarations.models import Declaration
from tradewinds.errors import NotFound

from . import performance, services
from .decisions import current_decision
from .messages import render_reason
from .models import InspectionOutcome, NamedList, RiskRule

PREFIX = "/v1/risk"
router = Router(tags=["risk"])

READERS = (Role.RISK_OFFICER, Role.MANAGER)
DECISION_READERS = (Role.RISK_OFFICER, Role.MANAGER, Role.EXAMINATION_OFFICER, Role.CLEARANCE_OFFICER)


class RuleIn(Schema):
    name: str = Field(..., max_length=200)
    rationale: str
    weight: int = 0
    lane: Literal["red", "yellow", "blue"] | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    condition: dict[str, Any] = Field(..., description="The condition tree in the engine's format (docs/risk-rules.md)")
    owner_id: int | None = None


class RuleOut(Schema):
    id: int
    name: str
    rationale: str
    status: str
    owner: str | None = Field(None, alias="owner.username")
    version: int | None = Field(None, alias="current_version.number")
    definition: dict[str, Any] | None = Field(None, alias="current_version.definition")


class PeriodIn(Schema):
    start: dt.date
    end: dt.date


class ListIn(Schema):
    name: str
    title: str
    kind: Literal["traders", "countries", "hs_codes", "other"]
    description: str = ""


class ListOut(Schema):
    id: int
    name: str
    title: str
    kind: str
    description: str
    values: list[str]

    @staticmethod
    def resolve_values(obj: NamedList) -> list[str]:
        return list(obj.entries.order_by("value").values_list("value", flat=True))


class EntryIn(Schema):
    value: str
    note: str = ""


class OverrideIn(Schema):
    lane: Literal["red", "yellow", "blue", "green"]
    reason: str = ""


class OutcomeIn(Schema):
    result: Literal["no_discrepancy", "discrepancy"]
    discrepancy_types: list[str] = []
    extra_duty: float = 0
    seizure: bool = False
    notes: str = ""


def _rule(request, riskrule_id: int) -> RiskRule:
    rule = RiskRule.objects.for_user(request.auth).select_related("current_version", "owner")
    found = rule.filter(pk=riskrule_id).first()
    if found is None:
        raise NotFound("No such rule.")
    return found


def _reload(rule: RiskRule) -> RiskRule:
    return RiskRule.objects.select_related("current_version", "owner").get(pk=rule.pk)


@router.get("rules", response=list[RuleOut], summary="Risk rules of your administration")
@paginate(PageNumberPagination)
def list_rules(request, status: str = ""):
    require_role(request, *READERS)
    rules = RiskRule.objects.for_user(request.auth).select_related("current_version", "owner").order_by("name")
    return rules.filter(status=status) if status else rules


@router.post("rules", response={201: RuleOut}, summary="Write a rule (saved as a draft, version 1)")
def create_rule(request, payload: RuleIn):
    return Status(201, _reload(services.create_rule(request.auth, payload.dict())))


@router.get("rules/{riskrule_id}", response=RuleOut)
def get_rule(request, riskrule_id: int):
    require_role(request, *READERS)
    return _rule(request, riskrule_id)


@router.put("rules/{riskrule_id}", response=RuleOut, summary="Change a rule: saves a new version")
def update_rule(request, riskrule_id: int, payload: RuleIn):
    return _reload(services.update_rule(request.auth, riskrule_id, payload.dict()))


@router.post("rules/{riskrule_id}/activate", response=RuleOut)
def activate_rule(request, riskrule_id: int):
    return _reload(services.activate_rule(request.auth, riskrule_id))


@router.post("rules/{riskrule_id}/retire", response=RuleOut)
def retire_rule(request, riskrule_id: int):
    return _reload(services.retire_rule(request.auth, riskrule_id))


@router.post("rules/{riskrule_id}/backtest", summary="What the rule's current version would have hit in a period")
def backtest_rule(request, riskrule_id: int, payload: PeriodIn):
    require_role(request, *READERS)
    rule = _rule(request, riskrule_id)
    if rule.administration_id != request.auth.administration_id or rule.current_version is None:
        raise NotFound("No such rule.")
    definition = rule.current_version.definition
    data = {**definition, "rationale": rule.rationale}
    return asdict(services.backtest(request.auth, data, payload.start, payload.end))


@router.get("lists", response=list[ListOut], summary="Named lists")
def list_lists(request):
    require_role(request, *READERS)
    return NamedList.objects.for_user(request.auth).prefetch_related("entries").order_by("name")


@router.post("lists", response={201: ListOut})
def create_list(request, payload: ListIn):
    return Status(201, services.create_list(request.auth, payload.dict()))


@router.get("lists/{namedlist_id}", response=ListOut)
def get_list(request, namedlist_id: int):
    require_role(request, *READERS)
    found = NamedList.objects.for_user(request.auth).filter(pk=namedlist_id).first()
    if found is None:
        raise NotFound("No such list.")
    return found


@router.post("lists/{namedlist_id}/entries", response={201: ListOut})
def add_entry(request, namedlist_id: int, payload: EntryIn):
    entry = services.add_list_entry(request.auth, namedlist_id, payload.value, payload.note)
    return Status(201, entry.named_list)


@router.delete("lists/{namedlist_id}/entries/{namedlistentry_id}", response={204: None})
def remove_entry(request, namedlist_id: int, namedlistentry_id: int):
    services.remove_list_entry(request.auth, namedlist_id, namedlistentry_id)
    return Status(204, None)


def _declaration(request, declaration_id: int) -> Declaration:
    found = Declaration.objects.for_user(request.auth).filter(pk=declaration_id).first()
    if found is None:
        raise NotFound("No such declaration.")
    return found


def decision_json(declaration: Declaration) -> dict[str, Any]:
    decision = current_decision(declaration)
    if decision is None:
        raise NotFound("The declaration has not been assessed yet.")
    versions = decision.rule_versions.select_related("rule").order_by("rule__name")
    return {
        "declaration": declaration.number,
        "lane": decision.lane,
        "assessed_lane": decision.assessed_lane,
        "decided_by": decision.decided_by,
        "score": decision.score,
        "rule_points": decision.rule_points,
        "random_draw": decision.random_draw,
        "random_selected": decision.random_selected,
        "draw_key_id": decision.draw_key_id,
        "trader_factor": decision.trader_factor,
        "model_probability": decision.model_probability,
        "decided_at": decision.decided_at,
        "rules": [
            {"rule_id": v.rule_id, "name": v.rule.name, "version": v.number, "weight": v.weight, "lane": v.lane or None}
            for v in versions
        ],
        "reasons": [{**reason, "text": render_reason(reason)} for reason in decision.reasons],
        "override": {
            "by": decision.overridden_by.username if decision.overridden_by else None,
            "reason": decision.override_reason,
            "at": decision.overridden_at,
        }
        if decision.is_overridden
        else None,
    }


@router.get("declarations/{declaration_id}/decision", summary="The lane of a declaration and why")
def get_decision(request, declaration_id: int):
    require_role(request, *DECISION_READERS)
    return decision_json(_declaration(request, declaration_id))


@router.post("declarations/{declaration_id}/override", summary="Change the lane, with a reason (audited)")
def override(request, declaration_id: int, payload: OverrideIn):
    services.override_lane(request.auth, declaration_id, payload.lane, payload.reason)
    return decision_json(_declaration(request, declaration_id))


@router.post("declarations/{declaration_id}/outcome", response={201: dict}, summary="Record an inspection outcome")
def record_outcome(request, declaration_id: int, payload: OutcomeIn):
    outcome: InspectionOutcome = services.record_outcome(request.auth, declaration_id, payload.dict())
    return Status(
        201,
        {
            "declaration": outcome.declaration.number,
            "result": outcome.result,
            "discrepancy_types": outcome.discrepancy_types,
            "extra_duty": float(outcome.extra_duty),
            "seizure": outcome.seizure,
            "recorded_at": outcome.recorded_at,
        },
    )


@router.get("performance", summary="Hit rates per rule and lane, over time, and the random-selection estimate")
def get_performance(request, start: dt.date | None = None, end: dt.date | None = None):
    require_role(request, *READERS)
    period = performance.last_year()
    period = performance.Period(start or period.start, end or period.end)
    return performance.figures(request.auth.administration, period)
