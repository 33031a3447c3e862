"""The HS median unit value that rules compare with: the right items, the right period, local dates."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from tradewinds.risk import context
from tradewinds.risk.frames import median_unit_values

START, END = dt.date(2019, 3, 1), dt.date(2019, 3, 31)  # before the demo's history


def local(day: dt.date, hour: int, minute: int, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), zoneinfo.ZoneInfo(zone))


def item(hs_code: str, value: str, mass: str | None) -> dict:
    return {"hs_code": hs_code, "customs_value": Decimal(value), "net_mass_kg": Decimal(mass) if mass else None}


@pytest.mark.django_db
def test_medians_per_hs6_over_the_items_with_mass_and_code(lca, make_declaration):
    day = local(dt.date(2019, 3, 10), 12, 0, "UTC")
    make_declaration(lca, [item("610910", "100", "10"), item("61091000", "300", "10")], lodged_at=day)  # 10, 30
    make_declaration(lca, [item("610910", "200", "10"), item("847130", "5000", "2")], lodged_at=day)  # 20, 2500
    make_declaration(lca, [item("610910", "999", "0"), item("847130", "10", None), item("", "50", "1")], lodged_at=day)

    medians = median_unit_values(lca.pk, START, END)

    # 8-digit lines count under their HS6; no mass, zero mass and no HS code leave the item out.
    assert medians == {"610910": 20.0, "847130": 2500.0}


@pytest.mark.django_db
def test_the_period_is_cut_on_the_administrations_local_dates(lca, make_declaration):
    zone = "America/St_Lucia"  # UTC-4: 23:30 local is the next day in UTC
    make_declaration(lca, [item("220300", "40", "10")], lodged_at=local(START, 0, 10, zone))  # 4.0, first day
    make_declaration(lca, [item("220300", "60", "10")], lodged_at=local(END, 23, 30, zone))  # 6.0, last day
    make_declaration(lca, [item("220300", "1000", "10")], lodged_at=local(START - dt.timedelta(1), 23, 30, zone))
    make_declaration(lca, [item("220300", "1000", "10")], lodged_at=local(END + dt.timedelta(1), 0, 10, zone))

    assert median_unit_values(lca.pk, START, END, time_zone=zone) == {"220300": 5.0}
    # In UTC the same instants fall elsewhere: the evening before START is 03:30 on START (in), the
    # last evening 03:30 the day after END (out); the median of 4 and 100.
    assert median_unit_values(lca.pk, START, END, time_zone="UTC") == {"220300": 52.0}


@pytest.mark.django_db
def test_the_assessor_keeps_the_medians_for_an_hour(lca, make_declaration):
    context.clear_caches()
    make_declaration(lca, [item("010121", "300", "3")])
    first = context.reference_medians(lca)
    make_declaration(lca, [item("010121", "900", "3")])
    assert context.reference_medians(lca) == first  # cached
    context.clear_caches()
    assert context.reference_medians(lca)["010121"] != first["010121"]
