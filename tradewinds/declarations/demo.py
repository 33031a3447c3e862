"""Demo declarations: four months of an island's imports for each member administration, with a few
planted patterns for the risk rules and the model to find:

- the administration's eighth company (an electronics or motor dealer) declares electronics at a
  fraction of their usual value most of the time;
- cigarettes shipped from the Colón free zone (departure PA) are declared cheaper than others;
- postal parcels of pistol parts and medicines go to private receivers, often without an HS code.

Written with ``bulk_create`` and no signals: the risk app's demo assesses them afterwards."""

from __future__ import annotations

import math
import random
import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tradewinds.core.demo import DemoContext
from tradewinds.core.models import Administration, Company, User

from . import demo_data as data
from . import records
from .codes import with_check_digit
from .models import Declaration, DeclarationItem, DeclarationVersion, ImportBatch, ImportProfile, LifecycleEvent
from .profiles import ensure_shipped_profiles
from .validation import Scope, validate_payload

# A year of history: enough inspected declarations per administration (a few hundred) for the
# demo model to learn from and for monthly charts to have a shape.
CARGO_PER_ADMINISTRATION = 1300
POSTAL_PER_ADMINISTRATION = 150
DAYS = 365
UNDERVALUED = {"851713", "847130", "852872"}


def load(context: DemoContext) -> None:
    now = timezone.now()
    for administration in context.administrations.values():
        if administration.is_regional:
            continue
        ensure_shipped_profiles(administration)
        DemoDeclarations(context, administration, now).write()


