"""Assessment through the services: lanes the rules dictate, versions, reasons, random floor, AEO."""

from __future__ import annotations

import pytest

from tests.risk.conftest import criterion, rule_data
from tradewinds.declarations.models import LifecycleEvent
from tradewinds.risk import services
from tradewinds.risk.messages import render_reason
from tradewinds.risk.models import LaneDecision, RiskRule


def active_rule(actor, data) -> RiskRule:
    rule = services.create_rule(actor, data)
    return services.activate_rule(actor, rule.pk)


@pytest.mark.django_db
def test_mandatory_rule_sends_to_red_and_the_decision_points_at_the_version(
    demo_user, lca, quiet_settings, make_declaration
):
    risk = demo_user("lca.risk")
    rule = active_rule(
        risk, rule_data("Firearms", criterion("hs_code", "hs_prefix", ["9301", "9302"]), lane="red", weight=10)
    )
    first_version = rule.current_version
    gun = make_declaration(lca, [{"hs_code": "930190"}])
    decision = services.assess_declaration(gun, risk)
    assert decision.lane == "red" and decision.decided_by == "mandatory_rule"
    assert list(decision.rule_versions.all()) == [first_version]

    services.update_rule(
        risk, rule.pk, rule_data("Firearms", criterion("hs_code", "hs_prefix", ["93"]), lane="yellow", weight=10)
    )
    rule.refresh_from_db()
    assert rule.current_version.number == 2
    other = make_declaration(lca, [{"hs_code": "930400"}])
    second = services.assess_declaration(other, risk)
    assert second.lane == "yellow" and list(second.rule_versions.all()) == [rule.current_version]
    decision.refresh_from_db()
    assert list(decision.rule_versions.all()) == [first_version]  # the old decision keeps its version
    texts = [render_reason(reason) for reason in second.reasons]
    assert any("Firearms" in text and "version 2" in text for text in texts), texts
    kinds = set(other.events.values_list("kind", flat=True))
    assert {LifecycleEvent.Kind.RISK_ASSESSED, LifecycleEvent.Kind.LANE_ASSIGNED} <= kinds
    other.refresh_from_db()
    assert other.lane == "yellow" and other.status == "assessed"


@pytest.mark.django_db
def test_weighted_score_against_thresholds(demo_user, lca, quiet_settings, make_declaration):
    risk = demo_user("lca.risk")
    active_rule(risk, rule_data("Tobacco", criterion("hs_code", "hs_prefix", ["24"]), weight=40))
    active_rule(risk, rule_data("From PA", criterion("origin_country", "equals", "PA"), weight=20))
    both = make_declaration(lca, [{"hs_code": "240220", "origin_country": "PA"}])
    one = make_declaration(lca, [{"hs_code": "240220", "origin_country": "US"}])
    none = make_declaration(lca, [{"hs_code": "847130"}])
    lanes = {d.number: services.assess_declaration(d, risk) for d in (both, one, none)}
    assert lanes[both.number].lane == "yellow", lanes[both.number].reasons
    assert lanes[both.number].score == 60
    assert lanes[one.number].lane == "blue" and lanes[one.number].score == 40
    assert lanes[none.number].lane == "green" and lanes[none.number].decided_by == "none"


@pytest.mark.django_db
def test_batch_equals_single(demo_user, lca, quiet_settings, make_declaration):
    risk = demo_user("lca.risk")
    quiet_settings.random_red, quiet_settings.random_yellow = 0.1, 0.1
    quiet_settings.expected_red = quiet_settings.expected_yellow = 0.2
    quiet_settings.save()
    active_rule(risk, rule_data("Tobacco", criterion("hs_code", "hs_prefix", ["24"]), weight=40))
    made = [make_declaration(lca, [{"hs_code": "240220" if i % 3 else "851712"}]) for i in range(30)]
    lanes = services.assess_batch([d.pk for d in made], risk)
    assert sum(lanes.values()) == 30
    batch = {
        d.declaration_id: (d.lane, d.random_draw, d.score)
        for d in LaneDecision.objects.filter(declaration__in=made, current=True)
    }
    singles = {d.pk: services.assess_declaration(d, risk) for d in made}
    assert batch == {pk: (d.lane, d.random_draw, d.score) for pk, d in singles.items()}
    assert LaneDecision.objects.filter(declaration__in=made, current=True).count() == 30
