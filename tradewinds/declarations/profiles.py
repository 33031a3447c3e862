"""Import profiles: which file column holds which declaration field.

A profile's mapping has the shape of the shipped JSON files (``profiles/*.json``):
``{"columns": {"<file header>": "<target>"}, "types": {"<target>": "<type>"}}``. Targets are the
canonical column names the risk engine also reads (``declaration_number``, ``importer_id``…) plus a
few more the database keeps (``arrival_date``, ``containers``…); this module maps them onto the
payload fields of ``validation``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from tradewinds.core.models import Administration
from tradewinds.errors import field_error

from .models import ImportProfile

SHIPPED_DIR = Path(__file__).resolve().parent / "profiles"

# target -> payload field of the declaration header
HEADER_TARGETS = {
    "declaration_number": "number",
    "declaration_date": "lodged_at",
    "arrival_date": "arrival_at",
    "kind": "kind",
    "declaration_type": "declaration_type",
    "office_code": "office_code",
    "process_type": "process_type",
    "import_type": "import_type",
    "import_use": "import_use",
    "payment_type": "payment_type",
    "transport_mode": "transport_mode",
    "transport_means": "transport_means",
    "declarant_id": "declarant_code",
    "importer_id": "importer_code",
    "seller_id": "seller_code",
    "courier_id": "courier_code",
    "sender_name": "sender_name",
    "receiver_name": "receiver_name",
    "port_of_loading": "port_of_loading",
    "port_of_discharge": "port_of_discharge",
    "departure_country": "departure_country",
    "containers": "containers",
    "currency": "currency",
}
# target -> payload field of an item
ITEM_TARGETS = {
    "hs_code": "hs_code",
    "description": "description",
    "origin_country": "origin_country",
    "quantity": "quantity",
    "quantity_unit": "quantity_unit",
    "net_mass_kg": "net_mass_kg",
    "gross_mass_kg": "gross_mass_kg",
    "customs_value": "customs_value",
    "duty_rate": "duty_rate",
    "duty_amount": "duty_amount",
    "tax_type": "tax_type",
    "origin_indicator": "origin_indicator",
}
# Inspection results of history files: passed to the risk app, never stored on the declaration.
LABEL_TARGETS = ("fraud", "critical")
TARGETS = (*HEADER_TARGETS, *ITEM_TARGETS, *LABEL_TARGETS)
REQUIRED_TARGETS = ("declaration_number", "declaration_date", "customs_value")
TYPES = ("text", "float", "int", "hs6", "date")  # "date" may carry a format: "date:%d/%m/%Y"
FORMATS = ("csv", "xlsx")


def payload_field(target: str) -> str:
    """The payload field (or ``items.<field>``) a target lands in, for error reports."""
    if target in HEADER_TARGETS:
        return HEADER_TARGETS[target]
    return f"items.{ITEM_TARGETS.get(target, target)}"


def mapping_errors(mapping: Any) -> list[dict[str, Any]]:
    """Field errors of a mapping, each naming the column or target at fault (field ``mapping``)."""
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict):
        return [field_error("mapping", _('The mapping is a JSON object with "columns": {"file header": "target"}.'))]
    errors = []
    unknown_keys = set(mapping) - {"columns", "types"}
    if unknown_keys:
        errors.append(field_error("mapping", _("Unknown keys: %(keys)s.") % {"keys": ", ".join(sorted(unknown_keys))}))
    targets = list(mapping["columns"].values())
    for header, target in mapping["columns"].items():
        if target not in TARGETS:
            message = _("Column %(header)s: unknown target field %(target)s.") % {"header": header, "target": target}
            errors.append(field_error("mapping", message))
    for target in {t for t in targets if targets.count(t) > 1}:
        errors.append(field_error("mapping", _("Two columns map to %(target)s.") % {"target": target}))
    missing = [target for target in REQUIRED_TARGETS if target not in targets]
    if missing:
        errors.append(field_error("mapping", _("Map a column to: %(targets)s.") % {"targets": ", ".join(missing)}))
    errors.extend(_type_errors(mapping.get("types", {})))
    return errors


def _type_errors(types: Any) -> list[dict[str, Any]]:
    if not isinstance(types, dict):
        return [field_error("mapping", _('"types" is a JSON object: {"target": "type"}.'))]
    errors = []
    for target, kind in types.items():
        if target not in TARGETS:
            errors.append(field_error("mapping", _("Types: unknown target field %(target)s.") % {"target": target}))
        elif not isinstance(kind, str) or kind.split(":", 1)[0] not in TYPES:
            message = _("Type of %(target)s must be one of %(types)s.") % {"target": target, "types": ", ".join(TYPES)}
            errors.append(field_error("mapping", message))
    return errors


def shipped_profiles() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SHIPPED_DIR.glob("*.json"))]


def ensure_shipped_profiles(administration: Administration) -> list[ImportProfile]:
    """Give the administration every shipped profile it does not have yet (edits are kept)."""
    made = []
    for shipped in shipped_profiles():
        profile, created = ImportProfile.objects.get_or_create(
            administration=administration,
            name=shipped["name"],
            defaults={
                "description": shipped.get("description", "")[:300],
                "file_format": shipped.get("format", "csv"),
                "mapping": {"columns": shipped["columns"], "types": shipped.get("types", {})},
            },
        )
        if created:
            made.append(profile)
    return made