class DemoDeclarations:
    def __init__(self, context: DemoContext, administration: Administration, now: datetime) -> None:
        self.rng: random.Random = context.rng
        self.administration = administration
        self.now = now
        self.code = administration.code
        self.tz = zoneinfo.ZoneInfo(administration.time_zone)
        self.companies: list[Company] = context.companies[self.code]
        self.lodger: User = context.users[f"{self.code}.partner"]
        self.releaser: User = context.users[f"{self.code}.clearance"]
        self.manager: User = context.users[f"{self.code}.manager"]
        self.rate = data.CURRENCY_PER_USD.get(administration.currency, 1.0)
        country = administration.country
        self.home_ports = [code for code, row in _ports().items() if row["country"] == country]
        self.unregistered = [f"{country}9{self.rng.randrange(10000, 99999)}" for _ in range(30)]
        self.scope = Scope(time_zone=self.tz, now=now)

    # --- generating raw declarations -----------------------------------------------------------

    def write(self) -> None:
        raws = [self._cargo(n) for n in range(1, CARGO_PER_ADMINISTRATION + 1)]
        raws += [self._postal(n) for n in range(1, POSTAL_PER_ADMINISTRATION + 1)]
        payloads = []
        for raw in raws:
            payload, errors = validate_payload(raw, self.scope)
            if errors:  # the demo must pass its own validation
                raise ValueError(f"demo declaration {raw['number']}: {errors}")
            payloads.append(payload)
        declarations = self._write_declarations(payloads)
        self._demo_import_batch(declarations)

    def _lodged_at(self) -> datetime:
        day = (self.now - timedelta(days=self.rng.uniform(0, DAYS))).astimezone(self.tz)
        moment = day.replace(hour=self.rng.randint(7, 16), minute=self.rng.randint(0, 59), second=0, microsecond=0)
        return min(moment, self.now - timedelta(minutes=self.rng.randint(5, 90)))

    def _importer(self) -> str:
        pick = self.rng.random()
        if pick < 0.10:
            return self.companies[0].tax_id  # the demo trader's company lodges a fair share
        if pick < 0.62:
            registered = [c for c in self.companies if "importer" in c.kinds]
            return self.rng.choice(registered).tax_id
        return self.rng.choice(self.unregistered)

    def _cargo(self, serial: int) -> dict[str, Any]:
        importer = self._importer()
        lodged = self._lodged_at()
        lines = self.rng.choices([1, 2, 3, 4], weights=[50, 25, 15, 10])[0]
        goods = self.rng.choices(data.CARGO_GOODS, weights=[g.weight for g in data.CARGO_GOODS], k=lines)
        if importer == self.companies[7].tax_id and self.rng.random() < 0.8:
            wanted = self.rng.choice(sorted(UNDERVALUED))
            goods[0] = next(g for g in data.CARGO_GOODS if g.hs_code == wanted)
        items = [self._item(g, importer) for g in goods]
        air = all(item["net_mass_kg"] < 300 for item in items) and goods[0].usd_per_kg > 30
        origin = items[0]["origin_country"]
        departure = "PA" if goods[0].hs_code == "240220" and self.rng.random() < 0.6 else origin
        if departure == "PA":
            for item in items:
                item["customs_value"] = round(item["customs_value"] * self.rng.uniform(0.3, 0.6), 2)
        raw = {
            "number": f"{self.code.upper()}-C{serial:05d}",
            "kind": "cargo",
            "office_code": f"{self.administration.country}01",
            "lodged_at": lodged,
            "importer_code": importer,
            "declarant_code": self.companies[4].tax_id if self.rng.random() < 0.5 else importer,
            "seller_code": f"S{self.rng.randrange(1000, 9999)}{origin}",
            "currency": self.administration.currency,
            "items": items,
            **self._route(air, departure, lodged),
        }
        return raw

    def _item(self, goods: data.Goods, importer: str) -> dict[str, Any]:
        kg = round(math.exp(self.rng.uniform(math.log(goods.kg[0]), math.log(goods.kg[1]))), 1)
        value = goods.usd_per_kg * kg * self.rng.lognormvariate(0, 0.25) * self.rate
        if importer == self.companies[7].tax_id and goods.hs_code in UNDERVALUED:
            value *= self.rng.uniform(0.15, 0.35)
        origin = self.rng.choice(goods.origins.split())
        item = {
            "hs_code": goods.hs_code,
            "description": goods.description,
            "origin_country": origin,
            "net_mass_kg": kg,
            "gross_mass_kg": round(kg * self.rng.uniform(1.02, 1.15), 1),
            "customs_value": round(value, 2),
            "duty_rate": goods.duty_rate,
            "duty_amount": round(value * goods.duty_rate / 100, 2),
            "quantity_unit": goods.unit,
        }
        if goods.unit in ("KGM", "LTR"):
            item["quantity"] = kg
        elif goods.hs_code.startswith("87"):
            item["quantity"] = max(1, round(kg / 1400))
        return item

    def _route(self, air: bool, departure: str, lodged: datetime) -> dict[str, Any]:
        ports = _ports()
        home = [p for p in self.home_ports if ports[p]["kind"] == ("air" if air else "sea")] or self.home_ports
        loading = self.rng.choice(data.LOADING_PORTS.get(departure) or data.HUB_PORTS)
        route: dict[str, Any] = {
            "transport_mode": "air" if air else "sea",
            "transport_means": self.rng.choice(data.FLIGHTS) if air else _imo_number(self.rng),
            "port_of_loading": loading if not air else "",
            "port_of_discharge": self.rng.choice(home),
            "departure_country": departure if departure in data.LOADING_PORTS else loading[:2],
        }
        if not air:
            count = self.rng.choices([0, 1, 2, 3], weights=[20, 55, 17, 8])[0]
            route["containers"] = [self._container() for _ in range(count)]
        if self.rng.random() < 0.75:
            route["arrival_at"] = lodged - timedelta(hours=self.rng.uniform(2, 72))
        return route

    def _container(self) -> str:
        return with_check_digit(f"{self.rng.choice(data.CONTAINER_OWNERS)}{self.rng.randrange(100000, 999999)}")

    def _postal(self, serial: int) -> dict[str, Any]:
        goods = self.rng.choices(data.POSTAL_GOODS, weights=[g.weight for g in data.POSTAL_GOODS])[0]
        item = self._item(goods, "")
        if goods.hs_code.startswith("93") and self.rng.random() < 0.6:
            item.update(hs_code="", description=self.rng.choice(["Gift", "Auto parts", "Tools"]))
        for field in ("duty_rate", "duty_amount", "gross_mass_kg", "quantity"):
            item.pop(field, None)
        receiver = f"{self.rng.choice(data.FIRST_NAMES)} {self.rng.choice(data.LAST_NAMES)}"
        return {
            "number": f"{self.code.upper()}-P{serial:05d}",
            "kind": "postal",
            "lodged_at": self._lodged_at(),
            "courier_code": self.rng.choice(data.COURIERS),
            "sender_name": self.rng.choice(data.SENDERS),
            "receiver_name": receiver,
            "transport_mode": "post",
            "departure_country": item["origin_country"],
            "currency": self.administration.currency,
            "items": [item],
        }

    # --- writing ---------------------------------------------------------------------------------

    def _write_declarations(self, payloads: list[dict[str, Any]]) -> list[Declaration]:
        codes = {p[key] for p in payloads for key in ("importer_code", "declarant_code")}
        companies = records.company_ids(self.administration, codes)
        declarations = [
            records.new_declaration(self.administration, payload, companies, now=self.now, source="api")
            for payload in payloads
        ]
        Declaration.objects.bulk_create(declarations, batch_size=500)
        items, versions, events = [], [], []
        for declaration, payload in zip(declarations, payloads, strict=True):
            items.extend(records.item_rows(declaration, payload))
            versions.extend(self._versions(declaration, payload))
            events.extend(records.arrival_and_lodged(declaration, self.lodger))
            events.extend(self._later_events(declaration))
        DeclarationItem.objects.bulk_create(items, batch_size=1000)
        DeclarationVersion.objects.bulk_create(versions, batch_size=1000)
        LifecycleEvent.objects.bulk_create(events, batch_size=1000)
        released = [d.pk for d in declarations if d.status == Declaration.Status.RELEASED]
        Declaration.objects.filter(pk__in=released).update(status=Declaration.Status.RELEASED)
        Declaration.objects.filter(pk__in=[d.pk for d in declarations if d.version > 1]).update(version=2)
        return declarations

    def _versions(self, declaration: Declaration, payload: dict[str, Any]) -> list[DeclarationVersion]:
        """Some declarations were amended once: the value of the first item corrected upwards."""
        if declaration.kind != "cargo" or self.rng.random() > 0.04:
            return [records.version_row(declaration, payload, self.lodger)]
        first = {**payload, "items": [dict(item) for item in payload["items"]]}
        first["items"][0]["customs_value"] = f"{float(payload['items'][0]['customs_value']) * 0.8:.2f}"
        declaration.version = 2
        original = records.version_row(declaration, first, self.lodger)
        original.version = 1
        return [original, records.version_row(declaration, payload, self.lodger)]

    def _later_events(self, declaration: Declaration) -> list[LifecycleEvent]:
        events = []
        if declaration.version > 1:
            amended_at = declaration.lodged_at + timedelta(minutes=self.rng.randint(20, 240))
            events.append(records.event_row(declaration, LifecycleEvent.Kind.AMENDED, min(amended_at, self.now)))
        hours = self.rng.lognormvariate(math.log(18), 0.9)
        released_at = declaration.lodged_at + timedelta(hours=max(hours, 0.5) + 4)
        if released_at < self.now and self.rng.random() < 0.93:
            declaration.status = Declaration.Status.RELEASED
            events.append(records.event_row(declaration, LifecycleEvent.Kind.RELEASED, released_at, self.releaser))
        return events

    def _demo_import_batch(self, declarations: list[Declaration]) -> None:
        """A broker's weekly file, imported with one row refused, so the import pages show a report."""
        profile = ImportProfile.objects.get(administration=self.administration, name="kcs-synthetic")
        batch = ImportBatch.objects.create(
            administration=self.administration,
            profile=profile,
            file_name=f"broker-weekly-{self.code}.csv",
            stored_file="",
            status=ImportBatch.Status.DONE,
            rows_total=12,
            rows_done=12,
            rows_imported=11,
            error_count=1,
            errors=[
                {"row": 7, "field": "HS6 Code", "target": "hs_code", "msg": "851712 is not an HS 2022 subheading."}
            ],
            summary={"created": 11, "amended": 0, "unchanged": 0, "rejected": 1},
            created_by=self.manager,
            finished_at=self.now - timedelta(days=2),
        )
        broker = self.companies[4].tax_id
        chosen = [d.pk for d in declarations if d.declarant_code == broker and d.kind == "cargo"][-11:]
        Declaration.objects.filter(pk__in=chosen).update(import_batch=batch, source="file")


