"""The active model in lane allocation: a declaration lodged through the API is scored, its lane
decision carries the probability and the model's reasons as data; a new active version is used at once."""

from __future__ import annotations

import json

from django.test import Client

from tradewinds.declarations.models import Declaration
from tradewinds.detection import services
from tradewinds.detection.phrases import render_factor_reason
from tradewinds.risk import scoring
from tradewinds.risk.models import LaneDecision

PARTNER_KEY = "tw_demo_lca_partner_key"


def lodge(payload: dict) -> Declaration:
    response = Client().post(
        "/api/v1/declarations",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {PARTNER_KEY}",
    )
    assert response.status_code == 201, response.content
    return Declaration.objects.get(number=payload["number"])


def payload(number: str, importer: str = "LC100200") -> dict:
    return {
        "number": number,
        "importer_code": importer,
        "transport_mode": "air",
        "port_of_loading": "USMIA",
        "port_of_discharge": "LCUVF",
        "departure_country": "US",
        "items": [
            {
                "hs_code": "851713",
                "description": "Smartphones",
                "origin_country": "CN",
                "customs_value": "900",
                "net_mass_kg": "40",
                "gross_mass_kg": "45",
            }
        ],
    }


def test_a_declaration_lodged_through_the_api_gets_a_model_score_and_reasons(active_version):
    # Pitons Electronics (LC100459) is the demo's planted undervaluer of electronics: the model has
    # reasons to point at (its past hit rate), whatever the exact trees trained on this database.
    declaration = lodge(payload("LCA-DET-0001", importer="LC100459"))
    decision = LaneDecision.objects.get(declaration=declaration, current=True)
    assert decision.model_probability is not None and 0.0 <= decision.model_probability <= 1.0
    assert decision.model_source == f"detection v{active_version.number}"
    codes = [reason["code"] for reason in decision.reasons]
    assert "risk.model_score" in codes
    factors = [reason["params"] for reason in decision.reasons if reason["code"] == "risk.model_factor"]
    assert factors, codes
    for params in factors:
        assert params["template"] and isinstance(params["values"], dict) and params["target"] == "fraud"
        assert params["contribution"] > 0 and render_factor_reason(params)


def test_scores_come_from_the_version_active_now(demo_user, active_version, immediate_tasks):
    items = [
        {
            "hs_code": "851713",
            "origin_country": "CN",
            "customs_value": 900.0,
            "net_mass_kg": 40.0,
            "importer_id": "LC100200",
            "transport_mode": "air",
            "departure_country": "US",
        }
    ]
    first = scoring.model_score(active_version.administration_id, items)
    assert first is not None and first.version == active_version.label
    newer = services.start_training(demo_user("lca.risk")).model_version
    services.activate_version(demo_user("lca.risk"), newer.pk)
    second = scoring.model_score(active_version.administration_id, items)
    assert second.version == newer.label


def test_no_active_model_means_rules_only(active_version):
    active_version.status = "ready"
    active_version.save(update_fields=["status"])
    assert scoring.model_score(active_version.administration_id, [{"hs_code": "851713"}]) is None


def test_a_postal_item_without_an_hs_code_is_scored(active_version):
    score = scoring.model_score(active_version.administration_id, [{"transport_mode": "post", "hs_code": None}])
    assert score is not None and 0.0 <= score.probability <= 1.0
