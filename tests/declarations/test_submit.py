"""Lodging through the service: validation writes nothing, resends are idempotent, amendments keep versions."""

from __future__ import annotations

import pytest

from tradewinds.core.models import AuditEntry
from tradewinds.declarations import services
from tradewinds.declarations.models import Declaration, DeclarationVersion, LifecycleEvent
from tradewinds.declarations.signals import declaration_lodged, declaration_lodging
from tradewinds.errors import Conflict, Forbidden, InvalidInput

from .conftest import cargo


def fields_of(error: InvalidInput) -> set[str]:
    return {e["field"] for e in error.errors}


def rows_written() -> tuple[int, int]:
    return Declaration.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"items": [{"hs_code": "999999", "origin_country": "US", "customs_value": "10"}]}, "items[0].hs_code"),
        ({"containers": ["MSCU1234565"]}, "containers"),
        ({"items": [{"hs_code": "870323", "origin_country": "JP", "customs_value": "-5"}]}, "items[0].customs_value"),
        ({"items": [{"hs_code": "870323", "origin_country": "XX", "customs_value": "5"}]}, "items[0].origin_country"),
        ({"departure_country": "ZZ"}, "departure_country"),
        ({"port_of_loading": "XXMIA"}, "port_of_loading"),
        ({"currency": "ABC"}, "currency"),
        ({"lodged_at": "2999-01-01"}, "lodged_at"),
        ({"lodged_at": "yesterday"}, "lodged_at"),
        ({"items": []}, "items"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_field_is_named_and_nothing_is_written(demo_user, change, field):
    before = rows_written()
    with pytest.raises(InvalidInput) as caught:
        services.submit_declaration(demo_user("lca.trader"), cargo(**change))
    assert field in fields_of(caught.value)
    assert rows_written() == before


def test_second_item_error_names_its_index(demo_user):
    payload = cargo()
    payload["items"][1]["hs_code"] = "851712"  # an HS 2017 code, gone in HS 2022
    payload["items"][1]["net_mass_kg"] = "-1"
    with pytest.raises(InvalidInput) as caught:
        services.submit_declaration(demo_user("lca.trader"), payload)
    assert fields_of(caught.value) == {"items[1].hs_code", "items[1].net_mass_kg"}
    assert {tuple(e["loc"]) for e in caught.value.errors} == {("items", 1, "hs_code"), ("items", 1, "net_mass_kg")}


def test_lodging_links_the_registered_company_and_records_events_and_audit(demo_user):
    trader = demo_user("lca.trader")
    result = services.submit_declaration(trader, cargo(arrival_at="2026-01-05T08:00:00"))
    declaration = result.declaration
    assert result.created and declaration.importer == trader.company
    assert declaration.currency == "XCD" and declaration.items.count() == 2
    kinds = list(declaration.events.values_list("kind", flat=True))
    assert kinds[:2] == [LifecycleEvent.Kind.ARRIVAL, LifecycleEvent.Kind.LODGED]  # then the risk app's
    assert AuditEntry.objects.filter(action="declaration.lodged", object_id=str(declaration.pk)).exists()


def test_resending_the_same_content_is_idempotent(demo_user):
    trader = demo_user("lca.trader")
    first = services.submit_declaration(trader, cargo())
    counts = (DeclarationVersion.objects.count(), LifecycleEvent.objects.count(), AuditEntry.objects.count())
    # The same declaration spelled differently (lower case, 42000.0) is the same content.
    again = cargo(containers=[c.lower() for c in cargo()["containers"]])
    again["items"][0]["customs_value"] = 42000.0
    second = services.submit_declaration(trader, again)
    assert not second.created and not second.amended
    assert second.declaration.pk == first.declaration.pk and second.declaration.version == 1
    assert (DeclarationVersion.objects.count(), LifecycleEvent.objects.count(), AuditEntry.objects.count()) == counts


def test_other_content_amends_with_a_new_version(demo_user):
    trader = demo_user("lca.trader")
    first = services.submit_declaration(trader, cargo())
    changed = cargo()
    changed["items"][0]["customs_value"] = "45000"
    result = services.submit_declaration(trader, changed)
    declaration = result.declaration
    assert result.amended and declaration.pk == first.declaration.pk and declaration.version == 2
    assert list(declaration.versions.values_list("version", flat=True)) == [1, 2]
    assert declaration.versions.get(version=1).payload["items"][0]["customs_value"] == "42000.00"
    assert declaration.events.filter(kind=LifecycleEvent.Kind.AMENDED).count() == 1
    entry = AuditEntry.objects.get(action="declaration.amended", object_id=str(declaration.pk))
    assert entry.after["changed"] == ["items"] and entry.before["customs_value"] == "43800.50"


def test_signals_come_before_a_new_declaration_is_written_and_after_an_amendment_not_on_resend(demo_user):
    heard = []

    def before_writing(sender, declaration, items, actor, **kwargs):
        heard.append(("lodging", declaration.number, declaration.pk, len(items), actor.username))

        def write(saved):
            heard.append(("written", saved.number, Declaration.objects.filter(pk=saved.pk).exists()))
            return []

        return write

    def after_amending(sender, declaration, actor, amended, **kwargs):
        heard.append(("amended", declaration.number, amended))

    declaration_lodging.connect(before_writing)
    declaration_lodged.connect(after_amending)
    try:
        trader = demo_user("lca.trader")
        services.submit_declaration(trader, cargo())
        services.submit_declaration(trader, cargo())
        services.submit_declaration(trader, cargo(office_code="LC02"))
    finally:
        declaration_lodging.disconnect(before_writing)
        declaration_lodged.disconnect(after_amending)
    assert heard == [
        ("lodging", "LCA-T-0001", None, 2, "lca.trader"),
        ("written", "LCA-T-0001", True),
        ("amended", "LCA-T-0001", True),
    ]


def test_a_trader_lodges_for_its_own_company_only(demo_user):
    with pytest.raises(InvalidInput) as caught:
        services.submit_declaration(demo_user("lca.trader"), cargo(importer_code="LC999999"))
    assert "importer_code" in fields_of(caught.value)


def test_a_trader_cannot_amend_another_traders_declaration(demo_user):
    partner = demo_user("lca.partner")
    services.submit_declaration(partner, cargo(importer_code="LC555555"))
    with pytest.raises(Conflict):
        services.submit_declaration(demo_user("lca.trader"), cargo())


def test_postal_needs_no_hs_code_but_a_receiver(demo_user):
    partner = demo_user("lca.partner")
    postal = {"number": "LCA-P-T1", "kind": "postal", "items": [{"customs_value": "35", "description": "Gift"}]}
    with pytest.raises(InvalidInput) as caught:
        services.submit_declaration(partner, postal)
    assert fields_of(caught.value) == {"receiver_name"}
    result = services.submit_declaration(partner, {**postal, "receiver_name": "Marcia Joseph"})
    assert result.created and result.declaration.items.get().hs_code == ""


def test_roles_that_do_not_lodge_are_refused(demo_user):
    with pytest.raises(Forbidden):
        services.submit_declaration(demo_user("lca.risk"), cargo())


def test_release_needs_a_lane_and_a_clearance_officer(demo_user):
    declaration = services.submit_declaration(demo_user("lca.partner"), cargo()).declaration
    Declaration.objects.filter(pk=declaration.pk).update(lane="", status=Declaration.Status.LODGED)
    clearance = demo_user("lca.clearance")
    with pytest.raises(Conflict):
        services.release_declaration(clearance, declaration.pk)
    Declaration.objects.filter(pk=declaration.pk).update(lane="red", status=Declaration.Status.ASSESSED)
    with pytest.raises(Conflict):
        services.release_declaration(clearance, declaration.pk)
    Declaration.objects.filter(pk=declaration.pk).update(lane="green")
    with pytest.raises(Forbidden):
        services.release_declaration(demo_user("lca.examiner"), declaration.pk)
    released = services.release_declaration(clearance, declaration.pk)
    assert released.status == Declaration.Status.RELEASED
    assert released.events.filter(kind=LifecycleEvent.Kind.RELEASED, actor=clearance).exists()
    assert AuditEntry.objects.filter(action="declaration.released", object_id=str(declaration.pk)).exists()
