"""Validation at the edge: one raw declaration (a JSON body, a form, or rows of a file) in, a
normalised payload and field errors out. Pure look-ups against the shipped reference data, no
database, so a file of 40,000 rows validates in a few seconds and the API, the pages and the file
import reject exactly the same things.

The normalised payload is what a ``DeclarationVersion`` stores and what idempotency compares:
decimals as fixed-point strings, times as UTC ISO strings, codes upper-cased, absent values blank."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from tradewinds.core import reference
from tradewinds.errors import field_error

from .codes import container_problem, normalise_container, normalise_transport_mode

KINDS = ("cargo", "postal")
TYPES = ("import", "export", "transit")
# Free text and codes: field -> maximum length (the model's).
HEADER_TEXT = {
    "number": 40,
    "office_code": 20,
    "declarant_code": 40,
    "importer_code": 40,
    "seller_code": 40,
    "courier_code": 40,
    "sender_name": 200,
    "receiver_name": 200,
    "transport_means": 40,
    "process_type": 10,
    "import_type": 10,
    "import_use": 10,
    "payment_type": 10,
}
ITEM_TEXT = {"description": 300, "quantity_unit": 10, "tax_type": 10, "origin_indicator": 5}
# Decimal item fields: (max_digits, decimal_places) as in the model.
ITEM_DECIMALS = {
    "quantity": (16, 3),
    "net_mass_kg": (16, 3),
    "gross_mass_kg": (16, 3),
    "customs_value": (18, 2),
    "duty_rate": (7, 3),
    "duty_amount": (18, 2),
}
HEADER_FIELDS = (
    *HEADER_TEXT,
    "kind",
    "declaration_type",
    "lodged_at",
    "arrival_at",
    "transport_mode",
    "port_of_loading",
    "port_of_discharge",
    "departure_country",
    "containers",
    "currency",
    "items",
)
ITEM_FIELDS = (*ITEM_TEXT, *ITEM_DECIMALS, "hs_code", "origin_country")
MAX_ITEMS = 999
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# Clocks of border systems drift and time zones confuse; a day ahead is still plausible.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    """Who lodges, for the checks that depend on it."""

    time_zone: tzinfo
    now: datetime
    trader_tax_id: str | None = None  # set when the actor is a trader: it lodges for its company only


class Collector:
    """Field errors in the one shape, with item fields named ``items[2].hs_code``."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []

    def add(self, field: str, message: str, index: int | None = None) -> None:
        name = field if index is None else f"items[{index}].{field}"
        error = field_error(name, message)
        error["loc"] = [field] if index is None else ["items", index, field]
        self.errors.append(error)


@lru_cache(maxsize=4096)
def _is_country(code: str) -> bool:
    return reference.is_country(code)


def _hs_known(code: str, six_digit: bool) -> bool:
    """In HS 2022 proper: Comtrade's statistical chapter 99 ("not specified") is no classification."""
    entry = reference.hs_entry(code)
    if entry is None or entry["section"] == "TOTAL":
        return False
    return entry["level"] == 6 if six_digit else True


@lru_cache(maxsize=512)
def _is_currency(code: str) -> bool:
    return reference.is_currency(code)


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheets hand identifiers over as floats
    return str(raw).strip()


def parse_decimal(raw: Any, places: int, max_digits: int) -> Decimal | str:
    """The value quantised to the model's places, or a message saying why not."""
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        return _("Enter a number.")
    if not value.is_finite():
        return _("Enter a number.")
    if value < 0:
        return _("Must not be negative.")
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if value >= Decimal(10) ** (max_digits - places):
        return _("The number is too large.")
    return value


