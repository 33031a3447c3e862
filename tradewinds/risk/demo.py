"""Demo risk management: settings, named lists and a dozen rules per administration aimed at the
patterns the declarations demo plants, every demo declaration assessed, and outcomes for most of
the older inspections, so hit rates per rule and the random-selection estimate mean something."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import DateTimeField, ExpressionWrapper, OuterRef, Subquery
from django.utils import timezone

from tradewinds.core.demo import DemoContext
from tradewinds.core.models import Administration, User
from tradewinds.declarations.models import Declaration, DeclarationItem, LifecycleEvent

from . import services
from .context import clear_caches, settings_for
from .models import InspectionOutcome, LaneDecision, NamedList, NamedListEntry

HIGH_RISK_ORIGINS = ["PA", "CO", "VE", "HK", "AE"]
SENSITIVE_HS = ["2933", "2939", "3003", "9303", "9304", "2402"]
_UNDERVALUED = ["8517", "8471", "8528"]


def _c(field: str, operator: str, value: Any = None) -> dict[str, Any]:
    node: dict[str, Any] = {"field": field, "operator": operator}
    if value is not None:
        node["value"] = value
    return node


def _below_median(factor: float) -> dict[str, Any]:
    return _c(
        "unit_value",
        "compare_reference",
        {"reference": "hs6_median_unit_value", "key_field": "hs_code", "comparison": "less_than", "factor": factor},
    )


# (name, rationale, weight, mandatory lane, status, logic, criteria)
RULES: list[tuple[str, str, int, str | None, str, str, list[dict[str, Any]]]] = [
    (
        "Firearms and ammunition (HS 9301–9306)",
        "Weapons are prohibited or licensed: every consignment is examined.",
        50,
        "red",
        "active",
        "and",
        [_c("hs_code", "hs_prefix", ["9301", "9302", "9303", "9304", "9305", "9306"])],
    ),
    (
        "Cigarettes from the Colón free zone",
        "Free-zone cigarettes are often under-declared or diverted.",
        60,
        None,
        "active",
        "and",
        [_c("hs_code", "hs_prefix", ["2402"]), _c("departure_country", "equals", "PA")],
    ),
    (
        "Tobacco and spirits from high-risk origins",
        "Excise goods from origins with a smuggling record.",
        35,
        None,
        "active",
        "and",
        [
            _c("hs_code", "hs_prefix", ["2402", "2403", "2208"]),
            _c("origin_country", "in_list", {"list": "high-risk-origins"}),
        ],
    ),
    (
        "Electronics below half the HS median value",
        "Under-valuation of phones, computers and televisions.",
        55,
        None,
        "active",
        "and",
        [_c("hs_code", "hs_prefix", _UNDERVALUED), _below_median(0.5)],
    ),
    (
        "Watch-listed traders",
        "Traders with recent discrepancies or intelligence reports.",
        40,
        None,
        "active",
        "and",
        [_c("importer_id", "in_list", {"list": "watched-traders"})],
    ),
    (
        "First-time importers",
        "No compliance record yet.",
        20,
        None,
        "active",
        "and",
        [_c("importer_id", "in_list", {"list": "new-importers"})],
    ),
    (
        "Parcels without an HS code",
        "Postal items with no classification hide restricted goods.",
        30,
        None,
        "active",
        "and",
        [_c("transport_mode", "equals", "post"), _c("hs_code", "is_empty")],
    ),
    (
        "Medicines by post",
        "Unlicensed medicines sent to private receivers.",
        30,
        "yellow",
        "active",
        "and",
        [_c("transport_mode", "equals", "post"), _c("hs_code", "hs_prefix", ["3004"])],
    ),
    (
        "Sensitive HS codes",
        "Precursors, controlled medicines and weapon parts kept on a list.",
        25,
        None,
        "active",
        "and",
        [_c("hs_code", "hs_prefix", {"list": "sensitive-hs"})],
    ),
    (
        "Vehicles far below the HS median",
        "Used cars declared at a fraction of their value.",
        45,
        None,
        "active",
        "and",
        [_c("hs_code", "hs_prefix", ["8703", "8704"]), _below_median(0.4)],
    ),
    (
        "Alcohol declared duty-free",
        "Beer and spirits carry duty: a zero rate suggests misclassification.",
        30,
        None,
        "active",
        "and",
        [_c("hs_code", "hs_prefix", ["2203", "2208"]), _c("duty_rate", "equals", 0)],
    ),
    (
        "High-value consignments by air",
        "Valuable air cargo is checked on documents.",
        15,
        "blue",
        "active",
        "and",
        [_c("transport_mode", "equals", "air"), _c("customs_value", "greater_than", 200000)],
    ),
    (
        "Solar panels from one origin (trial)",
        "Draft: checking whether cheap panels are mis-declared.",
        20,
        None,
        "draft",
        "and",
        [_c("hs_code", "hs_prefix", ["854143"]), _c("origin_country", "equals", "CN")],
    ),
    (
        "All Japanese cars (old rule)",
        "Retired: too broad, hit rate under 2 %.",
        20,
        None,
        "retired",
        "and",
        [_c("hs_code", "hs_prefix", ["8703"]), _c("origin_country", "equals", "JP")],
    ),
]


def load(context: DemoContext) -> None:
    for code, administration in context.administrations.items():
        if administration.is_regional:
            continue
        risk, examiner = context.users[f"{code}.risk"], context.users[f"{code}.examiner"]
        rng = random.Random(f"risk-demo-{code}")
        _settings(administration)
        _lists(administration, risk, context)
        clear_caches()
        for name, rationale, weight, lane, status, logic, criteria in RULES:
            rule = services.create_rule(
                risk,
                {
                    "name": name,
                    "rationale": rationale,
                    "weight": weight,
                    "lane": lane,
                    "condition": {"group": logic, "children": criteria},
                },
            )
            if status == "active":
                services.activate_rule(risk, rule.pk)
            elif status == "retired":
                services.retire_rule(risk, rule.pk)
        ids = list(Declaration.objects.filter(administration=administration).values_list("pk", flat=True))
        services.assess_batch(ids, risk)
        _backdate(administration)
        _outcomes(administration, examiner, rng, context)


def _settings(administration: Administration) -> None:
    settings = settings_for(administration)
    settings.expected_red, settings.expected_yellow, settings.expected_blue = 0.08, 0.12, 0.05
    settings.random_red, settings.random_yellow, settings.random_blue = 0.02, 0.03, 0.02
    settings.threshold_red, settings.threshold_yellow, settings.threshold_blue = 90, 50, 30
    settings.save()


def _lists(administration: Administration, risk: User, context: DemoContext) -> None:
    companies = context.companies[administration.code]
    importers = Counter(
        Declaration.objects.filter(administration=administration).values_list("importer_code", flat=True)
    )
    first_timers = sorted(code for code, count in importers.items() if code and count == 1)[:40]
    spec = [
        ("high-risk-origins", "High-risk origins", NamedList.Kind.COUNTRIES, HIGH_RISK_ORIGINS),
        ("watched-traders", "Watch-listed traders", NamedList.Kind.TRADERS, [companies[7].tax_id, companies[3].tax_id]),
        ("new-importers", "First-time importers", NamedList.Kind.TRADERS, first_timers),
        ("sensitive-hs", "Sensitive HS codes", NamedList.Kind.HS_CODES, SENSITIVE_HS),
    ]
    for name, title, kind, values in spec:
        named = NamedList.objects.create(
            administration=administration, name=name, title=title, kind=kind, description=title
        )
        NamedListEntry.objects.bulk_create(
            [
                NamedListEntry(administration=administration, named_list=named, value=value, added_by=risk)
                for value in values
            ]
        )


def _backdate(administration: Administration) -> None:
    """Demo declarations were lodged over months: date their decisions and events at lodgement."""
    lodged = Declaration.objects.filter(pk=OuterRef("declaration_id")).values("lodged_at")[:1]
    LaneDecision.objects.filter(administration=administration).update(decided_at=Subquery(lodged))
    later = ExpressionWrapper(Subquery(lodged) + dt.timedelta(minutes=2), output_field=DateTimeField())
    LifecycleEvent.objects.filter(
        administration=administration,
        kind__in=[LifecycleEvent.Kind.RISK_ASSESSED, LifecycleEvent.Kind.LANE_ASSIGNED],
    ).update(at=later)


def _outcomes(administration: Administration, examiner: User, rng: random.Random, context: DemoContext) -> None:
    cutoff = timezone.now() - dt.timedelta(days=7)
    decisions = list(
        LaneDecision.objects.filter(
            administration=administration,
            current=True,
            lane__in=["red", "yellow", "blue"],
            declaration__lodged_at__lt=cutoff,
        ).select_related("declaration")
    )
    truth = _planted(administration, context)
    outcomes, events = [], []
    for decision in decisions:
        if rng.random() > 0.85:
            continue  # some inspections are still open
        declaration = decision.declaration
        kinds = _found(truth.get(declaration.pk, ()), rng)
        at = declaration.lodged_at + dt.timedelta(hours=rng.randint(4, 60))
        outcomes.append(
            InspectionOutcome(
                administration=administration,
                declaration=declaration,
                decision=decision,
                examiner=examiner,
                result="discrepancy" if kinds else "no_discrepancy",
                discrepancy_types=kinds,
                extra_duty=Decimal(rng.randint(200, 9000))
                if set(kinds) & {"undervaluation", "misclassification"}
                else Decimal(0),
                seizure="weapons" in kinds or "prohibited" in kinds,
                critical=bool(set(kinds) & {"weapons", "prohibited"}),
                started_at=at - dt.timedelta(hours=2),
                recorded_at=at,
            )
        )
        for kind, when in (
            (LifecycleEvent.Kind.INSPECTION_STARTED, at - dt.timedelta(hours=2)),
            (LifecycleEvent.Kind.INSPECTION_FINISHED, at),
        ):
            events.append(
                LifecycleEvent(
                    administration=administration, declaration=declaration, kind=kind, at=when, actor=examiner
                )
            )
    InspectionOutcome.objects.bulk_create(outcomes, batch_size=1000)
    LifecycleEvent.objects.bulk_create(events, batch_size=1000)
    Declaration.objects.filter(pk__in=[o.declaration_id for o in outcomes], status__in=["lodged", "assessed"]).update(
        status=Declaration.Status.INSPECTED
    )


def _planted(administration: Administration, context: DemoContext) -> dict[int, tuple[str, ...]]:
    """Per declaration, the discrepancy an examiner would find with good odds (the planted patterns)."""
    undervaluer = context.companies[administration.code][7].tax_id
    truth: dict[int, tuple[str, ...]] = {}
    items = DeclarationItem.objects.filter(administration=administration).values_list(
        "declaration_id",
        "hs_code",
        "declaration__importer_code",
        "declaration__departure_country",
        "declaration__transport_mode",
    )
    for declaration_id, hs, importer, departure, mode in items:
        hs = hs or ""
        if importer == undervaluer and hs[:6] in {"851713", "847130", "852872"}:
            truth[declaration_id] = ("undervaluation", "0.75")
        elif hs.startswith("2402") and departure == "PA":
            truth[declaration_id] = ("undervaluation", "0.5")
        elif hs.startswith("93"):
            truth[declaration_id] = ("weapons", "0.7")
        elif mode == "post" and (hs.startswith("3004") or not hs):
            truth.setdefault(declaration_id, ("prohibited", "0.3"))
    return truth


def _found(planted: tuple[str, ...], rng: random.Random) -> list[str]:
    if planted and rng.random() < float(planted[1]):
        return [planted[0]]
    if rng.random() < 0.05:  # background non-compliance anywhere in the flow
        return [rng.choice(["misclassification", "quantity", "origin", "undervaluation", "other"])]
    return []
