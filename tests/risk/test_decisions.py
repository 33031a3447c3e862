"""Lane decisions end to end: a declaration lodged through the API gets the lane its rules dictate,
with reasons; the random floor holds for trusted traders; overrides need a reason; outcomes."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.risk.conftest import criterion, rule_data
from tradewinds.core.models import AuditEntry
from tradewinds.declarations.models import Declaration, LifecycleEvent
from tradewinds.errors import Conflict, Forbidden, InvalidInput
from tradewinds.risk import services
from tradewinds.risk.engine.random_draw import draw_value
from tradewinds.risk.models import InspectionOutcome

PARTNER = {"HTTP_AUTHORIZATION": "Bearer tw_demo_lca_partner_key"}


def lodge(client, number: str, hs_code: str, **extra) -> dict:
    payload = {
        "number": number,
        "kind": "cargo",
        "declaration_type": "import",
        "office_code": "LCCAS",
        "importer_code": extra.pop("importer_code", "LC999001"),
        "transport_mode": "sea",
        "port_of_loading": "USMIA",
        "port_of_discharge": "LCCAS",
        "departure_country": "US",
        "items": [
            {
                "hs_code": hs_code,
                "description": "goods",
                "origin_country": "US",
                "quantity": 2,
                "net_mass_kg": 20,
                "gross_mass_kg": 22,
                "customs_value": 900,
                "duty_rate": 5,
            }
        ],
        **extra,
    }
    response = client.post("/api/v1/declarations", json.dumps(payload), content_type="application/json", **PARTNER)
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.mark.django_db
def test_declaration_through_the_api_lands_in_the_rules_lane_with_reasons(client, client_as, demo_user, quiet_settings):
    risk = demo_user("lca.risk")
    rule = services.create_rule(
        risk, rule_data("Pistols", criterion("hs_code", "hs_prefix", ["9302"]), lane="red", weight=10)
    )
    services.activate_rule(risk, rule.pk)
    lodge(client, "API-RISK-1", "930200")
    declaration = Declaration.objects.get(administration__code="lca", number="API-RISK-1")
    assert declaration.lane == "red"
    decision = client_as("lca.examiner").get(f"/api/v1/risk/declarations/{declaration.pk}/decision").json()
    assert decision["lane"] == "red" and decision["decided_by"] == "mandatory_rule"
    assert decision["rules"] == [{"rule_id": rule.pk, "name": "Pistols", "version": 1, "weight": 10, "lane": "red"}]
    assert any("Pistols" in reason["text"] and "red" in reason["text"] for reason in decision["reasons"])
    page = client_as("lca.examiner").get(f"/risk/declarations/{declaration.pk}/").content.decode()
    assert "Pistols" in page and 'data-lane="red"' in page
    with_french = client_as("lca.examiner", HTTP_ACCEPT_LANGUAGE="fr").get(f"/risk/declarations/{declaration.pk}/")
    assert "Pistols" in with_french.content.decode()


@pytest.mark.django_db
def test_random_floor_holds_for_trusted_traders(demo_user, lca, quiet_settings, make_declaration):
    """An AEO's factor halves its score, but the draw still sends it to control at the floor rate."""
    from tradewinds.aeo.risk_hook import trusted_trader_index

    aeo_code, entry = next((code, e) for code, e in trusted_trader_index(lca.pk).by_code.items() if e.factor < 1)
    quiet_settings.random_red, quiet_settings.random_yellow = 0.25, 0.25
    quiet_settings.expected_red = quiet_settings.expected_yellow = 0.3
    quiet_settings.save()
    risk = demo_user("lca.risk")
    services.activate_rule(
        risk, services.create_rule(risk, rule_data("Phones", criterion("hs_code", "hs_prefix", ["8517"]), weight=60)).pk
    )
    made = [make_declaration(lca, [{"hs_code": "851713"}], importer_code=aeo_code) for _ in range(40)]
    services.assess_batch([d.pk for d in made], risk)
    key = services.context.draw_key(quiet_settings)
    for declaration in made:
        decision = declaration.lane_decisions.get(current=True)
        draw = draw_value(key, declaration.number)
        assert decision.trader_factor == entry.factor and decision.score == 60 * entry.factor
        expected = "red" if draw < 0.25 else "yellow" if draw < 0.5 or 60 * entry.factor >= 50 else "blue"
        assert decision.lane == expected, (draw, decision.lane, decision.score)
        assert decision.random_selected == (draw < 0.5)
    assert sum(d.lane_decisions.get(current=True).random_selected for d in made) >= 10  # the floor bites


@pytest.mark.django_db
def test_override_needs_a_reason_and_is_audited(client_as, demo_user, lca, quiet_settings, make_declaration):
    declaration = make_declaration(lca)
    services.assess_declaration(declaration)
    risk = demo_user("lca.risk")
    audited = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.override_lane(risk, declaration, "red", "  ")
    assert error.value.errors[0]["field"] == "reason"
    assert AuditEntry.objects.count() == audited
    with pytest.raises(Forbidden):
        services.override_lane(demo_user("lca.examiner"), declaration, "red", "tip-off")
    response = client_as("lca.risk").post(
        f"/risk/declarations/{declaration.pk}/override/", {"lane": "red", "reason": "Tip-off from the port police"}
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    decision = declaration.lane_decisions.get(current=True)
    assert declaration.lane == decision.lane == "red" and decision.assessed_lane == "green"
    entry = AuditEntry.objects.filter(action="risk.lane_overridden").latest("id")
    assert entry.after == {"lane": "red", "reason": "Tip-off from the port police"} and entry.before == {
        "lane": "green"
    }
    assert declaration.events.filter(kind=LifecycleEvent.Kind.LANE_OVERRIDDEN).exists()


@pytest.mark.django_db
def test_examiner_records_an_outcome(client_as, demo_user, lca, quiet_settings, make_declaration):
    green = make_declaration(lca)
    services.assess_declaration(green)
    with pytest.raises(Conflict):
        services.record_outcome(demo_user("lca.examiner"), green, {"result": "no_discrepancy"})
    red = make_declaration(lca)
    services.assess_declaration(red)
    services.override_lane(demo_user("lca.risk"), red, "red", "Random spot check")
    client = client_as("lca.examiner")
    bad = client.post(
        f"/api/v1/risk/declarations/{red.pk}/outcome",
        json.dumps({"result": "discrepancy"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "discrepancy_types"
    response = client.post(
        f"/risk/declarations/{red.pk}/outcome/",
        {
            "result": "discrepancy",
            "discrepancy_types": ["undervaluation", "quantity"],
            "extra_duty": "1250.50",
            "seizure": "",
            "notes": "Invoice shows twice the value",
        },
    )
    assert response.status_code == 302
    outcome = InspectionOutcome.objects.get(declaration=red)
    assert outcome.is_hit and outcome.discrepancy_types == ["undervaluation", "quantity"]
    assert str(outcome.extra_duty) == "1250.50" and outcome.examiner.username == "lca.examiner"
    red.refresh_from_db()
    assert red.status == "inspected"
    kinds = list(red.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds[-2:] == [LifecycleEvent.Kind.INSPECTION_STARTED, LifecycleEvent.Kind.INSPECTION_FINISHED]
    assert AuditEntry.objects.filter(action="risk.outcome_recorded", object_id=str(red.pk)).exists()
    with pytest.raises(Forbidden):
        services.record_outcome(demo_user("lca.risk"), red, {"result": "no_discrepancy"})
    assert timezone.now() >= outcome.recorded_at