def parse_datetime(raw: Any, time_zone: tzinfo) -> datetime | str:
    """An aware UTC datetime from a date, a datetime or an ISO 8601 string (naive = local time)."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime(raw.year, raw.month, raw.day)
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            return _("Enter a date (YYYY-MM-DD) or a date and time (ISO 8601).")
    if value.tzinfo is None:
        value = value.replace(tzinfo=time_zone)
    return value.astimezone(UTC)


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def validate_payload(raw: Mapping[str, Any], scope: Scope) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Normalise and check one declaration; the payload is only meaningful when errors is empty."""
    errors = Collector()
    if not isinstance(raw, Mapping):
        errors.add("__all__", _("A declaration is a JSON object."))
        return {}, errors.errors
    for key in raw:
        if key not in HEADER_FIELDS:
            errors.add(str(key), _("Unknown field."))
    payload: dict[str, Any] = {}
    _header_text(raw, payload, errors)
    _choices(raw, payload, errors)
    _times(raw, payload, errors, scope)
    _route(raw, payload, errors)
    _parties(payload, errors, scope)
    payload["items"] = _items(raw.get("items"), payload["kind"], errors)
    return payload, errors.errors


def _header_text(raw: Mapping, payload: dict, errors: Collector) -> None:
    for field, length in HEADER_TEXT.items():
        value = _text(raw.get(field))
        if len(value) > length:
            errors.add(field, _("At most %(count)d characters.") % {"count": length})
        payload[field] = value
    if not payload["number"]:
        errors.add("number", _("The declaration number is required."))


def _choices(raw: Mapping, payload: dict, errors: Collector) -> None:
    kind = _text(raw.get("kind")).lower() or "cargo"
    if kind not in KINDS:
        errors.add("kind", _("Choose cargo or postal."))
        kind = "cargo"
    payload["kind"] = kind
    declaration_type = _text(raw.get("declaration_type")).lower() or "import"
    if declaration_type not in TYPES:
        errors.add("declaration_type", _("Choose import, export or transit."))
    payload["declaration_type"] = declaration_type
    mode = _text(raw.get("transport_mode"))
    payload["transport_mode"] = normalise_transport_mode(mode) if mode else ""
    if payload["transport_mode"] is None:
        errors.add("transport_mode", _("Unknown transport mode: use sea, air, road, post, other or a UN Rec. 19 code."))
        payload["transport_mode"] = ""
    currency = _text(raw.get("currency")).upper()
    if currency and not _is_currency(currency):
        errors.add("currency", _("%(code)s is not an ISO 4217 currency code.") % {"code": currency})
    payload["currency"] = currency


def _times(raw: Mapping, payload: dict, errors: Collector, scope: Scope) -> None:
    for field in ("lodged_at", "arrival_at"):
        payload[field] = None
        if _is_blank(raw.get(field)):
            continue
        value = parse_datetime(raw.get(field), scope.time_zone)
        if isinstance(value, str):
            errors.add(field, value)
        elif value > scope.now + FUTURE_TOLERANCE:
            errors.add(field, _("The date is in the future."))
        elif value < EARLIEST:
            errors.add(field, _("The date is before the year 2000."))
        else:
            payload[field] = value.isoformat()
    lodged, arrival = payload["lodged_at"], payload["arrival_at"]
    if lodged and arrival and datetime.fromisoformat(arrival) - datetime.fromisoformat(lodged) > timedelta(days=366):
        errors.add("arrival_at", _("Arrival is more than a year after lodgement."))


def _route(raw: Mapping, payload: dict, errors: Collector) -> None:
    for field in ("port_of_loading", "port_of_discharge"):
        code = _text(raw.get(field)).upper().replace(" ", "")
        if code and not reference.is_locode(code):
            errors.add(field, _("%(code)s is not a UN/LOCODE (country code and three letters).") % {"code": code})
        payload[field] = code
    country = _text(raw.get("departure_country")).upper()
    if country and not _is_country(country):
        errors.add("departure_country", _("%(code)s is not an ISO 3166 country code.") % {"code": country})
    payload["departure_country"] = country
    containers = raw.get("containers") or []
    if isinstance(containers, str):
        containers = [part for part in containers.replace(";", ",").split(",") if part.strip()]
    if not isinstance(containers, list):
        errors.add("containers", _("A list of container numbers."))
        containers = []
    payload["containers"] = [normalise_container(_text(number)) for number in containers]
    for number in payload["containers"]:
        problem = container_problem(number)
        if problem:
            errors.add("containers", _("Container %(number)s: %(problem)s.") % {"number": number, "problem": problem})


