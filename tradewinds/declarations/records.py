"""Model rows from a validated payload. Shared by the one-at-a-time service and the bulk file
import, so a declaration looks the same whichever way it arrived."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from tradewinds.core.fastinsert import insert_instances
from tradewinds.core.models import Administration, Company, User
from tradewinds.core.statements import Lookup

from .models import Declaration, DeclarationItem, DeclarationVersion, LifecycleEvent
from .validation import HEADER_TEXT

# Header fields copied as they are from the payload to the model.
COPIED_FIELDS = (
    *HEADER_TEXT,
    "kind",
    "declaration_type",
    "transport_mode",
    "port_of_loading",
    "port_of_discharge",
    "departure_country",
    "containers",
)
DECIMAL_ITEM_FIELDS = ("quantity", "net_mass_kg", "gross_mass_kg", "customs_value", "duty_rate", "duty_amount")


# One declaration's importer and declarant, on every lodging: SQL built once.
_two_companies = Lookup(
    lambda administration_id, first, second: (
        Company.objects.filter(administration_id=administration_id)
        .filter(Q(tax_id=first) | Q(tax_id=second))
        .order_by()
        .values_list("tax_id", "pk")
    ),
    int,
    str,
    str,
)


def company_ids(administration: Administration | int, codes: Iterable[str]) -> dict[str, int]:
    """Registered companies of the administration by tax ID, for the codes given."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    administration_id = administration if isinstance(administration, int) else administration.pk
    if len(wanted) <= 2:
        return dict(_two_companies.all(administration_id, wanted[0], wanted[-1]))
    rows = Company.objects.filter(administration_id=administration_id, tax_id__in=wanted).values_list("tax_id", "pk")
    return dict(rows)


def apply_header(
    declaration: Declaration, payload: dict[str, Any], companies: dict[str, int], currency: str
) -> Declaration:
    """Copy the payload's header onto the declaration (new or amended); times only when given."""
    for field in COPIED_FIELDS:
        setattr(declaration, field, payload[field])
    declaration.currency = payload["currency"] or currency
    if payload["lodged_at"]:
        declaration.lodged_at = datetime.fromisoformat(payload["lodged_at"])
    declaration.arrival_at = datetime.fromisoformat(payload["arrival_at"]) if payload["arrival_at"] else None
    declaration.importer_id = companies.get(payload["importer_code"])
    declaration.declarant_id = companies.get(payload["declarant_code"])
    return declaration


def new_declaration(
    administration: Administration, payload: dict[str, Any], companies: dict[str, int], *, now: datetime, source: str
) -> Declaration:
    declaration = Declaration(administration=administration, lodged_at=now, source=source[:10])
    return apply_header(declaration, payload, companies, administration.currency)


def item_rows(declaration: Declaration, payload: dict[str, Any]) -> list[DeclarationItem]:
    rows = []
    for line, item in enumerate(payload["items"], start=1):
        numbers = {field: Decimal(item[field]) if item[field] is not None else None for field in DECIMAL_ITEM_FIELDS}
        rows.append(
            DeclarationItem(
                administration_id=declaration.administration_id,
                declaration=declaration,
                line_number=line,
                hs_code=item["hs_code"],
                description=item["description"],
                origin_country=item["origin_country"],
                quantity_unit=item["quantity_unit"],
                tax_type=item["tax_type"],
                origin_indicator=item["origin_indicator"],
                **numbers,
            )
        )
    return rows


def version_row(declaration: Declaration, payload: dict[str, Any], actor: User | None) -> DeclarationVersion:
    return DeclarationVersion(
        administration_id=declaration.administration_id,
        declaration=declaration,
        version=declaration.version,
        payload=payload,
        created_by=actor if actor is not None and actor.pk else None,
    )


def event_row(
    declaration: Declaration, kind: str, at: datetime, actor: User | None = None, note: str = ""
) -> LifecycleEvent:
    return LifecycleEvent(
        administration_id=declaration.administration_id,
        declaration=declaration,
        kind=kind,
        at=at,
        actor=actor if actor is not None and actor.pk else None,
        note=note[:300],
    )


def arrival_and_lodged(declaration: Declaration, actor: User | None) -> list[LifecycleEvent]:
    events = []
    if declaration.arrival_at:
        events.append(event_row(declaration, LifecycleEvent.Kind.ARRIVAL, declaration.arrival_at))
    events.append(event_row(declaration, LifecycleEvent.Kind.LODGED, declaration.lodged_at, actor))
    return events


@dataclass(frozen=True)
class Children:
    """A new declaration's rows besides its own: items in line order, first version, arrival and
    lodged events. Built before the declaration has its id, written after (:func:`insert_children`)."""

    items: list[DeclarationItem]
    version: DeclarationVersion
    events: list[LifecycleEvent]


def new_children(declaration: Declaration, payload: dict[str, Any], actor: User | None, now: datetime) -> Children:
    version = version_row(declaration, payload, actor)
    version.created_at = now
    return Children(item_rows(declaration, payload), version, arrival_and_lodged(declaration, actor))


def insert_children(written: Iterable[tuple[Declaration, Children]]) -> None:
    """Write the children of declarations now saved, as plain INSERTs (their own ids are not
    fetched). Rows built while their declaration had no id take it now."""
    items, versions, events = [], [], []
    for declaration, children in written:
        for row in (*children.items, children.version, *children.events):
            row.declaration_id = declaration.pk
        items.extend(children.items)
        versions.append(children.version)
        events.extend(children.events)
    insert_instances(DeclarationItem, items)
    insert_instances(DeclarationVersion, versions)
    insert_instances(LifecycleEvent, events)


def summary(declaration: Declaration, payload: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps of a declaration: enough to see what changed, not the whole file."""
    values = [Decimal(item["customs_value"]) for item in payload.get("items", []) if item.get("customs_value")]
    return {
        "number": declaration.number,
        "version": declaration.version,
        "kind": declaration.kind,
        "importer_code": declaration.importer_code,
        "declarant_code": declaration.declarant_code,
        "items": len(payload.get("items", [])),
        "customs_value": str(sum(values, Decimal(0))),
        "currency": declaration.currency,
    }


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    keys = sorted(set(before) | set(after))
    return [key for key in keys if before.get(key) != after.get(key)]
