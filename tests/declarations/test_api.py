"""The declarations API as a border system uses it: with the demo partner key, over HTTP."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tradewinds.core.demo import demo_api_key
from tradewinds.declarations.models import Declaration

from .conftest import cargo

ROOT = "/api/v1/declarations"


@pytest.fixture
def partner(db) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {demo_api_key('lca')}")


def post(client: Client, url: str, body) -> tuple[int, dict]:
    response = client.post(url, json.dumps(body, default=str), content_type="application/json")
    return response.status_code, response.json()


def test_lodge_then_resend_then_amend(partner):
    status, body = post(partner, ROOT, cargo())
    assert status == 201 and body["created"] and body["version"] == 1
    assert [item["hs_code"] for item in body["items"]] == ["870323", "220300"]
    assert {"lodged"} <= {event["kind"] for event in body["events"]}
    assert "lane" in body and "status" in body and body["importer_id"] is not None
    status, again = post(partner, ROOT, cargo())
    assert status == 200 and not again["created"] and not again["amended"] and again["id"] == body["id"]
    status, amended = post(partner, ROOT, cargo(office_code="LC02"))
    assert status == 200 and amended["amended"] and amended["version"] == 2
    assert [v["version"] for v in amended["versions"]] == [1, 2]


def test_the_lodging_answer_is_the_declaration_as_stored(partner):
    # The answer is built from the rows just written; reading the declaration back must agree.
    payload = cargo("LCA-T-ANSWER", arrival_at="2026-03-02T08:00:00-04:00", lodged_at="2026-03-02T09:30:00-04:00")
    status, body = post(partner, ROOT, payload)
    assert status == 201
    stored = partner.get(f"{ROOT}/{body['id']}").json()
    assert {key: value for key, value in body.items() if key not in ("created", "amended")} == stored
    assert [event["kind"] for event in stored["events"]] == ["arrival", "lodged", "risk_assessed", "lane_assigned"]
    assert stored["events"][-1]["note"] == stored["lane"] != ""


def test_errors_come_in_the_one_shape_with_item_paths(partner):
    payload = cargo(containers=["MSCU1234565"])
    payload["items"][1]["hs_code"] = "999999"
    status, body = post(partner, ROOT, payload)
    assert status == 422 and set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert {e["field"] for e in body["errors"]} == {"containers", "items[1].hs_code"}
    assert not Declaration.objects.filter(number=payload["number"]).exists()


def test_unknown_fields_are_refused_not_ignored(partner):
    status, body = post(partner, ROOT, cargo(colour="blue"))
    assert status == 422 and body["code"] == "invalid" and any(e["field"] == "colour" for e in body["errors"])


def test_batch_is_all_or_nothing_unless_partial(partner):
    bad = cargo("LCA-B-2", departure_country="ZZ")
    batch = {"declarations": [cargo("LCA-B-1"), bad, cargo("LCA-B-3")]}
    status, body = post(partner, f"{ROOT}/batch", batch)
    assert status == 422 and (body["accepted"], body["rejected"], body["written"]) == (2, 1, 0)
    assert [r["ok"] for r in body["results"]] == [True, False, True]
    assert body["results"][1]["errors"][0]["field"] == "departure_country"
    assert not Declaration.objects.filter(number__startswith="LCA-B-").exists()
    status, body = post(partner, f"{ROOT}/batch?partial=true", batch)
    assert status == 200 and body["written"] == 2 and body["results"][0]["id"]
    assert set(Declaration.objects.filter(number__startswith="LCA-B-").values_list("number", flat=True)) == {
        "LCA-B-1",
        "LCA-B-3",
    }


def test_list_filters_and_pages(partner):
    everything = partner.get(ROOT).json()
    assert everything["count"] == Declaration.objects.filter(administration__code="lca").count()
    assert len(everything["items"]) == 50
    postal = partner.get(ROOT, {"kind": "postal"}).json()
    lca_postal = Declaration.objects.filter(administration__code="lca", kind="postal").count()
    assert postal["count"] == lca_postal and all(d["kind"] == "postal" for d in postal["items"])
    phones = partner.get(ROOT, {"hs": "8517", "page_size": 5}).json()
    assert 0 < phones["count"] < everything["count"] and len(phones["items"]) <= 5
    one = phones["items"][0]
    detail = partner.get(f"{ROOT}/{one['id']}").json()
    assert any(item["hs_code"].startswith("8517") for item in detail["items"])


def test_a_trader_reads_only_its_companys_declarations(client_as, demo_user):
    trader = demo_user("lca.trader")
    body = client_as("lca.trader").get(ROOT, {"page_size": 500}).json()
    tax_id = trader.company.tax_id
    assert body["count"] > 0
    assert all(tax_id in (d["importer_code"], d["declarant_code"]) for d in body["items"])
    other = Declaration.objects.filter(administration__code="lca").exclude(importer_code=tax_id)
    other = other.exclude(declarant_code=tax_id).first()
    assert client_as("lca.trader").get(f"{ROOT}/{other.pk}").status_code == 404


def test_release_over_the_api(client_as):
    declaration = Declaration.objects.filter(administration__code="lca").exclude(status="released").first()
    Declaration.objects.filter(pk=declaration.pk).update(lane="green", status="assessed")
    assert client_as("lca.risk").post(f"{ROOT}/{declaration.pk}/release").status_code == 403
    response = client_as("lca.clearance").post(f"{ROOT}/{declaration.pk}/release")
    assert response.status_code == 200 and response.json()["status"] == "released"
    assert client_as("lca.clearance").post(f"{ROOT}/{declaration.pk}/release").status_code == 409