def _parties(payload: dict, errors: Collector, scope: Scope) -> None:
    if payload["kind"] == "cargo" and not (payload["importer_code"] or payload["declarant_code"]):
        if scope.trader_tax_id is None:
            errors.add("importer_code", _("A cargo declaration names its importer or declarant."))
    if payload["kind"] == "postal" and not (payload["receiver_name"] or payload["importer_code"]):
        errors.add("receiver_name", _("A postal consignment names its receiver."))
    tax_id = scope.trader_tax_id
    if tax_id is None:
        return
    if not payload["importer_code"] and not payload["declarant_code"]:
        payload["declarant_code"] = tax_id  # a trader lodging without naming itself lodges as declarant
    elif tax_id not in (payload["importer_code"], payload["declarant_code"]):
        errors.add(
            "importer_code",
            _("You lodge for your own company only: importer or declarant must be %(tax_id)s.") % {"tax_id": tax_id},
        )


def _items(raw_items: Any, kind: str, errors: Collector) -> list[dict[str, Any]]:
    if not isinstance(raw_items, list) or not raw_items:
        errors.add("items", _("A declaration has at least one item."))
        return []
    if len(raw_items) > MAX_ITEMS:
        errors.add("items", _("At most %(count)d items.") % {"count": MAX_ITEMS})
        return []
    return [_item(raw, index, kind, errors) for index, raw in enumerate(raw_items)]


def _item(raw: Any, index: int, kind: str, errors: Collector) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        errors.add("__all__", _("An item is a JSON object."), index)
        return {}
    for key in raw:
        if key not in ITEM_FIELDS:
            errors.add(str(key), _("Unknown field."), index)
    item: dict[str, Any] = {"hs_code": _hs_code(raw.get("hs_code"), index, kind, errors)}
    for field, length in ITEM_TEXT.items():
        item[field] = _text(raw.get(field))
        if len(item[field]) > length:
            errors.add(field, _("At most %(count)d characters.") % {"count": length}, index)
    origin = _text(raw.get("origin_country")).upper()
    if origin and not _is_country(origin):
        errors.add("origin_country", _("%(code)s is not an ISO 3166 country code.") % {"code": origin}, index)
    elif not origin and kind == "cargo":
        errors.add("origin_country", _("The country of origin is required."), index)
    item["origin_country"] = origin
    _item_numbers(raw, item, index, errors)
    return item


def _hs_code(raw: Any, index: int, kind: str, errors: Collector) -> str:
    code = _text(raw).replace(".", "").replace(" ", "")
    if not code:
        if kind == "cargo":
            errors.add("hs_code", _("The HS code is required."), index)
        return ""
    if not code.isdigit() or len(code) not in (2, 4, 6, 8, 10):
        errors.add("hs_code", _("An HS code has 6 digits (8 or 10 with a national subheading)."), index)
    elif kind == "cargo" and (len(code) < 6 or not _hs_known(code[:6], six_digit=True)):
        errors.add("hs_code", _("%(code)s is not an HS 2022 subheading.") % {"code": code}, index)
    elif kind == "postal" and not _hs_known(code[:6], six_digit=False):
        errors.add("hs_code", _("%(code)s is not an HS 2022 code.") % {"code": code}, index)
    return code


def _item_numbers(raw: Mapping, item: dict, index: int, errors: Collector) -> None:
    for field, (max_digits, places) in ITEM_DECIMALS.items():
        item[field] = None
        if _is_blank(raw.get(field)):
            if field == "customs_value":
                errors.add(field, _("The customs value is required."), index)
            continue
        value = parse_decimal(raw.get(field), places, max_digits)
        if isinstance(value, str):
            errors.add(field, value, index)
        else:
            item[field] = str(value)
    net, gross = item["net_mass_kg"], item["gross_mass_kg"]
    if net is not None and gross is not None and Decimal(gross) < Decimal(net):
        errors.add("gross_mass_kg", _("Gross mass is less than net mass."), index)
