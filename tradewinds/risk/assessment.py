"""Risk assessment: rules + model slot + trusted-trader factor + random floor → a lane, with reasons.

One declaration (lodged through the API or a page) takes the engine's single path; an import takes
the batch path, which evaluates every rule over a Polars frame at once. The engine guarantees both
paths give the same hits and lanes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from tradewinds.core import audit
from tradewinds.core.fastinsert import insert_instances
from tradewinds.core.models import User
from tradewinds.declarations.models import Declaration, DeclarationItem, LifecycleEvent
from tradewinds.risk.engine.evaluate import RuleHit, evaluate_batch, evaluate_declaration
from tradewinds.risk.engine.lanes import LaneDecision as EngineDecision
from tradewinds.risk.engine.lanes import LaneInputs, allocate_lane
from tradewinds.risk.engine.scoring import ModelScore

from . import frames, scoring
from .context import Assessor, assessor_for
from .models import LaneDecision

TraderFactor = Callable[[Declaration], tuple[float, "str | None"]]
_BULK = 1000
ASSESSABLE = (Declaration.Status.LODGED, Declaration.Status.ASSESSED)
# Assessed, unless an inspection already moved the declaration further.
_STATUS_ASSESSED = Case(When(status__in=ASSESSABLE, then=Value(Declaration.Status.ASSESSED)), default=F("status"))


def assess_declaration(
    declaration: Declaration,
    actor: User | None = None,
    *,
    items: Sequence[DeclarationItem] | None = None,
    first: bool = False,
) -> LaneDecision:
    """Assess a declaration already written (an amendment, a reassessment): store the decision, set
    its lane, log the events, audit. ``items`` as just written spares reading them back; ``first``
    says no decision exists yet. A new declaration is judged before it is written instead
    (:func:`assess_before_writing`)."""
    judged = _judge(declaration, items)
    with transaction.atomic(savepoint=False):  # inside the lodging transaction: all or nothing
        if not first:
            LaneDecision.objects.filter(declaration=declaration, current=True).update(current=False)
        decision = _store_decision(declaration, judged, actor)
        _mark_assessed(
            [declaration.pk], decision.lane, decision.decided_at, actor, {declaration.pk: declaration.administration_id}
        )
        declaration.lane = decision.lane
        if declaration.status in ASSESSABLE:
            declaration.status = Declaration.Status.ASSESSED  # as _mark_assessed wrote it
    return decision


def assess_before_writing(
    declaration: Declaration, items: Sequence[DeclarationItem], actor: User | None = None
) -> Callable[[Declaration], list[LifecycleEvent]]:
    """Assess a new declaration before it is written: its lane and status are set on the instance,
    so its row goes in once. The function returned, called once the declaration has its id, stores
    the decision and audits it, and gives the two lifecycle events (unsaved) for the caller to write."""
    judged = _judge(declaration, items)
    declaration.lane, declaration.status = judged.outcome.lane.value, Declaration.Status.ASSESSED

    def write(saved: Declaration) -> list[LifecycleEvent]:
        decision = _store_decision(saved, judged, actor)
        return _assessed_events(saved.pk, saved.administration_id, decision.lane, decision.decided_at, actor)

    return write


@dataclass(frozen=True)
class _Judgement:
    assessor: Assessor
    hits: tuple[RuleHit, ...]
    model: ModelScore | None
    trader_note: str | None
    outcome: EngineDecision


def _judge(declaration: Declaration, items: Sequence[DeclarationItem] | None) -> _Judgement:
    """Rules, model, trusted-trader factor and random draw for one declaration: reads, no writes."""
    assessor = assessor_for(declaration.administration)
    rows = frames.items_for(declaration, assessor.time_zone, items)
    hits = tuple(evaluate_declaration(rows, assessor.rules, assessor.context))
    model = scoring.model_score(declaration.administration_id, rows)
    factor, note = trader_factor(declaration)
    outcome = allocate_lane(LaneInputs(declaration.number, hits, model, factor), assessor.engine_settings, assessor.key)
    return _Judgement(assessor, hits, model, note, outcome)


def _store_decision(declaration: Declaration, judged: _Judgement, actor: User | None) -> LaneDecision:
    """The decision with the rule versions that fired, and its audit entry (the declaration saved)."""
    assessor = judged.assessor
    decision = _decision(
        declaration, judged.outcome, judged.model, judged.trader_note, assessor.key.key_id, timezone.now()
    )
    insert_instances(LaneDecision, [decision], fetch_ids=True)
    through = LaneDecision.rule_versions.through
    insert_instances(  # a new decision: no links to compare with, as set() would
        through,
        [
            through(lanedecision_id=decision.pk, riskruleversion_id=version_id)
            for version_id in dict.fromkeys(_version_ids(assessor, judged.hits))
        ],
    )
    audit.record(
        "risk.lane_decided",
        actor=actor,
        obj=declaration,
        after={
            "lane": decision.lane,
            "decided_by": decision.decided_by,
            "score": decision.score,
            "rules": [f"{hit.rule_id}v{hit.rule_version}" for hit in judged.hits],
            "draw": decision.random_draw,
            "key_id": decision.draw_key_id,
        },
    )
    return decision


def assess_batch(declaration_ids: Iterable[int], actor: User | None = None) -> Counter[str]:
    """Assess many declarations (an import) with the vectorised engine; returns the count per lane."""
    ids = sorted(set(declaration_ids))
    by_administration: dict[int, list[int]] = {}
    for pk, administration_id in Declaration.objects.filter(pk__in=ids).values_list("pk", "administration_id"):
        by_administration.setdefault(administration_id, []).append(pk)
    lanes: Counter[str] = Counter()
    for administration_ids in by_administration.values():
        lanes += _assess_administration_batch(sorted(administration_ids), actor)
    return lanes


def _assess_administration_batch(ids: list[int], actor: User | None) -> Counter[str]:
    declarations = {d.number: d for d in Declaration.objects.filter(pk__in=ids).select_related("administration")}
    administration = next(iter(declarations.values())).administration
    assessor = assessor_for(administration)
    frame = frames.declaration_frame(ids, time_zone=assessor.time_zone)
    result = evaluate_batch(frame, assessor.rules, assessor.context)
    factor_of = trader_factor_function(administration.pk)
    items_by_number = _items_by_number(frame) if scoring.registered() else {}
    now = timezone.now()
    decisions, hits_per_decision = [], []
    for index, number in enumerate(result.declaration_numbers.to_list()):
        declaration, hits = declarations[number], result.hits(index)
        model = scoring.model_score(administration.pk, items_by_number[number]) if items_by_number else None
        factor, note = factor_of(declaration)
        outcome = allocate_lane(LaneInputs(number, tuple(hits), model, factor), assessor.engine_settings, assessor.key)
        decisions.append(_decision(declaration, outcome, model, note, assessor.key.key_id, now))
        hits_per_decision.append(_version_ids(assessor, hits))
    with transaction.atomic():
        _store_batch(decisions, hits_per_decision, ids, actor)
        lanes = Counter(decision.lane for decision in decisions)
        audit.record(
            "risk.batch_assessed",
            actor=actor,
            administration=administration,
            object_type="declarations.declaration",
            object_id=f"{ids[0]}..{ids[-1]}",
            after={
                "declarations": len(decisions),
                "lanes": dict(lanes),
                "rules": [f"{rule.id}v{rule.version}" for rule in assessor.rules],
            },
        )
    return lanes


def _store_batch(decisions: list[LaneDecision], versions: list[list[int]], ids: list[int], actor: User | None) -> None:
    for start in range(0, len(ids), _BULK):
        LaneDecision.objects.filter(declaration_id__in=ids[start : start + _BULK], current=True).update(current=False)
    insert_instances(LaneDecision, decisions, fetch_ids=True)
    through = LaneDecision.rule_versions.through
    links = [
        through(lanedecision_id=decision.pk, riskruleversion_id=version_id)
        for decision, version_ids in zip(decisions, versions, strict=True)
        for version_id in version_ids
    ]
    insert_instances(through, links)
    by_lane: dict[str, list[int]] = {}
    for decision in decisions:
        by_lane.setdefault(decision.lane, []).append(decision.declaration_id)
    for lane, lane_ids in by_lane.items():
        for start in range(0, len(lane_ids), _BULK):
            _mark_assessed(lane_ids[start : start + _BULK], lane, decisions[0].decided_at, actor)


def _mark_assessed(
    ids: Sequence[int], lane: str, at: dt.datetime, actor: User | None, administration_of: dict[int, int] | None = None
) -> None:
    """Lane on the declarations, status moved on unless an inspection already moved it further,
    and the two lifecycle events the time-release measure reads."""
    Declaration.objects.filter(pk__in=ids).update(lane=lane, status=_STATUS_ASSESSED)
    if administration_of is None:
        administration_of = dict(Declaration.objects.filter(pk__in=ids).values_list("pk", "administration_id"))
    events = [event for pk in ids for event in _assessed_events(pk, administration_of[pk], lane, at, actor)]
    insert_instances(LifecycleEvent, events)


def _assessed_events(
    declaration_id: int, administration_id: int, lane: str, at: dt.datetime, actor: User | None
) -> list[LifecycleEvent]:
    """The two lifecycle events of an assessment (unsaved)."""
    common = {
        "administration_id": administration_id,
        "declaration_id": declaration_id,
        "at": at,
        "actor": actor if actor is not None and actor.pk else None,
    }
    return [
        LifecycleEvent(kind=LifecycleEvent.Kind.RISK_ASSESSED, **common),
        LifecycleEvent(kind=LifecycleEvent.Kind.LANE_ASSIGNED, note=lane, **common),
    ]


def _decision(
    declaration: Declaration,
    outcome: EngineDecision,
    model: ModelScore | None,
    note: str | None,
    key_id: str,
    at: dt.datetime,
) -> LaneDecision:
    reasons = [reason.as_dict() for reason in outcome.reasons]
    if note:
        for reason in reasons:
            if reason["code"] == "risk.trusted_trader":
                reason["params"]["note"] = note
    return LaneDecision(
        administration_id=declaration.administration_id,
        declaration=declaration,
        lane=outcome.lane.value,
        assessed_lane=outcome.lane.value,
        decided_by=outcome.decided_by,
        score=outcome.score,
        rule_points=outcome.rule_points,
        reasons=reasons,
        random_draw=outcome.draw,
        random_selected=outcome.random_selected,
        draw_key_id=key_id,
        model_probability=outcome.model_probability,
        model_source=f"{model.source} {model.version}".strip() if model else "",
        trader_factor=outcome.trader_factor,
        trader_note=(note or "")[:300],
        decided_at=at,
    )


def _version_ids(assessor: Assessor, hits: Sequence[RuleHit]) -> list[int]:
    return [assessor.versions[(hit.rule_id, hit.rule_version)] for hit in hits]


def _items_by_number(frame: Any) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in frame.to_dicts():
        grouped.setdefault(row["declaration_number"], []).append(row)
    return grouped


def trader_factor_function(administration_id: int) -> TraderFactor:
    """The AEO programme's trusted-trader factor when that app provides its hook, else 1.0 for all.
    The batch index answers many declarations with a handful of queries."""
    try:
        from tradewinds.aeo import risk_hook
    except ImportError:
        return lambda declaration: (1.0, None)
    index_builder = getattr(risk_hook, "trusted_trader_index", None)
    if index_builder is not None:
        return index_builder(administration_id).factor
    return risk_hook.trusted_trader_factor


def trader_factor(declaration: Declaration) -> tuple[float, str | None]:
    """One declaration's trusted-trader factor: the hook's targeted lookup of its own parties."""
    try:
        from tradewinds.aeo import risk_hook
    except ImportError:
        return 1.0, None
    return risk_hook.trusted_trader_factor(declaration)