def _imo_number(rng: random.Random) -> str:
    """A vessel IMO number with its check digit (weights 7..2 over the first six digits)."""
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(5)]
    check = sum(d * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return "IMO" + "".join(map(str, digits)) + str(check)


def _ports() -> dict[str, dict]:
    from tradewinds.core.reference import ports

    return ports()


# Hours from the lane decision (or the end of the inspection) to release, as a median and spread:
# green goes in an hour or two, documents take a working day, an inspection adds its own time.
CONTROLLED_LANES = (Declaration.Lane.RED, Declaration.Lane.YELLOW)
RELEASE_HOURS = {
    Declaration.Lane.GREEN: (1.5, 0.6),
    Declaration.Lane.BLUE: (1.5, 0.6),
    Declaration.Lane.YELLOW: (9.0, 0.5),
    Declaration.Lane.RED: (2.0, 0.6),  # counted from the end of the physical inspection
}


def finish(context: DemoContext) -> None:
    """After risk has assigned lanes: time each demo release from its lane, so the Time Release
    figures (and AEO versus non-AEO comparisons) reflect what selectivity does; red and yellow
    declarations not yet controlled wait for the examination officer instead."""
    released = LifecycleEvent.objects.filter(kind=LifecycleEvent.Kind.RELEASED).select_related("declaration")
    starts = _release_clock_starts()
    inspected = set(
        LifecycleEvent.objects.filter(kind=LifecycleEvent.Kind.INSPECTION_FINISHED).values_list(
            "declaration_id", flat=True
        )
    )
    now = timezone.now()
    changed, awaiting = [], []
    for event in released:
        declaration = event.declaration
        if declaration.lane in CONTROLLED_LANES and declaration.pk not in inspected:
            awaiting.append(event)  # a red or yellow lane is not released before its control
            continue
        median, spread = RELEASE_HOURS.get(declaration.lane, (18.0, 0.9))
        start = starts.get(declaration.pk, declaration.lodged_at)
        event.at = min(start + timedelta(hours=context.rng.lognormvariate(math.log(median), spread)), now)
        changed.append(event)
    LifecycleEvent.objects.bulk_update(changed, ["at"], batch_size=1000)
    LifecycleEvent.objects.filter(pk__in=[event.pk for event in awaiting]).delete()
    Declaration.objects.filter(pk__in=[event.declaration_id for event in awaiting]).update(
        status=Declaration.Status.ASSESSED
    )


def _release_clock_starts() -> dict[int, datetime]:
    """The latest of lane assignment and inspection end, per declaration."""
    starts: dict[int, datetime] = {}
    kinds = [LifecycleEvent.Kind.LANE_ASSIGNED, LifecycleEvent.Kind.INSPECTION_FINISHED]
    for declaration_id, at in LifecycleEvent.objects.filter(kind__in=kinds).values_list("declaration_id", "at"):
        if declaration_id not in starts or at > starts[declaration_id]:
            starts[declaration_id] = at
    return starts
