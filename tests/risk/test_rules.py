"""Rules through the API and the editor: validation errors land on the field they concern and write
nothing; every save is a new version; lists and settings are validated too."""

from __future__ import annotations

import json

import pytest

from tests.risk.conftest import criterion, rule_data
from tradewinds.core.models import AuditEntry
from tradewinds.risk.models import RiskRule, RiskRuleVersion


def post_json(client, url, payload, method="post"):
    return getattr(client, method)(url, json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
def test_api_rejects_a_bad_rule_with_field_paths_and_writes_nothing(client_as):
    client = client_as("lca.risk")
    before = (RiskRule.objects.count(), AuditEntry.objects.count())
    bad = rule_data(
        "Bad", criterion("hs_code", "equals", "12"), criterion("origin_country", "in_list", {"list": "nope"}), weight=0
    )
    response = post_json(client, "/api/v1/risk/rules", bad)
    assert response.status_code == 422
    fields = {error["field"]: error["msg"] for error in response.json()["errors"]}
    assert "6 digits" in fields["condition.children[0].value"]
    assert "nope" in fields["condition.children[1].value.list"]
    assert "weight" in fields
    assert (RiskRule.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_api_create_update_activate_keeps_versions(client_as):
    client = client_as("lca.risk")
    response = post_json(
        client, "/api/v1/risk/rules", rule_data("Tyres", criterion("hs_code", "hs_prefix", ["4011"]), weight=20)
    )
    assert response.status_code == 201, response.content
    rule_id = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["version"] == 1
    updated = post_json(
        client,
        f"/api/v1/risk/rules/{rule_id}",
        rule_data("Tyres", criterion("hs_code", "hs_prefix", ["4011", "4012"]), weight=25),
        "put",
    )
    assert updated.json()["version"] == 2
    assert client.post(f"/api/v1/risk/rules/{rule_id}/activate").json()["status"] == "active"
    versions = RiskRuleVersion.objects.filter(rule_id=rule_id).order_by("number")
    assert [v.weight for v in versions] == [20, 25]
    assert versions[0].definition["condition"]["children"][0]["value"] == ["4011"]  # unchanged
    actions = set(
        AuditEntry.objects.filter(object_type="risk.riskrule", object_id=str(rule_id)).values_list("action", flat=True)
    )
    assert {"risk.rule.created", "risk.rule.updated", "risk.rule.activated"} <= actions


@pytest.mark.django_db
def test_only_risk_officers_write_rules(client_as):
    payload = rule_data("X", criterion("hs_code", "hs_prefix", ["01"]), weight=5)
    assert post_json(client_as("lca.examiner"), "/api/v1/risk/rules", payload).status_code == 403
    assert client_as("lca.examiner").get("/risk/rules/").status_code == 403


def editor_post(rows: list[dict], **rule) -> dict:
    data = {
        "name": "Editor rule",
        "rationale": "Why.",
        "weight": "30",
        "lane": "",
        "logic": "and",
        "group_logic": "or",
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "bt-start": "2020-01-01",
        "bt-end": "2020-12-31",
        **rule,
    }
    for index, row in enumerate(rows):
        for key, value in {"group": "0", "value": "", "value_to": "", "named_list": "", **row}.items():
            data[f"criteria-{index}-{key}"] = value
    return data


@pytest.mark.django_db
def test_editor_shows_errors_on_the_row_and_saves_nothing(client_as):
    client = client_as("lca.risk")
    count = RiskRule.objects.count()
    rows = [
        {"field": "hs_code", "operator": "hs_prefix", "value": "2402"},
        {"field": "customs_value", "operator": "greater_than", "value": "lots"},
    ]
    response = client.post("/risk/rules/new/", editor_post(rows))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-field="value"' in body and "A number is required." in body
    assert RiskRule.objects.count() == count


@pytest.mark.django_db
def test_editor_saves_groups_and_named_lists(client_as):
    client = client_as("lca.risk")
    rows = [
        {"field": "hs_code", "operator": "hs_prefix", "value": "2402, 2208"},
        {"group": "1", "field": "origin_country", "operator": "in_list", "named_list": "high-risk-origins"},
        {"group": "1", "field": "importer_id", "operator": "in_list", "named_list": "watched-traders"},
        {"field": "unit_value", "operator": "below_reference", "value": "0.5"},
    ]
    response = client.post("/risk/rules/new/", editor_post(rows))
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = RiskRule.objects.get(name="Editor rule", administration__code="lca")
    condition = rule.current_version.definition["condition"]
    assert condition["group"] == "and"
    assert condition["children"][0] == {"field": "hs_code", "operator": "hs_prefix", "value": ["2402", "2208"]}
    assert condition["children"][1]["field"] == "unit_value"
    assert condition["children"][2] == {
        "group": "or",
        "children": [
            {"field": "origin_country", "operator": "in_list", "value": {"list": "high-risk-origins"}},
            {"field": "importer_id", "operator": "in_list", "value": {"list": "watched-traders"}},
        ],
    }
    page = client.get(f"/risk/rules/{rule.pk}/").content.decode()
    assert 'value="2402, 2208"' in page  # the editor reads its own rule back


@pytest.mark.django_db
def test_htmx_adds_a_criterion_row(client_as):
    response = client_as("lca.risk").get("/risk/rules/criterion-row/", {"criteria-TOTAL_FORMS": "3"})
    body = response.content.decode()
    assert 'name="criteria-3-field"' in body and 'value="4"' in body and "hx-swap-oob" in body


@pytest.mark.django_db
def test_named_list_entries_are_checked(client_as):
    client = client_as("lca.risk")
    response = post_json(client, "/api/v1/risk/lists", {"name": "odd-origins", "title": "Odd", "kind": "countries"})
    assert response.status_code == 201
    list_id = response.json()["id"]
    bad = post_json(client, f"/api/v1/risk/lists/{list_id}/entries", {"value": "XX"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "value"
    good = post_json(client, f"/api/v1/risk/lists/{list_id}/entries", {"value": "ve"})
    assert good.status_code == 201 and good.json()["values"] == ["VE"]


@pytest.mark.django_db
def test_settings_page_refuses_a_random_rate_above_the_expected_rate(client_as):
    client = client_as("lca.manager")
    data = {
        "expected_red": "0.05",
        "expected_yellow": "0.1",
        "expected_blue": "0.05",
        "random_red": "0.2",
        "random_yellow": "0.02",
        "random_blue": "0.02",
        "threshold_red": "80",
        "threshold_yellow": "50",
        "threshold_blue": "30",
        "model_weight": "100",
    }
    response = client.post("/risk/settings/", data)
    assert response.status_code == 200 and 'data-field="random_red"' in response.content.decode()
    data["random_red"] = "0.01"
    assert client.post("/risk/settings/", data).status_code == 302
